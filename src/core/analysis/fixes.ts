import {
  applyEdits,
  findNodeAtLocation,
  findNodeAtOffset,
  getNodePath,
  modify,
  parseTree,
  type Node,
} from 'jsonc-parser/lib/esm/main.js'; // the UMD entry does not bundle
import type { DynamicMatch } from '../cache/dynamicContent';
import { LineIndex } from '../text/lineIndex';

/** A text edit in the document's UTF-16 offsets (what a code action applies, as one undoable edit). */
export interface Edit {
  readonly offset: number;
  readonly length: number;
  readonly content: string;
}

export interface Fix {
  readonly title: string;
  readonly edits: readonly Edit[];
}

export function applyFix(text: string, fix: Fix): string {
  return applyEdits(
    text,
    fix.edits.map((e) => ({ ...e })),
  );
}

/** The same text with the dynamic value changed (each digit and letter shifted): what the next request would send. */
export function withChangedValue(text: string, m: { start: number; end: number }): string {
  const changed = text
    .slice(m.start, m.end)
    .replace(/[0-9A-Za-z]/g, (c) =>
      /\d/.test(c)
        ? String((Number(c) + 1) % 10)
        : c === 'z'
          ? 'a'
          : c === 'Z'
            ? 'A'
            : String.fromCharCode(c.charCodeAt(0) + 1),
    );
  return text.slice(0, m.start) + changed + text.slice(m.end);
}

function lineSpan(text: string, offset: number): { start: number; end: number } {
  const lines = new LineIndex(text);
  const { line } = lines.position(offset);
  const start = lines.lineStart(line);
  const next = line < lines.lineCount ? lines.lineStart(line + 1) : text.length;
  return { start, end: next };
}

