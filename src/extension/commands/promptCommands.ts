import * as vscode from 'vscode';
import type { Baselines } from '../baseline/baselines';
import type { SendRecords } from '../baseline/sendRecords';
import type { CacheAnalyses } from '../analysis/cacheAnalyses';
import type { CacheDiagnostics } from '../editor/cacheDiagnostics';
import type { Clock } from '../analysis/clock';
import { label } from '../editor/editorViews';
import type { PickedModels } from '../settings/pickedModels';
import { pickBaseline, pickModel } from './pickers';
import type { PromptCacheTree } from '../views/promptCacheTree';
import type { PromptDocuments } from '../analysis/promptDocuments';
import type { KvLensSettings } from '../settings/settings';
import type { UserCatalog } from '../pricing/userCatalog';

export interface PromptCommandParts {
  readonly analyses: CacheAnalyses;
  readonly prompts: PromptDocuments;
  readonly diagnostics: CacheDiagnostics;
  readonly baselines: Baselines;
  readonly records: SendRecords;
  readonly models: PickedModels;
  readonly catalog: UserCatalog;
  readonly tree: PromptCacheTree;
  readonly clock: Clock;
  readonly settings: () => KvLensSettings;
  /** Re-analyzes every open prompt (recorded sends forgotten). */
  readonly reanalyzeAll: () => void;
}

function activeDoc(): vscode.TextDocument | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc) void vscode.window.showWarningMessage('KV Lens: open a prompt file first.');
  return doc;
}

/** "Record as Sent": this text is what the provider now holds, for the model's TTL. */
export async function recordAsSent(p: PromptCommandParts, doc: vscode.TextDocument): Promise<boolean> {
  const a = await p.analyses.current(doc);
  if (!a?.model.ok) {
    void vscode.window.showWarningMessage(
      `KV Lens: cannot record ${label(doc)}: ${a && !a.model.ok ? a.model.message : 'it is not a prompt'}`,
    );
    return false;
  }
  const ok = p.records.add({
    uri: doc.uri.toString(),
    text: doc.getText(),
    model: a.model.model.id,
    sentAt: p.clock.now(),
    ttlMs: a.model.model.cache.ttlSeconds * 1000,
  });
  if (!ok) {
    void vscode.window.showWarningMessage(`KV Lens: ${label(doc)} is too large to record (limit 2 MB).`);
    return false;
  }
  p.baselines.override(doc.uri, undefined);
  p.analyses.invalidate([doc]);
  return true;
}

