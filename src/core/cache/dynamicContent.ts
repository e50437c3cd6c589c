/**
 * Finds text that changes from one request to the next — dates, times, timestamps, UUIDs, request ids, counters,
 * "Today is …" — which, placed before a large static part, is the most common silent cache killer.
 *
 * Cost: one pass of one regular expression over the scanned ranges only, so O(scanned text). Callers scan the head
 * of the prompt (where such lines usually are) and the region an edit changed; it runs per keystroke, so it never
 * scans the whole of a long prompt by default.
 */
import type { SourceText } from '../text/lineIndex';

export type DynamicKind = 'timestamp' | 'date' | 'time' | 'uuid' | 'request-id' | 'epoch' | 'counter' | 'today';

export interface DynamicMatch {
  readonly kind: DynamicKind;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';

// One alternation, one pass; the group that matched names the kind. Order matters: longer forms first.
const PATTERN = new RegExp(
  [
    String.raw`(?<timestamp>\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)`,
    String.raw`(?<uuid>\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b)`,
    String.raw`(?<today>\b(?:[Tt]oday is|[Cc]urrent (?:date|time|timestamp)|[Tt]he (?:current )?date is|[Tt]he time is|[Nn]ow is)\b[^\n\\]{0,60})`,
    String.raw`(?<requestId>\b(?:request|req|trace|session|correlation|conversation|run|message|msg)[ _-]?id\b\s*[:=]?\s*[\w-]{6,}|\b(?:req|run|msg|sess|chatcmpl|resp)_[A-Za-z0-9]{8,}\b)`,
    String.raw`(?<date>\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b${MONTH}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}\b|\b\d{1,2} ${MONTH} \d{4}\b)`,
    // A span of hours ("07:00–19:00 CET", "9:00 to 17:30") is a static schedule, not the time of the request.
    String.raw`(?<hours>\b\d{1,2}:\d{2}\s*(?:[-–—]|to|until|till)\s*\d{1,2}:\d{2}(?:\s?(?:[AaPp]\.?[Mm]\.?))?(?:\s?(?:UTC|GMT|[A-Z]{2,4}T?))?(?![\d:]))`,
    String.raw`(?<time>\b\d{1,2}:\d{2}(?::\d{2})?\s?(?:[AaPp]\.?[Mm]\.?)?(?:\s?(?:UTC|GMT|[A-Z]{2,4}T))?(?![\d:]))`,
    String.raw`(?<epoch>\b1[5-9]\d{8}(?:\d{3})?\b)`,
    String.raw`(?<counter>\b(?:turn|request|attempt|iteration|run|call|step|message|session|visit)\s*(?:#|no\.?|number)\s*\d+\b|\b(?:turn|attempt|iteration|request) count\s*[:=]\s*\d+)`,
  ].join('|'),
  'g',
);

const KIND: Record<string, DynamicKind> = {
  timestamp: 'timestamp',
  uuid: 'uuid',
  today: 'today',
  requestId: 'request-id',
  date: 'date',
  time: 'time',
  epoch: 'epoch',
  counter: 'counter',
};

/**
 * A time of day after one of these words is a rule of the prompt ("order before 14:00 CET", "no calls after 18:30"),
 * the same in every request — not the time the request was made.
 */
const CUTOFF_BEFORE =
  /\b(?:before|after|by|until|till|from|since|between|past|later than|earlier than|cut-?off|deadline)\s*$/i;
const YEAR = /\b(1[89]\d\d|2\d\d\d)\b/;

export interface DynamicOptions {
  /**
   * The year the request is made in. A date whose year is more than a year away from it ("founded on 29 June 2007",
   * "valid until 2031-03-31") is a fact of the prompt, not the date of the request, and is not reported.
   */
  readonly year?: number;
}

/** True when a match is static by its context: a cutoff time, a historic or far-future date. */
function staticByContext(
  text: SourceText,
  kind: DynamicKind,
  start: number,
  value: string,
  opts: DynamicOptions,
): boolean {
  if (kind === 'time') return CUTOFF_BEFORE.test(text.slice(Math.max(0, start - 24), start));
  if ((kind === 'date' || kind === 'timestamp') && opts.year !== undefined) {
    const y = YEAR.exec(value);
    if (y) return Math.abs(Number(y[1]) - opts.year) > 1;
    // "12/01/26": a two-digit year says too little to call the date historic.
  }
  return false;
}

/** Matches in text[start, end) (clamped), in order, at most `limit`. */
export function findDynamicContent(
  text: SourceText,
  start = 0,
  end = text.length,
  limit = 20,
  opts: DynamicOptions = {},
): DynamicMatch[] {
  const out: DynamicMatch[] = [];
  const s = Math.max(0, start);
  const e = Math.min(text.length, end);
  if (e <= s) return out;
  // Slicing keeps the regex from running past the window; offsets are shifted back.
  const window = text.slice(s, e);
  PATTERN.lastIndex = 0;
  for (let m = PATTERN.exec(window); m && out.length < limit; m = PATTERN.exec(window)) {
    const groups = m.groups!;
    if (m[0].length === 0) {
      PATTERN.lastIndex++;
      continue;
    }
    if (groups.hours !== undefined) continue;
    const kind = KIND[Object.keys(KIND).find((k) => groups[k] !== undefined)!];
    if (staticByContext(text, kind, s + m.index, m[0], opts)) continue;
    out.push({ kind, start: s + m.index, end: s + m.index + m[0].length, text: m[0].trimEnd() });
  }
  return out;
}

/**
 * The parts of `ranges` that lie inside `within` (both merged and sorted, as mergeRanges returns them): the scan
 * windows cut to the text a request sends, so a log's envelope or a file's front matter is never scanned.
 */
export function clipRanges(
  ranges: readonly (readonly [number, number])[],
  within: readonly (readonly [number, number])[],
): [number, number][] {
  const out: [number, number][] = [];
  let j = 0;
  for (const [a, b] of ranges) {
    while (j < within.length && within[j][1] <= a) j++;
    for (let k = j; k < within.length && within[k][0] < b; k++) {
      const s = Math.max(a, within[k][0]),
        e = Math.min(b, within[k][1]);
      if (e > s) out.push([s, e]);
    }
  }
  return out;
}

/** Merges [start, end) ranges (sorted by start, overlaps joined) so no text is scanned twice. */
export function mergeRanges(ranges: readonly (readonly [number, number])[]): [number, number][] {
  const sorted = ranges
    .filter(([a, b]) => b > a)
    .map(([a, b]) => [a, b] as [number, number])
    .sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push(r);
  }
  return out;
}
