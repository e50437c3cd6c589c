// `@path` imports in instruction files, as Claude Code and Gemini CLI read them. Both skip code; they differ in
// what they do with an import: Claude Code sends each imported file as its own entry after the file that imports it
// (depth ≤ 5, a path seen once is skipped), Gemini CLI replaces the `@path` in place with the file between comment
// markers (depth ≤ 5, a file already in the import chain becomes a comment).

export interface ImportRef {
  /** The path as written (fragment removed, escaped spaces unescaped). */
  readonly path: string;
  /** UTF-16 offsets of the whole `@path` in the text. */
  readonly start: number;
  readonly end: number;
}

/** [start, end) ranges of fenced code blocks, inline code spans and HTML comments (where no import is read). */
export function codeRanges(text: string): [number, number][] {
  const out: [number, number][] = [];
  // Fenced blocks: a line opening with ``` or ~~~ up to the line closing it (or the end).
  const fence = /^( {0,3})(`{3,}|~{3,})[^\n]*$/gm;
  for (let m = fence.exec(text); m; m = fence.exec(text)) {
    const marker = m[2];
    const close = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*\\r?$`, 'gm');
    close.lastIndex = m.index + m[0].length + 1;
    const c = close.exec(text);
    const end = c ? c.index + c[0].length : text.length;
    out.push([m.index, end]);
    fence.lastIndex = end;
  }
  const inFence = (i: number) => out.some(([a, b]) => i >= a && i < b);
  const spans = /(`+)[^`][\s\S]*?\1|<!--[\s\S]*?-->/g;
  for (let m = spans.exec(text); m; m = spans.exec(text))
    if (!inFence(m.index)) out.push([m.index, m.index + m[0].length]);
  return out.sort((a, b) => a[0] - b[0]);
}

const inRanges = (ranges: readonly [number, number][], i: number) => ranges.some(([a, b]) => i >= a && i < b);

/**
 * Claude Code's imports: `@path` after a line start or whitespace, outside code; `@./p`, `@~/p`, `@/p` or a path
 * starting with a letter, digit, '.', '_' or '-'; '#fragment' dropped; '\ ' is a space.
 */
export function claudeImports(text: string): ImportRef[] {
  const ranges = codeRanges(text);
  const out: ImportRef[] = [];
  const re = /(^|\s)@((?:[^\s\\]|\\ )+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[1].length;
    if (inRanges(ranges, start)) continue;
    let p = m[2];
    const hash = p.indexOf('#');
    if (hash >= 0) p = p.slice(0, hash);
    p = p.replace(/\\ /g, ' ');
    if (!p) continue;
    const valid =
      p.startsWith('./') ||
      p.startsWith('~/') ||
      (p.startsWith('/') && p !== '/') ||
      (!p.startsWith('@') && !/^[#%^&*()]+/.test(p) && /^[a-zA-Z0-9._-]/.test(p));
    if (valid) out.push({ path: p, start, end: start + 1 + m[2].length });
  }
  return out;
}

/** Gemini CLI's imports: `@` at the start or after whitespace, up to the next whitespace; starts with '.', '/' or a letter. */
export function geminiImports(text: string): ImportRef[] {
  // Its code regions are any run of backticks up to the same run (memoryImportProcessor.ts findCodeRegions).
  const regions: [number, number][] = [];
  const re = /(`+)([\s\S]*?)\1/g;
  for (let m = re.exec(text); m; m = re.exec(text)) regions.push([m.index, m.index + m[0].length]);
  const out: ImportRef[] = [];
  let i = 0;
  while (i < text.length) {
    i = text.indexOf('@', i);
    if (i < 0) break;
    if (i > 0 && !/[ \t\n\r]/.test(text[i - 1])) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < text.length && !/[ \t\n\r]/.test(text[j])) j++;
    const p = text.slice(i + 1, j);
    if (p && /^[./A-Za-z]/.test(p) && !inRanges(regions, i)) out.push({ path: p, start: i, end: j });
    i = j + 1;
  }
  return out;
}
