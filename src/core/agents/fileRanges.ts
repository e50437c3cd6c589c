// Which characters of an open instruction file reach the model: the editor tints what is sent and marks, differently,
// what an agent that loads the file never sends (the bytes Codex cuts at its budget, a skill description past what the
// listing keeps). Pure: offsets are UTF-16 offsets of the text the placement was computed on.
import { readFrontMatter } from './fileText';
import type { AgentFile, AgentWarning, HarnessId } from './types';

export type Span = readonly [number, number];

export interface CutSpan {
  readonly start: number;
  readonly end: number;
  readonly harness: HarnessId;
  /** budget: cut by the harness's byte budget (Codex's project_doc_max_bytes); listing: past the description limit. */
  readonly why: 'budget' | 'listing';
  /** The limit that cut it: bytes for a budget, characters for a listing. */
  readonly limit: number | null;
}

export interface FileRanges {
  /** Spans some agent that loads the file sends, merged and sorted. */
  readonly sent: readonly Span[];
  /** Spans an agent that loads the file never sends, one per harness and reason. */
  readonly cut: readonly CutSpan[];
  /** The YAML front matter (the file's settings, not sent as instructions), or null. */
  readonly frontMatter: Span | null;
}

/**
 * Walks `text` adding each character's UTF-8 length until `stop(bytes)` holds; returns the UTF-16 offset reached and
 * the bytes before it. No copy of the text is made (a 50 MB document is measured in place).
 */
function walkUtf8(text: string, stop: (bytes: number) => boolean): { offset: number; bytes: number } {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    if (stop(bytes)) return { offset: i, bytes };
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return { offset: text.length, bytes };
}

/** The UTF-16 offset of UTF-8 byte `byte` of `text` (the text's length when past its end). */
export function utf16OffsetOfByte(text: string, byte: number): number {
  return walkUtf8(text, (b) => b >= byte).offset;
}

/** The UTF-8 length of `text`, without encoding it. */
export function utf8LengthOf(text: string): number {
  return walkUtf8(text, () => false).bytes;
}

/** One harness's view of the file, with the warnings it gave for it. */
export interface FileView {
  readonly harness: HarnessId;
  readonly file: AgentFile;
  readonly warnings: readonly AgentWarning[];
}

// What the agents send when they load the file by themselves; a file attached only by hand is left plain.
const SENDS: ReadonlySet<AgentFile['loaded']> = new Set(['always', 'on-match', 'on-invoke', 'own-context']);

/** The sent and never-sent spans of `text` for the harnesses that recognise the file. */
export function fileRanges(text: string, views: readonly FileView[]): FileRanges {
  const fm = readFrontMatter(text);
  const frontMatter: Span | null = fm.bodyStart > 0 ? [0, fm.bodyStart] : null;
  const sent: Span[] = [];
  const cut: CutSpan[] = [];
  for (const { harness, file, warnings } of views) {
    if (file.loaded === 'listing') {
      const d = descriptionSpan(text, fm.bodyStart);
      if (!d) continue;
      const trunc = warnings.find((w) => w.code === 'skill-description-truncated');
      const max = trunc ? Number(trunc.facts.maxChars) : NaN;
      if (Number.isFinite(max) && max >= 0 && d[0] + max < d[1]) {
        sent.push([d[0], d[0] + max]);
        cut.push({ start: d[0] + max, end: d[1], harness, why: 'listing', limit: max });
      } else sent.push(d);
      continue;
    }
    if (!SENDS.has(file.loaded)) continue;
    if (file.bytesLost > 0) {
      // A budget keeps the first bytesSent bytes of the file as it is on disk, front matter and all.
      const at = utf16OffsetOfByte(text, file.bytesSent);
      if (at > 0) sent.push([0, at]);
      const budget = warnings.find((w) => w.code === 'budget-truncated')?.facts.budget;
      cut.push({
        start: at,
        end: text.length,
        harness,
        why: 'budget',
        limit: typeof budget === 'number' ? budget : null,
      });
      continue;
    }
    if (file.bytesSent === 0 && file.loaded !== 'on-invoke' && file.loaded !== 'own-context') continue;
    // Codex sends the file as it is; the others leave the front matter out.
    const from = harness === 'codex' ? 0 : fm.bodyStart;
    if (from < text.length) sent.push([from, text.length]);
  }
  return { sent: merge(sent), cut, frontMatter };
}

/** The span of the `description:` value in the front matter (a plain or quoted scalar on its line). */
function descriptionSpan(text: string, bodyStart: number): Span | null {
  if (bodyStart <= 0) return null;
  const m = /^description:[ \t]*(["']?)(.*?)\1[ \t]*\r?$/m.exec(text.slice(0, bodyStart));
  if (!m || !m[2]) return null;
  const start = m.index + m[0].indexOf(m[2], 'description:'.length);
  return [start, start + m[2].length];
}

function merge(spans: Span[]): Span[] {
  const s = spans.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: [number, number][] = [];
  for (const [a, b] of s) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}
