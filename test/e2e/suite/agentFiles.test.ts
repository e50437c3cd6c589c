import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AgentContextState } from '../../../src/protocol';
import { LEGACY_RULE, NESTED_AGENTS, writeAgentInstructions } from './agentInstructions';
import { cli } from './cli';
import { closeAll, codeActionsWhere, kvlens, open, waitFor, type KvLensApi } from './helpers';

// Agent instruction files in the editor (issue 24): an open CLAUDE.md, AGENTS.md, Copilot instructions or Cursor rule
// is placed in each coding agent's request — the same answer as `kvlens agents --json` on the folder — and the lens,
// status bar, hover, diagnostics and fixes say so, following typing without a rescan of the workspace.

interface CliFile {
  path: string;
  loaded: string;
  role: string | null;
  tokens: number;
  bytesSent: number;
  bytesLost: number;
}
interface CliHarness {
  harness: string;
  model: string;
  files: CliFile[];
}

const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const lensTitles = async (uri: vscode.Uri) =>
  (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 50))
    .map((l) => l.command?.title ?? '')
    .filter(Boolean);
const hoverText = async (uri: vscode.Uri, pos: vscode.Position) =>
  (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos))
    .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')))
    .join('\n');
const agentDiagnostics = (uri: vscode.Uri) =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'KV Lens (agents)');

