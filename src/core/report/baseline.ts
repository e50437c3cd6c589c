import type { BaselineKind, DocumentReport, SteadyReason } from '../analysis/documentReport';

// The baseline (what was sent before) in words: its short name for the status bar, what a break is "against", and
// why the steady state is all there is — with the steps that give a prompt an earlier version to compare with.

/** "changed since git HEAD", "differs from the version sent at 10:02", "differs from other.prompt.md". */
export function againstBaseline(r: DocumentReport): string {
  const b = r.report.baseline;
  if (b.kind === 'git') return 'changed since git HEAD';
  if (b.kind === 'recorded') return `differs from the version ${b.label.replace(/^sent /, 'sent at ')}`;
  if (b.kind === 'file') return `differs from ${b.label}`;
  return 'differs from what was sent before';
}

/** A recorded send's cache entry: when it was sent, how long it lives, and when the report was made. */
export interface SentEntry {
  readonly sentAt: number;
  readonly ttlMs: number;
  readonly analyzedAt: number;
}

/**
 * The short baseline name of the status bar: "git HEAD", "steady state", "sent 10:02 (4 min left)", "other.prompt.md".
 * A recorded send counts down to `now`, but never past what the report saw: an entry that expired since reads
 * "expired" only once the document is analyzed again.
 */
export function baselineShort(
  b: { readonly kind: BaselineKind; readonly label: string },
  entry?: SentEntry,
  now = entry?.analyzedAt ?? 0,
): string {
  if (b.kind === 'steady') return 'steady state';
  if (b.kind === 'recorded' && entry) {
    const end = entry.sentAt + entry.ttlMs;
    const left = end - Math.max(entry.analyzedAt, Math.min(now, end - 1000));
    return left > 0
      ? `${b.label} (${left >= 60_000 ? `${Math.ceil(left / 60_000)} min` : `${Math.ceil(left / 1000)} s`} left)`
      : `${b.label} (expired)`;
  }
  if (b.kind === 'file') return b.label.split('/').pop()!;
  return b.label;
}

/** What the steady state means, in one phrase. */
export const STEADY_MEANS = 'this prompt sent again unchanged';
/** Why no edit breaks the cache when the steady state is all there is. */
export const NO_EARLIER_VERSION = 'no earlier version to compare edits with';

/** A way to give a prompt an earlier version to compare with. */
export type BaselineStep = 'record' | 'choose' | 'commit' | 'turn-on-git';

export interface SteadyNote {
  /**
   * True when the steady state is there for lack of anything else: edits then never show a break, and the user should
   * be told why once. False when it was chosen, or when the file is as committed (an edit then breaks against HEAD).
   */
  readonly noEarlierVersion: boolean;
  /** Why, as a clause: "the file is not in a git repository and nothing is recorded as sent". */
  readonly why: string;
  /** The steps that give it a baseline, in the order to offer them. */
  readonly steps: readonly BaselineStep[];
}

const GIT: Record<NonNullable<SteadyReason['git']>, string> = {
  off: 'git is off here (setting git.enabled, or git not installed)',
  'no-repository': 'the file is not in a git repository',
  untracked: 'the file is not in a git commit yet',
  unchanged: 'the file is as committed in git HEAD: an edit breaks the cache where it differs from it',
};
const RECORDED: Record<NonNullable<SteadyReason['recorded']>, string> = {
  none: 'nothing is recorded as sent',
  expired: 'the sends recorded have expired (their cache TTL passed)',
};

/** Why the report is against the steady state, and what would give it a baseline; undefined without a reason. */
export function steadyNote(r: SteadyReason | undefined): SteadyNote | undefined {
  if (!r) return undefined;
  if (r.setting === 'steady')
    return { noEarlierVersion: false, why: 'the setting kvlens.baseline asks for it', steps: ['choose'] };
  if (r.git === 'unchanged') return { noEarlierVersion: false, why: GIT.unchanged, steps: [] };
  const parts: string[] = [];
  if (r.setting === 'recorded') parts.push('the setting kvlens.baseline asks for recorded sends');
  else if (r.git) parts.push(GIT[r.git]);
  if (r.recorded) parts.push(RECORDED[r.recorded]);
  const steps: BaselineStep[] = ['record', 'choose'];
  if (r.git === 'off') steps.push('turn-on-git');
  else if (r.git) steps.push('commit');
  return { noEarlierVersion: true, why: parts.join(' and '), steps };
}

/** What a step does, after its name ("Record as Sent" + this). */
export function stepWords(s: BaselineStep): string {
  switch (s) {
    case 'record':
      return 'marks this version as sent: edits then break the cache where they differ from it';
    case 'choose':
      return 'compares with another prompt file or a recorded send';
    case 'commit':
      return 'commit the file to git: git HEAD becomes the baseline';
    case 'turn-on-git':
      return 'turn git on (setting git.enabled) in a repository: git HEAD becomes the baseline';
  }
}
