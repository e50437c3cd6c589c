import * as vscode from 'vscode';
import { pricesLabel } from '../../core/pricing/freshness';
import type { DocumentReport } from '../../core/analysis/documentReport';
import type { ModelChoice, ModelSource } from '../../core/analysis/modelChoice';
import { errorBandFor } from '../../core/tokenizer/errorBand';
import { getTokenizer } from '../../core/tokenizer/registry';
import type { TokenState } from '../../core/tokenizer/types';
import type { ExactCount } from '../../core/exactCount/countClient';
import type { Analysis } from '../analysis/cacheAnalyses';
import {
  againstBaseline,
  baselineShort,
  NO_EARLIER_VERSION,
  STEADY_MEANS,
  steadyNote,
  stepWords,
  type BaselineStep,
} from '../../core/report/baseline';
import { countKind } from '../../core/report/tokenizer';
import { blockName, blockOfToken } from '../../core/report/blocks';
import { count, share, tokens, usd } from '../../core/report/numbers';

const FROM: Record<ModelSource, string> = {
  file: 'named by the file',
  picked: 'picked for this file',
  settings: 'setting `kvlens.model`',
  default: 'KV Lens default',
  flag: '',
};

/** The short baseline name of the status bar, with a recorded send's countdown (core/report/baseline.ts). */
function baselineName(r: DocumentReport, a: Analysis, now = a.at): string {
  const sent = a.baseline.sentAt;
  const entry =
    r.report.baseline.kind === 'recorded' && sent !== undefined && a.model.ok
      ? { sentAt: sent, ttlMs: a.model.model.cache.ttlSeconds * 1000, analyzedAt: a.at }
      : undefined;
  return baselineShort(r.report.baseline, entry, now);
}

/**
 * The status bar items of the active prompt: the cache summary (cached/total, cost with vs without cache, baseline)
 * and the model; hidden for anything else. Clicking the summary opens the KV Lens actions.
 */
