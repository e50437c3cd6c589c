import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import * as vscode from 'vscode';
import { demoWeights } from '../../../src/core/attention/demoWeights';
import { buildGpt2Onnx } from '../../../src/core/attention/onnxBuild';
import { getTokenizer } from '../../../src/core/tokenizer/registry';
import type { AttentionStartup, AttentionStatus } from '../../../src/protocol';
import { closeAll, currentReport, open, waitFor, workspaceFile } from './helpers';

const status = (want?: {
  tokens?: number;
  reused?: number;
  model?: string;
  boundary?: boolean;
  verified?: boolean;
  kind?: AttentionStartup['kind'];
}) => vscode.commands.executeCommand<AttentionStatus | undefined>('kvlens.attentionStatus', want);

/** The first heat map's breakdown on one line (reported, not asserted as timing: the machine may be busy). */
const startupLine = (s: AttentionStartup) =>
  `${Math.round(s.totalMs)} ms from the command (${s.backend}, ${s.firstTokens} tokens first): ${Object.entries(s)
    .filter(([k, v]) => k.endsWith('Ms') && k !== 'totalMs' && typeof v === 'number')
    .map(([k, v]) => `${k} ${Math.round(v as number)}`)
    .join(
      ', ',
    )}; ${s.rowsKept ? 'rows an earlier panel kept for these tokens' : `runtime ${s.wasmCached ? 'from the panel cache' : 'fetched'}, model ${s.modelCached ? 'from the panel cache' : s.modelBuilt ? 'built from its seed' : 'fetched'}`}`;

