#!/usr/bin/env node
// `npm run package [-- --no-build]`: production build, then `vsce package` into dist-vsix/kvlens-<version>.vsix. The bundles
// carry their dependencies, so the package holds no node_modules (--no-dependencies); .vscodeignore keeps it to
// what runs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.join(root, 'dist-vsix', `${pkg.name}-${pkg.version}.vsix`);
function run(cmd, args) {
  try {
    execFileSync(cmd, args, { stdio: 'inherit', cwd: root });
  } catch {
    console.error(`kvlens: package failed at: ${path.basename(cmd)} ${args.join(' ')}`);
    process.exit(1);
  }
}

// vsce rewrites the README's relative links and images to absolute URLs. It derives them from GitHub/GitLab
// repository URLs by itself; for any other host it needs them spelled out.
const repo = String(pkg.repository?.url ?? pkg.repository ?? '').replace(/\.git$/, '');
const baseUrls =
  repo && !/github\.com|gitlab\.com/.test(repo)
    ? ['--baseContentUrl', `${repo}/blob/HEAD`, '--baseImagesUrl', `${repo}/raw/HEAD`]
    : [];

// --no-build: the caller (the e2e tests) has just made the production build
if (!process.argv.includes('--no-build')) run(process.execPath, ['scripts/build.mjs', '--production']);
fs.mkdirSync(path.dirname(out), { recursive: true });
run(path.join(root, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', ...baseUrls, '--out', out]);
const kb = fs.statSync(out).size / 1024;
console.log(
  `kvlens: ${path.relative(root, out)} (${kb >= 1024 ? `${(kb / 1024).toFixed(2)} MB` : `${kb.toFixed(0)} KB`})`,
);
