import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli/main';
import { loadCatalog } from '../../../src/core/pricing/catalog';
import { tokenizerForModel } from '../../../src/core/pricing/modelTokenizer';
import { MISS_CLASS, providerMiss, providerMissNote } from '../../../src/core/replay/missClass';
import { Replayer, type RequestVerdict } from '../../../src/core/replay/replay';
import { codexRollout } from './agentFixtures';
import { MIN, SYSTEM, T0, openAiLine } from './logs';

// Issue 25: a miss is avoidable money only when its cause is the user's; the rest are named for what they most
// likely are (the provider evicted the prefix, or routed the request to a server without it) and totalled apart.

interface Replayed {
  requests: (RequestVerdict & { chain?: string })[];
  summary: {
    requests: number;
    hitRate: { actual: number | null };
    money: {
      actual: number;
      avoidable: number;
      providerSide: number;
      byReason: { reason: string; class: string; requests: number; cost: number }[];
    };
  };
}
async function replay(file: string, json = true): Promise<{ j?: Replayed; text: string }> {
  const out: string[] = [],
    err: string[] = [];
  const code = await main(['replay', file, ...(json ? ['--json'] : [])], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  assert.equal(code, 0, err.join('\n'));
  return json ? { j: JSON.parse(out.join('')) as Replayed, text: '' } : { text: out.join('\n') };
}
const REAL = path.resolve(__dirname, '../../../../test/unit/replay/real/codex-code-butler.jsonl');
const realFile = () => REAL;
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-miss-'));

describe('a real Codex session (EdofEngland/code_butler, test/unit/replay/real): whose misses they are', () => {
  it("every miss is the provider's: named rerouted, costed apart, and none counted as avoidable", async () => {
    const { j } = await replay(realFile());
    const s = j!.summary;
    // The oracle: the file's own usage records (token_count events; a repeated event is not a call).
    let cached = 0,
      input = 0,
      calls = 0,
      last = -1;
    for (const line of fs.readFileSync(realFile(), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as {
        type: string;
        payload: {
          type?: string;
          info?: {
            last_token_usage?: { input_tokens: number; cached_input_tokens: number };
            total_token_usage?: { total_tokens: number };
          };
        };
      };
      const info = r.type === 'event_msg' && r.payload.type === 'token_count' ? r.payload.info : undefined;
      if (!info?.last_token_usage || info.total_token_usage?.total_tokens === last) continue;
      last = info.total_token_usage?.total_tokens ?? last;
      calls++;
      cached += info.last_token_usage.cached_input_tokens;
      input += info.last_token_usage.input_tokens;
    }
    assert.equal(s.requests, calls);
    assert.equal(s.hitRate.actual, r3(cached / input));
    const missed = j!.requests.filter((r) => MISS_CLASS[r.reason] !== 'hit' && MISS_CLASS[r.reason] !== 'start');
    assert.ok(missed.length >= 4, `${missed.length} misses`);
    assert.ok(
      missed.every((r) => r.reason === 'rerouted'),
      JSON.stringify(missed.map((r) => [r.index, r.reason, r.gapSeconds])),
    );
    assert.ok(
      missed.every((r) => (r.gapSeconds ?? 0) < 60),
      'each came seconds after the call before, well within the retention',
    );
    assert.equal(s.money.avoidable, 0, 'no miss of this session had a cause the user controls');
    assert.ok(s.money.providerSide > 0);
    assert.deepEqual(
      s.money.byReason.filter((r) => r.class === 'provider').map((r) => r.reason),
      ['rerouted'],
    );
    const drop = j!.requests.find((r) => r.actualCachedTokens! < 0.4 * r.predictedCachedTokens);
    assert.ok(drop, 'a call that read less than half of the prefix the call before left');
    assert.equal(drop.reason, 'rerouted');
    assert.match(drop.note ?? '', /reached a server that did not hold it/);
  });

  it("says so in words: the avoidable money, then the provider's apart, each reason with its class", async () => {
    const { text } = await replay(realFile(), false);
    assert.match(text, /avoidable misses \$0 →/);
    assert.match(
      text,
      /the provider's misses \(it evicted the unchanged prefix or routed the call elsewhere; not avoidable\) \$0\.\d+/,
    );
    assert.match(text, /rerouted: \d+ calls, \$0\.\d+ \(the provider's side\)/);
  });
});

describe('provider-side misses: evicted or rerouted, as OpenAI documents them', () => {
  const openai = { policy: 'openai', ttlSeconds: 600 };
  it('OpenAI, idle seconds: the request reached a server without the prefix (rerouted)', () => {
    const m = providerMiss({ ...openai, perMinute: 3, idleSeconds: 10 });
    assert.equal(m.reason, 'rerouted');
    assert.match(providerMissNote(m), /idle under the 5 minutes OpenAI keeps a prefix/);
  });
  it('OpenAI, more than ~15 requests a minute on the prefix: the documented overflow to other machines', () => {
    const m = providerMiss({ ...openai, perMinute: 22, idleSeconds: 600 });
    assert.equal(m.reason, 'rerouted');
    assert.match(providerMissNote(m), /22 requests on this prefix in the last minute: above ~15 a minute/);
  });
  it('OpenAI, idle 5 minutes or more within the assumed TTL: the in-memory retention ran out (evicted)', () => {
    assert.equal(providerMiss({ ...openai, perMinute: 1, idleSeconds: 420 }).reason, 'evicted');
    assert.equal(
      providerMiss({ policy: 'openai', ttlSeconds: 1800, perMinute: 1, idleSeconds: 420 }).reason,
      'rerouted',
      'a model keeping prefixes 30 minutes is not put down to eviction at 7',
    );
  });
  it('other providers document no routing: evicted', () => {
    assert.equal(
      providerMiss({ policy: 'anthropic', ttlSeconds: 300, perMinute: 1, idleSeconds: 30 }).reason,
      'evicted',
    );
  });
  it('each reason has one class; only causes the user controls are avoidable', () => {
    assert.deepEqual(
      Object.entries(MISS_CLASS)
        .filter(([, c]) => c === 'avoidable')
        .map(([r]) => r)
        .sort(),
      [
        'below-minimum',
        'breakpoint-limits',
        'instructions-changed',
        'model-switch',
        'prefix-changed',
        'tools-changed',
        'ttl-expired',
      ],
    );
    assert.equal(MISS_CLASS.evicted, 'provider');
    assert.equal(MISS_CLASS.rerouted, 'provider');
    assert.equal(MISS_CLASS.unexplained, 'provider');
  });
});

describe('an agent session whose hit rate falls from 97.6 % to 9.1 % ten seconds after the call before', () => {
  const file = path.join(dir, 'rollout-2026-11-30T09-00-00-drop.jsonl');
  before(() =>
    fs.writeFileSync(
      file,
      codexRollout([
        { at: 0, input: 12000, cached: 0 },
        { at: 20_000, input: 12800, cached: 12_492 }, // 97.6 %
        { at: 30_000, input: 13_200, cached: 1_201 }, // 9.1 %, 10 s later: nothing changed
        { at: 40_000, input: 6_000, cached: 1_024 }, // shorter than the call before: the history was rewritten
        { at: 40_000 + 8 * MIN, input: 6_500, cached: 0 }, // idle 8 minutes: OpenAI's retention ran out
        { at: 40_000 + 30 * MIN, input: 7_000, cached: 0 }, // past the TTL: the user's pause
      ]),
    ),
  );

  it("names each miss, and counts only the user's as avoidable", async () => {
    const { j } = await replay(file);
    assert.deepEqual(
      j!.requests.map((r) => r.reason),
      ['cold', 'cached', 'rerouted', 'compaction', 'evicted', 'ttl-expired'],
    );
    assert.match(j!.requests[3].note ?? '', /shrank from 13,200 to 6,000 tokens/);
    const m = j!.summary.money;
    const cost = (reason: string) => j!.requests.filter((r) => r.reason === reason).reduce((s, r) => s + r.missCost, 0);
    assert.ok(cost('rerouted') > 0 && cost('evicted') > 0 && cost('ttl-expired') > 0);
    assert.equal(m.avoidable, Math.round(cost('ttl-expired') * 1e6) / 1e6, 'only the expired TTL is avoidable');
    assert.equal(m.providerSide, Math.round((cost('rerouted') + cost('evicted')) * 1e6) / 1e6);
    assert.deepEqual(m.byReason.map((r) => [r.reason, r.class]).sort(), [
      ['cold', 'start'],
      ['compaction', 'start'],
      ['evicted', 'provider'],
      ['rerouted', 'provider'],
      ['ttl-expired', 'avoidable'],
    ]);
  });
});

describe('a usage log: a predicted hit the provider did not report is its miss, not an avoidable one', () => {
  it('rerouted, priced apart from the avoidable misses', () => {
    const r = new Replayer({
      catalog: loadCatalog(),
      fallbackModel: 'gpt-4.1',
      tokenizerFor: (m) => tokenizerForModel(m).tokenizer,
    });
    const first = r.feed(openAiLine(T0, SYSTEM, 'Where is my invoice?', { prompt: 1500, cached: 0 }), 0)!;
    const missed = r.feed(openAiLine(T0 + MIN, SYSTEM, 'Where is my invoice?', { prompt: 1500, cached: 0 }), 1)!;
    assert.equal(first.reason, 'cold');
    assert.equal(missed.reason, 'rerouted');
    assert.ok(missed.missCost > 0);
    const s = r.summary();
    assert.equal(s.money.avoidable, 0);
    assert.equal(s.money.providerSide, Math.round(missed.missCost * 1e6) / 1e6);
  });
});
