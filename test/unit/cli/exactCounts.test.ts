import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli/main';
import { CountClient } from '../../../src/core/exactCount/countClient';
import { buildCountRequest } from '../../../src/core/exactCount/countRequest';

function capture() {
  const out: string[] = [],
    err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

interface Seen {
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/**
 * A server on 127.0.0.1 that speaks the three documented counting endpoints: the request shapes, the answers, and the
 * errors (a refused key, a rate limit with retry-after, an answer that never comes).
 */
function countServer(mode: { current: 'ok' | 'refuse' | 'limit' | 'hang' | 'garbage' }) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      seen.push({ url: req.url ?? '', headers: req.headers, body });
      const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(data));
      };
      if (mode.current === 'hang') return; // never answers
      if (mode.current === 'garbage') return send(200, { nothing: 'here' });
      if (mode.current === 'refuse')
        return send(401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
      if (mode.current === 'limit')
        return send(
          429,
          { error: { message: 'Rate limit reached', type: 'rate_limit_error' } },
          { 'retry-after': '7' },
        );
      if (req.url === '/v1/messages/count_tokens') return send(200, { input_tokens: 1234 });
      if (req.url?.startsWith('/v1beta/models/') && req.url.endsWith(':countTokens'))
        return send(200, { totalTokens: 321, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 321 }] });
      if (req.url === '/v1/responses/input_tokens')
        return send(200, { object: 'response.input_tokens', input_tokens: 42 });
      send(404, { error: { message: `no route ${req.url}` } });
    });
  });
  // The CLI under test runs in this process and tokenizes synchronously while its request is in flight (Gemini's
  // vocabulary takes seconds on a busy machine): the server's idle timer for a kept-alive socket (5 s) would fire
  // after that pause, before the waiting request is read, and close the socket under it ("fetch failed"). A real
  // server is in another process; this one keeps idle sockets open until after() closes them.
  server.keepAliveTimeout = 0;
  return { server, seen };
}

