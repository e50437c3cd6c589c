import assert from 'node:assert/strict';
import { documentReport, type BaselineInput } from '../../../src/core/analysis/documentReport';
import { STEADY_STATE } from '../../../src/core/analysis/versions';
import { findModel } from '../../../src/core/pricing/catalog';
import type { ModelInfo } from '../../../src/core/pricing/types';
import { againstBaseline, baselineShort, steadyNote, stepWords } from '../../../src/core/report/baseline';
import { blockName, blockOfToken } from '../../../src/core/report/blocks';
import { breakpointNote, breakReason, minimumNote } from '../../../src/core/report/cacheNotes';
import { countKind } from '../../../src/core/report/tokenizer';
import { applyCalibration, resetCalibration } from '../../../src/core/tokenizer/estimate/calibration';
import { getTokenizer } from '../../../src/core/tokenizer/registry';

// The words the editor shows (status bar, lenses, hovers) are made in core from typed fields: the block's place in
// the request, the estimate's calibration, the baseline's kind and why it is the steady state. Nothing is parsed back
// out of a label or a sentence.

const gpt = (findModel('gpt-4.1') as { model: ModelInfo }).model;
const claude = (findModel('claude-sonnet-4-5') as { model: ModelInfo }).model;
const NOW = Date.UTC(2026, 11, 1, 10);
const RULES = Array.from({ length: 150 }, (_, i) => `Rule ${i + 1}: answer politely and cite the handbook.`).join('\n');

function report(text: string, fileName: string, baseline: BaselineInput, model = gpt) {
  const tokenizer = getTokenizer(model.encoding)!;
  const r = documentReport({ text, fileName, model, tokenizer, baseline, now: NOW });
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.value;
}

const chat = (last: string) =>
  JSON.stringify(
    {
      model: 'gpt-4.1',
      messages: [
        { role: 'system', content: RULES },
        { role: 'user', content: 'Where is my invoice?' },
        { role: 'assistant', content: 'In Billing.' },
        { role: 'user', content: last },
      ],
    },
    null,
    2,
  );

