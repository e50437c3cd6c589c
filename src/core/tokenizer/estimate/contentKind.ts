/**
 * What kind of content a proxy token sits in. Published tokenizer comparisons give ratios per kind of content
 * (prose, code, CJK), so estimators weigh each proxy token by the kind of the line it starts on.
 */
export type ContentKind = 'prose' | 'code' | 'cjk';

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/;
const CODE_SYMBOLS = /[{}()[\];=<>|&*/\\$#@^~`+]/g;
const CODE_LINE =
  /^\s*(?:[{}\])]|\/\/|#include|import |export |from |def |class |function |const |let |var |return\b|if \(|for \(|while \()|[;{]\s*$/;

/** The kind of one line: CJK if it holds CJK script, code by shape (a fence tracks ``` blocks), else prose. */
export function lineKind(line: string, inFence: boolean): ContentKind {
  if (CJK.test(line)) return 'cjk';
  if (inFence) return 'code';
  const trimmed = line.trim();
  if (trimmed.length === 0) return 'prose';
  if (CODE_LINE.test(line)) return 'code';
  const symbols = trimmed.match(CODE_SYMBOLS)?.length ?? 0;
  return symbols / trimmed.length >= 0.08 ? 'code' : 'prose';
}

/**
 * The kind of every line start in `text`, as [lineStart offsets, kinds]. A line's kind depends only on that line and
 * the fences before it, so an edit changes the kinds of the edited lines only.
 */
export function lineKinds(text: string): { starts: Int32Array; kinds: ContentKind[] } {
  const starts: number[] = [];
  const kinds: ContentKind[] = [];
  let inFence = false;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    const fence = /^\s*(```|~~~)/.test(line);
    starts.push(start);
    kinds.push(fence ? 'code' : lineKind(line, inFence));
    if (fence) inFence = !inFence;
    start = end + 1;
  }
  return { starts: Int32Array.from(starts), kinds };
}
