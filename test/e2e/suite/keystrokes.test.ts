import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { cli, comparable } from './cli';
import { closeAll, currentReport, kvlens, waitFor, workspaceFile } from './helpers';

interface Timings {
  readonly analysisMs: number[];
  readonly keystrokes: { ms: number; path: 'live' | 'full'; chars: number }[];
  readonly paths: { live: number; full: number; declined: Record<string, number> };
}

const q = (a: number[], p: number) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? Number(s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(2)) : NaN;
};

describe('Typing in a big prompt (the live path in the extension host)', () => {
  before(kvlens);
  afterEach(closeAll);

  it('follows 60 keystrokes in a 1 MB Markdown prompt without analyzing the whole text again, and ends where `kvlens analyze` does', async function () {
    this.timeout(180_000);
    const para =
      'The cache keeps key and value rows of every prompt token, so a later request with the same prefix skips them. ';
    const text = `---\nmodel: gpt-4.1\n---\n# Policy\n\n${(para.repeat(8) + '\n\n').repeat(Math.ceil((1 << 20) / (para.length * 8 + 2)))}`;
    const rel = 'prompts/typing.prompt.md';
    const file = workspaceFile(rel);
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    const first = await waitFor(
      () => currentReport().catch(() => undefined),
      (r) => !!r,
      60_000,
    );
    assert.ok(first);
    const before = await vscode.commands.executeCommand<Timings>('kvlens.debug.timings');
    // Keystrokes at the top (line 6) and in the middle, each waited for: what a user sees after every key.
    for (const [line, n] of [
      [5, 30],
      [Math.floor(editor.document.lineCount / 2), 30],
    ] as const) {
      editor.selection = new vscode.Selection(line, 10, line, 10);
      for (let i = 0; i < n; i++) {
        await vscode.commands.executeCommand('type', { text: i % 6 === 5 ? ' ' : 'x' });
        await currentReport();
      }
    }
    const after = await vscode.commands.executeCommand<Timings>('kvlens.debug.timings');
    const live = after.paths.live - before.paths.live,
      full = after.paths.full - before.paths.full;
    assert.ok(
      live >= 50,
      `followed ${live} keystrokes live, ${full} from the whole text (declined: ${JSON.stringify(after.paths.declined)})`,
    );
    assert.ok(full <= 2, `${full} whole-text analyses while typing`);
    // The report followed edit by edit is the CLI's for the text typed (saved so the CLI reads it).
    await editor.document.save();
    const want = await cli(['analyze', file.fsPath, '--json']);
    assert.deepEqual(comparable(await currentReport()), comparable(want));
    // The figures for the benchmark (npm run bench reports the last run's): keystroke → report applied, in ms.
    const typed = after.keystrokes
      .slice(-60)
      .filter((k) => k.path === 'live')
      .map((k) => k.ms);
    const analysis = after.analysisMs.slice(-60);
    const ext = vscode.extensions.getExtension('kvlens.kvlens')!;
    const out = path.join(ext.extensionPath, 'test-output', 'editor-keystrokes.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(
      out,
      JSON.stringify(
        {
          at: new Date().toISOString(),
          document: '1 MB Markdown prompt, gpt-4.1, steady state',
          keystrokes: typed.length,
          keystrokeToReportMs: { median: q(typed, 0.5), p99: q(typed, 0.99), max: q(typed, 1) },
          analysisMs: { median: q(analysis, 0.5), p99: q(analysis, 0.99) },
          paths: { live, full },
          slowest: {
            keystrokeMs: [...typed].sort((a, b) => b - a).slice(0, 5),
            analysisMs: [...analysis].sort((a, b) => b - a).slice(0, 5),
            analysisAt: analysis.map((x, i) => [i, Number(x.toFixed(1))]).filter(([, x]) => x > 10),
          },
        },
        null,
        1,
      ),
    );
    await vscode.workspace.fs.delete(file);
  });

  it('follows typing inside a string of a JSON request body (escapes and all), and ends where `kvlens analyze` does', async function () {
    this.timeout(120_000);
    const policy = Array.from({ length: 400 }, (_, i) => `${i + 1}. Quote the "handbook" section you rely on.`).join(
      '\n',
    );
    const body = JSON.stringify(
      {
        model: 'gpt-4.1',
        messages: [
          { role: 'system', content: policy },
          { role: 'user', content: 'Where is my invoice?' },
        ],
      },
      null,
      2,
    );
    const file = workspaceFile('requests/typing.json');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(body));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    await waitFor(
      () => currentReport().catch(() => undefined),
      (r) => !!r,
      60_000,
    );
    const before = await vscode.commands.executeCommand<Timings>('kvlens.debug.timings');
    const at = editor.document.positionAt(body.indexOf('200. Quote') + 5);
    editor.selection = new vscode.Selection(at, at);
    for (let i = 0; i < 20; i++) {
      await vscode.commands.executeCommand('type', { text: i % 5 === 4 ? ' ' : 'y' });
      await currentReport();
    }
    const after = await vscode.commands.executeCommand<Timings>('kvlens.debug.timings');
    assert.ok(
      after.paths.live - before.paths.live >= 18,
      `followed ${after.paths.live - before.paths.live} of 20 live (declined: ${JSON.stringify(after.paths.declined)})`,
    );
    await editor.document.save();
    assert.deepEqual(comparable(await currentReport()), comparable(await cli(['analyze', file.fsPath, '--json'])));
    await vscode.workspace.fs.delete(file);
  });
});
