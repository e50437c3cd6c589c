import * as vscode from 'vscode';
import type { Catalog } from '../../core/pricing/catalog';
import type { SessionSummary, SessionVerdict } from '../../core/replay/sessionReplay';
import { shortLabel } from '../../core/text/shortLabel';
import type { ReplayReportState } from '../../protocol';
import { ReplayPanel, requestView } from '../webviews/replay/replayPanel';

// The "Agent Sessions" view: the Claude Code and Codex sessions of the open workspace, newest first, each with its
// model calls, hit rate, cost and what the avoidable misses cost; a click opens it in the replay report. Everything is
// read on this machine and nothing is sent anywhere; the report shows no prompt text.

export interface AgentSessionEntry {
  readonly tool: 'claude-code' | 'codex';
  readonly file: string;
  readonly mtime: number;
  readonly size: number;
  readonly label?: string;
}
export interface SessionReplayResult {
  readonly verdicts: readonly SessionVerdict[];
  readonly truncated: number;
  readonly summary: SessionSummary;
}

/** This machine's transcripts (Node extension host only). */
export interface AgentSessionSource {
  list(folder: string): AgentSessionEntry[];
  replay(
    file: string,
    tool: AgentSessionEntry['tool'],
    catalog: Catalog,
    fallbackModel: string,
    opts: { maxVerdicts: number; signal?: AbortSignal; onProgress?: (read: number, total: number) => void },
  ): Promise<SessionReplayResult | undefined>;
}

/** What the view and `kvlens.agentSessions` say of one session. */
export interface AgentSessionInfo {
  readonly tool: AgentSessionEntry['tool'];
  readonly file: string;
  readonly label: string;
  readonly requests: number;
  readonly hitRate: number | null;
  readonly cost: number;
  /** What the misses with a cause the user controls cost beyond a cache read. */
  readonly avoidable: number;
  /** What the provider's misses (evicted, rerouted) cost beyond a cache read: apart from the avoidable ones. */
  readonly providerSide: number;
  readonly problem?: string;
}

const MAX_SESSIONS = 50;
const MAX_SHOWN = 5000;
const TOOL_NAME = { 'claude-code': 'Claude Code', codex: 'Codex' } as const;
/**
 * What a row holds at the default sidebar width before the workbench cuts it (a 300 px sidebar leaves ~250 px for
 * the label and description, ~40 characters): the description's figures first, the label cut to the rest.
 */
const ROW_CHARS = 38;

const usd2 = (x: number) => `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const usd4 = (x: number) => `$${x.toLocaleString('en-US', { minimumFractionDigits: 4, maximumFractionDigits: 4 })}`;

/**
 * One session: a short label (the user's first request) so the figures beside it show at the default sidebar width —
 * calls, hit rate and cost in the description — and everything in the tooltip: the whole request, when, which agent,
 * the avoidable misses and the provider's apart.
 */
/** A session's figures as its row says them: "4 calls · 94 % · $0.03". */
function sessionFigures(info: AgentSessionInfo): { calls: string; pct: string; line: string } {
  const pct = info.hitRate === null ? '–' : `${Math.round(info.hitRate * 100)} %`;
  const calls = `${info.requests.toLocaleString('en-US')} call${info.requests === 1 ? '' : 's'}`;
  return { calls, pct, line: `${calls} · ${pct} · ${usd2(info.cost)}` };
}

class SessionItem extends vscode.TreeItem {
  constructor(
    readonly entry: AgentSessionEntry,
    info: AgentSessionInfo | undefined,
  ) {
    const when = new Date(entry.mtime).toISOString().slice(0, 16).replace('T', ' ');
    const full = entry.label ?? `${TOOL_NAME[entry.tool]} session of ${when}`;
    const figures = info && !info.problem ? sessionFigures(info) : undefined;
    const description = figures?.line ?? info?.problem ?? 'replaying…';
    super(shortLabel(full, Math.max(12, ROW_CHARS - description.length)), vscode.TreeItemCollapsibleState.None);
    this.description = description;
    this.iconPath = new vscode.ThemeIcon(entry.tool === 'codex' ? 'terminal' : 'hubot');
    this.resourceUri = vscode.Uri.file(entry.file);
    this.contextValue = 'kvlens.agentSession';
    this.command = { command: 'kvlens.openAgentSession', title: 'Open in the Replay Report', arguments: [entry.file] };
    const tip = new vscode.MarkdownString()
      .appendMarkdown(`**${TOOL_NAME[entry.tool]} session** · ${when} UTC\n\n`)
      .appendText(`${full}\n\n`);
    this.tooltip = tip;
    if (!info || !figures) {
      tip.appendText(`${description}\n\n${entry.file}`);
      return;
    }
    const { calls, pct } = figures;
    tip.appendText(
      [
        `${calls} · hit rate ${pct} (cached / all input tokens, as the file's usage says) · cost ${usd4(info.cost)}`,
        `Avoidable misses (a cause you control): ${usd4(info.avoidable)}`,
        `The provider's misses (it evicted the prefix or routed the call elsewhere; not avoidable): ${usd4(info.providerSide)}`,
        entry.file,
      ].join('\n\n'),
    );
    this.accessibilityInformation = {
      label: `${TOOL_NAME[entry.tool]} session ${full}: ${calls}, ${pct} cached, ${usd2(info.cost)}`,
    };
  }
}

