import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAll, codeActionsWhere, kvlens, open, waitFor, type KvLensApi } from './helpers';

/** `kvlens code --json` fields as the editor reads them (kvlens.codeReport). */
type CodeCall = {
  line: number;
  sdk: string;
  flag: boolean;
  systemStatic: boolean | null;
  firstDynamic: { line: number; what: string; volatility: string } | null;
  cachedPrefix: { tokens: number };
  lostPerCall: number | null;
};
type CodeReportJson = { calls?: CodeCall[]; error?: string; ms?: number };

async function codeReport(api: KvLensApi, doc: vscode.TextDocument, ok: (r: CodeReportJson) => boolean) {
  return waitFor(async () => (await api.codeReport(doc.uri)) as CodeReportJson, ok, 30000);
}

/** Prompts in code: a Python and a TypeScript file with LLM calls get a lens, a diagnostic and working fixes. */
describe('Prompts in code', () => {
  let api: KvLensApi;
  before(async () => {
    api = await kvlens();
  });
  afterEach(closeAll);

  it('Python: the lens over the call, the diagnostic on datetime.now(), and "move to the last user message" fixes it', async () => {
    const editor = await open('code/support_agent.py');
    const doc = editor.document;
    const r = await codeReport(api, doc, (x) => !!x.calls?.length);
    const call = r.calls![0];
    assert.equal(call.sdk, 'anthropic');
    assert.equal(call.flag, true);
    assert.deepEqual(call.firstDynamic, { line: 9, what: 'datetime.now()', volatility: 'request' });
    // The lens over the call says what is cached, the value that breaks it and what that costs.
    const lenses = await waitFor(
      async () =>
        (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [],
      (l) => l.some((x) => /first dynamic value: `datetime\.now\(\)`/.test(x.command?.title ?? '')),
    );
    const lens = lenses.find((x) => /first dynamic value/.test(x.command?.title ?? ''))!;
    assert.equal(lens.range.start.line, call.line - 1);
    assert.match(lens.command!.title, /per request → nothing after it is cached: \$0\.00\d+ per call/);
    // The diagnostic sits on the placeholder.
    const diags = await waitFor(
      () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === 'dynamic-before-static'),
      (d) => d.length === 1,
    );
    assert.equal(diags[0].range.start.line, 8);
    assert.equal(doc.getText(diags[0].range), '{datetime.now():%Y-%m-%d %H:%M}');
    // Three fixes, each titled with its saving; the move fix applied unflags the call.
    const actions = await codeActionsWhere(doc.uri, diags[0].range, (a) => /^Move /.test(a.title));
    const titles = actions.map((a) => a.title);
    assert.ok(
      titles.some((t) => /^Move `datetime\.now\(\)` to the last user message: caches [\d,]+ more tokens: −\$/.test(t)),
      titles.join(' | '),
    );
    assert.ok(
      titles.some((t) => /^Reduce `datetime\.now\(\)` to day precision/.test(t)),
      titles.join(' | '),
    );
    assert.ok(
      titles.some((t) => /^Split the system prompt/.test(t)),
      titles.join(' | '),
    );
    const move = actions.find((a) => /^Move /.test(a.title))!;
    assert.ok(await vscode.workspace.applyEdit(move.edit!));
    assert.match(
      doc.getText(),
      /"content": f"""\{question\}\\n\\nCurrent time: \{datetime\.now\(\):%Y-%m-%d %H:%M\}"""/,
    );
    const after = await codeReport(api, doc, (x) => x.calls?.[0]?.flag === false);
    assert.equal(after.calls![0].flag, false);
    assert.equal(after.calls![0].systemStatic, true);
    await waitFor(
      () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === 'dynamic-before-static'),
      (d) => d.length === 0,
    );
  });

  it('TypeScript: a Next.js route with new Date() in the system prompt; "reduce to day precision" applies', async () => {
    const editor = await open('code/route.ts');
    const doc = editor.document;
    const r = await codeReport(api, doc, (x) => !!x.calls?.length);
    assert.equal(r.calls![0].sdk, 'ai-sdk');
    assert.equal(r.calls![0].flag, true);
    assert.equal(r.calls![0].firstDynamic?.volatility, 'request');
    const diags = await waitFor(
      () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === 'dynamic-before-static'),
      (d) => d.length === 1,
    );
    const actions = await codeActionsWhere(doc.uri, diags[0].range, (a) => /day precision/.test(a.title));
    const day = actions.find((a) => /day precision/.test(a.title))!;
    assert.match(day.title, /caches [\d,]+ more tokens \(all calls of a day but the first\): −\$/);
    assert.ok(await vscode.workspace.applyEdit(day.edit!));
    assert.match(doc.getText(), /new Date\(\)\.toLocaleDateString\('en-US'\)/);
    const after = await codeReport(api, doc, (x) => x.calls?.[0]?.firstDynamic?.volatility === 'day');
    assert.equal(after.calls![0].firstDynamic?.volatility, 'day');
  });

  it('other files pay nothing: a TypeScript file without an LLM SDK has no lenses and no report', async () => {
    const editor = await open('code/route.ts');
    await editor.edit((b) => b.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), 'export const x = 1;\n'));
    const r = (await api.codeReport(editor.document.uri)) as CodeReportJson;
    assert.match(r.error ?? '', /no LLM calls read/);
  });
});