describe("exact counts from the providers' counting endpoints (opt-in), against a local server", () => {
  const mode: { current: 'ok' | 'refuse' | 'limit' | 'hang' | 'garbage' } = { current: 'ok' };
  const { server, seen } = countServer(mode);
  let base = '';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-exact-'));
  const saved = { ...process.env };
  const anthropic = path.join(dir, 'claude.json');
  fs.writeFileSync(
    anthropic,
    JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      stream: false,
      system: 'Be brief.',
      tools: [
        {
          name: 'get_weather',
          description: 'Weather',
          input_schema: { type: 'object', properties: { city: { type: 'string' } } },
        },
      ],
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    }),
  );
  const gemini = path.join(dir, 'gemini.json');
  fs.writeFileSync(
    gemini,
    JSON.stringify({
      model: 'gemini-2.5-flash',
      contents: [{ role: 'user', parts: [{ text: 'Hello' }] }],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      safetySettings: [],
    }),
  );
  const responses = path.join(dir, 'responses.json');
  fs.writeFileSync(
    responses,
    JSON.stringify({ model: 'gpt-5', instructions: 'Be brief.', input: 'Hello', store: false, stream: true }),
  );
  const chat = path.join(dir, 'chat.json');
  fs.writeFileSync(chat, JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello' }] }));

  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
    process.env = saved;
  });
  beforeEach(() => {
    mode.current = 'ok';
    seen.length = 0;
    process.env = {
      ...saved,
      ANTHROPIC_BASE_URL: base,
      GOOGLE_GEMINI_BASE_URL: base,
      OPENAI_BASE_URL: `${base}/v1`,
      ANTHROPIC_API_KEY: 'sk-ant-test',
      GEMINI_API_KEY: 'g-test',
      OPENAI_API_KEY: 'sk-test',
      // Generous: the CLI tokenizes while the count is in flight (Gemini's vocabulary takes seconds on a busy
      // machine), and a timer that fires first would fail an answer that came. Only the hang test waits for it.
      KVLENS_EXACT_TIMEOUT_MS: '60000',
    };
    delete process.env.KVLENS_EXACT;
  });

  it('sends nothing without --exact or KVLENS_EXACT=1', async () => {
    const c = capture();
    assert.equal(await main(['tokens', anthropic, '--json'], c.io), 0);
    assert.equal(seen.length, 0);
    const j = JSON.parse(c.out.join(''));
    assert.equal(j.exact, false);
    assert.equal(j.counted, 'estimate');
    assert.equal(j.prompts[0].providerCount, null);
  });

  it('Anthropic: POST /v1/messages/count_tokens with x-api-key and anthropic-version, only the fields it takes; "exact (count_tokens)"', async () => {
    const c = capture();
    assert.equal(await main(['tokens', anthropic, '--exact', '--json'], c.io), 0);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].url, '/v1/messages/count_tokens');
    assert.equal(seen[0].headers['x-api-key'], 'sk-ant-test');
    assert.equal(seen[0].headers['anthropic-version'], '2023-06-01');
    assert.deepEqual(Object.keys(seen[0].body).sort(), ['messages', 'model', 'system', 'tools']);
    const j = JSON.parse(c.out.join(''));
    assert.equal(j.exact, true);
    assert.equal(j.counted, 'exact (count_tokens)');
    assert.deepEqual(j.prompts[0].providerCount, { endpoint: 'count_tokens', tokens: 1234 });
  });

  it('Gemini: POST /v1beta/models/{model}:countTokens with x-goog-api-key and a generateContentRequest', async () => {
    const c = capture();
    assert.equal(await main(['tokens', gemini, '--exact', '--json'], c.io), 0);
    assert.equal(seen[0].url, '/v1beta/models/gemini-2.5-flash:countTokens');
    assert.equal(seen[0].headers['x-goog-api-key'], 'g-test');
    const req = seen[0].body.generateContentRequest as Record<string, unknown>;
    assert.equal(req.model, 'models/gemini-2.5-flash');
    assert.deepEqual(Object.keys(req).sort(), ['contents', 'model', 'systemInstruction']);
    assert.equal(JSON.parse(c.out.join('')).prompts[0].providerCount.tokens, 321);
  });

  it('OpenAI: a Responses body goes to /v1/responses/input_tokens with a bearer key (KVLENS_EXACT=1); a Chat Completions body is not sent', async () => {
    process.env.KVLENS_EXACT = '1';
    const c = capture();
    assert.equal(await main(['tokens', responses, '--json'], c.io), 0);
    assert.equal(seen[0].url, '/v1/responses/input_tokens');
    assert.equal(seen[0].headers.authorization, 'Bearer sk-test');
    assert.deepEqual(Object.keys(seen[0].body).sort(), ['input', 'instructions', 'model']);
    assert.equal(JSON.parse(c.out.join('')).prompts[0].providerCount.tokens, 42);
    const d = capture();
    assert.equal(await main(['tokens', chat, '--json'], d.io), 1);
    assert.equal(seen.length, 1);
    assert.match(d.err.join('\n'), /counts Responses requests only/);
    // KV Lens's own count of a text-only Chat Completions body is exact, and says so.
    assert.equal(JSON.parse(d.out.join('')).exact, true);
  });

  it('a missing key is one line naming the variable; nothing is sent', async () => {
    delete process.env.ANTHROPIC_API_KEY;
    const c = capture();
    assert.equal(await main(['tokens', anthropic, '--exact'], c.io), 2);
    assert.equal(seen.length, 0);
    assert.equal(c.err.length, 1);
    assert.match(c.err[0], /claude\.json: --exact needs ANTHROPIC_API_KEY/);
  });

  for (const [m, needle] of [
    ['refuse', /anthropic refused the API key \(401\): invalid x-api-key/],
    ['limit', /rate-limited the count \(429\); retry after 7 s/],
    ['hang', /did not answer within 1 s/],
    ['garbage', /answered without a token count/],
  ] as const) {
    it(`${m}: the estimate is still printed, the failure is one line on stderr, exit 1`, async () => {
      mode.current = m;
      if (m === 'hang') process.env.KVLENS_EXACT_TIMEOUT_MS = '800';
      const c = capture();
      assert.equal(await main(['tokens', anthropic, '--exact'], c.io), 1);
      assert.match(c.err.join('\n'), needle);
      assert.match(c.out.join('\n'), /total \d+ tokens/);
      assert.doesNotMatch(c.out.join('\n'), /exact \(count_tokens\)/);
    });
  }

  it('remembers answers per request content: the same prompt twice is one call', async () => {
    const client = new CountClient({ fetch: globalThis.fetch, timeoutMs: 60_000 });
    const req = buildCountRequest('anthropic', 'claude-sonnet-4-5', 'text', 'Hello', base);
    assert.ok(typeof req !== 'string');
    const a = await client.count(req, 'k');
    const b = await client.count(req, 'k');
    assert.deepEqual([a.ok && a.cached, b.ok && b.cached], [false, true]);
    assert.equal(seen.length, 1);
    const other = buildCountRequest('anthropic', 'claude-sonnet-4-5', 'text', 'Hello!', base);
    await client.count(other as Exclude<typeof other, string>, 'k');
    assert.equal(seen.length, 2);
  });
});
