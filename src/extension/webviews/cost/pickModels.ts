import * as vscode from 'vscode';
import type { Catalog } from '../../../core/pricing/catalog';

const PROVIDERS: Record<string, string> = { openai: 'OpenAI', anthropic: 'Anthropic', google: 'Google', deepseek: 'DeepSeek', xai: 'xAI', mistral: 'Mistral', vllm: 'Self-hosted', sglang: 'Self-hosted' };

/** A multi-select quick pick of the catalog's models grouped by provider, with prices and as-of dates. */
export async function pickModels(catalog: Catalog, current: readonly string[]): Promise<string[] | undefined> {
  type Item = vscode.QuickPickItem & { model?: string };
  const items: Item[] = [];
  let group = '';
  for (const m of catalog.models) {
    const g = PROVIDERS[m.provider] ?? m.provider;
    if (g !== group) { items.push({ label: g, kind: vscode.QuickPickItemKind.Separator }); group = g; }
    const p = m.prices;
    items.push({
      model: m.id, label: m.id, picked: current.includes(m.id),
      description: [`$${p.input} in`, p.cachedInput !== undefined ? `$${p.cachedInput} cached` : undefined, `$${p.output} out /MTok`].filter(Boolean).join(' · '),
      detail: `${m.displayName} · prices as of ${p.asOf}${p.notes && /unverified|memory|third-party/i.test(p.notes) ? ' · unverified' : ''}`,
    });
  }
  const picks = await vscode.window.showQuickPick(items, { canPickMany: true, title: 'KV Lens: models to compare', matchOnDescription: true, matchOnDetail: true });
  return picks?.flatMap((p) => (p.model ? [p.model] : []));
}
