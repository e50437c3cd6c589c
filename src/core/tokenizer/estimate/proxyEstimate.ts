import type { Calibrated, EncodingName, RetokenizeResult, TextEdit, TokenState, Tokenizer } from '../types';
import { lineKinds, type ContentKind } from './contentKind';

/** Estimated tokens per proxy token, by content kind; with where the numbers come from. */
export interface EstimateCalibration {
  readonly encoding: EncodingName;
  readonly factors: Readonly<Record<ContentKind, number>>;
  /** Relative error the estimate is expected to stay within on ordinary prompts (0.2 = ±20 %). */
  readonly errorBand: number;
  /** The same, measured on requests with tool definitions (Claude's tool rendering is not public). */
  readonly toolsErrorBand?: number;
  readonly method: string;
  /** Set when a calibration file's measured factors replaced the built-in ones. */
  readonly calibratedFrom?: Calibrated;
  readonly sources: readonly { readonly url: string; readonly asOf: string; readonly claim: string }[];
}

/**
 * A tokenizer that estimates a provider's tokens from a public proxy encoding (o200k_base): each proxy token counts
 * `factor(kind of its line)` estimated tokens, and estimated tokens are cut where the running total crosses a whole
 * number. So the estimate has ids and offsets like a real encoding, and identical text prefixes give identical
 * estimated-token prefixes (up to the line being edited), which is what cache-prefix analysis compares.
 *
 * Estimated ids are synthetic: a hash of the proxy ids a token covers and its part number. They mean nothing outside
 * this estimator and must never be shown as the provider's ids.
 */
export function createProxyEstimate(proxy: Tokenizer, calibration: EstimateCalibration): Tokenizer {
  const { encoding, factors, errorBand, toolsErrorBand, method, calibratedFrom } = calibration;

  const stretch = (p: TokenState): TokenState => {
    const { starts, kinds } = lineKinds(p.text);
    const ids: number[] = [];
    const offsets: number[] = [0];
    let line = 0;
    let total = 0; // estimated tokens so far, fractional
    let emitted = 0; // whole estimated tokens cut so far
    let hash = 0x811c9dc5; // FNV-1a over the proxy ids not yet emitted
    for (let i = 0; i < p.ids.length; i++) {
      const start = p.offsets[i],
        end = p.offsets[i + 1];
      while (line + 1 < starts.length && starts[line + 1] <= start) line++;
      total += factors[kinds[line]];
      hash = Math.imul(hash ^ p.ids[i], 0x01000193) >>> 0;
      const parts = Math.round(total) - emitted;
      // parts is 0 when this proxy token joins the next estimated token, ≥ 2 when it splits.
      for (let k = 0; k < parts; k++) {
        let cut = k + 1 === parts ? end : start + Math.floor(((end - start) * (k + 1)) / parts);
        if (cut > start && cut < end && (p.text.charCodeAt(cut) & 0xfc00) === 0xdc00) cut++;
        ids.push(Math.imul(hash ^ k, 0x01000193) >>> 0);
        offsets.push(Math.max(offsets[offsets.length - 1], cut));
      }
      if (parts > 0) {
        emitted += parts;
        hash = 0x811c9dc5;
      }
    }
    if (offsets[offsets.length - 1] !== p.text.length) {
      // Trailing proxy tokens that did not reach a whole estimated token still form one.
      ids.push(hash);
      offsets.push(p.text.length);
    }
    return { encoding, text: p.text, ids: Uint32Array.from(ids), offsets: Int32Array.from(offsets) };
  };

  const tokenize = (text: string): TokenState => stretch(proxy.tokenize(text));
  const proxyStates = new WeakMap<TokenState, TokenState>();
  const tokenizeKeeping = (proxyState: TokenState): TokenState => {
    const state = stretch(proxyState);
    proxyStates.set(state, proxyState);
    return state;
  };

  return {
    encoding,
    exact: false,
    estimate: {
      method,
      errorBand,
      ...(toolsErrorBand !== undefined ? { toolsErrorBand } : {}),
      ...(calibratedFrom ? { calibratedFrom } : {}),
    },
    encode: (text) => tokenize(text).ids,
    count: (text) => tokenize(text).ids.length,
    tokenize: (text) => tokenizeKeeping(proxy.tokenize(text)),
    // In steps as the proxy tokenizes (the re-cut after its last step is one linear pass), so a host is not held.
    ...(proxy.tokenizeInSteps
      ? {
          tokenizeInSteps: (text: string) => {
            const job = proxy.tokenizeInSteps!(text);
            return {
              step: (budgetMs: number) => {
                const p = job.step(budgetMs);
                return p && tokenizeKeeping(p);
              },
            };
          },
        }
      : {}),
    // The proxy re-tokenizes incrementally; re-cutting estimated tokens is one linear pass over typed arrays.
    retokenize(previous: TokenState, edit: TextEdit, newText?: string): RetokenizeResult {
      const oldProxy = proxyStates.get(previous) ?? proxy.tokenize(previous.text);
      const state = tokenizeKeeping(proxy.retokenize(oldProxy, edit, newText).state);
      let first = 0;
      const n = Math.min(state.ids.length, previous.ids.length);
      while (
        first < n &&
        state.ids[first] === previous.ids[first] &&
        state.offsets[first + 1] === previous.offsets[first + 1]
      )
        first++;
      return { state, firstChangedToken: first };
    },
  };
}