export class CacheStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly modelItem: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('kvlens.tokens', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'KV Lens: prompt cache';
    this.item.command = 'kvlens.estimateCost';
    this.modelItem = vscode.window.createStatusBarItem('kvlens.model', vscode.StatusBarAlignment.Right, 99);
    this.modelItem.name = 'KV Lens: model';
    this.modelItem.command = 'kvlens.selectModel';
  }

  /** Where the providers' own counts (opt-in, extension/commands/exactCounts.ts) are read from. */
  providedCount: (uri: string, version: number) => ExactCount | undefined = () => undefined;

  showReport(a: Analysis, r: DocumentReport, fileLabel: string, now = a.at): void {
    const rep = r.report;
    const exact = rep.tokenizer.exact;
    const cost = rep.cost ? ` · ${usd(rep.cost.withCache)} vs ${usd(rep.cost.uncached)}` : '';
    this.item.text = `$(zap) ${exact ? '' : '≈'}${count(rep.cachedTokens)}/${count(rep.tokens)} cached${cost} · ${baselineName(r, a, now)}`;
    this.item.tooltip = this.tooltip(a, r, fileLabel);
    this.item.accessibilityInformation = {
      label: `KV Lens: ${rep.cachedTokens} of ${rep.tokens} tokens cached${exact ? '' : ' (estimate)'}, baseline ${baselineName(r, a, now)}`,
      role: 'button',
    };
    this.item.backgroundColor = undefined;
    this.item.show();
    this.showModel(a.model);
  }

  private tooltip(a: Analysis, r: DocumentReport, fileLabel: string): vscode.MarkdownString {
    const rep = r.report;
    const m = a.model.ok ? a.model.model : undefined;
    const ex = rep.tokenizer.exact;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.isTrusted = {
      enabledCommands: [
        'kvlens.countExactly',
        'kvlens.estimateCost',
        'kvlens.chooseBaseline',
        'kvlens.recordAsSent',
        'kvlens.selectModel',
        'kvlens.toggleTint',
        'kvlens.showActions',
      ],
    };
    const rows = [
      `**KV Lens** — \`${escape(fileLabel)}\` against **${escape(baselineName(r, a))}**`,
      '',
      '| | tokens | share |',
      '| --- | ---: | ---: |',
      `| $(zap) read from cache | ${tokens(rep.cachedTokens, ex)} | ${share(rep.cachedTokens, rep.tokens)} |`,
      `| $(cloud-upload) written to cache | ${tokens(rep.cacheWriteTokens, ex)} | ${share(rep.cacheWriteTokens, rep.tokens)} |`,
      `| $(circle-outline) recomputed | ${tokens(rep.uncachedTokens, ex)} | ${share(rep.uncachedTokens, rep.tokens)} |`,
      `| **total** | **${tokens(rep.tokens, ex)}** | |`,
      ...steadyLines(a, r),
    ];
    if (rep.cost)
      rows.push(
        '',
        `Input cost per call: **${usd(rep.cost.withCache)}** with cache · ${usd(rep.cost.uncached)} without (−${rep.cost.savingsPercent}%)`,
      );
    const estTokenizer = ex ? undefined : getTokenizer(rep.tokenizer.encoding);
    const est = estTokenizer?.estimate;
    const band = estTokenizer && errorBandFor(estTokenizer, rep.blocks);
    if (m)
      rows.push(
        '',
        `Model **${escape(m.id)}** (${FROM[a.model.from] ?? a.model.from}) · \`${rep.tokenizer.encoding}\` (${escape(countKind(ex, band, est?.calibratedFrom))}) · cache from ${count(m.cache.minTokens)} tokens${m.cache.granularity > 1 ? `, steps of ${m.cache.granularity}` : ''} · prices ${/^https?:/.test(m.prices.source) ? `[source](${m.prices.source.split(' ')[0]} "${escape(m.prices.source).replace(/"/g, '')}")` : escape(m.prices.source)} as of ${m.prices.asOf}${m.prices.confidence && m.prices.confidence !== 'official' ? ` (**${pricesLabel(m)}**)` : ''}`,
      );
    const provided = this.providedCount(a.uri, a.version);
    if (provided?.ok)
      rows.push(
        '',
        `$(pass) Provider's own count: **${count(provided.tokens)}** input tokens — exact (${provided.endpointName})`,
      );
    else if (provided) rows.push('', `$(warning) exact count failed: ${escape(provided.message)}`);
    else
      rows.push(
        '',
        `[Count exactly](command:kvlens.countExactly) with the provider's endpoint (sends the prompt, with your key)`,
      );
    const d = rep.firstDivergence;
    if (d)
      rows.push(
        '',
        `$(warning) Cache breaks at line ${d.line}, column ${d.column}: ${escape(blockName(blockOfToken(r, d.token)))} ${escape(againstBaseline(r))}`,
      );
    for (const w of rep.warnings.filter((x) => x.code !== 'estimated-tokenizer').slice(0, 4))
      rows.push('', `$(info) ${escape(w.message)}`);
    if (r.baselineProblem) rows.push('', `$(warning) baseline not usable: ${escape(r.baselineProblem)}`);
    rows.push(
      '',
      'A click on this item opens the cost report ([Estimate cost](command:kvlens.estimateCost)). Also: [Choose baseline](command:kvlens.chooseBaseline) · [Record as sent](command:kvlens.recordAsSent) · [Select model](command:kvlens.selectModel) · [Toggle tint](command:kvlens.toggleTint)',
    );
    tip.appendMarkdown(rows.join('\n'));
    return tip;
  }

  private showModel(choice: ModelChoice): void {
    if (!choice.ok) {
      this.modelItem.hide();
      return;
    }
    const m = choice.model;
    this.modelItem.text = `$(hubot) ${m.id}`;
    this.modelItem.tooltip = `KV Lens model: ${m.displayName} (${FROM[choice.from] ?? choice.from}). Click to choose another.`;
    this.modelItem.show();
  }

  /** Before the first report: the plain token count (a big document is counted in the background). */
  showCount(state: TokenState | undefined, fileLabel: string): void {
    if (!state) {
      this.item.text = '$(sync~spin) counting…';
      this.item.tooltip = `KV Lens — counting the tokens of \`${fileLabel}\`…`;
    } else {
      this.item.text = `$(symbol-numeric) ${count(state.ids.length)} tokens`;
      this.item.tooltip = `KV Lens — ${count(state.ids.length)} tokens in \`${fileLabel}\` (\`${state.encoding}\`); analyzing the cache…`;
    }
    this.item.show();
  }

  showError(message: string, choice?: ModelChoice): void {
    this.item.text = '$(warning) KV Lens';
    this.item.tooltip = `KV Lens: ${message}`;
    this.item.accessibilityInformation = { label: `KV Lens: ${message}`, role: 'button' };
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.show();
    if (choice) this.showModel(choice);
    else this.modelItem.hide();
  }

  hide(): void {
    this.item.hide();
    this.modelItem.hide();
  }

  get text(): string {
    return this.item.text;
  }

  get tooltipText(): string {
    const t = this.item.tooltip;
    return typeof t === 'string' ? t : (t?.value ?? '');
  }

  dispose(): void {
    this.item.dispose();
    this.modelItem.dispose();
  }
}

/** A step to a baseline as the tooltip offers it: a command link where there is a command. */
const STEP_LINK: Record<BaselineStep, string> = {
  record: '[Record as Sent](command:kvlens.recordAsSent)',
  choose: '[Choose Baseline](command:kvlens.chooseBaseline)',
  commit: '',
  'turn-on-git': '',
};

/** Against the steady state: what it means, why it is all there is, and how to get an earlier version to compare. */
function steadyLines(a: Analysis, r: DocumentReport): string[] {
  const note = r.report.baseline.kind === 'steady' ? steadyNote(a.baseline.steady) : undefined;
  if (!note) return [];
  const steps = note.steps.map((s) => (STEP_LINK[s] ? `${STEP_LINK[s]} ${stepWords(s)}` : stepWords(s)));
  return [
    '',
    `$(info) Baseline **steady state** (${STEADY_MEANS})${note.noEarlierVersion ? ` — ${NO_EARLIER_VERSION}` : ''}: ${escape(note.why)}.`,
    ...(steps.length ? ['', steps.join(' · ')] : []),
  ];
}

/** File names and messages come from user files; keep them from being read as Markdown. */
function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&');
}
