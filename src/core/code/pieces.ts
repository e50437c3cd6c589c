import type { Hole, Piece, TextPiece } from './types';

/**
 * Helpers over folded prompt text (pieces): concatenation, dedent and strip on the text parts, format placeholders,
 * and the decoding of string escapes into pieces whose source offsets stay exact (each escape is a piece of its own,
 * so any other piece maps one character to one source character).
 */

export const text = (t: string, start: number, end: number, file?: string): TextPiece => ({
  kind: 'text',
  text: t,
  start,
  end,
  ...(file ? { file } : {}),
});

/** True when a piece's text maps one to one onto its source range (no escape, no folded computation). */
export const exact = (p: TextPiece): boolean => p.start >= 0 && p.end - p.start === p.text.length;

/** A part of a text piece, keeping exact offsets when it has them. */
export function slicePiece(p: TextPiece, from: number, to: number): TextPiece {
  if (exact(p)) return text(p.text.slice(from, to), p.start + from, p.start + to, p.file);
  return text(p.text.slice(from, to), p.start, p.end, p.file);
}

export function joinedText(pieces: readonly Piece[]): string {
  let s = '';
  for (const p of pieces) if (p.kind === 'text') s += p.text;
  return s;
}

export function holes(pieces: readonly Piece[]): Hole[] {
  return pieces.filter((p): p is Hole => p.kind === 'hole');
}

/**
 * textwrap.dedent / inspect.cleandoc / the `dedent` tag: the common leading whitespace of the lines removed. Works on
 * the pieces themselves, so the text that stays keeps its exact source offsets (a hole counts as text on its line).
 */
export function dedentPieces(pieces: readonly Piece[], clean = false): Piece[] {
  const joined = pieces.map((p) => (p.kind === 'text' ? p.text : 'x')).join('');
  const lines = joined.split('\n');
  let min = Infinity;
  lines.forEach((l, i) => {
    if ((clean && i === 0) || !l.trim()) return;
    const n = /^[ \t]*/.exec(l)![0].length;
    if (n < min) min = n;
  });
  if (!isFinite(min)) min = 0;
  const out: Piece[] = [];
  let line = 0,
    col = 0;
  for (const p of pieces) {
    if (p.kind === 'hole') {
      out.push(p);
      col++;
      continue;
    }
    let segStart = 0;
    for (let i = 0; i < p.text.length; i++) {
      const c = p.text[i];
      if (c === '\n') {
        line++;
        col = 0;
        continue;
      }
      if (col < min && (c === ' ' || c === '\t') && !(clean && line === 0)) {
        if (i > segStart) out.push(slicePiece(p, segStart, i));
        segStart = i + 1;
      }
      col++;
    }
    if (p.text.length > segStart) out.push(slicePiece(p, segStart, p.text.length));
  }
  // inspect.cleandoc: the first line's indentation and blank lines at both ends go too.
  return clean ? stripPieces(out, 'both') : out;
}

/** str.strip / trim (and the one-sided forms): whitespace off the ends of the text. */
export function stripPieces(pieces: readonly Piece[], side: 'both' | 'start' | 'end'): Piece[] {
  const out = [...pieces];
  if (side !== 'end') {
    while (out.length && out[0].kind === 'text') {
      const p = out[0] as TextPiece;
      const t = p.text.trimStart();
      if (t) {
        out[0] = slicePiece(p, p.text.length - t.length, p.text.length);
        break;
      }
      out.shift();
    }
  }
  if (side !== 'start') {
    while (out.length && out[out.length - 1].kind === 'text') {
      const p = out[out.length - 1] as TextPiece;
      const t = p.text.trimEnd();
      if (t) {
        out[out.length - 1] = slicePiece(p, 0, t.length);
        break;
      }
      out.pop();
    }
  }
  return out;
}

/** Adjacent text pieces merged where their source ranges touch (for reports; offsets stay exact where they were). */
export function mergeText(pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (p.kind === 'text' && !p.text) continue;
    if (
      p.kind === 'text' &&
      last?.kind === 'text' &&
      last.file === p.file &&
      exact(last) &&
      exact(p) &&
      last.end === p.start
    )
      out[out.length - 1] = text(last.text + p.text, last.start, p.end, p.file);
    else out.push(p);
  }
  return out;
}

