import * as vscode from 'vscode';
import type { Catalog } from '../../core/pricing/catalog';
import { asOfTime } from '../../core/pricing/freshness';
import type { ModelInfo } from '../../core/pricing/types';
import { sentLabel, type BaselineOverride, type Baselines } from '../baseline/baselines';
import type { SendRecords } from '../baseline/sendRecords';
import { count } from '../../core/report/numbers';
import { readAttentionSettings, type AttentionModelChoice } from '../webviews/attention/attentionModels';

const PROVIDERS: Record<string, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google',
  deepseek: 'DeepSeek',
  xai: 'xAI',
  mistral: 'Mistral',
  vllm: 'Self-hosted',
  sglang: 'Self-hosted',
};

type ModelItem = vscode.QuickPickItem & { model?: string };

/**
 * A model in the pickers. The quick pick is about 600 px wide and cuts a line that does not fit (~80 characters), so
 * each line says one thing: beside the id, the name, cache rule and the count's kind — or, for a model being retired,
 * when and its successor; under it, the prices (USD per million tokens, in the title) with their date and standing.
 */
function modelItem(m: ModelInfo, picked: boolean): ModelItem {
  const p = m.prices;
  const writes = Object.entries(p.cacheWrite ?? {});
  const write = writes.length
    ? `${writes.map(([, v]) => `$${v}`).join('/')} write${writes.length > 1 ? ` ${writes.map(([k]) => k).join('/')}` : ''}`
    : undefined;
  const doubt = p.confidence === 'third-party' ? ', third party' : p.confidence === 'assumed' ? ', assumed' : '';
  const r = m.retired;
  return {
    model: m.id,
    label: m.id,
    description: r
      ? `$(warning) ${asOfTime(r.on) <= Date.now() ? 'retired' : 'retires'} ${r.on}${r.successor ? ` → ${r.successor}` : ''}`
      : [
          m.displayName,
          `cache ≥ ${count(m.cache.minTokens)}${m.cache.granularity > 1 ? ` by ${m.cache.granularity}` : ''}`,
          m.exactTokenizer ? 'exact count' : '≈ count',
        ].join(' · '),
    detail: [
      `$${p.input} in`,
      p.cachedInput !== undefined ? `$${p.cachedInput} cached` : undefined,
      write,
      `$${p.output} out`,
      `${p.asOf}${doubt}`,
    ]
      .filter(Boolean)
      .join(' · '),
    picked,
    ...(picked ? { iconPath: new vscode.ThemeIcon('check') } : {}),
  };
}

/** The catalog's models grouped by provider (a separator per provider), for both model pickers. */
function modelItems(catalog: Catalog, picked: (id: string) => boolean): ModelItem[] {
  const items: ModelItem[] = [];
  let group = '';
  for (const m of catalog.models) {
    const g = PROVIDERS[m.provider] ?? m.provider;
    if (g !== group) {
      items.push({ label: g, kind: vscode.QuickPickItemKind.Separator });
      group = g;
    }
    items.push(modelItem(m, picked(m.id)));
  }
  return items;
}

