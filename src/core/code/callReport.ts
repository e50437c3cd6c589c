import { costOfRequest, cacheableTokens } from '../pricing/cost';
import { toUsdNumber } from '../pricing/money';
import type { ModelInfo } from '../pricing/types';
import { LineIndex } from '../text/lineIndex';
import type { Tokenizer } from '../tokenizer/types';
import type { CallSite, Hole, Piece, PromptPart, SdkId, UnknownSource, Volatility } from './types';
import { changesWithinProcess } from './volatility';

/**
 * One call's cached prefix, as `kvlens code --json` prints it (ARCHITECTURE.md): where the first run-time value enters the
 * prompt, how much static text is before it in characters and tokens, whether that reaches the model's minimum, and
 * what the position of the first value that changes between requests costs per call.
 */

export interface HoleReport {
  readonly line: number;
  readonly column: number;
  /** Set when the value enters in another file of the workspace (a followed import), relative to it. */
  readonly file?: string;
  readonly what: string;
  readonly volatility: Volatility;
  readonly unknown: UnknownSource | null;
  readonly why: string;
}

export interface CodeCallReport {
  /** 1-based line of the call expression's name (`create(`, `generate_content(`, `streamText(`, `invoke(`, `Agent(`). */
  readonly line: number;
  readonly column: number;
  readonly sdk: SdkId;
  readonly provider: string | null;
  readonly model: string | null;
  /** true: the system prompt is all static text; false: it holds run-time values; null: none, or a parameter. */
  readonly systemStatic: boolean | null;
  readonly firstDynamic: {
    readonly line: number;
    readonly what: string;
    readonly volatility: Volatility;
    readonly file?: string;
  } | null;
  readonly staticPrefix: {
    readonly chars: number | null;
    readonly tokens: number | null;
    readonly unknown: UnknownSource | null;
  };
  readonly cacheControl: boolean;
  /** A value that changes more often than the process sits ahead of static prompt text. */
  readonly flag: boolean;
  // Beyond the contract: what the editor and `kvlens check` say.
  /** The model whose rules and prices are used, and why that one. */
  readonly modelUsed: {
    readonly id: string;
    readonly from: ModelFrom;
    readonly exact: boolean;
    readonly encoding: string;
  };
  readonly minTokens: number;
  /**
   * The prefix a provider can keep between requests: static text up to the first value that changes while the process
   * runs (or whose change is unknown); values fixed per process or by configuration do not end it.
   */
  readonly cachedPrefix: {
    readonly tokens: number;
    readonly cachedTokens: number;
    readonly reachesMinimum: boolean;
    readonly until: HoleReport | null;
  };
  /** The first value that changes between requests (request, session, day) when static text follows it. */
  readonly breaks: HoleReport | null;
  /**
   * Static tokens after `breaks` that its position (and that of the changing values after it) keeps out of the cache,
   * up to the first value whose change is unknown.
   */
  readonly tokensAfter: number;
  /** Known static tokens before `breaks` (the prefix that stays cached wherever the value goes). */
  readonly tokensBefore: number;
  /** What that costs per call (USD, input), at the model's prices; null when nothing is lost. */
  readonly lostPerCall: number | null;
  /** The static text would reach the minimum if the breaking value moved after it: `kvlens check` fails on request-level ones. */
  readonly wouldReachMinimum: boolean;
  readonly holes: readonly HoleReport[];
  readonly warnings: readonly string[];
}

export type ModelFrom = 'flag' | 'call' | 'successor' | 'provider-default' | 'settings' | 'default';

export interface CallReportInput {
  readonly site: CallSite;
  readonly text: string;
  readonly lines: LineIndex;
  readonly model: ModelInfo;
  readonly modelFrom: ModelFrom;
  readonly tokenizer: Tokenizer;
  readonly exact: boolean;
  /** Lines of other files (for holes in followed imports). */
  readonly linesOf?: (file: string) => LineIndex | undefined;
  readonly now: number;
  readonly warnings?: readonly string[];
}

const codePoints = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};
const hasWords = (s: string) => /[\p{L}\p{N}]/u.test(s);

