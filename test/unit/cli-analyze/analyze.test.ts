import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli/main';

function capture() {
  const out: string[] = [],
    err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

const RULES = Array.from(
  { length: 300 },
  (_, i) => `Rule ${i + 1}: answer politely and cite the handbook section that applies.`,
).join('\n');
const V1 = `You are a support agent for Acme.\nAlways answer in English.\n\n${RULES}\n`;
const V2_HEAD_EDIT = `You are a support agent for Acme.\nAlways answer in French.\n\n${RULES}\n`;
const V2_APPEND = `${V1}\nRule 301: keep answers under 200 words.\n`;

describe('kvlens analyze', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-analyze-'));
  const v1 = path.join(dir, 'v1.prompt.md');
  const v2 = path.join(dir, 'v2.prompt.md');
  fs.writeFileSync(v1, V1);
  fs.writeFileSync(v2, V2_HEAD_EDIT);

  it('prints the ARCHITECTURE.md JSON contract; no baseline = the same prompt re-sent (steady state)', async () => {
    const c = capture();
    assert.equal(await main(['analyze', v1, '--model', 'gpt-4o', '--json'], c.io), 0);
    const j = JSON.parse(c.out.join(''));
    for (const k of [
      'model',
      'provider',
      'tokenizer',
      'tokens',
      'reusablePrefixTokens',
      'cachedTokens',
      'cacheWriteTokens',
      'firstDivergence',
      'cost',
    ])
      assert.ok(k in j, k);
    assert.equal(j.model, 'gpt-4o');
    assert.equal(j.provider, 'openai');
    assert.deepEqual(j.tokenizer, { encoding: 'o200k_base', exact: true });
    assert.equal(j.reusablePrefixTokens, j.tokens);
    assert.equal(j.cachedTokens, Math.floor(j.tokens / 128) * 128);
    assert.equal(j.firstDivergence, null);
    assert.equal(j.cost.currency, 'USD');
    assert.ok(j.cost.withCache < j.cost.uncached);
    assert.ok(j.cost.savingsPercent > 40); // gpt-4o reads at half price
  });

  it('with --baseline FILE reports where the cache breaks: line, column, old and new text', async () => {
    const c = capture();
    assert.equal(await main(['analyze', v2, '--model', 'gpt-4o', '--baseline', v1, '--json'], c.io), 0);
    const j = JSON.parse(c.out.join(''));
    assert.equal(j.firstDivergence.line, 2);
    assert.equal(j.firstDivergence.column, 17); // the token " English" starts at the space after "in"
    assert.match(j.firstDivergence.before, /English/);
    assert.match(j.firstDivergence.after, /French/);
    assert.equal(j.cachedTokens, 0);
    assert.equal(j.cost.savingsPercent, 0);
  });

  it('human output names the file, the break and the blocks', async () => {
    const c = capture();
    assert.equal(await main(['analyze', v2, '--model', 'gpt-4o', '--baseline', v1], c.io), 0);
    const text = c.out.join('\n');
    assert.match(text, new RegExp(`cache breaks at ${v2.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:`));
    assert.match(text, /was: .*English/);
  });

  it('Anthropic without breakpoints says that nothing is cached and why', async () => {
    const c = capture();
    assert.equal(await main(['analyze', v1, '--model', 'claude-sonnet-4-5', '--json'], c.io), 0);
    const j = JSON.parse(c.out.join(''));
    assert.equal(j.cachedTokens, 0);
    assert.ok(j.warnings.some((w: { code: string }) => w.code === 'no-breakpoint'));
  });

  for (const [name, args, needle] of [
    ['a missing file', ['analyze', '/nonexistent/p.prompt.md', '--model', 'gpt-4o'], 'p.prompt.md: no such file'],
    ['an unknown model', ['analyze', 'V1', '--model', 'gpt-99-imaginary'], 'gpt-99-imaginary'],
    [
      'a missing baseline file',
      ['analyze', 'V1', '--model', 'gpt-4o', '--baseline', '/nonexistent/old.md'],
      'old.md: no such file',
    ],
    [
      'a git baseline outside a repository',
      ['analyze', 'V1', '--model', 'gpt-4o', '--baseline', 'git:HEAD'],
      'not in a git repository',
    ],
  ] as const) {
    it(`fails in one line with a non-zero exit for ${name}`, async () => {
      const c = capture();
      assert.notEqual(
        await main(
          args.map((a) => (a === 'V1' ? v1 : a)),
          c.io,
        ),
        0,
      );
      assert.equal(c.err.length, 1, c.err.join('|'));
      assert.ok(c.err[0].includes(needle), c.err[0]);
      assert.ok(!c.err[0].trim().includes('\n'));
    });
  }
});

