import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { closeAll, kvlens, open, waitFor } from './helpers';

/**
 * "KV Lens: Count Tokens Exactly" in a real VS Code: the key from SecretStorage, the request to Anthropic's
 * count_tokens as documented (here a server on 127.0.0.1, named by ANTHROPIC_BASE_URL as the SDKs take it), the answer
 * in the status bar's hover; nothing is sent before the command.
 */
describe('KV Lens: Count Tokens Exactly (provider endpoint, opt-in)', () => {
  const seen: { url?: string; key?: string | string[]; body: Record<string, unknown> }[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      seen.push({
        url: req.url,
        key: req.headers['x-api-key'],
        body: JSON.parse(raw || '{}') as Record<string, unknown>,
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ input_tokens: 1777 }));
    });
  });
  const saved = process.env.ANTHROPIC_BASE_URL;

  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    process.env.ANTHROPIC_BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    if (saved === undefined) delete process.env.ANTHROPIC_BASE_URL;
    else process.env.ANTHROPIC_BASE_URL = saved;
    await vscode.commands.executeCommand('kvlens.forgetApiKeys');
    server.closeAllConnections();
    server.close();
    await closeAll();
  });

  it('counts the open Anthropic request with the stored key, once per content, and shows it as exact (count_tokens)', async () => {
    const api = await kvlens();
    await open('requests/anthropic-messages.json');
    await waitFor(
      () => api.statusText() ?? '',
      (t) => /cached/.test(t),
    );
    assert.equal(seen.length, 0, 'nothing is sent before the command');
    assert.match(api.statusTooltip() ?? '', /Count exactly/);
    assert.equal(await vscode.commands.executeCommand('kvlens.setApiKey', 'anthropic', 'sk-ant-e2e'), true);
    const r = await vscode.commands.executeCommand<{ ok: boolean; tokens?: number; endpointName?: string }>(
      'kvlens.countExactly',
    );
    assert.deepEqual([r?.ok, r?.tokens, r?.endpointName], [true, 1777, 'count_tokens']);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].url, '/v1/messages/count_tokens');
    assert.equal(seen[0].key, 'sk-ant-e2e');
    assert.ok(Array.isArray(seen[0].body.messages) && typeof seen[0].body.model === 'string');
    assert.equal(seen[0].body.max_tokens, undefined, 'only the fields count_tokens takes');
    const tip = await waitFor(
      () => api.statusTooltip() ?? '',
      (t) => /exact \(count_tokens\)/.test(t),
    );
    assert.match(tip, /Provider's own count: \*\*1,777\*\* input tokens — exact \(count_tokens\)/);
    await vscode.commands.executeCommand('kvlens.countExactly');
    assert.equal(seen.length, 1, 'the same content is not sent twice');
  });
});
