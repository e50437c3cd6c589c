import type { Edit, Fix } from '../analysis/fixes';
import { cacheableTokens, costOfRequest } from '../pricing/cost';
import { toUsdNumber } from '../pricing/money';
import type { ModelInfo } from '../pricing/types';
import type { CodeCallReport } from './callReport';
import type { CallSite, CodeLanguage, Hole } from './types';

/**
 * The three fixes users apply to a value that breaks the cached prefix of a call, as text edits of the source file:
 * move the value to the last user message, reduce a clock to day precision, or split the system prompt into a
 * static block with a cache breakpoint and a dynamic block after it (Anthropic). Each carries what it saves per call,
 * from the same prefix arithmetic as the report. A fix that cannot be written safely (the value's text is in another
 * function or file, the message is a run-time list) is not offered.
 */

export interface CodeFix extends Fix {
  readonly kind: 'move-to-user' | 'day-precision' | 'split-breakpoint';
  /** Tokens more read from cache per call, and the input cost saved per call (USD), once applied. */
  readonly saving: { readonly tokens: number; readonly perCall: number } | null;
}

interface Fragment {
  /** The source range removed from the literal (the line holding the value, with its line break). */
  readonly start: number;
  readonly end: number;
  /** Its text as written (placeholders included), without the line break. */
  readonly source: string;
}