export interface Placeholder {
  /** Offsets in the text piece. */
  readonly from: number;
  readonly to: number;
  /** Field name as written: '' (automatic numbering), '0', 'name', 'name.attr', 'name[0]'. */
  readonly field: string;
  readonly spec: string;
}

/**
 * The replacement fields of a str.format() / LangChain template text: `{name}`, `{0}`, `{}`, `{name!r:>10}`; `{{` and
 * `}}` are escaped braces (returned as `escapes`).
 */
export function formatFields(s: string): {
  fields: Placeholder[];
  escapes: { from: number; to: number; char: string }[];
} {
  const fields: Placeholder[] = [];
  const escapes: { from: number; to: number; char: string }[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '{' && s[i + 1] === '{') {
      escapes.push({ from: i, to: i + 2, char: '{' });
      i++;
    } else if (c === '}' && s[i + 1] === '}') {
      escapes.push({ from: i, to: i + 2, char: '}' });
      i++;
    } else if (c === '{') {
      const close = s.indexOf('}', i + 1);
      if (close < 0) break;
      const inner = s.slice(i + 1, close);
      // A brace around anything but a field name ({"json": 1}, { x }) is text, as in JSON examples of a prompt.
      const m = /^([A-Za-z_]\w*(?:\.\w+|\[\w+\])*|\d*)(?:![rsa])?(?::([^{}]*))?$/.exec(inner);
      if (m) {
        fields.push({ from: i, to: close + 1, field: m[1], spec: m[2] ?? '' });
        i = close;
      }
    }
  }
  return { fields, escapes };
}

export interface PercentSpec {
  readonly from: number;
  readonly to: number;
  /** The mapping key of `%(name)s`, or undefined for a positional one. */
  readonly key?: string;
}

/** The conversion specifiers of a printf-style (`%`) format: `%s`, `%d`, `%(name)s`, `%-10.3f`; `%%` is returned apart. */
export function percentSpecs(s: string): { specs: PercentSpec[]; escapes: { from: number; to: number }[] } {
  const specs: PercentSpec[] = [];
  const escapes: { from: number; to: number }[] = [];
  const re = /%(?:%|(?:\(([^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa])/g;
  for (let m; (m = re.exec(s));) {
    if (m[0] === '%%') escapes.push({ from: m.index, to: m.index + 2 });
    else specs.push({ from: m.index, to: m.index + m[0].length, key: m[1] });
  }
  return { specs, escapes };
}

/** The expression as shown in a report: one line, at most 60 characters. */
export function shortExpression(src: string): string {
  const one = src.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}

/** Replaces `{…}` fields of the text pieces with the folded arguments (str.format) — or with holes (LangChain). */
export function substituteFields(
  pieces: readonly Piece[],
  valueOf: (field: string, index: number) => Piece[] | undefined,
  missing: (field: string, piece: TextPiece, from: number, to: number) => Hole,
): Piece[] {
  const out: Piece[] = [];
  let auto = 0;
  for (const p of pieces) {
    if (p.kind === 'hole') {
      out.push(p);
      continue;
    }
    const { fields, escapes } = formatFields(p.text);
    const cuts = [
      ...fields.map((f) => ({ ...f, kind: 'field' as const })),
      ...escapes.map((e) => ({ ...e, kind: 'escape' as const })),
    ].sort((a, b) => a.from - b.from);
    let k = 0;
    for (const c of cuts) {
      if (c.from > k) out.push(slicePiece(p, k, c.from));
      if (c.kind === 'escape') out.push({ ...slicePiece(p, c.from, c.to), text: c.char });
      else {
        const name = c.field === '' ? String(auto++) : c.field;
        const v = valueOf(name.replace(/[.[].*$/, ''), auto);
        out.push(...(v ?? [missing(name, p, c.from, c.to)]));
      }
      k = c.to;
    }
    if (k < p.text.length) out.push(slicePiece(p, k, p.text.length));
  }
  return out;
}
