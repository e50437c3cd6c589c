import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { countCall, countTable, matchesContentLength, type RecordedCall } from '../../../src/core/accounting/recordedCalls';
import { registerTokenizer } from '../../../src/core/tokenizer/registry';
import { registerPackagedHfTokenizers } from '../../../src/node/hfTokenizerFiles';

// The oracle: real calls recorded by public SDK test suites (test/oracle/SOURCES.md), each with the usage the
// provider returned. A count that drifts from the bill fails here.
const file = path.resolve(__dirname, '../../../../test/oracle/requests.jsonl');
const calls: RecordedCall[] = fs
  .readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as RecordedCall);

describe('request token counts against real recorded calls (test/oracle)', () => {
  before(() => registerPackagedHfTokenizers(registerTokenizer));

  it('checks each body against its recorded Content-Length, and leaves out the one edited after recording', () => {
    const edited = calls.filter((c) => !matchesContentLength(c)).map((c) => c.id);
    assert.deepEqual(edited, ['msg_01PDYHzNnqSLAXuK8NNtC5MA']);
  });

  const counts = () => calls.map(countCall).filter((c) => !c.edited);

  it('OpenAI text-only requests equal prompt_tokens / input_tokens exactly, and say exact', () => {
    const text = counts().filter((c) => c.call.endpoint.startsWith('openai') && c.kind === 'text');
    assert.ok(text.length >= 4);
    for (const c of text) {
      assert.equal(c.counted, c.billed, `${c.call.id}: counted ${c.counted}, billed ${c.billed}`);
      assert.equal(c.exact, true, c.call.id);
    }
  });

  it('OpenAI requests with tools are within 1 % and are not called exact', () => {
    const tools = counts().filter((c) => c.call.endpoint.startsWith('openai') && c.kind === 'tools');
    assert.ok(tools.length >= 4);
    for (const c of tools) {
      assert.ok(Math.abs(c.counted - c.billed) <= Math.max(0.01 * c.billed, 0), `${c.call.id}: counted ${c.counted}, billed ${c.billed}`);
      assert.equal(c.exact, false, c.call.id);
    }
  });

  it('Gemini requests are within 2 % and are not called exact', () => {
    const g = counts().filter((c) => c.call.endpoint === 'gemini-generate');
    assert.ok(g.length >= 2);
    for (const c of g) {
      assert.ok(Math.abs(c.counted - c.billed) <= 0.02 * c.billed, `${c.call.id}: counted ${c.counted}, billed ${c.billed}`);
      assert.equal(c.exact, false, c.call.id);
    }
  });

  it('Claude estimates are within 10 % for at least 85 % of requests, and never called exact', () => {
    const a = counts().filter((c) => c.call.endpoint === 'anthropic-messages');
    assert.ok(a.length >= 2);
    const within = a.filter((c) => Math.abs(c.counted - c.billed) <= 0.1 * c.billed).length;
    assert.ok(within >= 0.85 * a.length, `${within} of ${a.length} within 10 %: ${a.map((c) => `${c.counted}/${c.billed}`).join(', ')}`);
    for (const c of a) assert.equal(c.exact, false, c.call.id);
  });

  it('tabulates per endpoint and kind what bench prints', () => {
    const table = countTable(calls.map(countCall));
    assert.deepEqual(table.map((r) => `${r.endpoint} ${r.kind}`).sort(), [
      'anthropic-messages text',
      'gemini-generate text',
      'openai-chat text',
      'openai-chat tools',
      'openai-responses text',
    ]);
    assert.equal(
      table.reduce((n, r) => n + r.calls, 0),
      calls.length - 1,
    );
  });
});
