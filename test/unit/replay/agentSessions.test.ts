import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli/main';
import {
  claudeMd,
  claudeSession,
  codexCompacted,
  codexModel,
  codexRollout,
  compactBoundary,
  MIN,
  toolsDelta,
} from './agentFixtures';

function capture() {
  const out: string[] = [],
    err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}
async function replay(file: string, ...extra: string[]) {
  const c = capture();
  const code = await main(['replay', file, ...extra, '--json'], c.io);
  assert.equal(code, 0, c.err.join('\n'));
  return JSON.parse(c.out.join('')) as {
    format?: string;
    requests: {
      index: number;
      reason: string;
      verdict: string;
      predictedCachedTokens: number;
      actualCachedTokens: number;
      divergence: { block: string; line: number } | null;
      chain?: string;
      providerReason?: string;
      providerAgrees?: boolean;
      note?: string;
      file?: string;
    }[];
    summary: {
      requests: number;
      matched: number;
      mismatched: number;
      unverified: number;
      hitRate: { predicted: number; actual: number | null };
      money: { actual: number; avoidable: number };
      chains?: number;
      inferred?: { fixedPrefixTokens: number | null; note: string };
      providerReasons?: { compared: number; agreed: number };
      problems: { line: number; message: string }[];
      notPredicted?: number;
    };
  };
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-agents-'));
const r3 = (x: number) => Math.round(x * 1000) / 1000;

describe('Claude Code transcripts: model calls, not lines; every miss with its reason', () => {
  const F = 18000;
  const { text, usages } = claudeSession([
    { at: 0, read: F, write: 2000, before: [claudeMd('# Shop\nUse pnpm.')] },
    { at: 1 * MIN, read: 20004, write: 300 },
    { at: 9 * MIN, read: 0, write: 20504 },
    { at: 10 * MIN, read: 20508, write: 200 },
    {
      at: 11 * MIN,
      read: F,
      write: 2912,
      before: [claudeMd('# Shop\nUse npm, never pnpm.')],
      diagnostics: 'system_changed',
    },
    { at: 12 * MIN, read: F, write: 3000, before: [compactBoundary()] },
    { at: 13 * MIN, read: 0, write: 21000, model: 'claude-opus-5-5' },
    { at: 14 * MIN, read: 21004, write: 500, model: 'claude-opus-5-5', ttl1h: true },
    { at: 34 * MIN, read: 21508, write: 200, model: 'claude-opus-5-5' },
    {
      at: 35 * MIN,
      read: F,
      write: 3900,
      model: 'claude-opus-5-5',
      before: [toolsDelta()],
      diagnostics: 'tools_changed',
    },
  ]);
  const sub = claudeSession(
    [
      { at: 2 * MIN, read: 0, write: 5000 },
      { at: 3 * MIN, read: 5004, write: 100 },
    ],
    { sidechain: 'a1b2c3' },
  );
  const session = path.join(dir, '5c21b0c5-8113-4f55-9493-fa156c3fa369.jsonl');
  before(() => {
    fs.writeFileSync(session, text);
    fs.mkdirSync(path.join(dir, '5c21b0c5-8113-4f55-9493-fa156c3fa369', 'subagents'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, '5c21b0c5-8113-4f55-9493-fa156c3fa369', 'subagents', 'agent-a1b2c3.jsonl'),
      sub.text,
    );
  });

  it("counts one request per API response and the hit rate the file's own usage records give", async () => {
    const j = await replay(session);
    assert.equal(j.format, 'claude-code');
    const all = [...usages, ...sub.usages];
    assert.equal(
      j.summary.requests,
      all.length,
      'model calls, not lines (each call is 2 lines here, plus users and attachments)',
    );
    const read = all.reduce((s, u) => s + u.cache_read_input_tokens, 0);
    const input = all.reduce(
      (s, u) => s + u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens,
      0,
    );
    assert.equal(j.summary.hitRate.actual, r3(read / input));
    assert.equal(j.summary.chains, 2, 'the conversation and one sub-agent: separate caches');
    assert.equal(j.summary.inferred?.fixedPrefixTokens, F);
    assert.match(j.summary.inferred!.note, /inferred from the first call's cache read/);
  });

  it('explains each miss from what the transcript shows happened between the calls', async () => {
    const j = await replay(session);
    const main = j.requests.filter((r) => r.chain === 'main');
    assert.deepEqual(
      main.map((r) => r.reason),
      [
        'cached',
        'cached',
        'ttl-expired',
        'cached',
        'instructions-changed',
        'compaction',
        'model-switch',
        'cached',
        'cached',
        'tools-changed',
      ],
    );
    assert.equal(main[0].verdict, 'unverified', 'the first call reads what other sessions left: not judged');
    assert.deepEqual(
      main.slice(1).map((r) => r.verdict),
      ['match', 'match', 'match', 'mismatch', 'match', 'match', 'match', 'match', 'mismatch'],
    );
    assert.deepEqual(
      main[4].divergence,
      { block: '/home/dev/shop/CLAUDE.md', line: 2, column: 1 },
      'the CLAUDE.md line that changed',
    );
    assert.equal(main[4].providerReason, 'system_changed');
    assert.equal(main[4].providerAgrees, true);
    assert.equal(main[8].verdict, 'match', 'a 1-hour write keeps the cache through a 20-minute pause');
    assert.equal(j.summary.providerReasons?.compared, 2);
    assert.equal(j.summary.providerReasons?.agreed, 2);
    const subs = j.requests.filter((r) => r.chain !== 'main');
    assert.deepEqual(
      subs.map((r) => [r.chain, r.reason]),
      [
        ['subagent:a1b2c3', 'cold'],
        ['subagent:a1b2c3', 'cached'],
      ],
    );
    assert.ok(j.summary.money.avoidable > 0 && j.summary.money.avoidable < j.summary.money.actual);
  });

  it('prints the same in words, with the file and line of each miss', async () => {
    const c = capture();
    assert.equal(await main(['replay', session], c.io), 0, c.err.join(''));
    const out = c.out.join('\n');
    assert.match(out, /Claude Code session, 12 model calls on 2 caches/);
    assert.match(out, /instructions-changed — \/home\/dev\/shop\/CLAUDE\.md:2 changed/);
    assert.match(out, /the provider's own reasons agree with KV Lens's on 2 of 2 misses/);
  });

  it('a 100 MB transcript streams in flat memory; a broken line is skipped and counted', async () => {
    const big = path.join(dir, 'big.jsonl');
    const pad = JSON.stringify({
      type: 'user',
      sessionId: 's',
      uuid: 'x',
      parentUuid: null,
      timestamp: '2026-11-30T09:00:00Z',
      message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'x'.repeat(64 * 1024) }] },
    });
    const fd = fs.openSync(big, 'w');
    fs.writeSync(fd, text.split('\n').slice(0, 4).join('\n') + '\n{"type": "user", "broken\n');
    for (let i = 0; i < 1600; i++) fs.writeSync(fd, pad + '\n');
    fs.writeSync(fd, text.split('\n').slice(4).join('\n'));
    fs.closeSync(fd);
    assert.ok(fs.statSync(big).size > 100 << 20);
    const before = process.memoryUsage().rss;
    const j = await replay(big);
    assert.equal(j.summary.requests, usages.length);
    assert.ok(j.summary.problems.some((p) => /1 line is not JSON: skipped/.test(p.message)));
    assert.ok(
      process.memoryUsage().rss - before < 200 << 20,
      `memory grew by ${Math.round((process.memoryUsage().rss - before) / (1 << 20))} MB`,
    );
  });
});