describe('Agent instruction files in the editor: where each agent puts them, what they cost, when an edit applies', () => {
  let api: KvLensApi;
  let written: { nested: string; legacy: string };
  before(async () => {
    api = await kvlens();
    written = writeAgentInstructions(folder());
  });
  afterEach(closeAll);
  after(() => {
    fs.rmSync(path.join(folder(), 'services'), { recursive: true, force: true });
    fs.rmSync(written.legacy, { force: true });
  });

  it('CLAUDE.md: the placement of every agent equals `kvlens agents --json`; lens and status bar say where, tokens, cost and when', async function () {
    // The first placement loads each agent's tokenizer, and the CLI runs once: more than mocha's 30 s on a busy machine.
    this.timeout(90_000);
    let editor = await open('CLAUDE.md');
    const p = await api.agentPlacement();
    assert.ok(p, 'CLAUDE.md is placed');
    console.log(
      `      CLAUDE.md placed in ${p.ms.toFixed(1)} ms (${p.shownMs?.toFixed(1) ?? '–'} ms from opening), ${p.foldersListed} folders listed, ${p.filesRead} files read`,
    );
    const json = (await cli(['agents', folder(), '--json'])) as { harnesses: CliHarness[] };
    const byCli = new Map(json.harnesses.map((h) => [h.harness, h]));
    assert.deepEqual(
      p.placements.map((x) => x.harness).sort(),
      json.harnesses
        .filter((h) => h.files.some((f) => f.path === 'CLAUDE.md'))
        .map((h) => h.harness)
        .sort(),
    );
    for (const x of p.placements) {
      const f = byCli.get(x.harness)!.files.find((y) => y.path === 'CLAUDE.md')!;
      assert.deepEqual(
        [x.loaded, x.role, x.tokens, x.bytesSent, x.bytesLost],
        [f.loaded, f.role, f.tokens, f.bytesSent, f.bytesLost],
        `${x.harness}: the editor and the CLI agree`,
      );
    }
    const claude = p.placements.find((x) => x.harness === 'claude-code')!;
    assert.equal(claude.loaded, 'always');
    assert.equal(claude.role, 'user');
    assert.equal(claude.cost?.requestsFrom, 'default');
    // Only the folders on the way to the file and the agent folders were listed, not the samples' every folder.
    assert.ok(p.foldersListed <= 12, `${p.foldersListed} folders listed`);

    // Opened again, with the tokenizers loaded: the time a user waits for the placement.
    await closeAll();
    editor = await open('CLAUDE.md');
    const again = await api.agentPlacement();
    console.log(
      `      opened again: placed ${again?.shownMs?.toFixed(1) ?? '–'} ms after opening (${again?.ms.toFixed(1)} ms of work)`,
    );
    const titles = await waitFor(
      () => lensTitles(editor.document.uri),
      (t) => t.some((x) => x.includes('Claude Code')),
    );
    const lens = titles.find((t) => t.includes('Claude Code'))!;
    assert.match(
      lens,
      /Claude Code · first user message, after ≈12k–20k tokens of system prompt and tools · [\d,]+ tokens in every request · \$[\d.]+ per session$/,
    );
    assert.ok(lens.includes(`${claude.tokens.toLocaleString('en-US')} tokens`), lens);
    assert.ok(titles.includes('edit applies next session; running sessions keep their cache'), titles.join(' | '));
    assert.ok(
      titles.some((t) => /^also GitHub Copilot/.test(t)),
      'Copilot reads CLAUDE.md too: ' + titles.join(' | '),
    );
    const status = await waitFor(
      () => api.agentStatusText() ?? '',
      (t) => t.startsWith('$(hubot)'),
    );
    assert.match(
      status,
      /^\$\(hubot\) Claude Code: [\d,]+ tokens · \$[\d.]+\/session · edit applies next session · \+1 agent$/,
    );
    const tip = api.agentStatusTooltip() ?? '';
    assert.ok(tip.includes('**GitHub Copilot \\(VS Code\\)** — system message'), tip);
    // The @import: its own entry after this file, with its tokens.
    const line = editor.document
      .getText()
      .split('\n')
      .findIndex((l) => l.startsWith('@docs/prompt-style.md'));
    const hover = await hoverText(editor.document.uri, new vscode.Position(line, 3));
    const imported = json.harnesses
      .find((h) => h.harness === 'claude-code')!
      .files.find((f) => f.path === 'docs/prompt-style.md')!;
    assert.ok(
      hover.includes(`\`docs/prompt-style.md\` as an entry of its own after this file: ${imported.tokens} tokens`),
      hover,
    );
    assert.deepEqual(p.ranges.cut, []);
    assert.ok(p.ranges.sent.length === 1 && p.ranges.sent[0][1] === editor.document.getText().length);
  });

  it('typing follows: tokens grow, a missing @import is a diagnostic on its line; an edit of the imported file re-places CLAUDE.md', async function () {
    this.timeout(60_000);
    const editor = await open('CLAUDE.md');
    const before = (await api.agentPlacement())!;
    const tokens0 = before.placements.find((x) => x.harness === 'claude-code')!.tokens;
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    await editor.edit((e) => e.insert(end, '\n\nAlso read the glossary:\n\n@docs/glossary.md\n'));
    const after = await waitFor(
      () => api.agentPlacement(),
      (x) => !!x && x.version === editor.document.version,
    );
    assert.ok(after, 'placed again after the edit');
    assert.ok(after.placements.find((x) => x.harness === 'claude-code')!.tokens > tokens0, 'more tokens');
    const missing = await waitFor(
      () => agentDiagnostics(editor.document.uri),
      (d) => d.some((x) => x.code === 'import-missing'),
    );
    const d = missing.find((x) => x.code === 'import-missing')!;
    assert.equal(editor.document.lineAt(d.range.start.line).text, '@docs/glossary.md');
    assert.match(d.message, /@docs\/glossary\.md: no such file; Claude Code skips it silently/);
    assert.ok(after.foldersListed <= 12, `an edit lists ${after.foldersListed} folders, not the workspace`);

    // Another file changes (the import, open and not saved): CLAUDE.md is placed again, its rewrite grows.
    const claudeUri = editor.document.uri;
    const rewrite0 = after.placements.find((x) => x.harness === 'claude-code')!.invalidates.instructionTokensAfter;
    const style = await open('docs/prompt-style.md');
    await style.edit((e) =>
      e.insert(new vscode.Position(0, 0), "Answer in the customer's language, always.\n".repeat(20)),
    );
    const again = await waitFor(
      () => api.agentPlacement(claudeUri),
      (x) =>
        (x?.placements.find((y) => y.harness === 'claude-code')?.invalidates.instructionTokensAfter ?? 0) > rewrite0,
    );
    assert.ok(
      again!.placements.find((y) => y.harness === 'claude-code')!.invalidates.instructionTokensAfter > rewrite0,
      'the imported file is read from the editor, not the disk',
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.window.showTextDocument(claudeUri);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('AGENTS.md: Codex, Copilot and Cursor; the date on line 3 is one diagnostic naming them, fixed by moving the line', async () => {
    const editor = await open('AGENTS.md');
    const p = (await api.agentPlacement())!;
    assert.deepEqual(
      p.placements.filter((x) => x.loaded === 'always').map((x) => x.harness),
      ['codex', 'copilot', 'cursor'],
    );
    const titles = await waitFor(
      () => lensTitles(editor.document.uri),
      (t) => t.some((x) => x.includes('Codex')),
    );
    assert.match(
      titles[0],
      /^\$\(hubot\) Codex CLI · first user message, after ≈4k–12k tokens of system prompt and tools · [\d,]+ tokens in every request · \$[\d.]+ per session$/,
    );
    const diags = await waitFor(
      () => agentDiagnostics(editor.document.uri),
      (d) => d.some((x) => x.code === 'dynamic-content'),
    );
    const date = diags.filter((x) => x.code === 'dynamic-content');
    assert.equal(date.length, 1, 'one entry for three agents');
    assert.equal(date[0].range.start.line, 2);
    assert.match(
      date[0].message,
      /^date "2026-11-28" in a file Codex loads in every session: .* \(also Copilot, Cursor\)$/,
    );
    const actions = await codeActionsWhere(editor.document.uri, date[0].range, (a) =>
      /^Move line 3 to the end/.test(a.title),
    );
    const move = actions.find((a) => /^Move line 3 to the end/.test(a.title))!;
    await vscode.workspace.applyEdit(move.edit!);
    assert.ok(editor.document.getText().trimEnd().endsWith('Last reviewed: 2026-11-28'));
    const moved = await waitFor(
      () => agentDiagnostics(editor.document.uri),
      (d) => d.some((x) => x.code === 'dynamic-content' && x.range.start.line > 10),
    );
    assert.ok(
      moved.some((x) => x.code === 'dynamic-content' && x.range.start.line > 10),
      'the diagnostic follows the line',
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it("a service's nested AGENTS.md: Codex started there reads the chain and never sends its last bytes — marked, hovered, diagnosed", async () => {
    const editor = await open(NESTED_AGENTS);
    const p = (await api.agentPlacement())!;
    assert.ok(p.nested, 'Codex in a session started in services/billing');
    assert.equal(p.nested.folder, 'services/billing');
    const root = fs.statSync(path.join(folder(), 'AGENTS.md')).size;
    assert.equal(p.nested.placement.bytesSent, 32_768 - root, 'the budget left after the root AGENTS.md');
    assert.equal(p.nested.placement.bytesLost, fs.statSync(written.nested).size - (32_768 - root));
    assert.equal(p.ranges.cut.length, 1);
    const cut = p.ranges.cut[0];
    assert.equal(cut.harness, 'codex');
    assert.equal(Buffer.byteLength(editor.document.getText().slice(0, cut.start)), 32_768 - root);
    const d = await waitFor(
      () => agentDiagnostics(editor.document.uri),
      (x) => x.some((y) => y.code === 'budget-truncated'),
    );
    const budget = d.find((y) => y.code === 'budget-truncated')!;
    assert.equal(budget.range.start.line, editor.document.positionAt(cut.start).line);
    assert.match(budget.message, /Codex sends only the first [\d]+ bytes of this file/);
    const hover = await hoverText(editor.document.uri, editor.document.positionAt(cut.start + 5));
    assert.match(hover, /Never sent by Codex/);
    const titles = await lensTitles(editor.document.uri);
    assert.ok(
      titles.some((t) => /Codex CLI · in a session started in services\/billing: first user message/.test(t)),
      titles.join(' | '),
    );
    assert.ok(
      titles.some((t) => /Codex never sends from here on/.test(t)),
      titles.join(' | '),
    );
  });

  it('.github/copilot-instructions.md: a system message, and an edit applies at the next turn with what it re-writes', async () => {
    const editor = await open('.github/copilot-instructions.md');
    const p = (await api.agentPlacement())!;
    const copilot = p.placements.find((x) => x.harness === 'copilot')!;
    assert.equal(copilot.role, 'system');
    assert.equal(copilot.invalidates.when, 'next-turn');
    const titles = await waitFor(
      () => lensTitles(editor.document.uri),
      (t) => t.some((x) => x.includes('Copilot')),
    );
    assert.match(
      titles[0],
      /GitHub Copilot \(VS Code\) · system message, after ≈10k–25k tokens of system prompt and tools and [\d,]+ tokens of other instructions/,
    );
    assert.ok(
      titles.includes(
        `edit applies next turn: re-writes ≈${copilot.invalidates.instructionTokensAfter.toLocaleString('en-US')} tokens + the conversation`,
      ),
      titles.join(' | '),
    );
  });

  it('a Cursor rule without front matter: warned; the fix adds a description and the rule becomes one Cursor lists', async () => {
    const editor = await open(LEGACY_RULE);
    const d = await waitFor(
      () => agentDiagnostics(editor.document.uri),
      (x) => x.some((y) => y.code === 'cursor-rule-no-front-matter'),
    );
    const w = d.find((y) => y.code === 'cursor-rule-no-front-matter')!;
    const actions = await codeActionsWhere(editor.document.uri, w.range, (a) => a.title.startsWith('Add front matter'));
    const titles = actions.map((a) => a.title);
    assert.ok(
      titles.includes(
        'Add front matter with a description ("Legacy style"): Cursor applies the rule when it is relevant',
      ),
      titles.join(' | '),
    );
    assert.ok(
      titles.some((t) => /^Add front matter with alwaysApply: true: Cursor sends the rule in every request/.test(t)),
    );
    await vscode.workspace.applyEdit(actions.find((a) => a.title.includes('a description'))!.edit!);
    const p = await waitFor(
      () => api.agentPlacement(),
      (x) => x?.version === editor.document.version,
    );
    assert.equal(p!.placements.find((x) => x.harness === 'cursor')!.loaded, 'listing');
    await waitFor(
      () => agentDiagnostics(editor.document.uri),
      (x) => !x.some((y) => y.code === 'cursor-rule-no-front-matter'),
    );
    assert.ok(!agentDiagnostics(editor.document.uri).some((y) => y.code === 'cursor-rule-no-front-matter'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('bad input — a 50 MB AGENTS.md, a link out of the workspace, a FIFO, an @import loop, malformed front matter: one line each naming the file, nothing hangs', async function () {
    this.timeout(120_000);
    const ws = folder();
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.md'), 'SECRET-OUTSIDE-THE-WORKSPACE\n');
    const made = [
      path.join(ws, 'hostile'),
      path.join(ws, '.cursor/rules/outside.mdc'),
      path.join(ws, '.cursor/rules/broken.mdc'),
      path.join(ws, '.claude'),
    ];
    try {
      fs.mkdirSync(path.join(ws, 'hostile'), { recursive: true });
      const big = Buffer.alloc(50 * 1024 * 1024, 'Rule: be brief.\n');
      fs.writeFileSync(path.join(ws, 'hostile/AGENTS.md'), big);
      fs.symlinkSync(path.join(outside, 'secret.md'), path.join(ws, '.cursor/rules/outside.mdc'));
      fs.writeFileSync(path.join(ws, '.cursor/rules/broken.mdc'), '---\nglobs: [prompts/**\n---\nBroken.\n');
      fs.mkdirSync(path.join(ws, '.claude/rules'), { recursive: true });
      fs.writeFileSync(path.join(ws, '.claude/rules/loop.md'), 'Loop one.\n\n@loop-b.md\n');
      fs.writeFileSync(path.join(ws, '.claude/rules/loop-b.md'), 'Loop two.\n\n@loop.md\n');
      execFileSync('mkfifo', [path.join(ws, '.claude/rules/pipe.md')]);

      const t0 = Date.now();
      const state = (await waitFor(
        () => api.agentContext(),
        (s) => !!s && s.problems.length >= 2,
        60_000,
      )) as AgentContextState;
      console.log(
        `      the whole folder with hostile files read in ${state.ms} ms (${Date.now() - t0} ms to the answer)`,
      );
      const problems = state.problems.join('\n');
      assert.match(
        problems,
        /^\.cursor\/rules\/outside\.mdc: is a link to .*secret\.md, outside the workspace: not read$/m,
      );
      assert.match(problems, /^\.claude\/rules\/pipe\.md: is a special, not a regular file: not read$/m);
      assert.ok(!JSON.stringify(state).includes('SECRET-OUTSIDE'), 'nothing outside the workspace is read');

      const loop = await open('.claude/rules/loop.md');
      const ld = await waitFor(
        () => agentDiagnostics(loop.document.uri),
        (d) => d.some((x) => x.code === 'import-cycle'),
      );
      assert.ok(
        ld.some((x) => x.code === 'import-cycle' && /@.*loop.*imports a file already being imported/.test(x.message)),
      );
      const broken = await open('.cursor/rules/broken.mdc');
      const bd = await waitFor(
        () => agentDiagnostics(broken.document.uri),
        (d) => d.some((x) => x.code === 'front-matter-malformed'),
      );
      assert.ok(bd.some((x) => x.code === 'front-matter-malformed' && x.range.start.line >= 1));

      // The 50 MB file is not read whole by anyone: Cursor (it loads a nested AGENTS.md) names it and moves on.
      assert.match(problems, /^hostile\/AGENTS\.md: 51200\.0 KiB file, over the 4096\.0 KiB limit: not read$/m);
    } finally {
      await closeAll();
      for (const m of made) fs.rmSync(m, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
