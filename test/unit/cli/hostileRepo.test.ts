import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// A repository built to hurt the tool that reads it: links to /dev/zero and to a file outside the repository, a link
// loop, a link to a folder, a FIFO, names git quotes (non-ASCII, a newline), option-shaped revisions, settings files
// that are devices or nested 200,000 deep, a catalog nested as deep, terminal escape sequences in a prompt, a usage log
// with an impossible timestamp. Every CLI command runs on it as CI would run it — the built `kvlens`, in its own
// process with a small heap and a time limit — so a hang, a 4 GB read or a stack trace fails the test, not the machine.

const CLI = path.resolve(__dirname, '../../../../dist/cli/kvlens.js');
const RULES = Array.from(
  { length: 400 },
  (_, i) => `Rule ${i + 1}: answer the customer politely and cite the policy.`,
).join('\n');

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function kvlens(cwd: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, ['--max-old-space-size=256', CLI, ...args], {
    cwd,
    encoding: 'utf8',
    // A hang (reading /dev/zero or a FIFO forever) is a run that never ends: killed here, it fails with exit null. The
    // refusal message (a device, a FIFO, a link loop) shows the file was judged before any read; how long a refusal
    // takes is the machine's load, not the product's behaviour, so no wall-clock budget is asserted.
    timeout: 180_000,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Exit 2 with one line on stderr naming `file` and the problem; no stack trace, no raw control characters. */
function refused(r: Run, file: RegExp, problem: RegExp): void {
  assert.equal(r.code, 2, `exit ${r.code}: ${r.err}`);
  const lines = r.err.trim().split('\n');
  assert.equal(lines.length, 1, `one line: ${r.err}`);
  assert.match(lines[0], /^kvlens( \w+)?: /);
  assert.match(lines[0], file);
  assert.match(lines[0], problem);
  assert.doesNotMatch(r.err, /\n\s+at |internal error/);
}

describe('a hostile repository, through every CLI command', function () {
  // Every CLI run below has its own hang guard (kvlens(): killed after 180 s, then the assertion on its exit fails); a
  // test is a series of such runs, so its length follows the machine's load and mocha does not time it.
  this.timeout(0);
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-hostile-'));
  const repo = path.join(top, 'repo');
  const secret = path.join(top, 'secret.prompt.md');
  const git = (...args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', '-c', 'init.defaultBranch=main', ...args],
      { cwd: repo, stdio: 'pipe' },
    );
  const NEWLINE_NAME = 'new\nline.prompt.md';

  before(() => {
    fs.mkdirSync(repo);
    fs.writeFileSync(secret, `SECRET ${'token '.repeat(50)}`);
    git('init', '-q');
    fs.writeFileSync(path.join(repo, 'café.prompt.md'), RULES);
    fs.writeFileSync(path.join(repo, NEWLINE_NAME), RULES);
    fs.writeFileSync(path.join(repo, 'escapes.prompt.md'), RULES);
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    // The pull request: links to a device, out of the repository, in a loop, to a folder — committed, as git allows.
    fs.symlinkSync('/dev/zero', path.join(repo, 'zero.prompt.md'));
    fs.symlinkSync(secret, path.join(repo, 'outside.prompt.md'));
    fs.symlinkSync('loop-b.prompt.md', path.join(repo, 'loop-a.prompt.md'));
    fs.symlinkSync('loop-a.prompt.md', path.join(repo, 'loop-b.prompt.md'));
    fs.mkdirSync(path.join(repo, 'folder'));
    fs.symlinkSync('folder', path.join(repo, 'dirlink.prompt.md'));
    // A settings file that is a device, and one nested 200,000 deep, each above a prompt that reads them.
    fs.mkdirSync(path.join(repo, 'zero-settings', '.vscode'), { recursive: true });
    fs.symlinkSync('/dev/zero', path.join(repo, 'zero-settings', '.vscode', 'settings.json'));
    fs.writeFileSync(path.join(repo, 'zero-settings', 'p.prompt.md'), RULES);
    fs.mkdirSync(path.join(repo, 'deep-settings', '.vscode'), { recursive: true });
    fs.writeFileSync(
      path.join(repo, 'deep-settings', '.vscode', 'settings.json'),
      `{"kvlens.model": ${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}}`,
    );
    fs.writeFileSync(path.join(repo, 'deep-settings', 'p.prompt.md'), RULES);
    fs.writeFileSync(
      path.join(repo, 'deep-catalog.json'),
      `{"models": [${'['.repeat(200_000)}${']'.repeat(200_000)}]}`,
    );
    // …and a break early in three prompts (one with escape sequences where was/now show it).
    fs.writeFileSync(path.join(repo, 'café.prompt.md'), `Changed first line.\n${RULES}`);
    fs.writeFileSync(path.join(repo, NEWLINE_NAME), `Changed first line.\n${RULES}`);
    const [l1, l2, ...rest] = RULES.split('\n');
    fs.writeFileSync(
      path.join(repo, 'escapes.prompt.md'),
      [l1, l2, `\x1b]0;owned\x07\x1b[2J\u202eevil`, ...rest].join('\n'),
    );
    git('add', '-A');
    git('commit', '-q', '-m', 'pull request');
    execFileSync('mkfifo', [path.join(repo, 'fifo.prompt.md')]);
  });
  after(() => fs.rmSync(top, { recursive: true, force: true }));

  it('check sees every changed prompt, quoted names too, fails on the breaks, and names what it skipped', () => {
    const r = kvlens(repo, 'check', '--base', 'HEAD~1');
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /^FAIL café\.prompt\.md \(gpt-4\.1\)/m);
    assert.match(r.out, /^FAIL new\\nline\.prompt\.md \(gpt-4\.1\)/m, 'the newline is shown as \\n, on one line');
    assert.match(r.out, /^FAIL escapes\.prompt\.md/m);
    assert.match(r.out, /^skip zero\.prompt\.md: is a link to \/dev\/zero, outside the repository; not read$/m);
    assert.match(
      r.out,
      /^skip outside\.prompt\.md: is a link to .*secret\.prompt\.md, outside the repository; not read$/m,
    );
    assert.match(r.out, /^skip loop-a\.prompt\.md: too many levels of symbolic links/m);
    assert.match(r.out, /^skip dirlink\.prompt\.md: is a directory/m);
    assert.match(r.out, /^5 prompt files checked against HEAD~1 \(6 skipped\): 3 failed$/m);
    assert.doesNotMatch(r.out, /SECRET/);
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    assert.doesNotMatch(r.out, /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/, 'no raw control characters from the prompt');
    assert.match(r.out, /now: .*\\u001b\]0;owned\\u0007\\u001b\[2J\\u202eevil/);
    const j = kvlens(repo, 'check', '--base', 'HEAD~1', '--json');
    const report = JSON.parse(j.out) as { ok: boolean; files: { file: string; status: string; reason?: string }[] };
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.files
        .filter((f) => f.status === 'failed')
        .map((f) => f.file)
        .sort(),
      ['café.prompt.md', 'escapes.prompt.md', NEWLINE_NAME],
    );
    assert.ok(report.files.filter((f) => f.status === 'skipped').length >= 4);
  });

  it('revisions shaped like options never reach git as options, and nothing is written', () => {
    const target = path.join(top, 'written-by-git');
    for (const args of [
      ['check', `--base=--output=${target}`],
      ['check', `--base=--output=${target}`, 'café.prompt.md'],
      ['analyze', 'café.prompt.md', `--baseline=git:--output=${target}`],
    ]) {
      const r = kvlens(repo, ...args);
      refused(r, /--output=/, /is not a git revision/);
    }
    refused(
      kvlens(repo, 'check', '--base', `--output=${target}`),
      /check: Option '--base' argument is ambiguous/,
      /use '--base=-XYZ'/,
    );
    refused(kvlens(repo, 'check', '--base', 'no-such-branch'), /no-such-branch/, /names no commit in this repository/);
    assert.equal(fs.existsSync(target), false);
    const ok = kvlens(repo, 'analyze', 'escapes.prompt.md', '--baseline', 'git:HEAD~1', '--json');
    assert.equal(ok.code, 0, ok.err);
    assert.equal(JSON.parse(ok.out).firstDivergence.line, 3, 'a real revision still works');
  });

  it('a device, a FIFO, a link loop and a folder link are refused by analyze, tokenize, tokens, cost and replay — at once', () => {
    const cases: [string, RegExp][] = [
      ['zero.prompt.md', /is a character device \(\/dev\/zero\), not a regular file; not read/],
      ['fifo.prompt.md', /is a FIFO \(named pipe\), not a regular file; not read/],
      ['loop-a.prompt.md', /too many levels of symbolic links/],
      ['dirlink.prompt.md', /is a directory/],
      ['missing.prompt.md', /no such file/],
    ];
    for (const [file, problem] of cases) {
      for (const cmd of [
        ['analyze', file],
        ['tokenize', file, '--encoding', 'o200k_base'],
        ['tokens', file],
        ['cost', file, '--json'],
        ['replay', file],
      ]) {
        const r = kvlens(repo, ...cmd);
        refused(r, new RegExp(file.replace('.', '\\.')), problem);
      }
    }
    const viaJson = kvlens(repo, 'cost', 'zero.prompt.md', '--json');
    assert.deepEqual(JSON.parse(viaJson.out).error.exitCode, 2, 'asked for JSON, the failure is JSON too');
  });

  it('cost --workspace prices only what is inside, names the rest, and never reads the secret', () => {
    const r = kvlens(repo, 'cost', '--workspace', '.', '--json');
    assert.equal(r.code, 0, r.err);
    const files = (JSON.parse(r.out) as { files: { file: string; tokens: number; problem?: string }[] }).files;
    const row = (f: string) => files.find((x) => x.file === f);
    assert.match(row('zero.prompt.md')!.problem!, /skipped: is a link to \/dev\/zero, outside the folder/);
    assert.match(row('outside.prompt.md')!.problem!, /skipped: is a link to .*secret\.prompt\.md, outside the folder/);
    assert.match(row('fifo.prompt.md')!.problem!, /skipped: is a FIFO/);
    assert.match(row('loop-a.prompt.md')!.problem!, /skipped: too many levels/);
    assert.ok(row('café.prompt.md')!.tokens > 1000);
    assert.ok(row(NEWLINE_NAME)!.tokens > 1000);
  });

  it('settings files that are devices or nested 200,000 deep are ignored; a catalog nested as deep is one line', () => {
    for (const dir of ['zero-settings', 'deep-settings']) {
      const r = kvlens(repo, 'analyze', path.join(dir, 'p.prompt.md'), '--json');
      assert.equal(r.code, 0, `${dir}: ${r.err}`);
      assert.equal(JSON.parse(r.out).model, 'gpt-4.1', 'the default model: the settings file was ignored');
    }
    const c = kvlens(repo, 'analyze', 'café.prompt.md', '--catalog', 'deep-catalog.json');
    assert.notEqual(c.code, 0);
    assert.doesNotMatch(c.err, /\n\s+at |internal error/);
    assert.match(c.err.trim(), /^kvlens: deep-catalog\.json/);
  });

  it('replay skips and counts a line with an impossible timestamp or nested too deeply, and its JSON stays valid', () => {
    const good = {
      model: 'gpt-4.1',
      messages: [
        { role: 'system', content: RULES },
        { role: 'user', content: 'hi' },
      ],
    };
    const log = path.join(top, 'usage.jsonl');
    fs.writeFileSync(
      log,
      [
        JSON.stringify({
          timestamp: '2026-11-02T10:00:00Z',
          request: good,
          response: { usage: { prompt_tokens: 5000, prompt_tokens_details: { cached_tokens: 0 } } },
        }),
        JSON.stringify({
          timestamp: 1e20,
          request: good,
          response: { usage: { prompt_tokens: 5000, prompt_tokens_details: { cached_tokens: 4992 } } },
        }),
        `{"timestamp":"2026-11-02T10:00:02Z","request":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
        '{"timestamp": "2026-11-02T10:00:03Z", "request": {"model": "gpt-4.1", "messages": [',
        JSON.stringify({
          timestamp: '2026-11-02T10:00:04Z',
          request: good,
          response: { usage: { prompt_tokens: 5000, prompt_tokens_details: { cached_tokens: 4992 } } },
        }),
      ].join('\n'),
    );
    const r = kvlens(top, 'replay', log, '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { requests: { index: number }[]; summary: { requests: number; skipped: number } };
    assert.ok(j.summary.requests >= 2, `replayed ${j.summary.requests}`);
    assert.ok(j.summary.skipped >= 2, `skipped ${j.summary.skipped}`);
    const human = kvlens(top, 'replay', log);
    assert.equal(human.code, 0, human.err);
    assert.match(human.out, /lines skipped/);
    const cal = kvlens(top, 'replay', log, '--calibrate', path.join(top, 'no', 'such', 'folder', 'cal.json'));
    assert.doesNotMatch(cal.err, /\n\s+at |internal error/);
  });

  it('an output folder that does not exist is one line naming it', () => {
    const r = kvlens(top, 'catalog', 'update', '--from', path.join(top, 'nope.json'));
    refused(r, /nope\.json/, /no such file/);
    const table = path.join(top, 'table.json');
    fs.writeFileSync(
      table,
      JSON.stringify({
        'gpt-4.1': { litellm_provider: 'openai', input_cost_per_token: 3e-6, output_cost_per_token: 8e-6 },
      }),
    );
    const w = kvlens(
      top,
      'catalog',
      'update',
      '--from',
      table,
      '--write',
      '--catalog',
      path.join(top, 'missing-dir', 'mine.json'),
    );
    refused(w, /missing-dir\/mine\.json/, /cannot write \(the folder .*missing-dir does not exist\)/);
  });
});
