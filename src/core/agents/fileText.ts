// Bytes to text as the agents read them, front matter, and line numbers.
import { yaml } from '../prompt/formats/yamlLib';

// Lossy like Rust's String::from_utf8_lossy and Node's 'utf-8' reads: an invalid sequence becomes U+FFFD. The BOM is
// kept: Codex and Claude Code send it as the file has it.
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

export function decodeUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** 1-based line of a UTF-16 offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** 1-based line that holds byte `byteOffset` of the UTF-8 text. */
export function lineAtByte(bytes: Uint8Array, byteOffset: number): number {
  let line = 1;
  const end = Math.min(byteOffset, bytes.length);
  for (let i = 0; i < end; i++) if (bytes[i] === 10) line++;
  return line;
}

export interface ParsedFrontMatter {
  /** null when the file has no front matter. */
  readonly data: Readonly<Record<string, unknown>> | null;
  /** Offset where the body starts (0 without front matter). */
  readonly bodyStart: number;
  /** Set when a front matter was opened but is not a readable YAML mapping. */
  readonly problem?: { readonly message: string; readonly line: number };
}

const OPEN = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSE = /^---[ \t]*(?:\r?\n|$)/m;

/** The YAML front matter of an agent file (`---` … `---`), never throwing. */
export function readFrontMatter(text: string): ParsedFrontMatter {
  const open = OPEN.exec(text);
  if (!open) return { data: null, bodyStart: 0 };
  const rest = text.slice(open[0].length);
  const close = CLOSE.exec(rest);
  if (!close)
    return { data: null, bodyStart: 0, problem: { message: 'front matter is never closed by "---"', line: 1 } };
  const body = rest.slice(0, close.index);
  const bodyStart = open[0].length + close.index + close[0].length;
  const doc = yaml().parseDocument(body, { prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = 1 + lineAt(body, e.pos?.[0] ?? 0);
    return { data: {}, bodyStart, problem: { message: e.message.split('\n')[0], line } };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { data: {}, bodyStart, problem: { message: (e as Error).message, line: 2 } };
  }
  if (data === null || data === undefined) return { data: {}, bodyStart };
  if (typeof data !== 'object' || Array.isArray(data))
    return { data: {}, bodyStart, problem: { message: 'front matter is not a mapping of keys to values', line: 2 } };
  return { data: data as Record<string, unknown>, bodyStart };
}

/** A front-matter value as a list of strings: "a, b" and ["a", "b"] alike (Cursor writes globs both ways). */
export function stringList(v: unknown): string[] {
  if (typeof v === 'string')
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(v))
    return v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((s) => s.trim());
  return [];
}

export function stringValue(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** Globs that match every file: "**", "**\/*", "*" at the root, "**\/*.*" and the like. */
export function matchesEverything(glob: string): boolean {
  const g = glob.trim().replace(/^\.\//, '');
  return /^(?:\*\*(?:\/\*(?:\.\*)?)?|\*|\*\*\/\*\*)$/.test(g);
}
