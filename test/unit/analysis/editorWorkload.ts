// What users do to a prompt in the editor, for the live path's tests and `npm run bench editor`: a Markdown prompt of
// prose, fenced code (with template literals, so `${` and `}` are everywhere), mixed text (lists, inline code, links,
// numbers) and CJK, an older version of it as git would hold it, a JSON request body with long string values, and
// random edits at random places — typing, deleting, pasting and new lines, each kind as an editor makes it.
import type { TokenText } from '../../../src/core/tokenizer/chunkedTokens';
import type { TextEdit } from '../../../src/core/tokenizer/types';
import { cjk, code, int, pick, prose } from '../tokenizer/sampleTexts';

export type TextKind = 'prose' | 'code' | 'mixed' | 'cjk';
export const TEXT_KINDS: readonly TextKind[] = ['prose', 'code', 'mixed', 'cjk'];
export type EditKind = 'type' | 'delete' | 'paste' | 'newline';

const LANGS = ['ts', 'python', 'js', 'bash', ''];

/** A fenced code block, with the template literals and braces real code has. */
function codeBlock(rnd: () => number, chars: number): string {
  const lines = code(rnd, chars).split('\n');
  for (let i = 0; i < lines.length; i += 3 + int(rnd, 5))
    lines.splice(i, 0, `  console.log(\`\${${pick(rnd, ['name', 'item.id', 'n'])}}: \${value}\`);`);
  return `\`\`\`${pick(rnd, LANGS)}\n${lines.join('\n')}\n\`\`\``;
}

/** Prose with Markdown: a list, inline code, a link, numbers and emphasis. */
function mixedText(rnd: () => number, chars: number): string {
  const out: string[] = [];
  let n = 0;
  while (n < chars) {
    const words = prose(rnd, 40 + int(rnd, 160)).replace(/\s+/g, ' ');
    const line = pick(rnd, [
      `- ${words}`,
      `${1 + int(rnd, 20)}. **${words.slice(0, 12)}** ${words.slice(12)}`,
      `Call \`${pick(rnd, ['lookup_order', 'send(msg)', 'x => x * 2', 'obj[key]'])}\` when ${words}`,
      `See [the docs](https://example.com/docs/${int(rnd, 999)}#part-${int(rnd, 9)}) — ${words} (v${int(rnd, 9)}.${int(rnd, 99)}, ${int(rnd, 100)} %)`,
      `> ${words}`,
      `| ${words.slice(0, 20)} | ${int(rnd, 1e5)} | ${words.slice(20, 40)} |`,
      `See #file:docs/guide-${int(rnd, 40)}.md for ${words}`,
      `<!-- note: ${words.slice(0, 30)} -->`,
    ]);
    out.push(line);
    n += line.length + 1;
  }
  return out.join('\n');
}

/** A section of about `chars` units of one kind. */
export function section(rnd: () => number, kind: TextKind, chars: number): string {
  switch (kind) {
    case 'prose':
      return prose(rnd, chars).trim();
    case 'code':
      return codeBlock(rnd, chars);
    case 'mixed':
      return mixedText(rnd, chars);
    case 'cjk':
      return cjk(rnd, chars).replace(/^\s+|\s+$/g, '');
  }
}

/** The line of a variedMarkdown() prompt that first uses its run-time references (VS Code prompt-file variables). */
const REFERENCES_LINE = 'Answer the ticket ${input:ticket} using #file:docs/faq.md and ${selection}.';

/**
 * A Markdown prompt of about `chars` units: front matter, a title, the line with the first run-time references, then
 * headed sections of every kind in turn.
 */
export function variedMarkdown(rnd: () => number, chars: number): string {
  const parts = ['---\nmodel: gpt-4.1\n---', '# Support agent', '', REFERENCES_LINE, ''];
  let n = 40,
    k = 0;
  while (n < chars) {
    const kind = TEXT_KINDS[k++ % TEXT_KINDS.length];
    const s = `## ${kind} ${k}\n\n${section(rnd, kind, 800 + int(rnd, 3000))}\n`;
    parts.push(s);
    n += s.length + 1;
  }
  return parts.join('\n');
}

/**
 * An older version of `text`, as git HEAD holds it while you work: a few paragraphs changed, the first of them at
 * `firstChange` (a fraction of the text), the rest after it. The live prompt leaves this baseline there.
 */
export function olderVersion(rnd: () => number, text: string, firstChange: number): string {
  let out = text;
  const at = [firstChange, ...Array.from({ length: 3 }, () => firstChange + rnd() * (1 - firstChange))].sort(
    (x, y) => x - y,
  );
  for (const f of at.reverse()) {
    const p = out.indexOf('\n', Math.floor(f * out.length));
    if (p < 0) continue;
    out = `${out.slice(0, p)}\nAn older sentence ${int(rnd, 1000)} that was edited since.${out.slice(p)}`;
  }
  return out;
}

