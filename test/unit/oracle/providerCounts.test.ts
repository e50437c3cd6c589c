import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli/main';
import {
  classTable,
  classTableText,
  committedCalls,
  corpusCalls,
  corpusDir,
  countable,
  countCall,
  countTable,
  matchesContentLength,
  type CallCount,
  type ClassRow,
  type RecordedCall,
} from '../../oracle/recordedCalls';
import { registerTokenizer } from '../../../src/core/tokenizer/registry';
import { registerPackagedHfTokenizers } from '../../../src/node/hfTokenizerFiles';

// The oracle: real calls recorded by public SDK test suites, each with the usage the provider returned. The committed
// set is test/oracle/requests.jsonl (test/oracle/SOURCES.md); the extracted corpus (scripts/oracle/extract-cassettes.mjs,
// its own SOURCES.md) is read where corpusDir finds it. A count that drifts from the bill, or an exact count that is
// not, fails here.
const root = path.resolve(__dirname, '../../../..');
const calls: RecordedCall[] = committedCalls(root);

describe('request token counts against real recorded calls (test/oracle)', () => {
  before(() => registerPackagedHfTokenizers(registerTokenizer));

  it('checks each body against its recorded Content-Length, and leaves out the one edited after recording', () => {
    const edited = calls.filter((c) => !matchesContentLength(c)).map((c) => c.id);
    assert.deepEqual(edited, ['msg_01PDYHzNnqSLAXuK8NNtC5MA']);
  });

  const counts = () => calls.map(countCall).filter((c) => !c.edited);

  it('OpenAI text-only requests of measured framings equal prompt_tokens / input_tokens exactly, and say exact', () => {
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
      assert.ok(
        Math.abs(c.counted - c.billed) <= Math.max(0.01 * c.billed, 0),
        `${c.call.id}: counted ${c.counted}, billed ${c.billed}`,
      );
      assert.equal(c.exact, false, c.call.id);
    }
  });

  it('Gemini text requests are within 2 %; function declarations within their measured band; never called exact', () => {
    const g = counts().filter((c) => c.call.endpoint === 'gemini-generate');
    const text = g.filter((c) => c.kind === 'text');
    assert.ok(text.length >= 2);
    for (const c of text)
      assert.ok(
        Math.abs(c.counted - c.billed) <= 0.02 * c.billed,
        `${c.call.id}: counted ${c.counted}, billed ${c.billed}`,
      );
    // Google does not say how declarations, calls and responses reach the model. Gemini 2.0 is counted from their texts
    // (as Google's offline counter does): 2 and 3 tokens high on these 16- and 22-token requests. (Another recording of
    // the same test was billed 21 for the first: Google's own count of it moved by 5.)
    for (const c of g.filter((x) => x.kind === 'tools'))
      assert.ok(Math.abs(c.counted - c.billed) <= 3, `${c.call.id}: counted ${c.counted}, billed ${c.billed}`);
    for (const c of g.filter((x) => x.kind === 'tools'))
      assert.ok(
        Math.abs(c.counted - c.billed) <= 0.15 * c.billed,
        `${c.call.id}: counted ${c.counted}, billed ${c.billed}`,
      );
    for (const c of g) assert.equal(c.exact, false, c.call.id);
  });

  it('Claude estimates: text requests within 10 % for at least 85 %, requests with tools within the measured tools band; never called exact', () => {
    const a = counts().filter((c) => c.call.endpoint === 'anthropic-messages');
    const text = a.filter((c) => c.kind === 'text');
    assert.ok(text.length >= 4);
    const within = text.filter((c) => Math.abs(c.counted - c.billed) <= 0.1 * c.billed).length;
    assert.ok(
      within >= 0.85 * text.length,
      `${within} of ${text.length} within 10 %: ${text.map((c) => `${c.counted}/${c.billed}`).join(', ')}`,
    );
    for (const c of a.filter((x) => x.kind === 'tools'))
      assert.ok(Math.abs(c.counted - c.billed) <= 0.4 * c.billed, `${c.call.id}: ${c.counted}/${c.billed}`);
    for (const c of a) assert.equal(c.exact, false, c.call.id);
  });

  it('tabulates per endpoint and kind what bench prints', () => {
    const table = countTable(calls.map(countCall));
    assert.deepEqual(table.map((r) => `${r.endpoint} ${r.kind}`).sort(), [
      'anthropic-count-tokens tools',
      'anthropic-messages text',
      'anthropic-messages tools',
      'gemini-generate text',
      'gemini-generate tools',
      'openai-chat text',
      'openai-chat tools',
      'openai-responses text',
      'openai-responses tools',
    ]);
    assert.equal(
      table.reduce((n, r) => n + r.calls, 0),
      calls.length - 1,
    );
  });
});

/*
 * The extracted corpus: every call of the cassettes KV Lens can count (a model it knows, a bill it can read), per
 * provider, endpoint and feature class. Where no corpus is found (it is data read from fetched snapshots, kept where
 * corpusDir looks), the same checks run over the committed calls alone, and the test says so.
 */
