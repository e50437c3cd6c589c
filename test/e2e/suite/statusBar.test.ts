import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAll, kvlens, open, settle, workspaceFile, type KvLensApi } from './helpers';
import { statusText, tiktokenCount } from './oracle';

const PROMPT = 'prompts/support-agent.prompt.md';

describe('KV Lens in a running VS Code', () => {
  let api: KvLensApi;
  before(async () => { api = await kvlens(); });
  afterEach(closeAll);

  it('activates and returns its API with the activation time', async () => {
    assert.equal(typeof api.statusText, 'function');
    assert.ok(api.activationMs > 0 && api.activationMs < 10000, `activationMs = ${api.activationMs}`);
    const shown = await vscode.commands.executeCommand<number>('kvlens.showActivationTime');
    assert.equal(shown, api.activationMs);
  });

  it('shows the o200k_base token count of a prompt file', async () => {
    const editor = await open(PROMPT);
    const want = statusText(tiktokenCount(editor.document.getText()));
    assert.equal(await settle(() => api.statusText(), want), want);
  });

  it('keeps the count exact through a series of edits (insert, replace, delete, multi-cursor)', async () => {
    const editor = await open(PROMPT);
    const doc = editor.document;
    await settle(() => api.statusText(), statusText(tiktokenCount(doc.getText())));
    const before = api.statusText();
    const edits: ((b: vscode.TextEditorEdit) => void)[] = [
      (b) => b.insert(doc.positionAt(doc.getText().length), '\n\nAlways answer in Portuguese when the customer writes in Portuguese.\n'),
      (b) => b.replace(new vscode.Range(doc.positionAt(doc.getText().indexOf('Lumi')), doc.positionAt(doc.getText().indexOf('Lumi') + 4)), 'Aurora, the assistant'),
      (b) => b.delete(new vscode.Range(doc.positionAt(200), doc.positionAt(640))),
      (b) => { b.insert(new vscode.Position(0, 0), '<!-- v15 -->\n'); b.insert(new vscode.Position(20, 0), 'NOTE: ünïcödé — 日本語 ✓\n'); },
    ];
    for (const edit of edits) {
      assert.ok(await editor.edit(edit), 'the edit was applied');
      const want = statusText(tiktokenCount(doc.getText()));
      assert.equal(await settle(() => api.statusText(), want), want);
    }
    assert.notEqual(api.statusText(), before);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('treats a JSON request body as a prompt by its content, and package.json as not a prompt', async () => {
    const editor = await open('requests/openai-chat.json');
    const want = statusText(tiktokenCount(editor.document.getText()));
    assert.equal(await settle(() => api.statusText(), want), want);
    await open('package.json');
    assert.equal(await settle(() => api.statusText(), undefined), undefined);
  });

  it('shows nothing for a non-prompt file until "Inspect This File", and stops on "Stop Inspecting"', async () => {
    const editor = await open('docs/notes.md');
    assert.equal(await settle(() => api.statusText(), undefined), undefined);
    assert.equal(await vscode.commands.executeCommand('kvlens.inspectFile'), true);
    const want = statusText(tiktokenCount(editor.document.getText()));
    assert.equal(await settle(() => api.statusText(), want), want);
    await vscode.commands.executeCommand('kvlens.stopInspectingFile');
    assert.equal(await settle(() => api.statusText(), undefined), undefined);
  });

  it('recounts with cl100k_base when the kvlens.encoding setting changes', async () => {
    const editor = await open(PROMPT);
    const config = vscode.workspace.getConfiguration('kvlens');
    try {
      await config.update('encoding', 'cl100k_base', vscode.ConfigurationTarget.Workspace);
      const want = statusText(tiktokenCount(editor.document.getText(), 'cl100k_base'));
      assert.notEqual(want, statusText(tiktokenCount(editor.document.getText())), 'the sample must count differently in the two encodings');
      assert.equal(await settle(() => api.statusText(), want), want);
    } finally {
      await config.update('encoding', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('counts a 1 MB prompt off the host thread ("counting…" first), then follows typing in it exactly', async function () {
    this.timeout(120000);
    const paragraph = 'Answer only from the policy below. Quote the section number you rely on; say so when none applies.\n'
      + 'def refund(order, amount):  # Ünïcode, 日本語, emoji 👍🏽 and white space   runs\n\n';
    const text = paragraph.repeat(Math.ceil((1 << 20) / paragraph.length));
    const file = workspaceFile('prompts/big-policy.prompt.md');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    const seen = new Set<string | undefined>();
    const want = statusText(tiktokenCount(text));
    const deadline = Date.now() + 60000;
    while (api.statusText() !== want && Date.now() < deadline) { seen.add(api.statusText()); await new Promise((r) => setTimeout(r, 20)); }
    assert.equal(api.statusText(), want);
    assert.ok([...seen].some((t) => t?.includes('counting')), `expected a "counting…" state first, saw ${[...seen].join(' | ')}`);
    assert.ok(await editor.edit((b) => b.insert(editor.document.positionAt(500_000), ' Never promise refunds in writing.')));
    const after = statusText(tiktokenCount(editor.document.getText()));
    assert.notEqual(after, want);
    assert.equal(await settle(() => api.statusText(), after), after);
  });
});
