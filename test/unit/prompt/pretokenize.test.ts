import assert from 'node:assert/strict';
import { documentReport } from '../../../src/core/analysis/documentReport';
import { findModel } from '../../../src/core/pricing/catalog';
import { tokenizerForModel } from '../../../src/core/pricing/modelTokenizer';
import type { ModelInfo } from '../../../src/core/pricing/types';
import { parsePrompt } from '../../../src/core/prompt/parse';
import { pretokenize } from '../../../src/core/prompt/pretokenize';
import { segmentCacheFor } from '../../../src/core/prompt/segmentCache';
import { getTokenizer } from '../../../src/core/tokenizer/registry';

describe('pretokenize: long segments tokenized in steps before the analysis', () => {
  const tokenizer = getTokenizer('o200k_base')!;
  const model = (findModel('gpt-4.1') as { model: ModelInfo }).model;

  it('yields between steps, leaves the tokens in the segment cache, and the report is the same as without it', async () => {
    const text = `# Policy\n\n${'Answer from the handbook and cite the section you rely on; say so when none applies. '.repeat(4000)}\n<!-- cache-breakpoint -->\nQuestion: where is my invoice?\n`;
    const parsed = parsePrompt(text, { fileName: 'steps.prompt.md' });
    const long = parsed.prompts[0].blocks[0].segments[0].text;
    assert.equal(segmentCacheFor(tokenizer).has(long), false);
    let yields = 0;
    assert.equal(
      await pretokenize(
        parsed,
        tokenizer,
        async () => {
          yields++;
        },
        () => true,
        1,
      ),
      true,
    );
    assert.ok(yields >= 2, `yielded ${yields} times`);
    assert.equal(segmentCacheFor(tokenizer).has(long), true);
    const after = documentReport({
      text,
      fileName: 'steps.prompt.md',
      model,
      tokenizer,
      baseline: { kind: 'steady', label: 's' },
      now: 0,
      parsed,
    });
    const plain = documentReport({
      text,
      fileName: 'steps.prompt.md',
      model,
      tokenizer: getTokenizer('o200k_base')!,
      baseline: { kind: 'steady', label: 's' },
      now: 0,
    });
    assert.ok(after.ok && plain.ok);
    assert.deepEqual(after.value.report, plain.value.report);
    assert.deepEqual(
      Array.from(after.value.rendered.ids),
      Array.from(tokenizer.tokenize(long).ids).concat(
        Array.from(tokenizer.tokenize('Question: where is my invoice?\n').ids),
      ),
    );
  });

  it("Claude's estimated tokens are made in steps too, with the same report", async () => {
    const claude = (findModel('claude-sonnet-4-5') as { model: ModelInfo }).model;
    const est = tokenizerForModel(claude).tokenizer;
    assert.equal(typeof est.tokenizeInSteps, 'function');
    const text = `# Agent\n\n${'Use the tools below; never invent an order number, and say when you do not know. '.repeat(3000)}`;
    const parsed = parsePrompt(text, { fileName: 'agent.prompt.md' });
    let yields = 0;
    assert.equal(
      await pretokenize(
        parsed,
        est,
        async () => {
          yields++;
        },
        () => true,
        1,
      ),
      true,
    );
    assert.ok(yields >= 2);
    const after = documentReport({
      text,
      fileName: 'agent.prompt.md',
      model: claude,
      tokenizer: est,
      baseline: { kind: 'steady', label: 's' },
      now: 0,
      parsed,
    });
    assert.ok(after.ok);
    assert.equal(after.value.report.tokens, est.tokenize(parsed.prompts[0].blocks[0].segments[0].text).ids.length);
  });

  it('stops when the document changes meanwhile', async () => {
    const text = 'Rules of the house, one per line, kept short and to the point.\n'.repeat(3000);
    const parsed = parsePrompt(text, { fileName: 'stop.txt' });
    let steps = 0;
    assert.equal(
      await pretokenize(
        parsed,
        tokenizer,
        async () => {
          steps++;
        },
        () => steps < 1,
        0.01,
      ),
      false,
    );
    assert.equal(segmentCacheFor(tokenizer).has(parsed.prompts[0].blocks[0].segments[0].text), false);
  });
});