/** The commands that act on the active prompt: what it is compared with, its model, what is shown of it. */
export function registerPromptCommands(p: PromptCommandParts): vscode.Disposable[] {
  const { analyses, prompts, diagnostics, baselines, records, models, catalog, tree, clock } = p;
  return [
    vscode.commands.registerCommand('kvlens.revealOffset', async (uri: vscode.Uri, offset: number) => {
      const editor = await vscode.window.showTextDocument(uri);
      const pos = editor.document.positionAt(offset);
      editor.selection = new vscode.Selection(pos, pos);
      editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }),
    vscode.commands.registerCommand('kvlens.refreshPromptCache', () => tree.invalidate()),
    vscode.commands.registerCommand('kvlens.inspectFile', () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc) {
        void vscode.window.showWarningMessage('KV Lens: open a file to inspect first.');
        return false;
      }
      prompts.inspect(doc);
      return true;
    }),
    vscode.commands.registerCommand('kvlens.stopInspectingFile', () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc) return;
      prompts.stopInspecting(doc);
      if (!prompts.isPrompt(doc)) {
        analyses.forget(doc);
        diagnostics.clear(doc.uri);
      }
    }),
    vscode.commands.registerCommand('kvlens.currentReport', async () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc || !prompts.isPrompt(doc)) return undefined;
      const a = await analyses.current(doc);
      return a?.result.ok
        ? { file: doc.uri.fsPath, ...a.result.value.report }
        : { error: a && !a.result.ok ? a.result.message : 'not analyzed' };
    }),
    vscode.commands.registerCommand('kvlens.recordAsSent', async () => {
      const doc = activeDoc();
      if (!doc) return false;
      const ok = await recordAsSent(p, doc);
      if (ok) void vscode.window.setStatusBarMessage(`KV Lens: recorded ${label(doc)} as sent`, 3000);
      return ok;
    }),
    vscode.commands.registerCommand('kvlens.forgetRecordedSends', () => {
      const doc = vscode.window.activeTextEditor?.document;
      records.clear();
      if (doc) baselines.override(doc.uri, undefined);
      p.reanalyzeAll();
    }),
    vscode.commands.registerCommand(
      'kvlens.chooseBaseline',
      async (choice?: { kind: 'file'; path: string } | { kind: 'recorded'; sentAt: number } | 'auto') => {
        const doc = activeDoc();
        if (!doc) return;
        // Tests and other extensions pass the choice; people get the quick pick.
        const picked =
          choice === undefined
            ? await pickBaseline(doc, baselines, records, clock.now())
            : {
                override:
                  choice === 'auto'
                    ? undefined
                    : choice.kind === 'file'
                      ? { kind: 'file' as const, uri: vscode.Uri.file(choice.path) }
                      : choice,
              };
        if (!picked) return;
        baselines.override(doc.uri, picked.override);
        analyses.invalidate([doc]);
      },
    ),
    vscode.commands.registerCommand('kvlens.selectModel', async (id?: string) => {
      const doc = activeDoc();
      if (!doc) return;
      const a = analyses.last(doc);
      const named = a?.parsed.prompts[0]?.model;
      const pick = id ?? (await pickModel(catalog.current, a?.model.ok ? a.model.model.id : undefined, named));
      if (pick === undefined) return;
      // '' = back to the file's own model (or the workspace default). A pick on a file that names its model overrides
      // it for this file, in KV Lens only: the file is not changed.
      await models.set(doc.uri, pick || undefined, !!named);
      if (named && pick && id === undefined)
        void vscode.window.showInformationMessage(
          `KV Lens: ${label(doc)} is now analyzed as ${pick}, instead of the ${named} it names (the file is unchanged). Select Model → "The file's own model" goes back.`,
        );
      analyses.invalidate([doc]);
    }),
    vscode.commands.registerCommand('kvlens.toggleTint', async () => {
      await vscode.workspace
        .getConfiguration('kvlens')
        .update('decorations.tint', !p.settings().tint, vscode.ConfigurationTarget.Global);
    }),
    vscode.commands.registerCommand('kvlens.showActions', async () => {
      const items: (vscode.QuickPickItem & { command: string })[] = [
        {
          label: '$(graph-line) Estimate Cost…',
          description: 'per call, per day and per month, with and without the cache',
          command: 'kvlens.estimateCost',
        },
        {
          label: '$(history) Record as Sent',
          description: 'the current text is what the provider now holds',
          command: 'kvlens.recordAsSent',
        },
        {
          label: '$(git-compare) Choose Baseline…',
          description: 'what was sent before: git HEAD, a recorded send, another file',
          command: 'kvlens.chooseBaseline',
        },
        {
          label: '$(hubot) Select Model…',
          description: 'tokenizer, cache rules and prices',
          command: 'kvlens.selectModel',
        },
        {
          label: '$(paintcan) Toggle Cache Tint',
          description: 'show or hide the cached-prefix highlight',
          command: 'kvlens.toggleTint',
        },
      ];
      const pick = await vscode.window.showQuickPick(items, { title: 'KV Lens' });
      if (pick) await vscode.commands.executeCommand(pick.command);
    }),
    vscode.commands.registerCommand('kvlens.debug.timings', () => ({
      analysisMs: [...analyses.timings],
      keystrokes: [...analyses.keystrokes],
      paths: {
        live: analyses.paths.live,
        full: analyses.paths.full,
        declined: Object.fromEntries(analyses.paths.declined),
      },
    })),
  ];
}