describe('KV Lens: Show Attention (the attention panel)', function () {
  this.timeout(120000);
  let server: http.Server | undefined;
  after(async () => {
    server?.closeAllConnections();
    server?.close();
    const c = vscode.workspace.getConfiguration('kvlens.attention');
    for (const k of ['hubUrl', 'huggingFaceRepo', 'huggingFaceFile'])
      await c.update(k, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('kvlens.chooseAttentionModel', { kind: 'demo' });
    await closeAll();
  });

  it("runs the demo model on the prompt, then after an edit reuses the cached prefix and computes only the rest, with the full run's result", async () => {
    // The sample prompt for DeepSeek, which caches in 64-token units with no 1,024-token minimum, so that its cached
    // prefix ends inside the 1,024 tokens GPT-2 sees; recorded as sent, so that an edit breaks the cache where it is.
    const sample = fs.readFileSync(workspaceFile('prompts/support-agent.prompt.md').fsPath, 'utf8');
    fs.writeFileSync(
      workspaceFile('prompts/attention.prompt.md').fsPath,
      sample.replace("model: 'gpt-4.1'", "model: 'deepseek-flash'"),
    );
    const editor = await open('prompts/attention.prompt.md');
    assert.equal(await vscode.commands.executeCommand('kvlens.recordAsSent'), true);
    await vscode.commands.executeCommand('kvlens.chooseAttentionModel', { kind: 'demo' });
    await vscode.commands.executeCommand('kvlens.showAttention');
    const r50k = getTokenizer('r50k_base')!;
    // GPT-2 is fed what the request sends: the prompt after its front matter (where the report's first block starts).
    const start = (await currentReport()).ranges.cached[0]?.[0] ?? 0;
    assert.ok(start > 0 && editor.document.getText().startsWith('---'), `the body starts at ${start}`);
    const body = (t: string) => t.slice(start);
    const tokens = Math.min(1024, r50k.count(body(editor.document.getText())));
    const first = await status({ tokens, model: 'demo' });
    assert.ok(first, 'the panel reported a run');
    assert.ok(['wasm', 'webgpu'].includes(first.backend), first.backend);
    console.log(
      `      attention panel in code-server: backend ${first.backend}${first.fallback ? ` (${first.fallback})` : ''}, ${first.tokens} tokens, ${first.ms.toFixed(1)} ms`,
    );
    assert.ok(first.startup, 'the first run carries the breakdown of the first heat map');
    assert.equal(first.startup.kind, 'cold');
    console.log(`      first heat map (cold): ${startupLine(first.startup)}`);
    // Closed and opened again in the same window: the runtime and the model come from the panel's own cache.
    await vscode.window.showTextDocument(editor.document, vscode.ViewColumn.One);
    await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
    await vscode.commands.executeCommand('kvlens.showAttention');
    const again = await status({ tokens, model: 'demo', kind: 'reopen' });
    assert.equal(again?.startup?.kind, 'reopen', JSON.stringify(again?.startup));
    console.log(`      first heat map (reopen): ${startupLine(again!.startup!)}`);
    // Back in the editor: change line 46 (about 700 of GPT-2's tokens in); the panel reuses what comes before.
    await vscode.window.showTextDocument(editor.document);
    const doc = editor.document,
      line = 45;
    assert.ok(await editor.edit((e) => e.insert(doc.lineAt(line).range.end, ' Always be kind.')));
    // Each text tokenized once (not once per token: that held this host for seconds, the panel's messages behind it).
    const was = r50k.tokenize(body(doc.getText().replace(' Always be kind.', ''))).ids;
    const changedAt = r50k.tokenize(body(doc.getText())).ids.findIndex((id, i) => id !== was[i]);
    const report = await waitFor(
      () => currentReport(),
      (r) => r.firstDivergence !== null,
      20000,
    );
    assert.ok(report.firstDivergence, `the edit breaks the cache against ${report.baseline.label}`);
    const after = await status({
      reused: Math.min(changedAt, 1024) - 2,
      model: 'demo',
      boundary: true,
      verified: true,
    });
    assert.ok(after && after.reused > 0 && after.reused >= Math.min(changedAt, 1023) - 2, JSON.stringify(after));
    assert.ok(
      after.reused <= changedAt,
      `reused ${after.reused} of the body's ${changedAt} unchanged tokens: the front matter is not fed to the model`,
    );
    assert.ok(after.computed < after.tokens / 2, `computed ${after.computed} of ${after.tokens}`);
    assert.ok(after.maxAbsDiffLogits !== null && after.maxAbsDiffLogits <= 1e-4, `logits Δ ${after.maxAbsDiffLogits}`);
    assert.ok(
      after.maxAbsDiffAttention !== null && after.maxAbsDiffAttention <= 1e-5,
      `attention Δ ${after.maxAbsDiffAttention}`,
    );
    assert.ok(
      after.prefixShare !== null && after.prefixShare > 0 && after.prefixShare <= 1,
      `the editor's cache boundary is on the map: ${JSON.stringify(after)} ${JSON.stringify(report.ranges.cached.slice(-2))} ${JSON.stringify(report.firstDivergence)}`,
    );
    console.log(
      `      after an edit: reused ${after.reused}, computed ${after.computed} in ${after.ms.toFixed(1)} ms; a full run ${after.fullMs?.toFixed(1)} ms; prefix share ${after.prefixShare.toFixed(3)}`,
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('kvlens.forgetRecordedSends');
  });

  it('downloads GPT-2 from the hub (a server on 127.0.0.1) once, checked by sha256, adapts it (no attention outputs) and runs it', async () => {
    const body = Buffer.from(buildGpt2Onnx(demoWeights(), { attentionOutputs: false, nextLogits: false }));
    const sha = createHash('sha256').update(body).digest('hex');
    const hits: string[] = [];
    server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      const good = req.url === '/kvlens-test/gpt2/resolve/main/onnx/decoder_with_past_model.onnx';
      const bad = req.url === '/kvlens-test/gpt2/resolve/main/onnx/corrupt.onnx';
      if (!good && !bad) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'content-length': String(body.length),
        'x-linked-size': String(body.length),
        'x-linked-etag': `"${good ? sha : 'f'.repeat(64)}"`,
      });
      res.end(body);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const c = vscode.workspace.getConfiguration('kvlens.attention');
    await c.update(
      'hubUrl',
      `http://127.0.0.1:${(server.address() as { port: number }).port}`,
      vscode.ConfigurationTarget.Global,
    );
    await c.update('huggingFaceRepo', 'kvlens-test/gpt2', vscode.ConfigurationTarget.Global);
    await open('prompts/support-agent.prompt.md');
    assert.equal(
      await vscode.commands.executeCommand('kvlens.chooseAttentionModel', { kind: 'hub' }),
      'hub:kvlens-test/gpt2/onnx/decoder_with_past_model.onnx@main',
    );
    const s = await status({ model: 'hub:' });
    assert.ok(s?.model.startsWith('hub:kvlens-test/gpt2'), JSON.stringify(s));
    assert.ok(s!.tokens > 100);
    assert.equal(hits.length, 1);
    // Chosen again: the checked file in global storage is used, not fetched again.
    await vscode.commands.executeCommand('kvlens.chooseAttentionModel', { kind: 'demo' });
    assert.equal(
      await vscode.commands.executeCommand('kvlens.chooseAttentionModel', { kind: 'hub' }),
      'hub:kvlens-test/gpt2/onnx/decoder_with_past_model.onnx@main',
    );
    assert.equal(hits.length, 1, 'reused from global storage');
    // A file whose checksum does not match is discarded; the panel goes back to the demo model and says why.
    await c.update('huggingFaceFile', 'onnx/corrupt.onnx', vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand('kvlens.chooseAttentionModel', { kind: 'hub' }), 'demo');
  });
});