describe('Codex CLI rollouts: one request per token_count, reasons reported, not assumed', () => {
  const file = path.join(dir, 'rollout-2026-11-30T09-00-00-019a9776.jsonl');
  before(() =>
    fs.writeFileSync(
      file,
      codexRollout([
        { at: 0, input: 12000, cached: 0 },
        { at: 30_000, input: 12800, cached: 11904, duplicate: true },
        { at: 40_000, input: 13500, cached: 0 },
        { at: 40_000 + 66 * MIN, input: 14000, cached: 13440 },
        { at: 41_000 + 66 * MIN, input: 14500, cached: 0, before: [codexModel(40_500 + 66 * MIN, 'gpt-6.2-sol')] },
        { at: 42_000 + 66 * MIN, input: 6000, cached: 0, before: [codexCompacted(41_500 + 66 * MIN)] },
      ]),
    ),
  );

  it("reads each call's usage once (a repeated event is not a call) and judges it against the one before", async () => {
    const j = await replay(file);
    assert.equal(j.format, 'codex');
    assert.equal(j.summary.requests, 6);
    assert.equal(j.summary.hitRate.actual, r3((11904 + 13440) / (12000 + 12800 + 13500 + 14000 + 14500 + 6000)));
    assert.deepEqual(
      j.requests.map((r) => r.reason),
      ['cold', 'cached', 'rerouted', 'cached', 'model-switch', 'compaction'],
    );
    assert.match(j.requests[2].note!, /10 s after the previous call/, 'lost after 10 s: reported with its gap');
    assert.match(
      j.requests[2].note!,
      /reached a server that did not hold it/,
      "lost 10 s after it was written: the provider's routing, not an eviction (issue 25)",
    );
    assert.match(
      j.requests[3].note!,
      /kept its cache after 3960 s/,
      'kept after 66 minutes: reported, not assumed away',
    );
    assert.equal(j.requests[1].verdict, 'match');
  });
});

