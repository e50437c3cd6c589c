import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { cli, comparable } from './cli';
import {
  closeAll,
  codeActionsWhere,
  currentReport,
  kvlens,
  open,
  waitFor,
  workspaceFile,
  type KvLensApi,
  type Report,
} from './helpers';

const PROMPT = 'prompts/support-agent.prompt.md';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-e2e-cli-'));

/** Writes the editor's current text where the CLI can read it (same file name, so the same parser). */
function snapshot(doc: vscode.TextDocument, name = path.basename(doc.uri.fsPath)): string {
  const f = path.join(tmp, `${Date.now()}-${name}`);
  fs.writeFileSync(f, doc.getText());
  return f;
}

async function insertAtLine(editor: vscode.TextEditor, line: number, text: string): Promise<void> {
  assert.ok(await editor.edit((b) => b.insert(new vscode.Position(line, 0), text)));
}

describe('The Prompt Cache view', () => {
  let api: KvLensApi;
  before(async () => {
    api = await kvlens();
  });

  it('lists the workspace prompt files with their cached share and the prefixes they share', async () => {
    const head = Array.from(
      { length: 120 },
      (_, i) => `Policy ${i + 1}: refunds are handled by the billing team within 5 business days.`,
    ).join('\n');
    await vscode.workspace.fs.writeFile(
      workspaceFile('prompts/refunds-a.prompt.md'),
      new TextEncoder().encode(`${head}\nTone: formal.\n`),
    );
    await vscode.workspace.fs.writeFile(
      workspaceFile('prompts/refunds-b.prompt.md'),
      new TextEncoder().encode(`${head}\nTone: casual and warm.\n`),
    );
    const view = await api.promptCache();
    const a = view.find((f) => f.file === 'prompts/refunds-a.prompt.md');
    assert.ok(a, view.map((f) => f.file).join(', '));
    assert.ok(view.some((f) => f.file === 'prompts/support-agent.prompt.md' && f.cachedTokens > 0));
    const shared = a.shares.find((s) => s.file === 'prompts/refunds-b.prompt.md');
    assert.ok(shared && shared.tokens > 1000 && shared.tokens < a.tokens, JSON.stringify(a.shares));
    await vscode.commands.executeCommand(
      'kvlens.revealOffset',
      workspaceFile('prompts/refunds-a.prompt.md'),
      shared.offset,
    );
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.offsetAt(editor.selection.active), shared.offset);
    assert.ok(
      Math.abs(shared.offset - head.length) <= 8,
      `${shared.offset} vs ${head.length}: the prompts part after the shared head`,
    );
    await closeAll();
  });

  it('follows the workspace file by file: a prompt written by another program appears, a deleted one goes, files.exclude is honoured', async function () {
    this.timeout(60000);
    const head = Array.from(
      { length: 120 },
      (_, i) => `Policy ${i + 1}: refunds are handled by the billing team within 5 business days.`,
    ).join('\n');
    await api.promptCache(); // shown once: scanned, then kept current
    const c = fs.readFileSync(workspaceFile('prompts/refunds-a.prompt.md').fsPath, 'utf8');
    assert.ok(c.startsWith(head));
    // Written outside VS Code (no VS Code file event): the watcher sees it; no Refresh.
    fs.writeFileSync(workspaceFile('prompts/refunds-c.prompt.md').fsPath, `${head}\nTone: brief.\n`);
    const withC = await waitFor(
      () => api.promptCache(false),
      (v) => v.some((f) => f.file === 'prompts/refunds-c.prompt.md'),
      20000,
    );
    assert.ok(
      withC.some((f) => f.file === 'prompts/refunds-c.prompt.md'),
      withC.map((f) => f.file).join(', '),
    );
    const a = withC.find((f) => f.file === 'prompts/refunds-a.prompt.md')!;
    assert.ok(
      a.shares.some((s) => s.file === 'prompts/refunds-c.prompt.md'),
      "the new file's shared prefix is on the others too",
    );
    fs.unlinkSync(workspaceFile('prompts/refunds-c.prompt.md').fsPath);
    const gone = await waitFor(
      () => api.promptCache(false),
      (v) => !v.some((f) => f.file === 'prompts/refunds-c.prompt.md'),
      20000,
    );
    assert.ok(
      !gone
        .find((f) => f.file === 'prompts/refunds-a.prompt.md')!
        .shares.some((s) => s.file === 'prompts/refunds-c.prompt.md'),
    );
    // files.exclude: what the user hides is not scanned.
    const files = vscode.workspace.getConfiguration('files');
    await files.update(
      'exclude',
      { ...files.get<Record<string, boolean>>('exclude', {}), '**/archive/**': true },
      vscode.ConfigurationTarget.Workspace,
    );
    try {
      fs.mkdirSync(workspaceFile('prompts/archive').fsPath, { recursive: true });
      fs.writeFileSync(workspaceFile('prompts/archive/old.prompt.md').fsPath, `${head}\nOld.\n`);
      const v = await api.promptCache();
      assert.ok(!v.some((f) => f.file.includes('archive')), v.map((f) => f.file).join(', '));
    } finally {
      await files.update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
      fs.rmSync(workspaceFile('prompts/archive').fsPath, { recursive: true, force: true });
    }
  });
});