describe('report words from typed fields (src/core/report)', () => {
  it('names the block where an OpenAI chat request breaks from its place, not from its label', () => {
    const before = chat('Thanks!');
    const r = report(chat('Thanks, and the receipt?'), 'r.json', { kind: 'file', label: 'old.json', text: before });
    const d = r.report.firstDivergence!;
    const b = blockOfToken(r, d.token)!;
    assert.deepEqual(b.place, { list: 'messages', index: 3 });
    assert.equal(b.role, 'user');
    assert.equal(blockName(b), 'message 4 (user)');
    // A label that says something else does not change the words: they come from the fields.
    assert.equal(blockName({ ...b, label: 'whatever' }), 'message 4 (user)');
    // ≈: a chat request with earlier assistant turns is an estimate for this model (exact only where measured).
    assert.match(breakReason(r)!, /^cache breaks here: message 4 \(user\) differs from old\.json — ≈?\d+ tokens/);
  });

  it('names Anthropic tools, system blocks and content parts by their place and name', () => {
    const body = {
      model: 'claude-sonnet-4-5',
      max_tokens: 10,
      tools: [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object' } }],
      system: [
        { type: 'text', text: 'You are terse.' },
        { type: 'text', text: RULES },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Hi' },
            { type: 'text', text: 'there' },
          ],
        },
      ],
    };
    const r = report(JSON.stringify(body), 'a.json', { kind: 'steady', label: STEADY_STATE }, claude);
    assert.deepEqual(
      r.report.blocks.map((b) => blockName(b)),
      ['tool get_weather', 'system block 1', 'system block 2', 'message 1 (user)', 'message 1 (user)'],
    );
    assert.deepEqual(r.report.blocks[4].place, { list: 'messages', index: 0, part: 1 });
  });

  it('a plain prompt is "the prompt"; cut by breakpoints, its sections are numbered', () => {
    const one = report(`Hello\n${RULES}`, 'p.prompt.md', { kind: 'steady', label: STEADY_STATE });
    assert.equal(one.report.blocks[0].place, undefined);
    assert.equal(blockName(one.report.blocks[0]), 'the prompt');
    const cut = report(`Hello\n<!-- cache-breakpoint -->\n${RULES}`, 'p.prompt.md', {
      kind: 'steady',
      label: STEADY_STATE,
    });
    assert.deepEqual(
      cut.report.blocks.map((b) => blockName(b)),
      ['section 1', 'section 2'],
    );
  });

  it('says what a break is against, and the short baseline name with a recorded send counting down', () => {
    const text = `Hello\n${RULES}`;
    const git = report(`Hi\n${RULES}`, 'p.prompt.md', { kind: 'git', label: 'git HEAD', text });
    assert.equal(againstBaseline(git), 'changed since git HEAD');
    assert.equal(baselineShort({ kind: 'git', label: 'git HEAD' }), 'git HEAD');
    assert.equal(baselineShort({ kind: 'steady', label: STEADY_STATE }), 'steady state');
    assert.equal(baselineShort({ kind: 'file', label: 'prompts/other.prompt.md' }), 'other.prompt.md');
    const sent = { sentAt: 0, ttlMs: 300_000, analyzedAt: 60_000 };
    assert.equal(baselineShort({ kind: 'recorded', label: 'sent 10:02' }, sent, 60_000), 'sent 10:02 (4 min left)');
    assert.equal(baselineShort({ kind: 'recorded', label: 'sent 10:02' }, sent, 290_000), 'sent 10:02 (10 s left)');
    // Past the end without a new analysis: the last second, never "expired" before the report says so.
    assert.equal(baselineShort({ kind: 'recorded', label: 'sent 10:02' }, sent, 400_000), 'sent 10:02 (1 s left)');
    assert.equal(
      baselineShort({ kind: 'recorded', label: 'sent 10:02' }, { ...sent, analyzedAt: 300_000 }, 400_000),
      'sent 10:02 (expired)',
    );
  });

  it('says why the steady state is all there is, and the steps that give the prompt a baseline', () => {
    const plain = steadyNote({ git: 'no-repository', recorded: 'none' })!;
    assert.equal(plain.noEarlierVersion, true);
    assert.equal(plain.why, 'the file is not in a git repository and nothing is recorded as sent');
    assert.deepEqual(plain.steps, ['record', 'choose', 'commit']);
    const off = steadyNote({ git: 'off', recorded: 'expired' })!;
    assert.match(off.why, /^git is off here .* and the sends recorded have expired/);
    assert.deepEqual(off.steps, ['record', 'choose', 'turn-on-git']);
    assert.match(stepWords('turn-on-git'), /git\.enabled/);
    // As committed: an edit will break against HEAD, nothing to tell.
    assert.equal(steadyNote({ git: 'unchanged', recorded: 'none' })!.noEarlierVersion, false);
    // Chosen by the setting: said, not urged.
    assert.equal(steadyNote({ setting: 'steady' })!.noEarlierVersion, false);
    assert.match(steadyNote({ setting: 'recorded', recorded: 'none' })!.why, /asks for recorded sends/);
    assert.equal(steadyNote(undefined), undefined);
  });

  it('says an estimate is calibrated from the file its factors came from (a field, not the method sentence)', () => {
    const est = getTokenizer('claude_estimate')!;
    assert.equal(est.estimate!.calibratedFrom, undefined);
    assert.equal(countKind(false, 0.25, est.estimate!.calibratedFrom), 'estimate, ±25 %');
    assert.equal(countKind(true, undefined), 'exact');
    try {
      applyCalibration(
        { source: 'logs/usage.jsonl', asOf: '2026-12-01', factors: { claude_estimate: { prose: 1.2 } } },
        'kvlens-calibration.json',
      );
      const cal = getTokenizer('claude_estimate')!.estimate!.calibratedFrom!;
      assert.deepEqual(cal, { label: 'kvlens-calibration.json', source: 'logs/usage.jsonl', asOf: '2026-12-01' });
      assert.equal(countKind(false, 0.1, cal), 'estimate, ±10 %, calibrated from kvlens-calibration.json');
    } finally {
      resetCalibration();
    }
  });

  it("says how far a prompt or a breakpoint is from the cache minimum, with an estimate's band", () => {
    assert.equal(minimumNote(2000, gpt, true, undefined), undefined);
    assert.equal(
      minimumNote(1000, gpt, true, undefined),
      "prompt 1,000 tokens: 24 short of gpt-4.1's 1,024-token cache minimum — nothing is cached",
    );
    assert.equal(minimumNote(1100, claude, false, 0.1), 'prompt ≈1,100 tokens (±10 %): may be below the 1,024 minimum');
    assert.match(minimumNote(800, claude, false, 0.1)!, /^prompt ≈800 tokens \(±10 %\): below claude-sonnet-4-5's/);
    assert.equal(
      breakpointNote(1792, '5m', gpt, true, undefined),
      'cache breakpoint: 1,792 tokens up to here · TTL 5m · ✓ reaches the 1,024 minimum',
    );
    assert.match(
      breakpointNote(300, '1h', gpt, true, undefined),
      /^cache breakpoint: 300 tokens up to here · TTL 1h · ✗ 724 short/,
    );
  });
});
