// The ESM build: the package's UMD main loads its parts with a dynamic require() that bundlers cannot follow.
import { getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import type { DiagnosticSink } from '../diagnostics';
import type { Segment, SourceRange } from '../types';

export type { Node };

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected ","',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'unexpected text after the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'control character in a string (escape it)',
};

/** The most syntax errors reported per JSON value: after the first few, the rest are usually echoes. */
const MAX_SYNTAX_ERRORS = 20;

/**
 * Parses text[start, end) as strict JSON into a tree whose offsets are offsets in the whole text. Syntax errors become
 * diagnostics; the tree is whatever jsonc-parser could recover (possibly partial), or undefined for no value at all.
 */
export function parseJsonRange(text: string, start: number, end: number, sink: DiagnosticSink): Node | undefined {
  const errors: ParseError[] = [];
  const slice = start === 0 && end === text.length ? text : text.slice(start, end);
  const root = parseTree(slice, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  for (const e of errors.slice(0, MAX_SYNTAX_ERRORS)) {
    const name = printParseErrorCode(e.error);
    const at = start + e.offset;
    sink.error('json-syntax', `JSON syntax error: ${SYNTAX_MESSAGES[name] ?? name}`, { start: at, end: at + e.length });
  }
  if (errors.length > MAX_SYNTAX_ERRORS) {
    const last = errors[errors.length - 1];
    sink.error('json-syntax', `${errors.length - MAX_SYNTAX_ERRORS} more JSON syntax errors`, {
      start: start + last.offset,
      end: start + last.offset,
    });
  }
  if (root && start !== 0) shiftOffsets(root, start);
  return root;
}

// Iterative: a deeply nested document must not overflow the stack here.
function shiftOffsets(root: Node, by: number): void {
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    (n as { offset: number }).offset += by;
    if (n.colonOffset !== undefined) (n as { colonOffset: number }).colonOffset += by;
    if (n.children) for (const c of n.children) stack.push(c);
  }
}

export function rangeOf(node: Node): SourceRange {
  return { start: node.offset, end: node.offset + node.length };
}

/** The value of an object member (the last one when a key repeats, as JSON.parse does). */
export function member(obj: Node | undefined, key: string): Node | undefined {
  if (obj?.type !== 'object' || !obj.children) return undefined;
  let found: Node | undefined;
  for (const p of obj.children) {
    if (p.type === 'property' && p.children?.[0]?.value === key && p.children.length > 1) found = p.children[1];
  }
  return found;
}

/** Whether the object has the key at all (even with a broken value). */
export function hasMember(obj: Node | undefined, key: string): boolean {
  return obj?.type === 'object' && !!obj.children?.some((p) => p.children?.[0]?.value === key);
}

export function items(arr: Node | undefined): readonly Node[] {
  return arr?.type === 'array' ? (arr.children ?? []) : [];
}

export function stringValue(node: Node | undefined): string | undefined {
  return node?.type === 'string' && typeof node.value === 'string' ? node.value : undefined;
}

/** The plain value of a node (objects, arrays and all), for renderers that need the data rather than the text. */
export function nodeValue(node: Node): unknown {
  return getNodeValue(node);
}

/** What a node holds, for "expected X, found Y" messages. */
export function describe(node: Node): string {
  return node.type === 'property'
    ? 'a property'
    : node.type === 'null'
      ? 'null'
      : `${/^[aeiou]/.test(node.type) ? 'an' : 'a'} ${node.type}`;
}

/**
 * A JSON string as a segment: its decoded text, ranged over the content inside the quotes. When the source has no
 * escapes the text is verbatim; otherwise `sourceOffsets` maps each decoded unit back to its escape in the source.
 */
export function stringSegment(text: string, node: Node): Segment {
  const value = String(node.value ?? '');
  const range = { start: node.offset + 1, end: Math.max(node.offset + 1, node.offset + node.length - 1) };
  const raw = text.slice(range.start, range.end);
  if (raw === value) return { text: value, range, verbatim: true };
  const map = decodeMap(raw, range.start, value);
  return map ? { text: value, range, verbatim: false, sourceOffsets: map } : { text: value, range, verbatim: false };
}

/**
 * Source offset of every decoded unit of a JSON string body (each escape, \n or \uXXXX, decodes to one UTF-16 unit);
 * undefined when the count disagrees with the parser's value (a malformed escape). Runs between backslashes are
 * copied in one loop: this is on the path of every string of a multi-megabyte request log.
 */
function decodeMap(raw: string, base: number, expected: string): Int32Array | undefined {
  const map = new Int32Array(expected.length + 1);
  let out = 0;
  for (let i = 0; i < raw.length;) {
    const bs = raw.indexOf('\\', i);
    const runEnd = bs < 0 ? raw.length : bs;
    if (out + (runEnd - i) > expected.length) return undefined;
    for (let k = i; k < runEnd; k++) map[out++] = base + k;
    if (bs < 0) break;
    if (out >= expected.length) return undefined;
    map[out++] = base + bs;
    i = bs + (raw.charCodeAt(bs + 1) === 117 /* u */ ? 6 : 2);
  }
  if (out !== expected.length) return undefined;
  map[out] = base + raw.length;
  return map;
}

/**
 * A JSON value (tool definition, tool call, schema) as it is sent: compact JSON with the source's key order, since
 * providers render definitions in the order given and a reordered key changes the cached prefix.
 */
export function jsonSegment(node: Node, text: string): Segment {
  const compact = JSON.stringify(getNodeValue(node)) ?? 'null';
  const range = rangeOf(node);
  return { text: compact, range, verbatim: text.slice(range.start, range.end) === compact };
}

/**
 * The "role" of a message object: reports a missing role (and reads it as 'user', so the rest still parses) or one
 * outside `roles`, adding `hint` to the latter.
 */
export function messageRole(
  msg: Node,
  where: string,
  roles: ReadonlySet<string>,
  sink: DiagnosticSink,
  hint = (_role: string) => '',
): string {
  const roleNode = member(msg, 'role');
  const role = stringValue(roleNode);
  if (role === undefined) {
    sink.error('missing-role', `${where} has no "role"`, roleNode ? rangeOf(roleNode) : rangeOf(msg));
    return 'user';
  }
  if (!roles.has(role))
    sink.error(
      'unknown-role',
      `${where}: unknown role "${role}" (expected ${orList([...roles])})${hint(role)}`,
      rangeOf(roleNode!),
    );
  return role;
}

function orList(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