export function callReport(input: CallReportInput): CodeCallReport {
  const { site, lines, model, tokenizer } = input;
  const parts: PromptPart[] = [...(site.system ?? []), ...(site.firstMessage ? [site.firstMessage] : [])];
  const where = (h: Hole): HoleReport => {
    const li = h.file ? input.linesOf?.(h.file) : lines;
    const p = li?.position(h.start) ?? { line: 0, column: 0 };
    return {
      line: p.line,
      column: p.column,
      ...(h.file ? { file: h.file } : {}),
      what: h.what,
      volatility: h.volatility,
      unknown: h.unknown ?? null,
      why: h.why,
    };
  };
  // Walk the parts in prompt order; tokens are counted per part (blocks are tokenized apart).
  const allHoles: Hole[] = [];
  let firstHole: Hole | undefined;
  const prefixText: string[] = [];
  let until: Hole | undefined;
  const cachedText: string[] = [];
  let breaking: Hole | undefined;
  const afterText: string[] = [];
  let afterStopped = false;
  let staticAfterBreak = false;
  for (const part of parts) {
    let seg = '',
      cseg = '',
      aseg = '';
    for (const p of part.pieces) {
      if (p.kind === 'hole') {
        allHoles.push(p);
        firstHole ??= p;
        if (!until && !fixedInProcess(p)) until = p;
        if (!breaking && changesWithinProcess(p.volatility)) breaking = p;
        // Counting what the break costs goes on past other changing values (they move with it), not past unknowns.
        else if (breaking && !fixedInProcess(p) && !changesWithinProcess(p.volatility)) afterStopped = true;
        // A value fixed in the process (a module constant, configuration) after the break is static text too.
        else if (breaking && !afterStopped) staticAfterBreak = true;
        continue;
      }
      if (!firstHole) seg += p.text;
      if (!until) cseg += p.text;
      if (breaking) {
        if (hasWords(p.text)) staticAfterBreak = true;
        if (!afterStopped) aseg += p.text;
      }
    }
    if (seg) prefixText.push(seg);
    if (cseg) cachedText.push(cseg);
    if (aseg) afterText.push(aseg);
  }
  const prefixChars = prefixText.reduce((n, s) => n + codePoints(s), 0);
  const count = (texts: string[]) => texts.reduce((n, s) => n + tokenizer.count(s), 0);
  // The system prompt: static, run-time, or unknown (a parameter or an import: null).
  const sysHoles = (site.system ?? []).flatMap((p) => p.pieces.filter((x): x is Hole => x.kind === 'hole'));
  const sysText = (site.system ?? []).some((p) => p.pieces.some((x) => x.kind === 'text' && x.text.trim()));
  let systemStatic: boolean | null;
  if (!site.system) systemStatic = null;
  else if (sysHoles.length === 0) systemStatic = true;
  else if (!sysText && sysHoles.every((h) => h.volatility === 'unknown')) systemStatic = null;
  else systemStatic = false;

  const unknown: UnknownSource | null = firstHole?.volatility === 'unknown' ? (firstHole.unknown ?? null) : null;
  const noneKnown = prefixChars === 0 && firstHole !== undefined && firstHole.volatility === 'unknown';
  const staticPrefix = {
    chars: parts.length === 0 || noneKnown ? null : prefixChars,
    tokens: parts.length === 0 || noneKnown ? null : count(prefixText),
    unknown: parts.length === 0 ? null : unknown,
  };
  const min = model.cache.minTokens;
  const cachedTokensTotal = count(cachedText);
  const flag = !!breaking && staticAfterBreak;
  const tokensBefore = breaking ? count(prefixBefore(parts, breaking)) : cachedTokensTotal;
  const tokensAfter = flag ? count(afterText) : 0;
  const warnings = [...(input.warnings ?? [])];
  const anthropicNoBreakpoint = model.cache.policy === 'anthropic' && !site.cacheControl;
  if (anthropicNoBreakpoint)
    warnings.push('no cache_control breakpoint: Anthropic caches nothing for this call until one is placed');
  const cachedNow = anthropicNoBreakpoint ? 0 : cacheableTokens(model, cachedTokensTotal);
  let lostPerCall: number | null = null;
  if (flag && tokensAfter > 0) {
    const total = tokensBefore + tokensAfter;
    const now = costOfRequest({
      model,
      inputTokens: total,
      cachedTokens: cacheableTokens(model, tokensBefore),
      at: input.now,
    });
    const fixed = costOfRequest({
      model,
      inputTokens: total,
      cachedTokens: cacheableTokens(model, total),
      at: input.now,
    });
    const lost = toUsdNumber(now.total - fixed.total);
    lostPerCall = lost > 0 ? lost : null;
  }
  const pos = lines.position(site.start);
  return {
    line: pos.line,
    column: pos.column,
    sdk: site.sdk,
    provider: site.provider,
    model: site.model,
    systemStatic,
    firstDynamic: firstHole
      ? (() => {
          const w = where(firstHole);
          return { line: w.line, what: w.what, volatility: w.volatility, ...(w.file ? { file: w.file } : {}) };
        })()
      : null,
    staticPrefix,
    cacheControl: site.cacheControl,
    flag,
    modelUsed: { id: model.id, from: input.modelFrom, exact: input.exact, encoding: tokenizer.encoding },
    minTokens: min,
    cachedPrefix: {
      tokens: cachedTokensTotal,
      cachedTokens: cachedNow,
      reachesMinimum: cachedTokensTotal >= min,
      until: until ? where(until) : null,
    },
    breaks: flag && breaking ? where(breaking) : null,
    tokensAfter,
    tokensBefore,
    lostPerCall,
    wouldReachMinimum: flag && tokensBefore + tokensAfter >= min,
    holes: allHoles.map(where),
    warnings,
  };
}

/** Fixed while the process runs: per process, configuration, or an imported value (bound once, at import). */
const fixedInProcess = (h: Hole) =>
  h.volatility === 'process' || h.volatility === 'config' || (h.volatility === 'unknown' && h.unknown === 'import');

/** The known static text before `stop` (values fixed in the process add nothing known). */
function prefixBefore(parts: readonly PromptPart[], stop: Hole): string[] {
  const out: string[] = [];
  for (const part of parts) {
    let seg = '';
    for (const p of part.pieces as Piece[]) {
      if (p === stop) {
        if (seg) out.push(seg);
        return out;
      }
      if (p.kind === 'text') seg += p.text;
    }
    if (seg) out.push(seg);
  }
  return out;
}