/** A random edit of `kind` at offset `at` of `text` (never cutting a surrogate pair or a CRLF, as an editor does not). */
export function editAt(rnd: () => number, text: TokenText, at: number, kind: EditKind): TextEdit {
  const low = (i: number) => i > 0 && i < text.length && (text.charCodeAt(i) & 0xfc00) === 0xdc00;
  const crlf = (i: number) => text.charCodeAt(i - 1) === 13 && text.charCodeAt(i) === 10;
  const keep = (i: number) => (low(i) || crlf(i) ? i - 1 : i);
  at = keep(Math.max(0, Math.min(text.length, at)));
  switch (kind) {
    case 'type':
      return {
        start: at,
        end: at,
        text: pick(rnd, ['a', 'e', ' ', 's', 'the ', '.', ',', '1', '你', 'é', '🙂', '(', '`']),
      };
    case 'newline':
      return { start: at, end: at, text: rnd() < 0.7 ? '\n' : '\n\n' };
    case 'delete': {
      // Backspace (one or a few), or a selection of up to a line deleted.
      const len = rnd() < 0.7 ? 1 + int(rnd, 3) : 1 + int(rnd, 80);
      return { start: keep(Math.max(0, at - len)), end: at, text: '' };
    }
    case 'paste': {
      // A copied stretch of the prompt itself (up to 2,000 units), sometimes over a selection.
      const from = keep(int(rnd, Math.max(1, text.length - 1)));
      const text2 = text.slice(from, keep(Math.min(text.length, from + 1 + int(rnd, 2000))));
      const end = rnd() < 0.3 ? keep(Math.min(text.length, at + int(rnd, 200))) : at;
      return { start: at, end, text: text2 };
    }
  }
}

/** Typing, deleting, pasting and new lines in proportions an editing session has. */
export function editKind(rnd: () => number): EditKind {
  const r = rnd();
  return r < 0.55 ? 'type' : r < 0.8 ? 'delete' : r < 0.9 ? 'newline' : 'paste';
}

export function applyEdit(text: string, e: TextEdit): string {
  return text.slice(0, e.start) + e.text + text.slice(e.end);
}

/** The edit that undoes `e` (applied to the text before it). */
export function undoOf(text: TokenText, e: TextEdit): TextEdit {
  return { start: e.start, end: e.start + e.text.length, text: text.slice(e.start, e.end) };
}

/**
 * Where the random places of a variedMarkdown() prompt start: after its front matter, title and the line that first
 * uses its references (edits there change what the parser reads, and are not followed live by design).
 */
export function bodyOffset(text: TokenText): number {
  const head = text.slice(0, 4096);
  return head.indexOf(REFERENCES_LINE) + REFERENCES_LINE.length + 1;
}

/** Which kind of text holds offset `at` of a variedMarkdown() prompt (its section heading says). */
export function kindAt(text: TokenText, at: number): TextKind | 'head' {
  const before = text.slice(Math.max(0, at - 8192), at);
  const m = /^\n## (prose|code|mixed|cjk) /.exec(before.slice(before.lastIndexOf('\n## ')));
  return m ? (m[1] as TextKind) : 'head';
}

/** A Chat Completions body whose system and user messages are long string values (with escapes: \n, \", \u00e9). */
export function jsonBody(rnd: () => number, chars: number): string {
  const half = Math.floor(chars / 2);
  return JSON.stringify(
    {
      model: 'gpt-4.1',
      messages: [
        { role: 'system', content: `You are "Lumi".\n${variedMarkdown(rnd, half).replace(/^---[\s\S]*?---\n/, '')}` },
        { role: 'user', content: prose(rnd, half) },
      ],
    },
    null,
    1,
  );
}

/** JSON string text for a string value: escapes as a JSON editor shows them (`\n` for a new line). */
export const jsonStringText = (s: string): string => JSON.stringify(s).slice(1, -1);

/** The source ranges of a JSON body's long string values (their text, without the quotes). */
export function longStrings(body: string): [number, number][] {
  return [...body.matchAll(/"((?:[^"\\]|\\.){200,})"/g)].map((m) => [m.index + 1, m.index + 1 + m[1].length]);
}

/** A character that cannot end a JSON escape: the position after it is between two characters of the string. */
const plain = (c: number) => !/[\\"/bfnrtu0-9a-fA-F]/.test(String.fromCharCode(c));

/** The nearest position at or before x, within [from, to], that is between two characters of a JSON string. */
function boundaryNear(text: TokenText, from: number, to: number, x: number): number {
  let p = Math.max(from, Math.min(x, to));
  while (p > from && !plain(text.charCodeAt(p - 1))) p--;
  let q = p;
  for (;;) {
    const w = text.charCodeAt(q) === 92 ? (text.charCodeAt(q + 1) === 117 ? 6 : 2) : 1;
    if (q + w > Math.min(x, to)) return q;
    q += w;
  }
}

/**
 * A random edit inside one of a JSON body's string values (`strings`, kept current by the caller), as typed into the
 * editor: the inserted text is what one types in a JSON string (a new line is `\n`, a quote `\"`), and a deletion
 * takes whole characters, escapes included; a paste is a stretch of a string value.
 */
export function jsonStringEdit(
  rnd: () => number,
  text: TokenText,
  strings: readonly (readonly [number, number])[],
  kind: EditKind,
): TextEdit {
  const [from, to] = pick(rnd, strings);
  const at = boundaryNear(text, from, to, from + int(rnd, to - from + 1));
  switch (kind) {
    case 'type':
      return {
        start: at,
        end: at,
        text: jsonStringText(pick(rnd, ['a', ' ', 'é', '🙂', 'word ', '.', '"', '\\', '\t'])),
      };
    case 'newline':
      return { start: at, end: at, text: '\\n' };
    case 'delete':
      return { start: at, end: boundaryNear(text, at, to, at + 1 + int(rnd, rnd() < 0.7 ? 3 : 80)), text: '' };
    case 'paste': {
      const [f2, t2] = pick(rnd, strings);
      const a = boundaryNear(text, f2, t2, f2 + int(rnd, t2 - f2));
      return { start: at, end: at, text: text.slice(a, boundaryNear(text, a, t2, a + 1 + int(rnd, 2000))) };
    }
  }
}

/** The string ranges after edit e (inside one of them). */
export function shiftStrings(strings: [number, number][], e: TextEdit): void {
  const d = e.text.length - (e.end - e.start);
  for (const r of strings) {
    if (r[1] >= e.end) r[1] += d;
    if (r[0] > e.start) r[0] += d;
  }
}