describe('The cache report in the editor: one answer with `kvlens analyze`', () => {
  let api: KvLensApi;
  const config = () => vscode.workspace.getConfiguration('kvlens');
  before(async () => {
    api = await kvlens();
  });
  afterEach(async () => {
    api.setClockOffset(0);
    await config().update('baseline', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('kvlens.chooseBaseline', 'auto');
    await vscode.commands.executeCommand('kvlens.forgetRecordedSends');
    await closeAll();
  });

  it('steady state: the same numbers as `kvlens analyze FILE --json`, and the cached part as document ranges', async () => {
    const editor = await open(PROMPT);
    const r = await currentReport();
    const c = await cli(['analyze', editor.document.uri.fsPath, '--json']);
    assert.deepEqual(comparable(r), comparable(c));
    assert.deepEqual(r.baseline, { kind: 'steady', label: 'same prompt sent 1 min earlier (steady state)' });
    const text = editor.document.getText();
    const bodyStart = text.indexOf('\n---\n', 4) + 5;
    assert.equal(r.ranges.breakAt, null);
    assert.equal(r.ranges.cached.length, 1, 'one span for one text block, never one per token');
    assert.equal(r.ranges.cached[0][0], bodyStart, 'the front matter is not sent, so not cached');
    assert.ok(
      r.ranges.cached[0][1] > bodyStart && r.ranges.cached[0][1] < text.length,
      'OpenAI caches whole 128-token steps: the tail is not cached',
    );
  });

  it('git HEAD: an edit breaks the cache where it is, as `kvlens analyze --baseline git:HEAD` says; an edit after it does not move it', async () => {
    const editor = await open(PROMPT);
    const original = editor.document.getText();
    assert.equal((await currentReport()).baseline.kind, 'steady', 'unchanged since HEAD: auto is the steady state');
    await insertAtLine(editor, 20, 'Always greet the customer by name.\n');
    const r = await waitFor(
      () => currentReport(),
      (x) => x.baseline.kind === 'git',
    );
    assert.equal(r.baseline.label, 'git HEAD');
    await editor.document.save();
    const c = await cli(['analyze', editor.document.uri.fsPath, '--baseline', 'git:HEAD', '--json']);
    assert.deepEqual(comparable(r), comparable(c));
    // The first changed token starts at the edit, or one token before it (a line break the inserted text joins).
    const editAt = editor.document.offsetAt(new vscode.Position(20, 0));
    assert.ok(
      r.ranges.breakAt !== null && r.ranges.breakAt <= editAt && editAt - r.ranges.breakAt <= 4,
      `breakAt ${r.ranges.breakAt} vs edit at ${editAt}`,
    );
    const breakLine = r.firstDivergence!.line;
    assert.ok(breakLine === 20 || breakLine === 21, `line ${breakLine}`);
    for (const [, end] of r.ranges.cached) assert.ok(end <= r.ranges.breakAt!, 'nothing after the break is cached');
    // An edit after the break leaves the break where it is.
    await insertAtLine(editor, editor.document.lineCount - 1, 'Sign off with "— Lumi".\n');
    const r2 = await currentReport();
    assert.equal(r2.firstDivergence?.line, breakLine);
    // An edit before it moves it up.
    await insertAtLine(editor, 12, 'Be concise.\n');
    const r3 = await currentReport();
    assert.ok(r3.firstDivergence!.line <= 13 && r3.firstDivergence!.line >= 12, JSON.stringify(r3.firstDivergence));
    assert.ok(r3.reusablePrefixTokens < r.reusablePrefixTokens);
    fs.writeFileSync(editor.document.uri.fsPath, original); // as committed: later tests start from HEAD
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(
      (
        await waitFor(
          () => currentReport(),
          (x) => x.baseline.kind === 'steady',
        )
      ).baseline.kind,
      'steady',
    );
  });

  it('git HEAD: a change at the very first token shows the break there (token 0), as the CLI does', async () => {
    const editor = await open(PROMPT);
    const original = editor.document.getText();
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'x'));
    const r = await waitFor(
      () => currentReport(),
      (x) => x.baseline.kind === 'git' && x.firstDivergence !== null,
    );
    assert.equal(r.firstDivergence!.token, 0);
    assert.equal(r.ranges.breakAt, 0);
    assert.equal(r.cachedTokens, 0);
    await editor.document.save();
    const c = await cli(['analyze', editor.document.uri.fsPath, '--baseline', 'git:HEAD', '--json']);
    assert.deepEqual(comparable(r), comparable(c));
    assert.equal((c.firstDivergence as { token: number }).token, 0, 'the CLI names the break, not "no baseline"');
    fs.writeFileSync(editor.document.uri.fsPath, original);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor(
      () => currentReport(),
      (x) => x.baseline.kind === 'steady',
    );
  });

  it('outside any git repository a keystroke is reported at once (no waiting for a repository)', async () => {
    const file = path.join(tmp, 'loose.prompt.md');
    fs.writeFileSync(
      file,
      Array.from({ length: 200 }, (_, i) => `Rule ${i + 1}: answer the customer politely.`).join('\n'),
    );
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(file)));
    await vscode.commands.executeCommand('kvlens.inspectFile');
    await waitFor(
      () => currentReport(),
      (x) => x.tokens > 1000,
      20000,
    );
    type Timings = { keystrokes: { ms: number }[] };
    const timings = async () => (await vscode.commands.executeCommand('kvlens.debug.timings')) as Timings;
    const seen = (await timings()).keystrokes.length;
    for (let i = 0; i < 5; i++) {
      await editor.edit((e) => e.insert(new vscode.Position(3, 0), 'k'));
      await new Promise((r) => setTimeout(r, 400));
    }
    // Keystroke → report applied (status bar, decorations), as the extension measures it.
    const last = (await waitFor(timings, (t) => t.keystrokes.length >= seen + 5, 10000)).keystrokes
      .slice(seen)
      .map((k) => k.ms);
    console.log(`      keystroke → report outside git: ${last.map((m) => m.toFixed(1)).join(', ')} ms`);
    assert.ok(Math.max(...last) < 300, `keystroke → report took ${Math.max(...last)} ms`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('another file as baseline (Choose Baseline): the same as `kvlens analyze --baseline FILE`', async () => {
    const editor = await open(PROMPT);
    const other = path.join(tmp, 'other.prompt.md');
    fs.writeFileSync(other, editor.document.getText().replace('friendly, precise and brief', 'warm, exact and short'));
    await vscode.commands.executeCommand('kvlens.chooseBaseline', { kind: 'file', path: other });
    const r = await waitFor(
      () => currentReport(),
      (x) => x.baseline.kind === 'file',
    );
    const c = await cli(['analyze', editor.document.uri.fsPath, '--baseline', other, '--json']);
    assert.deepEqual(comparable(r), comparable(c));
    const line = editor.document.positionAt(editor.document.getText().indexOf('friendly, precise')).line + 1;
    assert.ok(r.firstDivergence && r.firstDivergence.line === line, JSON.stringify(r.firstDivergence));
  });

  it('a break in a prompt below the model\'s minimum says nothing is cached either way, not "N tokens recomputed"', async () => {
    const file = path.join(tmp, 'tiny.prompt.md');
    // The version sent before was long enough to be cached; this one was cut below gpt-4.1's 1,024 tokens, and edited.
    const rules = (n: number) =>
      Array.from({ length: n }, (_, i) => `Rule ${i + 1}: be brief and answer the question asked.`).join('\n') + '\n';
    fs.writeFileSync(file, rules(60).replace('Rule 20:', 'Rule twenty:'));
    const other = path.join(tmp, 'tiny-before.prompt.md');
    fs.writeFileSync(other, rules(150));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(file)));
    await vscode.commands.executeCommand('kvlens.inspectFile');
    await vscode.commands.executeCommand('kvlens.chooseBaseline', { kind: 'file', path: other });
    const r = await waitFor(
      () => currentReport(),
      (x) => x.baseline.kind === 'file' && x.firstDivergence !== null,
    );
    assert.ok(r.tokens < 1024 && r.cachedTokens === 0, JSON.stringify({ tokens: r.tokens, cached: r.cachedTokens }));
    const titles = async () =>
      (
        (await vscode.commands.executeCommand<vscode.CodeLens[]>(
          'vscode.executeCodeLensProvider',
          editor.document.uri,
        )) ?? []
      ).map((l) => l.command?.title ?? '');
    const lens = (await waitFor(titles, (t) => t.some((x) => /prefix changes here/i.test(x)))).find((x) =>
      /prefix changes here/i.test(x),
    );
    assert.match(lens ?? '', /below the 1,024-token cache minimum, so nothing is cached either way/);
    assert.doesNotMatch(lens ?? '', /recomputed/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('Record as Sent: edits are judged against the recorded text until its TTL runs out', async () => {
    await config().update('baseline', 'recorded', vscode.ConfigurationTarget.Workspace);
    const editor = await open(PROMPT);
    const sent = snapshot(editor.document);
    assert.equal(await vscode.commands.executeCommand('kvlens.recordAsSent'), true);
    // Far enough down that the prefix before the edit is past gpt-4.1's 1,024-token minimum.
    await insertAtLine(editor, editor.document.lineCount - 8, 'Mention the status page when data is missing.\n');
    const r = await waitFor(
      () => currentReport(),
      (x) => x.baseline.kind === 'recorded' && x.firstDivergence !== null,
    );
    assert.match(r.baseline.label, /^sent \d\d:\d\d$/);
    const c = await cli(['analyze', snapshot(editor.document), '--baseline', sent, '--json']);
    assert.deepEqual(comparable(r), comparable(c));
    assert.ok(r.cachedTokens > 0);
    assert.match(api.statusText() ?? '', /sent \d\d:\d\d \(\d+ min left\)/);
    api.setClockOffset(11 * 60_000); // gpt-4.1 keeps an in-memory prefix ~10 minutes
    const expired = await waitFor(
      () => currentReport(),
      (x) => x.cachedTokens === 0,
    );
    assert.equal(expired.cachedTokens, 0);
    assert.ok(
      expired.warnings.some((w) => w.code === 'expired'),
      JSON.stringify(expired.warnings),
    );
    assert.ok(
      await waitFor(
        () => /\(expired\)/.test(api.statusText() ?? ''),
        (x) => x,
      ),
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('switching the model of a file that names none changes tokenizer, rules and prices', async () => {
    await open('docs/notes.md');
    await vscode.commands.executeCommand('kvlens.inspectFile');
    assert.equal((await currentReport()).model, 'gpt-4.1');
    await vscode.commands.executeCommand('kvlens.selectModel', 'claude-sonnet-4-5');
    const r = await waitFor(
      () => currentReport(),
      (x) => x.model === 'claude-sonnet-4-5',
    );
    assert.equal(r.tokenizer.exact, false);
    assert.ok(r.warnings.some((w) => w.code === 'no-breakpoint' || w.code === 'below-minimum'));
    await vscode.commands.executeCommand('kvlens.selectModel', ''); // back to the workspace default
    assert.equal(
      (
        await waitFor(
          () => currentReport(),
          (x) => x.model === 'gpt-4.1',
        )
      ).model,
      'gpt-4.1',
    );
    await vscode.commands.executeCommand('kvlens.stopInspectingFile');
  });

  it('a file that names its model: a pick overrides it for this file (the file unchanged); "the file\'s own model" goes back', async () => {
    const editor = await open(PROMPT);
    const text = editor.document.getText();
    assert.match(text, /model: 'gpt-4\.1'/);
    assert.equal(
      (
        await waitFor(
          () => currentReport(),
          (x) => x.model === 'gpt-4.1',
        )
      ).model,
      'gpt-4.1',
    );
    await vscode.commands.executeCommand('kvlens.selectModel', 'claude-sonnet-4-5');
    const r = await waitFor(
      () => currentReport(),
      (x) => x.model === 'claude-sonnet-4-5',
    );
    assert.equal(r.model, 'claude-sonnet-4-5', "the pick wins over the file's model");
    assert.equal(editor.document.getText(), text, 'the file is not changed');
    assert.equal(editor.document.isDirty, false);
    await vscode.commands.executeCommand('kvlens.selectModel', '');
    assert.equal(
      (
        await waitFor(
          () => currentReport(),
          (x) => x.model === 'gpt-4.1',
        )
      ).model,
      'gpt-4.1',
      'back to the model the file names',
    );
  });

  it("choosing a model for one prompt leaves the other open prompts' lenses as they were (per-document invalidation)", async () => {
    const other = await open('requests/openai-chat.json');
    await currentReport();
    const lensesOf = async (doc: vscode.TextDocument) =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? []).map(
        (l) => l.command?.title ?? '',
      );
    const before = await waitFor(
      () => lensesOf(other.document),
      (t) => t.some((x) => x.startsWith('KV Lens:')),
    );
    assert.ok(
      before.some((x) => x.startsWith('KV Lens:')),
      JSON.stringify(before),
    );
    await open(PROMPT);
    await vscode.commands.executeCommand('kvlens.selectModel', 'claude-sonnet-4-5');
    await waitFor(
      () => currentReport(),
      (x) => x.model === 'claude-sonnet-4-5',
    );
    assert.deepEqual(await lensesOf(other.document), before, 'the other prompt keeps its lenses');
    await vscode.commands.executeCommand('kvlens.selectModel', '');
    await waitFor(
      () => currentReport(),
      (x) => x.model === 'gpt-4.1',
    );
  });

  it('flags dynamic content ahead of the static part, and its code action moves it (one undoable edit) with the saving it buys', async () => {
    const statics = Array.from(
      { length: 160 },
      (_, i) => `Rule ${i + 1}: answer politely and cite the handbook section that applies.`,
    ).join('\n');
    const file = workspaceFile('prompts/dated.prompt.md');
    const original = `Today is 2026-12-01 and the customer is on the Team plan.\n${statics}\n`;
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(original));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    await currentReport();
    const diag = await waitFor(
      () => vscode.languages.getDiagnostics(file).find((d) => d.code === 'dynamic-content'),
      (d) => d !== undefined,
    );
    assert.ok(diag, 'a dynamic-content warning in the Problems panel');
    assert.equal(diag.range.start.line, 0);
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Warning);
    const actions = await codeActionsWhere(file, diag.range, (a) => a.title.startsWith('Move "Today is 2026-12-01'));
    const move = actions.find((a) => a.title.startsWith('Move "Today is 2026-12-01'));
    assert.ok(move?.edit, actions.map((a) => a.title).join(' | '));
    assert.match(
      move.title,
      /keeps [\d,]+ more tokens cached on each call where the value changes: −\$[\d.]+ per call/,
    );
    assert.equal(editor.document.getText(), original, 'offering the fix changes nothing');
    assert.ok(await vscode.workspace.applyEdit(move.edit));
    assert.ok(editor.document.getText().endsWith('Today is 2026-12-01 and the customer is on the Team plan.\n'));
    await waitFor(
      () => vscode.languages.getDiagnostics(file).some((d) => d.code === 'dynamic-content'),
      (x) => !x,
    );
    assert.ok(
      !vscode.languages.getDiagnostics(file).some((d) => d.code === 'dynamic-content'),
      'the warning follows the fix',
    );
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), original, 'one undo restores the document');
    await editor.document.save();
  });

  it('learns from git history the line that keeps changing, and offers to move it', async function () {
    this.timeout(60000);
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const rel = 'prompts/versioned.prompt.md';
    const rules = Array.from(
      { length: 150 },
      (_, i) => `Rule ${i + 1}: answer politely and cite the handbook section that applies.`,
    ).join('\n');
    const text = (v: string) => `# Support agent\nBuild: ${v}\n${rules}\n`;
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@kvlens.invalid', ...args], {
        cwd: root,
        stdio: 'ignore',
      });
    for (const v of ['1.0.0', '1.1.0', '1.2.0', '1.3.0']) {
      fs.writeFileSync(path.join(root, rel), text(v));
      git('add', rel);
      git('commit', '-q', '-m', `build ${v}`);
    }
    fs.writeFileSync(path.join(root, rel), text('1.4.0'));
    const editor = await open(rel);
    const diag = await waitFor(
      () => vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.code === 'volatile-line'),
      (d) => d !== undefined,
      30000,
    );
    assert.ok(diag, 'a diagnostic from the history');
    assert.equal(diag.range.start.line, 1);
    assert.match(diag.message, /"Build: 1\.4\.0" changed in 4 of the last 5 versions of this file/);
    const actions = await codeActionsWhere(editor.document.uri, diag.range, (a) =>
      a.title.startsWith('Move "Build: 1.4.0" after the static part'),
    );
    assert.ok(
      actions.some((a) => a.title.startsWith('Move "Build: 1.4.0" after the static part')),
      actions.map((a) => a.title).join(' | '),
    );
  });

  it('reordered tools break the cache at the first moved tool; the code action restores the order of git HEAD', async () => {
    const editor = await open('requests/openai-chat.json');
    const original = editor.document.getText();
    const body = JSON.parse(original);
    const names = (b: { tools: { function: { name: string } }[] }) => b.tools.map((t) => t.function.name);
    [body.tools[0], body.tools[1]] = [body.tools[1], body.tools[0]];
    assert.ok(
      await editor.edit((e) =>
        e.replace(
          new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(original.length)),
          JSON.stringify(body, null, 2),
        ),
      ),
    );
    const broken = await waitFor(
      () => currentReport(),
      (r) => r.baseline.kind === 'git' && r.firstDivergence !== null,
    );
    assert.equal(broken.cachedTokens, 0, 'the tools come first: nothing before the moved tool is long enough to cache');
    const diag = await waitFor(
      () => vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.code === 'prefix-changed'),
      (d) => d !== undefined,
    );
    assert.ok(diag && /tools changed since git HEAD/.test(diag.message), diag?.message);
    const actions = await codeActionsWhere(editor.document.uri, diag.range, (a) =>
      a.title.startsWith('Restore the order of the tools as in git HEAD'),
    );
    const restore = actions.find((a) => a.title.startsWith('Restore the order of the tools as in git HEAD'));
    assert.ok(restore?.edit, actions.map((a) => a.title).join(' | '));
    assert.match(restore.title, /caches [\d,]+ more tokens/);
    assert.ok(await vscode.workspace.applyEdit(restore.edit));
    assert.deepEqual(names(JSON.parse(editor.document.getText())), names(JSON.parse(original)));
    const fixed = await waitFor(
      () => currentReport(),
      (r) => r.firstDivergence === null,
    );
    assert.equal(fixed.firstDivergence, null, 'formatting aside, the request is the committed one again');
    assert.ok(fixed.cachedTokens > 1000);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('Anthropic: breakpoints get inlay hints (tokens, TTL, minimum) and a missing one gets a code action', async () => {
    const editor = await open('requests/anthropic-messages.json');
    const r: Report = await currentReport();
    const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
      'vscode.executeInlayHintProvider',
      editor.document.uri,
      new vscode.Range(0, 0, editor.document.lineCount, 0),
    );
    const ours = hints
      .map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')))
      .filter((l) => l.includes('cache breakpoint'));
    assert.equal(ours.length, 3, ours.join('\n'));
    assert.ok(ours.some((l) => /TTL 1h/.test(l)) && ours.some((l) => /TTL 5m/.test(l)), ours.join('\n'));
    assert.ok(
      ours.every((l) => /≈[\d,]+ tokens up to here/.test(l)),
      'Claude counts are estimates',
    );
    assert.ok(
      ours.some((l) => /may be below|below/.test(l)),
      'the first breakpoints are short of the 1,024 minimum',
    );
    assert.equal(r.tokenizer.exact, false);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      editor.document.uri,
    );
    assert.ok(
      lenses.some((l) => /^KV Lens: ≈[\d,]+\/≈[\d,]+ tokens cached/.test(l.command?.title ?? '')),
      lenses.map((l) => l.command?.title).join('\n'),
    );
    assert.ok(lenses.some((l) => /^tools\[0\] search_code: ≈\d+ tokens/.test(l.command?.title ?? '')));
  });
});

describe("Claude Code's model names in the editor (issue 25, item 3)", () => {
  afterEach(closeAll);

  const agent = (model: string) =>
    [
      '---',
      'name: reviewer',
      'description: Reviews a diff for bugs',
      `model: ${model}`,
      '---',
      'You review code.',
      '',
    ].join('\n');

  it('model: sonnet analyzes as Claude Sonnet 5.5; an unknown name is a problem on the line that names it, not line 1', async () => {
    const file = workspaceFile('prompts/reviewer.prompt.md');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(agent('sonnet')));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    assert.equal((await currentReport()).model, 'claude-sonnet-5-5');

    const typo = workspaceFile('prompts/reviewer-typo.prompt.md');
    await vscode.workspace.fs.writeFile(typo, new TextEncoder().encode(agent('sonet')));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(typo));
    const diag = await waitFor(
      () => vscode.languages.getDiagnostics(typo).find((d) => d.code === 'unknown-model'),
      (d) => !!d,
    );
    assert.ok(diag);
    assert.equal(diag.range.start.line, 3, 'the front matter line `model: sonet` (line 4)');
    assert.match(diag.message, /names unknown model "sonet"; did you mean claude-sonnet-5-5/);
  });
});