export class AgentSessionsView implements vscode.TreeDataProvider<SessionItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Summaries by file, kept while the file is unchanged (its size and time). */
  private readonly infos = new Map<string, { key: string; info: AgentSessionInfo }>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly source: AgentSessionSource,
    private readonly catalog: () => Catalog,
    private readonly fallbackModel: () => string,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  private entries(): AgentSessionEntry[] {
    const folders = vscode.workspace.workspaceFolders ?? [];
    return folders
      .filter((f) => f.uri.scheme === 'file')
      .flatMap((f) => this.source.list(f.uri.fsPath))
      .sort((a, b) => b.mtime - a.mtime)
      .slice(0, MAX_SESSIONS);
  }

  getTreeItem(item: SessionItem): SessionItem {
    return item;
  }

  getChildren(item?: SessionItem): SessionItem[] {
    if (item) return [];
    const entries = this.entries();
    const pending = entries.filter((e) => this.infos.get(e.file)?.key !== key(e));
    // One replay at a time, in the background: the view shows each session as soon as its figures are known.
    if (pending.length) this.queue = this.queue.then(() => this.summarize(pending));
    return entries.map(
      (e) => new SessionItem(e, this.infos.get(e.file)?.key === key(e) ? this.infos.get(e.file)!.info : undefined),
    );
  }

  private async summarize(entries: readonly AgentSessionEntry[]): Promise<void> {
    for (const e of entries) {
      if (this.infos.get(e.file)?.key === key(e)) continue;
      this.infos.set(e.file, { key: key(e), info: await this.info(e) });
      this.changed.fire();
    }
  }

  private async info(e: AgentSessionEntry): Promise<AgentSessionInfo> {
    const base = { tool: e.tool, file: e.file, label: e.label ?? e.file.split(/[\\/]/).pop()! };
    const none = { requests: 0, hitRate: null, cost: 0, avoidable: 0, providerSide: 0 };
    try {
      const r = await this.source.replay(e.file, e.tool, this.catalog(), this.fallbackModel(), { maxVerdicts: 0 });
      if (!r) return { ...base, ...none, problem: 'cancelled' };
      const s = r.summary;
      return {
        ...base,
        requests: s.requests,
        hitRate: s.hitRate.actual,
        cost: s.money.actual,
        avoidable: s.money.avoidable,
        providerSide: s.money.providerSide,
      };
    } catch (err) {
      return { ...base, ...none, problem: `cannot be read: ${(err as Error).message}` };
    }
  }

  /** Every session of the workspace with its figures (waits for the replays): the `kvlens.agentSessions` command. */
  async all(): Promise<AgentSessionInfo[]> {
    const entries = this.entries();
    await this.summarize(entries);
    return entries.map((e) => this.infos.get(e.file)!.info);
  }

  /** Replays a session with progress and cancel, and shows it in the replay report. */
  async open(extensionUri: vscode.Uri, file: string): Promise<ReplayReportState | undefined> {
    const entry = this.entries().find((e) => e.file === file);
    const tool = entry?.tool ?? (/rollout-.*\.jsonl$/.test(file) ? 'codex' : 'claude-code');
    const r = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `KV Lens: replaying the ${TOOL_NAME[tool]} session`,
        cancellable: true,
      },
      (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        let shown = 0;
        return this.source.replay(file, tool, this.catalog(), this.fallbackModel(), {
          maxVerdicts: MAX_SHOWN,
          signal: ac.signal,
          onProgress: (read, total) => {
            const pct = total ? Math.floor((100 * read) / total) : 0;
            if (pct > shown) {
              progress.report({
                increment: pct - shown,
                message:
                  total < 1 << 20
                    ? `${Math.round(read / 1024)} of ${Math.round(total / 1024)} KB`
                    : `${Math.round(read / (1 << 20))} of ${Math.round(total / (1 << 20))} MB`,
              });
              shown = pct;
            }
          },
        });
      },
    );
    if (!r) return undefined;
    const state = stateOf(file, entry?.label, r);
    ReplayPanel.show(extensionUri, vscode.Uri.file(file), state);
    return state;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

const key = (e: AgentSessionEntry) => `${e.mtime}:${e.size}`;

function stateOf(file: string, label: string | undefined, r: SessionReplayResult): ReplayReportState {
  const s = r.summary;
  return {
    title: `${TOOL_NAME[s.format]} session${label ? `: ${label}` : ''}`,
    file,
    requests: r.verdicts.map(requestView),
    truncated: r.truncated,
    summary: { ...s, format: s.format, inferred: s.inferred, providerReasons: s.providerReasons },
  };
}
