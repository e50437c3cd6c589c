import { renderForCache } from '../cache/analyzePrompt';
import { Simulator } from '../cache/simulator';
import type { CacheReport, Millis, RenderedPrompt } from '../cache/types';
import type { ModelInfo } from '../pricing/types';
import { parsePrompt } from '../prompt/parse';
import type { Diagnostic, Prompt, PromptDocument } from '../prompt/types';
import { LineIndex, type LinePositions } from '../text/lineIndex';
import type { Tokenizer } from '../tokenizer/types';

/**
 * One version of a prompt file as it would be sent: the CLI (`kvlens analyze`, `kvlens check`) and the editor build
 * these from the same inputs and analyze them with analyzeVersions(), so both give the same answer.
 */
export interface PromptVersion {
  readonly label: string;
  readonly text: string;
  /** Each request of the file in order (a JSONL file holds several; the last is the one analyzed). */
  readonly rendered: readonly RenderedPrompt[];
  /** The parsed prompts the requests were rendered from (same order). */
  readonly prompts: readonly Prompt[];
  /** When this version was sent, for a baseline; default: a minute apart before `now`, oldest first. */
  readonly sentAt?: Millis;
}

export type RenderResult =
  | { readonly ok: true; readonly version: PromptVersion }
  | { readonly ok: false; readonly message: string; readonly diagnostic?: Diagnostic };

/** Parses and renders one version; the first error diagnostic (or "no prompt found") makes it unusable. */
export function renderVersion(
  label: string,
  fileName: string,
  text: string,
  tokenizer: Tokenizer,
  sentAt?: Millis,
  parsed?: PromptDocument,
): RenderResult {
  const doc = parsed ?? parsePrompt(text, { fileName });
  const fatal = doc.diagnostics.find((d) => d.severity === 'error');
  if (fatal) return { ok: false, message: fatal.message, diagnostic: fatal };
  if (!doc.prompts.length) return { ok: false, message: 'no prompt found' };
  return {
    ok: true,
    version: {
      label,
      text,
      prompts: doc.prompts,
      rendered: doc.prompts.map((p) => renderForCache(p, tokenizer)),
      ...(sentAt !== undefined ? { sentAt } : {}),
    },
  };
}

/**
 * Baselines without a time are sent one minute apart before the prompt (oldest first), so they are live under every
 * provider's TTL. With no baseline the prompt itself was sent a minute earlier: the steady state of a prompt sent
 * repeatedly, which is what "the part served from cache" means for a file on its own.
 */
export const BASELINE_AGE_MS = 60_000;
export const STEADY_STATE = 'same prompt sent 1 min earlier (steady state)';

/** Sends versions to a simulator as analyzeVersions() does with baselines: oldest first, requests a second apart. */
export function sendVersions(
  sim: Simulator,
  sent: readonly Pick<PromptVersion, 'label' | 'text' | 'rendered' | 'sentAt'>[],
  model: ModelInfo,
  now: Millis,
): void {
  const timed = sent
    .map((b, i) => ({ b, at: b.sentAt ?? now - BASELINE_AGE_MS * (sent.length - i) }))
    .sort((x, y) => x.at - y.at);
  for (const { b, at } of timed) {
    // Every request of a multi-request baseline (JSONL) is sent in order, a second apart.
    b.rendered.forEach((r, j) =>
      sim.send(r, model, at - (b.rendered.length - 1 - j) * 1000, { text: b.text, label: b.label }),
    );
  }
}

/** Sends the baselines (oldest first), then analyzes the version's last request against what they left. */
export function analyzeVersions(
  current: PromptVersion,
  baselines: readonly PromptVersion[],
  model: ModelInfo,
  now: Millis,
  lineIndex?: LinePositions,
): CacheReport {
  const sim = new Simulator();
  sendVersions(
    sim,
    baselines.length ? baselines : [{ ...current, label: STEADY_STATE, sentAt: undefined }],
    model,
    now,
  );
  // Earlier requests of the file itself go in too: a JSONL conversation caches turn by turn.
  const reqs = current.rendered;
  for (let j = 0; j + 1 < reqs.length; j++)
    sim.send(reqs[j], model, now - (reqs.length - 1 - j) * 1000, {
      text: current.text,
      label: `${current.label} request ${j + 1}`,
    });
  const report = sim.analyze(reqs[reqs.length - 1], model, now, {
    text: current.text,
    lineIndex: lineIndex ?? new LineIndex(current.text),
  });
  if (reqs.length < 2) return report;
  // Say which request the figures are for: a log or batch holds many.
  return {
    ...report,
    warnings: [
      ...report.warnings,
      {
        code: 'multi-request',
        message: `this file holds ${reqs.length} requests; the report is for the last (${current.prompts.at(-1)?.label ?? `request ${reqs.length}`}), with the ${reqs.length - 1} before it sent first, a second apart — \`kvlens cost\` prices all of them`,
      },
    ],
  };
}
