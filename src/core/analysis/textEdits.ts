import { OPEN_FRONT_MATTER } from '../prompt/formats/frontMatter';
import { INPUT_REFERENCE, MARKER_LINE, REFERENCES } from '../prompt/formats/text';
import { sourceKind } from '../prompt/parse';
import type { TokenText } from '../tokenizer/chunkedTokens';

/** Lines longer than this around an edit are not scanned per keystroke. */
export const LONG_LINE = 64 * 1024;
/** Prompts sniffed by content: their first 4,096 units decide the kind. */
export const SNIFF_WINDOW = 4096;

const isBreak = (c: number) => c === 10 || c === 13;

/**
 * [start of the line holding `from`, end of the line holding `to`) in `t`, lines ending at LF or CR — the only breaks
 * a marker line and a reference cannot cross (a multiline `^` also starts a line after U+2028, but the marker's
 * `[^\r\n]*?` runs through it, so a window cut there could miss half a marker). Undefined past 64 K units either way (a
 * huge line is analyzed from the whole text rather than scanned on every keystroke). The search widens from 256
 * units, so a keystroke in an ordinary line reads a few hundred characters.
 */
export function linesAround(t: TokenText, from: number, to: number): [number, number] | undefined {
  let a: number | undefined, b: number | undefined;
  for (let w = 256; w <= LONG_LINE && a === undefined; w *= 4) {
    const lo = Math.max(0, from - w),
      before = t.slice(lo, from);
    for (let i = before.length - 1; i >= 0; i--)
      if (isBreak(before.charCodeAt(i))) {
        a = lo + i + 1;
        break;
      }
    if (a === undefined && lo === 0) a = 0;
  }
  for (let w = 256; w <= LONG_LINE && b === undefined; w *= 4) {
    const after = t.slice(to, to + w);
    for (let i = 0; i < after.length; i++)
      if (isBreak(after.charCodeAt(i))) {
        b = to + i;
        break;
      }
    if (b === undefined && to + w >= t.length) b = t.length;
  }
  return a === undefined || b === undefined ? undefined : [a, b];
}

const INPUT_KIND = REFERENCES.findIndex(([re]) => re === INPUT_REFERENCE);

/** Where a pattern's first match starts in a text (Infinity when it has none). */
function firstMatch(re: RegExp, text: string): number {
  const m = re.exec(text);
  return m ? m.index : Infinity;
}

/**
 * Whether an edit to a followed text or Markdown prompt leaves its structure as the parser sees it, checked on the lines
 * the edit touches (before and after it) and on the head when the edit is in it — O(edit):
 * - blocks: no cache-breakpoint marker line in those lines;
 * - front matter: a first line that does not open it;
 * - (Markdown) the run-time references the parser notes at the first use of each kind (`#file:…`, `${input:…}`,
 *   `${selection}` …): no use in those lines at or before the first of its kind, and no `${input:` there before the first
 *   one (its name runs to the next `}`, lines later); when no `${input:…}` is complete anywhere, no `}` typed at all;
 * - a file sniffed by its content: the head still reads as text.
 */
export class TextStructure {
  /** Where each reference kind (REFERENCES' order) is first used; moved by the edits before it. */
  private readonly first: number[];
  /** An `${input:` with no match of the reference pattern anywhere: a `}` typed anywhere after it could close it. */
  private readonly openInput: boolean;

  constructor(
    text: string,
    private readonly markdown: boolean,
    /** Where the text starts (after a BOM). */
    private readonly start: number,
    /** The file name and language id, when the kind is sniffed from the head. */
    private readonly sniff?: { readonly fileName: string; readonly languageId?: string },
  ) {
    this.first = markdown ? REFERENCES.map(([re]) => firstMatch(re, text)) : [];
    this.openInput = markdown && text.includes('${input:') && !INPUT_REFERENCE.test(text);
  }

  /** Lines [at, …) hold a marker, or a reference at or before the first of its kind. */
  private structureIn(lines: string, at: number): boolean {
    if (lines.includes('<!--') && MARKER_LINE.test(lines)) return true;
    if (!this.markdown || (!lines.includes('${') && !lines.includes('#file:'))) return false;
    const input = lines.indexOf('${input:');
    if (input >= 0 && at + input <= this.first[INPUT_KIND]) return true;
    return REFERENCES.some(([re], k) => {
      const m = firstMatch(re, lines);
      return m !== Infinity && at + m <= this.first[k];
    });
  }

  /** Before the edit: why the lines it touches cannot be followed, or undefined. */
  before(text: TokenText, start: number, end: number): string | undefined {
    const lines = linesAround(text, start, end);
    if (!lines) return 'edit in a line longer than 64 K';
    if (this.structureIn(text.slice(lines[0], lines[1]), lines[0]))
      return 'edit in a line with structure (marker, first reference)';
    return undefined;
  }

  /**
   * After the edit of old [start, oldEnd) (new offsets [start, end) hold the inserted text): why it cannot be followed,
   * or undefined. The first uses after the edit move with it.
   */
  after(text: TokenText, start: number, oldEnd: number, end: number): string | undefined {
    const d = end - oldEnd;
    for (let k = 0; k < this.first.length; k++) if (this.first[k] >= oldEnd) this.first[k] += d;
    const lines = linesAround(text, start, end);
    if (!lines) return 'edit makes a line longer than 64 K';
    const s = text.slice(lines[0], lines[1]);
    if (this.structureIn(s, lines[0]) || (this.openInput && s.includes('}')))
      return 'edit makes structure (marker, first reference)';
    // The first line: `---` there would open front matter.
    if (lines[0] <= this.start && OPEN_FRONT_MATTER.test(text.slice(this.start, lines[1] + 2)))
      return 'edit opens front matter';
    if (this.sniff && start < this.start + SNIFF_WINDOW) {
      const head = text.slice(0, this.start + SNIFF_WINDOW + 1);
      if (sourceKind(this.sniff.fileName, this.sniff.languageId, head, this.start) !== 'text')
        return 'edit changes what the head of the file looks like';
    }
    return undefined;
  }
}