/** A quick pick of the catalog's models grouped by provider, with prices, cache minimum and as-of date. */
export async function pickModel(
  catalog: Catalog,
  current: string | undefined,
  fileNames: string | undefined,
): Promise<string | undefined> {
  const items: ModelItem[] = [
    fileNames
      ? { label: `$(file) The file's own model`, description: `${fileNames}, as the file names it`, model: '' }
      : { label: '$(settings) Workspace default', description: 'setting kvlens.model', model: '' },
    ...modelItems(catalog, (id) => id === current),
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: 'KV Lens: model for this file (prices in USD per million tokens)',
    placeHolder: fileNames
      ? `A pick overrides the file's "${fileNames}" in KV Lens only (the file is not changed)`
      : 'Model whose tokenizer, cache rules and prices KV Lens applies to this file',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return pick?.model;
}

/** A multi-select of the same items (the cost report's models to compare). */
export async function pickModels(catalog: Catalog, current: readonly string[]): Promise<string[] | undefined> {
  const picks = await vscode.window.showQuickPick(
    modelItems(catalog, (id) => current.includes(id)),
    {
      canPickMany: true,
      title: 'KV Lens: models to compare (prices in USD per million tokens)',
      matchOnDescription: true,
      matchOnDetail: true,
    },
  );
  return picks?.flatMap((p) => (p.model ? [p.model] : []));
}

/** "Choose Baseline": the automatic choice, the steady state, another file, or one recorded send with its TTL left. */
export async function pickBaseline(
  doc: vscode.TextDocument,
  baselines: Baselines,
  records: SendRecords,
  now: number,
): Promise<{ override: BaselineOverride | undefined } | undefined> {
  type Item = vscode.QuickPickItem & { choice?: BaselineOverride | 'file' | 'auto' };
  const current = baselines.overrideOf(doc.uri);
  const items: Item[] = [
    {
      label: '$(sync) Automatic',
      description: 'the setting kvlens.baseline (auto: a recorded send, else git HEAD, else the steady state)',
      choice: 'auto',
    },
    {
      label: '$(file) Another file…',
      description: 'compare with what another prompt file left in the cache',
      choice: 'file',
    },
  ];
  const mine = records.of(doc.uri.toString());
  if (mine.length) items.push({ label: 'Recorded sends', kind: vscode.QuickPickItemKind.Separator });
  for (const r of mine) {
    const left = r.sentAt + r.ttlMs - now;
    items.push({
      label: `$(history) ${sentLabel(r.sentAt)}`,
      description: `${r.model} · ${left > 0 ? `${Math.ceil(left / 60_000)} min of TTL left` : 'expired'}`,
      choice: { kind: 'recorded', sentAt: r.sentAt },
      picked: current?.kind === 'recorded' && current.sentAt === r.sentAt,
    });
  }
  const pick = await vscode.window.showQuickPick(items, { title: 'KV Lens: baseline (what was sent before)' });
  if (!pick?.choice) return undefined;
  if (pick.choice === 'auto') return { override: undefined };
  if (pick.choice === 'file') {
    const uris = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Compare with this file',
      defaultUri: vscode.Uri.joinPath(doc.uri, '..'),
    });
    return uris?.[0] ? { override: { kind: 'file', uri: uris[0] } } : undefined;
  }
  return { override: pick.choice };
}

/** The attention panel's model: the shipped demo, GPT-2 from the hub (downloaded once), or an ONNX file on disk. */
export async function pickAttentionModel(canDownload: boolean): Promise<AttentionModelChoice | undefined> {
  const s = readAttentionSettings();
  type Item = vscode.QuickPickItem & { choice?: AttentionModelChoice; browse?: boolean };
  const items: Item[] = [
    {
      label: '$(beaker) Demo GPT-2',
      description: 'shipped, offline',
      detail: 'Generated weights (2 layers × 4 heads, GPT-2 vocabulary): three heads built to show known patterns',
      choice: { kind: 'demo' },
    },
    ...(canDownload
      ? [
          vscode.workspace.isTrusted
            ? {
                label: '$(cloud-download) GPT-2 from the Hugging Face hub',
                description: `${s.repo}/${s.file}`,
                detail: "Downloaded once into the extension's storage (hundreds of MB), checked by SHA-256",
                choice: { kind: 'hub' } as AttentionModelChoice,
              }
            : {
                label: '$(workspace-untrusted) GPT-2 from the Hugging Face hub',
                description: 'needs a trusted workspace',
                detail:
                  'Restricted Mode: KV Lens downloads nothing in a workspace you have not trusted (Manage Workspace Trust)',
                choice: { kind: 'hub' } as AttentionModelChoice,
              },
        ]
      : []),
    {
      label: '$(folder-opened) ONNX file on disk…',
      detail: 'A GPT-2 export with its KV cache (past_key_values.* inputs)',
      browse: true,
    },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'KV Lens: attention model' });
  if (!pick) return undefined;
  if (!pick.browse) return pick.choice;
  const files = await vscode.window.showOpenDialog({
    canSelectMany: false,
    canSelectFolders: true,
    canSelectFiles: true,
    filters: { 'ONNX model': ['onnx'] },
    title: 'GPT-2 ONNX model (file or folder)',
  });
  return files?.[0] ? { kind: 'local', path: files[0].fsPath } : undefined;
}
