import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAll, currentReport, kvlens, open, settle, waitFor, workspaceFile, type KvLensApi } from './helpers';
import { tiktokenCount } from './oracle';

const PROMPT = 'prompts/support-agent.prompt.md';
const fmt = new Intl.NumberFormat('en-US');

/** The prompt as sent: a Markdown prompt file's body after its front matter. */
function body(text: string): string {
  if (!text.startsWith('---\n')) return text;
  const end = text.indexOf('\n---\n', 4);
  return text.slice(end + 5);
}

describe('KV Lens in a running VS Code', () => {
  let api: KvLensApi;
  before(async () => {
    api = await kvlens();
  });
  afterEach(closeAll);

  it('activates and returns its API with the activation time', async () => {
    assert.equal(typeof api.statusText, 'function');
    assert.ok(api.activationMs > 0 && api.activationMs < 10000, `activationMs = ${api.activationMs}`);
    const shown = await vscode.commands.executeCommand<number>('kvlens.showActivationTime');
    assert.equal(shown, api.activationMs);
  });

  it('shows cached/total tokens, cost with and without cache and the baseline in the status bar', async () => {
    const editor = await open(PROMPT);
    const r = await currentReport();
    assert.equal(
      r.tokens,
      tiktokenCount(body(editor.document.getText())),
      'the prompt as sent: the body after the front matter, in o200k_base',
    );
    assert.equal(r.baseline.kind, 'steady');
    const text = await waitFor(
      () => api.statusText() ?? '',
      (t) => t.startsWith('$(zap)'),
    );
    assert.match(
      text,
      new RegExp(
        `^\\$\\(zap\\) ${fmt.format(r.cachedTokens)}/${fmt.format(r.tokens)} cached · \\$[\\d.]+ vs \\$[\\d.]+ · steady state$`,
      ),
    );
    const tip = api.statusTooltip() ?? '';
    assert.match(tip, /read from cache/);
    assert.match(tip, /gpt-4\.1/);
  });

  it('keeps the report exact through a series of edits (insert, replace, delete, multi-cursor)', async () => {
    const editor = await open(PROMPT);
    const doc = editor.document;
    const edits: ((b: vscode.TextEditorEdit) => void)[] = [
      (b) =>
        b.insert(
          doc.positionAt(doc.getText().length),
          '\n\nAlways answer in Portuguese when the customer writes in Portuguese.\n',
        ),
      (b) =>
        b.replace(
          new vscode.Range(
            doc.positionAt(doc.getText().indexOf('Lumi')),
            doc.positionAt(doc.getText().indexOf('Lumi') + 4),
          ),
          'Aurora, the assistant',
        ),
      (b) => b.delete(new vscode.Range(doc.positionAt(200), doc.positionAt(640))),
      (b) => {
        b.insert(new vscode.Position(8, 0), '<!-- v15 -->\n');
        b.insert(new vscode.Position(20, 0), 'NOTE: ünïcödé — 日本語 ✓\n');
      },
    ];
    for (const edit of edits) {
      assert.ok(await editor.edit(edit), 'the edit was applied');
      const r = await currentReport();
      assert.equal(r.tokens, tiktokenCount(body(doc.getText())));
    }
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('treats a JSON request body as a prompt by its content, and package.json as not a prompt', async () => {
    await open('requests/openai-chat.json');
    const r = await currentReport();
    assert.equal(r.model, 'gpt-4.1');
    assert.ok(r.tokens > 500);
    assert.ok(await settle(() => api.statusText()?.startsWith('$(zap)'), true));
    await open('package.json');
    assert.equal(await settle(() => api.statusText(), undefined), undefined);
    assert.equal(await vscode.commands.executeCommand('kvlens.currentReport'), undefined);
  });

  it('shows nothing for a non-prompt file until "Inspect This File", and stops on "Stop Inspecting"', async () => {
    await open('docs/notes.md');
    assert.equal(await settle(() => api.statusText(), undefined), undefined);
    assert.equal(await vscode.commands.executeCommand('kvlens.inspectFile'), true);
    const r = await currentReport();
    assert.ok(r.tokens > 20);
    assert.ok(await settle(() => api.statusText()?.startsWith('$(zap)'), true));
    await vscode.commands.executeCommand('kvlens.stopInspectingFile');
    assert.equal(await settle(() => api.statusText(), undefined), undefined);
  });

  it('analyzes a 1 MB prompt ("counting…" first, off the host thread), then follows typing in it exactly', async function () {
    this.timeout(120000);
    const paragraph =
      'Answer only from the policy below. Quote the section number you rely on; say so when none applies.\n' +
      'def refund(order, amount):  # Ünïcode, 日本語, emoji 👍🏽 and white space   runs\n\n';
    const text = paragraph.repeat(Math.ceil((1 << 20) / paragraph.length));
    const file = workspaceFile('prompts/big-policy.prompt.md');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
    const seen = new Set<string | undefined>();
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    await waitFor(
      () => {
        seen.add(api.statusText());
        return api.statusText();
      },
      (t) => !!t?.startsWith('$(zap)'),
      60000,
    );
    assert.ok(
      [...seen].some((t) => t?.includes('counting')),
      `expected a "counting…" state first, saw ${[...seen].join(' | ')}`,
    );
    assert.equal((await currentReport()).tokens, tiktokenCount(text));
    assert.ok(
      await editor.edit((b) => b.insert(editor.document.positionAt(500_000), ' Never promise refunds in writing.')),
    );
    const r = await currentReport();
    assert.equal(r.tokens, tiktokenCount(editor.document.getText()));
    assert.notEqual(r.tokens, tiktokenCount(text));
    // Past the size limit the editor declines politely (and says where to turn).
    const config = vscode.workspace.getConfiguration('kvlens');
    try {
      await config.update('maxFileSizeMB', 0.5, vscode.ConfigurationTarget.Workspace);
      const declined = await waitFor(
        () => api.statusText() ?? '',
        (t) => t.startsWith('$(warning)'),
      );
      assert.equal(declined, '$(warning) KV Lens');
      assert.match(
        api.statusTooltip() ?? '',
        /too large to analyze live \(1\.0 MB > 0\.5 MB, setting kvlens\.maxFileSizeMB\)/,
      );
    } finally {
      await config.update('maxFileSizeMB', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
