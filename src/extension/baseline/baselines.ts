import * as vscode from 'vscode';
import type { BaselineInput, SteadyReason } from '../../core/analysis/documentReport';
import { STEADY_STATE } from '../../core/analysis/versions';
import { MAX_ANALYZED_CHARS } from '../../core/prompt/parse';
import type { Clock } from '../analysis/clock';
import { readWorkspaceText } from '../workspace/workspaceFiles';
import type { GitBaseline } from './gitBaseline';
import type { SendRecord, SendRecords } from './sendRecords';

/** Setting kvlens.baseline. */
export type BaselineSetting = 'auto' | 'git' | 'steady' | 'recorded';

/** A per-document choice from "Choose Baseline": another file, or one recorded send. */
export type BaselineOverride =
  { readonly kind: 'file'; readonly uri: vscode.Uri } | { readonly kind: 'recorded'; readonly sentAt: number };

const steady = (why: SteadyReason): BaselineInput => ({ kind: 'steady', label: STEADY_STATE, steady: why });

/** What git's answer says about the steady state: off, no repository, not committed, or as committed. */
const GIT_WHY = { unavailable: 'off', 'no-repository': 'no-repository', untracked: 'untracked' } as const;

export function sentLabel(sentAt: number): string {
  const d = new Date(sentAt);
  return `sent ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export function recordBaseline(r: SendRecord): BaselineInput {
  return { kind: 'recorded', label: sentLabel(r.sentAt), text: r.text, sentAt: r.sentAt };
}

/**
 * Decides, per document, what was sent before. `auto`: the newest live recorded send when there is one (the user
 * said what was sent), else git HEAD when the file is tracked and differs from it, else the steady state. Without git
 * the git step is skipped quietly.
 */
export class Baselines {
  private readonly overrides = new Map<string, BaselineOverride>();
  private readonly histories = new Map<
    string,
    { git: readonly string[]; records: number; newest: number | undefined; versions: readonly string[] }
  >();

  constructor(
    private readonly git: GitBaseline,
    private readonly records: SendRecords,
    private readonly clock: Clock,
    private readonly setting: (uri: vscode.Uri) => BaselineSetting,
  ) {}

  override(uri: vscode.Uri, choice: BaselineOverride | undefined): void {
    if (choice) this.overrides.set(uri.toString(), choice);
    else this.overrides.delete(uri.toString());
  }

  overrideOf(uri: vscode.Uri): BaselineOverride | undefined {
    return this.overrides.get(uri.toString());
  }

  /**
   * What the file looked like before, oldest first: its recent git versions, then its recorded sends — the history
   * from which the lines that keep changing are learned. Consecutive equal versions count once.
   */
  async history(doc: vscode.TextDocument): Promise<readonly string[]> {
    const git = await this.git.history(doc.uri);
    const records = this.records.of(doc.uri.toString());
    const key = doc.uri.toString();
    // The same array while nothing changed (same HEAD, same records): analysis keeps work on it per array.
    const hit = this.histories.get(key);
    if (hit && hit.git === git && hit.records === records.length && hit.newest === records[0]?.sentAt)
      return hit.versions;
    const all = [...git, ...records.map((r) => r.text).reverse()];
    const versions = all.filter((t, i) => i === 0 || t !== all[i - 1]);
    this.histories.set(key, { git, records: records.length, newest: records[0]?.sentAt, versions });
    return versions;
  }

  /** `current` is the document's text, read only when it has the length of git HEAD's (the live path never copies it). */
  async resolve(
    doc: vscode.TextDocument,
    current: { readonly length: number; text(): string },
  ): Promise<BaselineInput> {
    const key = doc.uri.toString();
    const o = this.overrides.get(key);
    if (o?.kind === 'file') {
      try {
        const read = await readWorkspaceText(o.uri, { maxBytes: MAX_ANALYZED_CHARS });
        if (!read.ok) throw new Error(read.message);
        const other = read.text;
        return {
          kind: 'file',
          label: vscode.workspace.asRelativePath(o.uri, false),
          text: other,
          fileName: o.uri.path,
        };
      } catch {
        this.overrides.delete(key);
      }
    }
    if (o?.kind === 'recorded') {
      const r = this.records.of(key).find((x) => x.sentAt === o.sentAt);
      if (r) return recordBaseline(r);
      this.overrides.delete(key);
    }
    const mode = this.setting(doc.uri);
    if (mode === 'steady') return steady({ setting: 'steady' });
    const now = this.clock.now();
    const record = this.records.latest(key, now);
    const alive = record !== undefined && record.sentAt + record.ttlMs > now;
    // What was recorded, for the words on a steady state (in mode `git` a live send is there but not used).
    const recorded = !record ? 'none' : alive ? undefined : 'expired';
    if (mode === 'recorded') return record ? recordBaseline(record) : steady({ setting: 'recorded', recorded });
    if (mode === 'auto' && record && alive) return recordBaseline(record);
    const head = await this.git.head(doc.uri);
    if (head.kind !== 'text') return steady({ git: GIT_WHY[head.kind], recorded });
    if (mode === 'git' || head.text.length !== current.length || head.text !== current.text())
      return { kind: 'git', label: 'git HEAD', text: head.text };
    return steady({ git: 'unchanged', recorded });
  }
}