/** The literal line (or sentence, in a one-line literal) around a hole, from the source text. */
export function fragmentOf(text: string, h: Hole): Fragment | undefined {
  if (h.file) return undefined;
  // The string literal around the hole: scan for a quote/backtick boundary on the same source lines.
  let a = h.start;
  while (a > 0 && text[a - 1] !== '\n' && !/["'`]/.test(text[a - 1])) a--;
  let b = h.end;
  while (b < text.length && text[b] !== '\n' && !/["'`]/.test(text[b])) b++;
  const lineBreak = text[b] === '\n';
  const startsLine = a === 0 || text[a - 1] === '\n';
  if (startsLine && lineBreak) return { start: a, end: b + 1, source: text.slice(a, b) };
  // A one-line literal: the sentence holding the value.
  let s = h.start;
  while (s > a && !/[.!?]\s$/.test(text.slice(s - 2, s))) s--;
  let e = h.end;
  while (e < b && !/[.!?]/.test(text[e])) e++;
  if (e < b) e++;
  while (e < b && text[e] === ' ') e++;
  if (e - s <= h.end - h.start) return undefined;
  return { start: s, end: e, source: text.slice(s, e).trimEnd() };
}

const withinScope = (site: CallSite, at: number) => at >= site.scopeStart && at <= site.scopeEnd;

/** The saving of caching `after` more tokens per call (the static text that the fix lets the cache keep). */
function saving(
  model: ModelInfo,
  before: number,
  after: number,
  now: number,
  cachedBefore?: number,
): CodeFix['saving'] {
  const total = before + after;
  const was = cachedBefore ?? cacheableTokens(model, before);
  const will = cacheableTokens(model, total);
  if (will <= was) return null;
  const a = costOfRequest({ model, inputTokens: total, cachedTokens: was, at: now }).total;
  const b = costOfRequest({ model, inputTokens: total, cachedTokens: will, at: now }).total;
  return { tokens: will - was, perCall: toUsdNumber(a - b) };
}

export interface CodeFixInput {
  readonly text: string;
  readonly language: CodeLanguage;
  readonly site: CallSite;
  readonly report: CodeCallReport;
  readonly model: ModelInfo;
  /** The hole the diagnostic is about (the report's `breaks`, as a piece of the site). */
  readonly hole: Hole;
  readonly now: number;
}

export function codeFixes(input: CodeFixInput): CodeFix[] {
  const { text, language, site, report, model, hole, now } = input;
  const out: CodeFix[] = [];
  const parts = [...(site.system ?? []), ...(site.firstMessage ? [site.firstMessage] : [])];
  const part = parts.find((p) => p.pieces.includes(hole));
  if (!part) return out;
  const before = report.tokensBefore;
  const after = report.tokensAfter;
  const py = language === 'python';
  const frag = fragmentOf(text, hole);
  const msg = site.firstMessage;

  // 1. Move the value to the last user message.
  if (frag && msg && msg !== part && !msg.list && withinScope(site, hole.start)) {
    const content = text.slice(msg.start, msg.end);
    const listLike = /^[[({]/.test(content.trim()) || /^\*/.test(content);
    if (!listLike) {
      // After the message's own text, on one line: the line break written as an escape inside the literal.
      const moved = py ? `f"""{${content}}\\n\\n${frag.source}"""` : `\`\${${content}}\\n\\n${frag.source}\``;
      const edits: Edit[] = [
        { offset: frag.start, length: frag.end - frag.start, content: '' },
        { offset: msg.start, length: msg.end - msg.start, content: moved },
      ].sort((x, y) => y.offset - x.offset);
      out.push({
        kind: 'move-to-user',
        title: `Move \`${hole.what}\` to the last user message`,
        edits,
        saving: saving(model, before, after, now),
      });
    }
  }

  // 2. Reduce a clock read to day precision.
  if (hole.clock && hole.clock.precision === 'time' && !hole.file) {
    const src = text.slice(hole.clock.start, hole.clock.end);
    const replaced = py ? pythonDay(src) : typescriptDay(src);
    if (replaced !== undefined)
      out.push({
        kind: 'day-precision',
        title: `Reduce \`${hole.what}\` to day precision`,
        edits: [{ offset: hole.clock.start, length: hole.clock.end - hole.clock.start, content: replaced }],
        // Cached on every call but the first of each day.
        saving: saving(model, before, after, now),
      });
  }

  // 3. Split the system prompt: static block with a breakpoint, then the dynamic block (Anthropic's SDK).
  const sys = site.system?.length === 1 ? site.system[0] : undefined;
  if (
    frag &&
    sys &&
    sys === part &&
    site.sdk === 'anthropic' &&
    withinScope(site, hole.start) &&
    !text.slice(sys.start, sys.end).trim().startsWith('[')
  ) {
    const expr = text.slice(sys.start, sys.end);
    const shorthand = !py && /[{,]\s*$/.test(text.slice(Math.max(0, sys.start - 40), sys.start)) && /^\w+$/.test(expr);
    const blocks = py
      ? `[{"type": "text", "text": ${expr}, "cache_control": {"type": "ephemeral"}}, {"type": "text", "text": f"""${frag.source}"""}]`
      : `${shorthand ? `${expr}: ` : ''}[{ type: 'text', text: ${expr}, cache_control: { type: 'ephemeral' } }, { type: 'text', text: \`${frag.source}\` }]`;
    const edits: Edit[] = [
      { offset: frag.start, length: frag.end - frag.start, content: '' },
      { offset: sys.start, length: sys.end - sys.start, content: blocks },
    ].sort((x, y) => y.offset - x.offset);
    // Without a breakpoint Anthropic caches nothing; with it, the whole static text is cached.
    const cachedNow = site.cacheControl ? undefined : 0;
    out.push({
      kind: 'split-breakpoint',
      title: 'Split the system prompt: static block with a cache breakpoint, then the dynamic one',
      edits,
      saving: saving(model, before, after, now, cachedNow),
    });
  }
  return out;
}

/** `datetime.now()` → a date string; `x.strftime("%Y-%m-%d %H:%M")` → date fields only; undefined when not sure. */
export function pythonDay(src: string): string | undefined {
  const m = /^(.*)\.strftime\((['"])(.*)\2\)$/s.exec(src);
  if (m) {
    const fmt = m[3].replace(/[ T,]*%-?[HIMSfpXcTrRkl](?:[:.]%-?[HIMSfp])*/g, '').replace(/[ ,:]+$/, '');
    return fmt ? `${m[1]}.strftime(${m[2]}${fmt}${m[2]})` : undefined;
  }
  if (/(?:^|\.)(?:now|utcnow|today)\([^()]*\)$/.test(src)) return `${src}.strftime("%Y-%m-%d")`;
  if (/\.isoformat\(\)$/.test(src)) return src.replace(/\.isoformat\(\)$/, '.date().isoformat()');
  return undefined;
}

/** `new Date()` → `new Date().toDateString()`; `toISOString()` → its first 10 characters; toLocaleString → date. */
export function typescriptDay(src: string): string | undefined {
  if (/^new Date\(\)$/.test(src) || /^Date\.now\(\)$/.test(src)) return 'new Date().toDateString()';
  if (/\.toISOString\(\)$/.test(src)) return `${src}.slice(0, 10)`;
  if (/\.toLocaleString\(/.test(src)) return src.replace(/\.toLocaleString\(/, '.toLocaleDateString(');
  if (/\.toString\(\)$/.test(src)) return src.replace(/\.toString\(\)$/, '.toDateString()');
  return undefined;
}