describe('batch results and usage-only logs: the bill and the hit rate, "nothing to predict" said once', () => {
  it('an OpenAI Batch output alone and Anthropic batch results count every billed request', async () => {
    const openai = path.join(dir, 'batch_output.jsonl');
    const rows = [
      [5000, 4864],
      [5200, 4864],
      [5100, 0],
    ];
    fs.writeFileSync(
      openai,
      rows
        .map(([p, c], i) =>
          JSON.stringify({
            id: `batch_req_${i}`,
            custom_id: `r${i}`,
            response: {
              status_code: 200,
              request_id: `req_${i}`,
              body: {
                id: `chatcmpl-${i}`,
                object: 'chat.completion',
                created: 1764496800 + i,
                model: 'gpt-4.1-2025-04-14',
                usage: {
                  prompt_tokens: p,
                  completion_tokens: 100,
                  total_tokens: p + 100,
                  prompt_tokens_details: { cached_tokens: c },
                },
              },
            },
            error: null,
          }),
        )
        .join('\n') + '\n',
    );
    const o = await replay(openai);
    assert.equal(o.summary.requests, 3);
    assert.equal(o.summary.hitRate.actual, r3((4864 * 2) / (5000 + 5200 + 5100)));
    assert.equal(
      o.summary.problems.filter((p) => /nothing to predict/.test(p.message)).length,
      1,
      'said once, not per line',
    );
    assert.ok(o.requests.every((r) => r.reason === 'not-predicted'));
    assert.ok(o.summary.money.actual > 0);

    const anthropic = path.join(dir, 'msgbatch_results.jsonl');
    fs.writeFileSync(
      anthropic,
      [
        JSON.stringify({
          custom_id: 'a',
          result: {
            type: 'succeeded',
            message: {
              id: 'msg_1',
              type: 'message',
              role: 'assistant',
              model: 'claude-sonnet-5-5',
              content: [{ type: 'text', text: 'ok' }],
              usage: {
                input_tokens: 10,
                cache_read_input_tokens: 9000,
                cache_creation_input_tokens: 0,
                output_tokens: 50,
              },
            },
          },
        }),
        JSON.stringify({
          custom_id: 'b',
          result: {
            type: 'succeeded',
            message: {
              id: 'msg_2',
              type: 'message',
              role: 'assistant',
              model: 'claude-sonnet-5-5',
              content: [{ type: 'text', text: 'ok' }],
              usage: {
                input_tokens: 12,
                cache_read_input_tokens: 0,
                cache_creation_input_tokens: 9000,
                output_tokens: 40,
              },
            },
          },
        }),
        JSON.stringify({
          custom_id: 'c',
          result: {
            type: 'errored',
            error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
          },
        }),
      ].join('\n') + '\n',
    );
    const a = await replay(anthropic);
    assert.equal(a.summary.requests, 2, 'the errored request was not billed');
    assert.equal(a.summary.hitRate.actual, r3(9000 / (9010 + 9012)));
  });
});

describe("the providers' own miss reasons in a request log, beside KV Lens's", () => {
  it('Anthropic cache diagnostics on a changed system prompt agree with "prefix-changed"; the summary counts them', async () => {
    const rules = Array.from(
      { length: 300 },
      (_, i) => `Rule ${i + 1}: answer the customer politely and cite the policy.`,
    ).join('\n');
    const body = (system: string) => ({
      model: 'claude-sonnet-5-5',
      max_tokens: 512,
      system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'Where is my order?' }],
    });
    const log = path.join(dir, 'anthropic-diagnostics.jsonl');
    fs.writeFileSync(
      log,
      [
        JSON.stringify({
          timestamp: '2026-11-30T09:00:00Z',
          request: body(rules),
          response: {
            id: 'msg_1',
            usage: {
              input_tokens: 12,
              cache_read_input_tokens: 0,
              cache_creation_input_tokens: 5000,
              output_tokens: 40,
            },
          },
        }),
        JSON.stringify({
          timestamp: '2026-11-30T09:01:00Z',
          request: body(rules.replace('Rule 2:', 'Today is Monday.\nRule 2:')),
          response: {
            id: 'msg_2',
            diagnostics: { cache_miss_reason: { type: 'system_changed' } },
            usage: {
              input_tokens: 12,
              cache_read_input_tokens: 0,
              cache_creation_input_tokens: 5010,
              output_tokens: 40,
            },
          },
        }),
      ].join('\n') + '\n',
    );
    const j = await replay(log);
    assert.equal(j.requests[1].reason, 'prefix-changed');
    assert.equal(j.requests[1].providerReason, 'system_changed');
    assert.equal(j.requests[1].providerAgrees, true);
    assert.deepEqual((j.summary as unknown as { providerReasons: object }).providerReasons, {
      compared: 1,
      agreed: 1,
      agreement: 1,
    });
  });
});
