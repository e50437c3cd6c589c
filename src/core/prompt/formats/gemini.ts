import type { DiagnosticSink } from '../diagnostics';
import type { Block, Prompt, Segment } from '../types';
import { placeholderSegment } from './chatFraming';
import { describe, items, jsonSegment, member, rangeOf, stringSegment, stringValue, type Node } from './jsonTree';

/*
 * Gemini generateContent request bodies (https://ai.google.dev/api/generate-content): `tools`, `systemInstruction`,
 * then `contents` — turns with a role ('user' | 'model') and parts (text, inline data, function calls and responses).
 * Implicit caching keys on that order. Gemini bills the text of the parts and (measured on recorded calls, within a
 * token or two a request) no turn framing, so none is added. Tools and function calls are counted as their JSON: an
 * estimate, as Google does not publish how they reach the model.
 */
const ROLES = new Set(['user', 'model', 'function', 'tool']);

function parts(text: string, node: Node | undefined, where: string, out: Segment[], sink: DiagnosticSink): void {
  if (!node) return;
  if (node.type !== 'array') {
    sink.error('wrong-type', `${where} should be an array of parts, found ${describe(node)}`, rangeOf(node));
    return;
  }
  items(node).forEach((p, i) => {
    const t = member(p, 'text');
    if (t?.type === 'string') {
      out.push(stringSegment(text, t));
      return;
    }
    const data = member(p, 'inlineData') ?? member(p, 'fileData');
    if (data) {
      out.push(placeholderSegment(stringValue(member(data, 'mimeType'))?.split('/')[0] ?? 'file', rangeOf(p)));
      sink.info('media-content', `${where}[${i}]: media is counted as a placeholder; its token cost depends on its size`, rangeOf(p));
      return;
    }
    out.push(jsonSegment(p, text)); // functionCall, functionResponse, executableCode …: sent as structured data
  });
}

export function parseGemini(text: string, root: Node, sink: DiagnosticSink): Prompt {
  const blocks: Block[] = [];
  const tools = member(root, 'tools');
  if (tools?.type === 'array' && items(tools).length)
    blocks.push({ kind: 'tools', label: `tools (${items(tools).length})`, range: rangeOf(tools), segments: items(tools).map((t) => jsonSegment(t, text)) });
  const system = member(root, 'systemInstruction') ?? member(root, 'system_instruction');
  if (system?.type === 'object') {
    const r = rangeOf(system);
    // Measured: Gemini 2.5 and later bill 2 tokens for a system instruction beyond its text; 2.0 and 1.5 none.
    const modelName = stringValue(member(root, 'model')) ?? '';
    const later = !/gemini-(1\.|2\.0)/.test(modelName);
    const segs: Segment[] = later ? [{ text: '', range: { start: r.start, end: r.start }, verbatim: false, framing: true, adjust: 2 }] : [];
    parts(text, member(system, 'parts'), 'systemInstruction.parts', segs, sink);
    blocks.push({ kind: 'system', role: 'system', label: 'systemInstruction', range: r, segments: segs });
  }
  const contents = member(root, 'contents');
  if (!contents) sink.error('missing-messages', 'request body has no "contents" array', { start: root.offset, end: root.offset + 1 });
  else if (contents.type !== 'array') sink.error('wrong-type', `"contents" should be an array, found ${describe(contents)}`, rangeOf(contents));
  items(contents).forEach((c, i) => {
    const where = `contents[${i}]`;
    if (c.type !== 'object') {
      sink.error('wrong-type', `${where} should be an object, found ${describe(c)}`, rangeOf(c));
      return;
    }
    const role = stringValue(member(c, 'role')) ?? 'user';
    if (!ROLES.has(role)) sink.error('unknown-role', `${where}: unknown role "${role}" (expected user or model)`, rangeOf(member(c, 'role')!));
    const r = rangeOf(c);
    const segs: Segment[] = [];
    parts(text, member(c, 'parts'), `${where}.parts`, segs, sink);
    blocks.push({ kind: role === 'function' || role === 'tool' ? 'tool_result' : 'message', role, label: `${where} ${role}`, range: r, segments: segs });
  });
  const cached = stringValue(member(root, 'cachedContent') ?? member(root, 'cached_content'));
  if (cached)
    sink.info(
      'explicit-cache',
      `uses the explicit cache "${cached}": its contents are on Google's side and come before this request's`,
      rangeOf(member(root, 'cachedContent') ?? member(root, 'cached_content')!),
    );
  const model = stringValue(member(root, 'model'));
  return {
    format: 'gemini-generate',
    blocks,
    framingExact: false, // Google does not publish how turns, tools and configuration are counted
    diagnostics: sink.list,
    range: rangeOf(root),
    ...(model ? { model: model.replace(/^models\//, ''), models: [model.replace(/^models\//, '')] } : {}),
  };
}