describe('kvlens check (real git repository)', () => {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-check-'));
  const g = (...args: string[]) =>
    execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const file = path.join(repo, 'prompts', 'support.prompt.md');
  const cwd = process.cwd();
  before(() => {
    g('init', '-q');
    g('config', 'user.email', 'ci@example.invalid');
    g('config', 'user.name', 'CI');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, V1);
    fs.writeFileSync(path.join(repo, 'README.md'), 'not a prompt\n');
    g('add', '.');
    g('commit', '-q', '-m', 'v1');
    process.chdir(repo);
  });
  after(() => process.chdir(cwd));

  it('passes when the change only appends (the cached prefix still holds)', async () => {
    fs.writeFileSync(file, V2_APPEND);
    const c = capture();
    assert.equal(await main(['check', '--model', 'gpt-4o', '--json'], c.io), 0, c.err.join(''));
    const j = JSON.parse(c.out.join(''));
    assert.equal(j.ok, true);
    assert.equal(j.files.length, 1, 'README.md is not a prompt file');
    assert.equal(j.files[0].file, path.join('prompts', 'support.prompt.md'));
    assert.equal(j.files[0].status, 'ok');
    assert.ok(j.files[0].cachedShareAfter >= 90);
  });

  it('fails when an edit breaks the cache near the top, naming file, model, shares and the change', async () => {
    fs.writeFileSync(file, V2_HEAD_EDIT);
    const c = capture();
    assert.equal(await main(['check', '--model', 'gpt-4o'], c.io), 1);
    const text = c.out.join('\n');
    assert.match(text, /FAIL prompts\/support\.prompt\.md \(gpt-4o\): cached \d+(\.\d)? % → 0 %/);
    assert.match(text, /cache breaks at prompts\/support\.prompt\.md:2:/);
    assert.match(text, /was: .*English/);
    assert.match(text, /now: .*French/);
    const j = capture();
    assert.equal(await main(['check', '--model', 'gpt-4o', '--json'], j.io), 1);
    const parsed = JSON.parse(j.out.join(''));
    assert.equal(parsed.ok, false);
    assert.equal(parsed.files[0].firstDivergence.line, 2);
  });

  it('--min-cached sets the bar instead, and compares against any revision', async () => {
    fs.writeFileSync(file, V2_APPEND);
    g('commit', '-q', '-am', 'v2 append');
    fs.writeFileSync(file, V2_APPEND.replace('Rule 150:', 'Rule 150 (changed):'));
    const half = capture();
    assert.equal(
      await main(['check', '--model', 'gpt-4o', '--min-cached', '40', '--json', 'prompts/support.prompt.md'], half.io),
      0,
    );
    const strict = capture();
    assert.equal(await main(['check', '--model', 'gpt-4o', '--min-cached', '90%', '--json'], strict.io), 1);
    const older = capture();
    assert.equal(await main(['check', '--base', 'HEAD~1', '--model', 'gpt-4o', '--json'], older.io), 1);
  });

  it('rejects a bad percentage with exit 2', async () => {
    const c = capture();
    assert.equal(await main(['check', '--min-cached', 'lots'], c.io), 2);
    assert.match(c.err[0], /--min-cached must be a percentage/);
  });
});
