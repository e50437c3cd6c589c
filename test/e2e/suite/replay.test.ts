import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ReplayReportState } from '../../../src/protocol';
import { cli } from './cli';
import { closeAll, open } from './helpers';

const LOG = 'logs/support-usage.jsonl';

describe('KV Lens: Replay Usage Log', () => {
  after(closeAll);

  it('replays the open log with the same verdicts and reasons as `kvlens replay --json`, without prompt text', async () => {
    const editor = await open(LOG);
    const st = await vscode.commands.executeCommand<ReplayReportState>('kvlens.replayLog');
    assert.ok(st, 'a report');
    const c = (await cli(['replay', editor.document.uri.fsPath, '--json'])) as {
      requests: {
        index: number;
        verdict: string;
        reason: string;
        predictedCachedTokens: number;
        actualCachedTokens: number;
      }[];
      summary: { requests: number; matched: number; hitRate: { predicted: number; actual: number } };
    };
    assert.equal(st.summary.requests, c.summary.requests);
    assert.equal(st.summary.matched, c.summary.matched);
    assert.deepEqual(st.summary.hitRate, c.summary.hitRate);
    assert.deepEqual(
      st.requests.map((r) => [r.index, r.verdict, r.reason]),
      c.requests.map((r) => [r.index, r.verdict, r.reason]),
    );
    assert.deepEqual(
      st.requests.map((r) => r.reason),
      ['cold', 'cached', 'cached', 'ttl-expired', 'prefix-changed', 'cached', 'rerouted', 'cached'],
    );
    assert.ok(!JSON.stringify(st).includes('Lumen Analytics'), 'the report holds no prompt text');
    // The log itself is a multi-request prompt file, not a broken request body.
    const errors = vscode.languages
      .getDiagnostics(editor.document.uri)
      .filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(
      errors.map((d) => d.message),
      [],
    );
  });
});