const HEADING = /^[ \t]{0,3}#{1,6}(?:[ \t]|$)/;
const FENCE = /^[ \t]{0,3}(?:```|~~~)/;

/**
 * The lines to move for the dynamic line [start, end): the line alone, or — when it is all its Markdown section holds
 * ("## Now" then "Today is …") — the heading with it, so no empty heading is left behind.
 */
function movedSpan(text: string, start: number, end: number): { start: number; end: number } {
  const lines = new LineIndex(text);
  const lineText = (k: number) =>
    text.slice(lines.lineStart(k), k < lines.lineCount ? lines.lineStart(k + 1) : text.length).replace(/\r?\n$/, '');
  let h = lines.position(start).line - 1;
  while (h >= 1 && !lineText(h).trim()) h--;
  if (h < 1 || !HEADING.test(lineText(h))) return { start, end };
  const rest = text.slice(end);
  const next = /^(?:[ \t]*\r?\n)*([^\r\n]*)/.exec(rest)!;
  if (next[1] && !HEADING.test(next[1])) return { start, end };
  // Blank lines after the moved line go too, so the next heading keeps the blank line before it.
  const blank = next[1] ? next[0].length - next[1].length : rest.length;
  return { start: lines.lineStart(h), end: end + blank };
}

/** True when the text ends inside an open code fence (an odd number of fence lines). */
function endsInFence(text: string): boolean {
  return text.split(/\r?\n/).filter((l) => FENCE.test(l)).length % 2 === 1;
}

/**
 * Moves the line holding dynamic content (a date, a request id …) to the end of a plain prompt, so the static part
 * before it can stay cached when the value changes. A heading that would be left empty moves with it; nothing is
 * appended inside an unclosed code fence.
 */
export function moveLineToEnd(text: string, m: DynamicMatch): Fix | undefined {
  const line = lineSpan(text, m.start);
  if (line.end >= text.length && !text.slice(line.end).trim()) return undefined; // already last
  const { start, end } = movedSpan(text, line.start, line.end);
  const kept = text.slice(0, start) + text.slice(end);
  if (endsInFence(kept) || !kept.trim()) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const moved = text.slice(start, end).replace(/(?:\r?\n)+$/, '');
  const lastLineBreak = text.endsWith('\n');
  // A moved section is set off by a blank line, as Markdown sections are.
  const lead = (lastLineBreak ? '' : eol) + (start < line.start ? eol : '');
  return {
    title: `Move "${m.text.slice(0, 40)}" after the static part (to the end)`,
    edits: [
      { offset: start, length: end - start, content: '' },
      { offset: text.length, length: 0, content: lead + moved + (lastLineBreak ? eol : '') },
    ],
  };
}

/** Adds a `<!-- cache-breakpoint -->` line to a plain prompt: before `before` (the first dynamic line) or at the end. */
export function addMarkerBreakpoint(text: string, before?: number): Fix {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (before !== undefined) {
    const { start } = lineSpan(text, before);
    return {
      title: 'Add a cache breakpoint before the dynamic part',
      edits: [{ offset: start, length: 0, content: `<!-- cache-breakpoint -->${eol}` }],
    };
  }
  const lead = text.endsWith('\n') ? '' : eol;
  return {
    title: 'Add a cache breakpoint at the end of the prompt',
    edits: [{ offset: text.length, length: 0, content: `${lead}<!-- cache-breakpoint -->${eol}` }],
  };
}

const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };

/**
 * Adds `"cache_control": {"type": "ephemeral"}` at the end of the long static part of an Anthropic request body:
 * the last system block (a string system prompt becomes one text block), else the last tool.
 */
export function addAnthropicBreakpoint(text: string): Fix | undefined {
  const root = parseTree(text);
  if (!root) return undefined;
  const fmt = {
    ...FORMAT,
    formattingOptions: {
      ...FORMAT.formattingOptions,
      eol: text.includes('\r\n') ? '\r\n' : '\n',
      tabSize: indentOf(text),
    },
  };
  const system = findNodeAtLocation(root, ['system']);
  const cc = { type: 'ephemeral' };
  if (system?.type === 'array' && system.children?.length) {
    const i = system.children.length - 1;
    return {
      title: 'Add a cache_control breakpoint to the last system block',
      edits: modify(text, ['system', i, 'cache_control'], cc, fmt),
    };
  }
  if (system?.type === 'string') {
    return {
      title: 'Add a cache_control breakpoint to the system prompt',
      edits: modify(text, ['system'], [{ type: 'text', text: system.value, cache_control: cc }], fmt),
    };
  }
  const tools: Node | undefined = findNodeAtLocation(root, ['tools']);
  if (tools?.type === 'array' && tools.children?.length) {
    return {
      title: 'Add a cache_control breakpoint to the last tool',
      edits: modify(text, ['tools', tools.children.length - 1, 'cache_control'], cc, fmt),
    };
  }
  return undefined;
}

function indentOf(text: string): number {
  const m = /\n( +)\S/.exec(text);
  return m ? Math.min(8, m[1].length) : 2;
}

const MARKER_LINE = /^[ \t]*<!--[ \t]*cache-breakpoint\b[^\r\n]*?-->[ \t]*(?:\r\n|\n|\r|$)/;

/**
 * Removes the breakpoints after the first `keep` (Anthropic rejects a request with more than 4): the cache_control of
 * each content block ending at `blockEnds` (JSON bodies), or the marker line that follows it (plain prompts).
 */
/** The JSON path of the object that starts at `offset` (a content block, a tool), or undefined. */
function objectPathAt(root: Node, offset: number): (string | number)[] | undefined {
  let node: Node | undefined = findNodeAtOffset(root, offset, true);
  while (node && !(node.type === 'object' && node.offset === offset)) node = node.parent;
  return node ? getNodePath(node) : undefined;
}

/**
 * Adds a breakpoint at the end of a block (a live cache entry ends there, beyond the lookback of the next breakpoint):
 * cache_control on that content block of an Anthropic body, or a marker line after it in a plain prompt.
 */
export function addBreakpointAfter(text: string, block: { start: number; end: number }): Fix | undefined {
  const root = /^\s*[[{]/.test(text) ? parseTree(text) : undefined;
  if (root) {
    const p = objectPathAt(root, block.start);
    if (!p) return undefined;
    return {
      title: 'Add a cache breakpoint where the cached prefix ends (within the 20-block lookback)',
      edits: modify(text, [...p, 'cache_control'], { type: 'ephemeral' }, FORMAT),
    };
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lead = block.end > 0 && text[block.end - 1] !== '\n' ? eol : '';
  return {
    title: 'Add a cache breakpoint where the cached prefix ends (within the 20-block lookback)',
    edits: [{ offset: block.end, length: 0, content: `${lead}<!-- cache-breakpoint -->${eol}` }],
  };
}

/** Tool names of a request body, in order (OpenAI function tools and Anthropic tools alike). */
function toolNames(tools: Node | undefined): string[] | undefined {
  if (tools?.type !== 'array') return undefined;
  const names = (tools.children ?? []).map((t) => {
    const n = findNodeAtLocation(t, ['name']) ?? findNodeAtLocation(t, ['function', 'name']);
    return typeof n?.value === 'string' ? n.value : undefined;
  });
  return names.every((n) => n !== undefined) ? (names as string[]) : undefined;
}

/**
 * The tools are the same as in the baseline but in another order — which changes the cached prefix from the first
 * moved tool on. Restores the baseline's order, keeping each tool's current text.
 */
export function restoreToolOrder(text: string, baseline: string, label: string): Fix | undefined {
  const cur = parseTree(text),
    old = parseTree(baseline);
  if (!cur || !old) return undefined;
  const tools = findNodeAtLocation(cur, ['tools']);
  const a = toolNames(tools),
    b = toolNames(findNodeAtLocation(old, ['tools']));
  if (
    !a ||
    !b ||
    a.length !== b.length ||
    a.join('\u0000') === b.join('\u0000') ||
    [...a].sort().join('\u0000') !== [...b].sort().join('\u0000')
  )
    return undefined;
  const items = tools!.children!;
  const byName = new Map(items.map((t, i) => [a[i], text.slice(t.offset, t.offset + t.length)]));
  const edits: Edit[] = items.map((t, i) => ({ offset: t.offset, length: t.length, content: byName.get(b[i])! }));
  return { title: `Restore the order of the tools as in ${label}`, edits: edits.sort((x, y) => y.offset - x.offset) };
}

export function removeBreakpoints(
  text: string,
  blockRanges: readonly { start: number; end: number }[],
  keep: number,
): Fix | undefined {
  const extra = blockRanges.slice(keep);
  if (!extra.length) return undefined;
  const edits: Edit[] = [];
  const root = /^\s*[[{]/.test(text) ? parseTree(text) : undefined;
  for (const r of extra) {
    if (root) {
      const p = objectPathAt(root, r.start);
      if (!p) continue;
      edits.push(...modify(text, [...p, 'cache_control'], undefined, FORMAT));
    } else {
      const m = MARKER_LINE.exec(text.slice(r.end));
      if (m) edits.push({ offset: r.end, length: m[0].length, content: '' });
    }
  }
  if (!edits.length) return undefined;
  // jsonc's edits are computed each against the original text: apply from the end so offsets stay valid.
  edits.sort((a, b) => b.offset - a.offset);
  return {
    title: `Remove the ${extra.length} breakpoint${extra.length > 1 ? 's' : ''} over the limit of ${keep}`,
    edits,
  };
}
