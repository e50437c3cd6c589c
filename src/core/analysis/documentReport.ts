import type { CacheReport, Millis, RenderedPrompt } from '../cache/types';
import type { ModelInfo } from '../pricing/types';
import type { Diagnostic, PromptDocument } from '../prompt/types';
import type { LinePositions } from '../text/lineIndex';
import type { Tokenizer } from '../tokenizer/types';
import { reportRanges, type ReportRanges } from './reportRanges';
import { analyzeVersions, renderVersion, STEADY_STATE, type PromptVersion } from './versions';

/** What was sent before (ARCHITECTURE.md "baseline"): git HEAD, a recorded send, another file, or the steady state. */
export type BaselineKind = 'git' | 'steady' | 'recorded' | 'file';

/**
 * Why the baseline is the steady state, as facts (words are made at the edges: core/report/baseline.ts): the setting
 * kvlens.baseline chose it, or there was nothing earlier to compare with — what git had, and what was recorded.
 */
export interface SteadyReason {
  /** The setting asked for the steady state, or for recorded sends when there were none. */
  readonly setting?: 'steady' | 'recorded';
  /** Git off (disabled, not installed, not a local file), no repository, the file not committed, or as committed. */
  readonly git?: 'off' | 'no-repository' | 'untracked' | 'unchanged';
  /** Nothing recorded as sent, or only sends whose cache entry has expired. */
  readonly recorded?: 'none' | 'expired';
}

export interface BaselineInput {
  readonly kind: BaselineKind;
  /** Shown to the user: "git HEAD", "sent 10:02", "prompts/other.prompt.md". */
  readonly label: string;
  /** The baseline's text (not needed for 'steady'). */
  readonly text?: string;
  /** File name that picks the baseline's parser (default: the document's). */
  readonly fileName?: string;
  /** When it was sent ('recorded'); others are taken as sent a minute before now. */
  readonly sentAt?: Millis;
  /** For 'steady': why there is no other baseline. */
  readonly steady?: SteadyReason;
}

export interface DocumentReport {
  /** `kvlens analyze --json`'s fields, plus the baseline as {kind, label} and the document ranges. */
  readonly report: Omit<CacheReport, 'baseline'> & {
    /** Label of the cache entry the prompt matched longest (CacheReport.baseline). */
    readonly matched?: string;
    readonly baseline: { readonly kind: BaselineKind; readonly label: string };
    readonly ranges: ReportRanges;
  };
  readonly rendered: RenderedPrompt;
  readonly version: PromptVersion;
  /** Set when the baseline could not be used (broken JSON in it): the report is then against the steady state. */
  readonly baselineProblem?: string;
}

export type DocumentReportResult =
  | { readonly ok: true; readonly value: DocumentReport }
  | { readonly ok: false; readonly message: string; readonly diagnostic?: Diagnostic };

export interface DocumentReportInput {
  readonly text: string;
  readonly fileName: string;
  readonly model: ModelInfo;
  readonly tokenizer: Tokenizer;
  readonly baseline: BaselineInput;
  readonly now: Millis;
  readonly lineIndex?: LinePositions;
  /** The document already parsed (the editor parses once to learn the model the file names). */
  readonly parsed?: PromptDocument;
}

/**
 * The editor's cache report for one document: the same analyzeVersions() the CLI runs for `kvlens analyze FILE
 * [--baseline …]`, on the same inputs, so editor and CI give one answer. Never throws for bad input.
 */
export function documentReport(input: DocumentReportInput): DocumentReportResult {
  const { text, fileName, model, tokenizer, now } = input;
  const current = renderVersion(fileName, fileName, text, tokenizer, undefined, input.parsed);
  if (!current.ok) return current;
  let baseline = input.baseline;
  let baselines: PromptVersion[] = [];
  let baselineProblem: string | undefined;
  if (baseline.kind !== 'steady' && baseline.text !== undefined) {
    const b = renderVersion(baseline.label, baseline.fileName ?? fileName, baseline.text, tokenizer, baseline.sentAt);
    if (b.ok) baselines = [b.version];
    else {
      baselineProblem = `${baseline.label}: ${b.message}`;
      baseline = { kind: 'steady', label: STEADY_STATE };
    }
  } else if (baseline.kind !== 'steady') {
    baseline = { kind: 'steady', label: STEADY_STATE };
  }
  const report = analyzeVersions(current.version, baselines, model, now, input.lineIndex);
  const rendered = current.version.rendered[current.version.rendered.length - 1];
  return {
    ok: true,
    value: {
      report: {
        ...report,
        matched: report.baseline,
        baseline: { kind: baseline.kind, label: baseline.label },
        ranges: reportRanges(rendered, report),
      },
      rendered,
      version: current.version,
      ...(baselineProblem ? { baselineProblem } : {}),
    },
  };
}