describe('request token counts per feature class, on every recorded call at hand', function () {
  this.timeout(120_000);
  const dir = corpusDir(root);
  let counts: CallCount[] = [];
  let rows: ClassRow[] = [];
  const row = (endpoint: string, feature: string) => rows.find((r) => r.endpoint === endpoint && r.feature === feature);

  before(() => {
    registerPackagedHfTokenizers(registerTokenizer);
    const all = [...calls, ...(dir ? corpusCalls(dir) : [])].filter(countable);
    counts = all.map(countCall);
    rows = classTable(counts);
    console.log(
      `      ${dir ? `corpus ${path.relative(root, dir)} + ` : 'no extracted corpus found; '}test/oracle/requests.jsonl: ${counts.filter((c) => !c.edited).length} calls\n` +
        classTableText(rows)
          .split('\n')
          .map((l) => `      ${l}`)
          .join('\n'),
    );
  });

  it('never calls a count exact that is not: every exact count equals the bill', () => {
    const wrong = counts.filter((c) => !c.edited && c.exact && c.counted !== c.billed);
    assert.deepEqual(
      wrong.map((c) => `${c.call.path ?? c.call.id}#${c.call.interaction ?? ''}: ${c.counted}/${c.billed}`),
      [],
    );
    assert.ok(counts.some((c) => c.exact && !c.edited));
  });

  it('holds each measured class to its budget', () => {
    if (dir) assert.ok(counts.filter((c) => !c.edited).length >= 150, 'the corpus has at least 150 calls');
    // [endpoint, feature, figure, at least this share of the class's calls]
    const budgets: [string, string, 'equal' | 'within2' | 'within10', number][] = [
      ['openai-chat', 'text', 'equal', 0.95],
      ['openai-responses', 'text', 'equal', 0.9],
      ['openai-chat', 'function tools', 'equal', dir ? 0.7 : 1],
      ['openai-responses', 'function tools', 'equal', dir ? 0.65 : 1],
      ['openai-chat', 'function tools, calls', 'equal', dir ? 0.6 : 1],
      ['openai-chat', 'function tools, calls', 'within2', dir ? 0.9 : 1],
      ['anthropic-messages', 'thinking', 'within10', 0.8],
      ['anthropic-messages', 'thinking + tools', 'within10', 0.8],
      ['anthropic-messages', 'cache_control + tools', 'within10', 0.9],
      ['anthropic-messages', 'tools', 'within10', 0.8],
      ['anthropic-messages', 'text', 'within10', 0.85],
      ['anthropic-messages', 'structured output', 'within10', 0.6],
      ['openai-chat', 'structured output', 'equal', dir ? 0.6 : 1],
      ['openai-responses', 'structured output', 'within10', dir ? 0.85 : 1],
      ['gemini-generate', 'text', 'equal', 0.85],
      ['gemini-generate', 'system', 'equal', 0.85],
      ['gemini-generate', 'multi-turn', 'equal', 0.9],
      ['gemini-generate', 'cachedContent', 'equal', 1],
    ];
    const misses: string[] = [];
    for (const [endpoint, feature, figure, share] of budgets) {
      const r = row(endpoint, feature);
      if (!r) {
        if (dir) misses.push(`${endpoint} ${feature}: no calls`);
        continue;
      }
      if (r[figure] < share * r.calls) misses.push(`${endpoint} ${feature}: ${figure} ${r[figure]} of ${r.calls}`);
    }
    assert.deepEqual(misses, []);
  });
});

describe('the opt-in exact count and replay against real recorded calls (test/oracle)', () => {
  it("Anthropic's count_tokens answers what the Messages call with the same content was billed", () => {
    const counted = calls.find((c) => c.endpoint === 'anthropic-count-tokens')!;
    const billed = calls.find((c) => c.source === counted.source && c.endpoint === 'anthropic-messages')!;
    const sum = (u: Record<string, unknown>) =>
      ['input_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'].reduce(
        (n, k) => n + (Number(u[k]) || 0),
        0,
      );
    assert.equal(sum(counted.usage), sum(billed.usage));
    assert.deepEqual(
      Object.keys(counted.request).filter((k) => !(k in billed.request)),
      [],
    );
  });

  it('kvlens replay of a recorded cache session agrees with what the cache did: the write and the read of the second call, the first one warm from before', async () => {
    const session = calls.filter((c) => c.source === 12);
    const log = session
      .map((c) => JSON.stringify({ timestamp: c.at, request: c.request, response: { usage: c.usage } }))
      .join('\n');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-oracle-')), 'session.jsonl');
    fs.writeFileSync(file, log);
    const printed: string[] = [];
    assert.equal(await main(['replay', file, '--json'], { out: (t) => printed.push(t), err: () => {} }), 0);
    const out = JSON.parse(printed.join('')) as {
      requests: {
        verdict: string;
        reason: string;
        predictedCachedTokens: number;
        actualCachedTokens: number;
        predictedCacheWriteTokens: number;
        actualCacheWriteTokens: number;
      }[];
    };
    const [first, second] = out.requests;
    assert.equal(first.reason, 'warm-before-log');
    assert.equal(second.verdict, 'match');
    assert.equal(second.reason, 'cached');
    // Anthropic read 1,111 and wrote 418: KV Lens's estimate is within its measured band of both.
    assert.ok(
      Math.abs(second.predictedCachedTokens - second.actualCachedTokens) <= 0.1 * second.actualCachedTokens,
      JSON.stringify(second),
    );
    assert.ok(
      Math.abs(second.predictedCacheWriteTokens - second.actualCacheWriteTokens) <= 0.1 * second.actualCacheWriteTokens,
      JSON.stringify(second),
    );
  });
});
