#!/usr/bin/env node
// Copies the code corpus of `kvlens code` (test/code/corpus.json) from snapshots of public repositories into
// test/code/local/<owner>+<name>/<path> (gitignored) or $KVLENS_CODE_CORPUS, and writes test/code/SOURCES.md
// (repository, commit, path, licence). The snapshots are bare git directories at /work/.mirror/<owner>+<name>/repo
// (or $KVLENS_MIRROR), brought by the search tool's `fetch`; nothing is copied by hand. The copies stay out of the
// repository (the workplace keeps what a fetched snapshot holds out of commits): test/unit/code/corpus.test.ts reads
// them from $KVLENS_CODE_CORPUS, ../shared/code-corpus or test/code/local. The truth per call site is read by hand
// into test/code/expectations.json (committed).
//   node scripts/code-corpus.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const mirror = process.env.KVLENS_MIRROR || '/work/.mirror';
const dir = path.join(root, 'test/code');
const out = process.env.KVLENS_CODE_CORPUS || path.join(dir, 'local');
const { files } = JSON.parse(fs.readFileSync(path.join(dir, 'corpus.json'), 'utf8'));
const git = (repo, ...args) =>
  execFileSync('git', ['--git-dir', path.join(mirror, repo.replace('/', '+'), 'repo'), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });

function licence(repo) {
  for (const name of ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'license']) {
    let text;
    try {
      text = git(repo, 'show', `HEAD:${name}`);
    } catch {
      continue;
    }
    if (/Apache License/i.test(text)) return `Apache-2.0 (${name})`;
    if (/MIT License|Permission is hereby granted, free of charge/i.test(text)) return `MIT (${name})`;
    if (/BSD/i.test(text)) return `BSD (${name})`;
    return `see ${name}`;
  }
  throw new Error(`${repo}: no licence file; not copied`);
}

const rows = [];
const commits = new Map();
for (const { repo, path: p } of files) {
  if (!commits.has(repo)) commits.set(repo, { commit: git(repo, 'rev-parse', 'HEAD').trim(), licence: licence(repo) });
  const { commit, licence: lic } = commits.get(repo);
  const text = git(repo, 'show', `${commit}:${p}`);
  const to = path.join(out, repo.replace('/', '+'), p);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.writeFileSync(to, text);
  rows.push(`| ${repo} | ${commit} | ${p} | ${lic} |`);
}
const sources = [
  '# Sources of the code corpus',
  '',
  'Real source files with LLM calls, copied unchanged by `node scripts/code-corpus.mjs` from snapshots of the public',
  'repositories below (each under its own licence, named here). Used by test/unit/code/corpus.test.ts as inputs of',
  '`kvlens code`; the truth per call site, read by hand, is in expectations.json.',
  '',
  'The copies themselves are **not in the repository**: the workplace keeps what a fetched snapshot holds out of',
  'commits. The script writes them to `test/code/local/` (gitignored) or `$KVLENS_CODE_CORPUS`; the test reads',
  '`$KVLENS_CODE_CORPUS`, `../shared/code-corpus` or `test/code/local`, whichever holds them, and says when none does.',
  'The committed tests that always run use our own source files (test/unit/code/*.test.ts, test/e2e/workspace/code).',
  '',
  '| repository | commit | path | licence |',
  '| --- | --- | --- | --- |',
  ...rows,
  '',
].join('\n');
fs.writeFileSync(path.join(dir, 'SOURCES.md'), sources);
fs.writeFileSync(path.join(out, 'SOURCES.md'), sources);
console.log(`code corpus: ${rows.length} files from ${commits.size} repositories → ${out}`);
