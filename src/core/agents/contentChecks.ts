// Checks of what always-loaded files say: text that changes between sessions (dates, versions, commit hashes: every
// edit re-writes the cached prefix of every session after it), and the same text loaded twice through two files.
import { findDynamicContent } from '../cache/dynamicContent';
import { lineAt } from './fileText';

export interface DynamicHit {
  readonly kind: string;
  readonly text: string;
  readonly line: number;
}

// Versions and commit hashes that an instruction file states as the current one: a word that says so, then the value.
const VERSION =
  /\b(?:current(?:ly)?|latest|version|release[sd]?|last (?:updated|release|deploy(?:ed)?)|updated|as of|we are on|running)\b[^\n\d]{0,12}v?(\d+\.\d+(?:\.\d+){0,2}(?:-[\w.]+)?)\b/gi;
const COMMIT = /\b(?:commit|sha|revision|rev|HEAD|hash)\b[^\n\w]{0,6}([0-9a-f]{7,40})\b/gi;

/** Dynamic content in a file's text: the first few dates, times, versions and commit hashes, with their lines. */
export function dynamicContentIn(text: string, year: number, limit = 5): DynamicHit[] {
  const out: DynamicHit[] = [];
  for (const m of findDynamicContent(text, 0, text.length, limit, { year }))
    if (m.kind === 'date' || m.kind === 'timestamp' || m.kind === 'today' || m.kind === 'uuid' || m.kind === 'epoch')
      out.push({ kind: m.kind, text: m.text, line: lineAt(text, m.start) });
  for (const re of [VERSION, COMMIT]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m && out.length < limit * 2; m = re.exec(text))
      out.push({ kind: re === VERSION ? 'version' : 'commit', text: m[0].trim(), line: lineAt(text, m.index) });
  }
  return out.sort((a, b) => a.line - b.line).slice(0, limit);
}

export interface DuplicateHit {
  readonly a: { readonly abs: string; readonly line: number };
  readonly b: { readonly abs: string; readonly line: number };
  readonly chars: number;
  readonly whole: boolean;
}

const MIN_PARAGRAPH = 160;

/**
 * Text that two files both send: the whole file (a copy, a link, an import of one into the other) or a paragraph of
 * at least 160 characters. One hit per pair of files, the first paragraph found.
 */
export function duplicatesAmong(files: readonly { abs: string; text: string }[]): DuplicateHit[] {
  const out: DuplicateHit[] = [];
  const seenPair = new Set<string>();
  const whole = new Map<string, string>();
  const paras = new Map<string, { abs: string; line: number }>();
  for (const f of files) {
    const norm = f.text.replace(/\r\n/g, '\n').trim();
    if (!norm) continue;
    const first = whole.get(norm);
    if (first !== undefined && first !== f.abs) {
      seenPair.add(`${first}\0${f.abs}`);
      out.push({ a: { abs: first, line: 1 }, b: { abs: f.abs, line: 1 }, chars: norm.length, whole: true });
      continue;
    }
    whole.set(norm, f.abs);
    const text = f.text.replace(/\r\n/g, '\n');
    const re = /(?:^|\n\n)([^\n][\s\S]*?)(?=\n\s*\n|$)/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const p = m[1].trim();
      if (p.length < MIN_PARAGRAPH) continue;
      const at = m.index + m[0].indexOf(m[1]);
      const prev = paras.get(p);
      if (prev && prev.abs !== f.abs) {
        const key = `${prev.abs}\0${f.abs}`;
        if (seenPair.has(key)) continue;
        seenPair.add(key);
        out.push({ a: prev, b: { abs: f.abs, line: lineAt(text, at) }, chars: p.length, whole: false });
      } else if (!prev) paras.set(p, { abs: f.abs, line: lineAt(text, at) });
    }
  }
  return out;
}
