import type { DiagnosticSink } from '../diagnostics';
import type { Block, Prompt, Segment } from '../types';
import { hiddenTokens, placeholderSegment } from './chatFraming';
import { imageSegment } from '../media/imageSegment';
import { describe, items, jsonSegment, member, rangeOf, stringSegment, stringValue, type Node } from './jsonTree';

/*
 * Gemini generateContent request bodies (https://ai.google.dev/api/generate-content): `tools`, `systemInstruction`,
 * then `contents` — turns with a role ('user' | 'model') and parts (text, inline data, function calls and responses).
 * Implicit caching keys on that order. Gemini bills the text of the parts and (measured on recorded calls, within a
 * token or two a request) no turn framing, so none is added. Tools and function calls are counted as their JSON: an
 * estimate, as Google does not publish how they reach the model.
 */
const ROLES = new Set(['user', 'model', 'function', 'tool']);

/**
 * What the Gemini API bills beyond the parts' text, measured on recorded generateContent calls to Gemini 2.5 Flash,
 * 2.5 Flash Lite and 3.x (pydantic-ai's and Mirascope's cassettes): one token a request (44 of 47 single-turn text
 * requests were billed exactly their Gemma 3 token count + 1; the other three went through Vertex AI, which bills the
 * count alone), and one more for a system instruction (19 of 21 such requests equal).
 */
const REQUEST_TOKENS = 1;
const SYSTEM_INSTRUCTION_TOKENS = 1;
/**
 * Thought signatures of earlier Gemini 3 turns (base64), measured: on 30 recorded Gemini 3 Flash / Pro calls through
 * the Gemini API with signatures of 44–6,000 characters, billed − counted was 0.18–0.22 tokens a character (median
 * 0.20). (The same requests through Vertex AI bill none: 10 calls.)
 */
const signatureTokens = (signature: string): number => Math.round(signature.length / 5);
const isGemini3 = (model: string): boolean => /gemini-3/.test(model);

/** Each turn after the first: 1 (20 recorded multi-turn Gemini 2.5 Flash calls: 2 turns +1, 3 turns +2, 5 turns +4). */
const TURN_TOKENS = 1;

/** A member by its proto JSON name or its snake_case field name (the API accepts both; Python SDKs send the latter). */
function either(node: Node | undefined, camel: string): Node | undefined {
  return (
    member(node, camel) ??
    member(
      node,
      camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
    )
  );
}

/** Gemini 2.0 and 1.5 count tools and function calls differently from 2.5 and later (see toolSegments). */
const isGemini20 = (model: string): boolean => /gemini-(1\.|2\.0)/.test(model);

function parts(
  text: string,
  node: Node | undefined,
  where: string,
  out: Segment[],
  sink: DiagnosticSink,
  model: string,
): void {
  const gemini20 = isGemini20(model);
  if (!node) return;
  if (node.type !== 'array') {
    sink.error('wrong-type', `${where} should be an array of parts, found ${describe(node)}`, rangeOf(node));
    return;
  }
  items(node).forEach((p, i) => {
    // Thought summaries sent back in earlier turns are read as text (measured: 4 recorded Gemini 2.5 Flash calls that
    // returned their thoughts were billed 313–694 tokens above the count without them, each within 2 % with them);
    // thought signatures are opaque and not billed as text.
    // Gemini 3 bills the thought signatures passed back with earlier turns: one token per 5 base64 characters.
    const signature = stringValue(either(p, 'thoughtSignature'));
    if (signature && isGemini3(model)) out.push(hiddenTokens(signatureTokens(signature), p.offset));
    const t = member(p, 'text');
    if (t?.type === 'string') {
      out.push(stringSegment(text, t));
      return;
    }
    const call = either(p, 'functionCall') ?? either(p, 'functionResponse');
    if (call?.type === 'object') {
      // A call or its result is its function's name and its arguments / response: as JSON (2.5 and later), or as the
      // texts in them (2.0, 1.5; see structTexts).
      const name = member(call, 'name');
      if (name?.type === 'string') out.push(stringSegment(text, name));
      const data = member(call, 'args') ?? member(call, 'response');
      if (gemini20) structTexts(text, data, out);
      else if (data) out.push(jsonSegment(data, text));
      // A multimodal function response carries its media as parts of its own.
      parts(text, member(call, 'parts'), `${where}[${i}].functionResponse.parts`, out, sink, model);
      return;
    }
    const code = member(either(p, 'executableCode'), 'code') ?? member(either(p, 'codeExecutionResult'), 'output');
    if (code?.type === 'string') {
      out.push(stringSegment(text, code));
      return;
    }
    if (either(p, 'thoughtSignature') && (p.children?.length ?? 0) === 1) return;
    const inline = either(p, 'inlineData');
    if (stringValue(member(inline, 'mimeType') ?? member(inline, 'mime_type'))?.startsWith('image/')) {
      out.push(
        imageSegment(
          'google',
          model,
          stringValue(member(inline, 'data')),
          undefined,
          rangeOf(p),
          `${where}[${i}]`,
          sink,
        ),
      );
      return;
    }
    const data = inline ?? either(p, 'fileData');
    if (data) {
      out.push(placeholderSegment(stringValue(member(data, 'mimeType'))?.split('/')[0] ?? 'file', rangeOf(p)));
      sink.info(
        'media-content',
        `${where}[${i}]: media is counted as a placeholder; its token cost depends on its size`,
        rangeOf(p),
      );
      return;
    }
    out.push(jsonSegment(p, text)); // anything else: sent as structured data
  });
}

/**
 * Function declarations, as measured on recorded calls (Google does not publish how they reach the model): Gemini 2.5
 * bills about a declaration's compact JSON less 5 tokens (first requests of 30 recorded tool loops: within 10 %, most
 * within 3 %); Gemini 3 is counted the same, less well (median 15 %); Gemini 2.0 and 1.5 bill the declaration's
 * texts only (structTexts). Other tools (search, code execution) count as their JSON.
 */
function toolSegments(text: string, tool: Node, gemini20: boolean): Segment[] {
  const decls = member(tool, 'functionDeclarations') ?? member(tool, 'function_declarations');
  if (decls?.type !== 'array') return [jsonSegment(tool, text)];
  return items(decls).flatMap((d): Segment[] => {
    if (!gemini20) return [{ ...jsonSegment(d, text), framing: true, adjust: -5 }];
    const out: Segment[] = [];
    for (const k of ['name', 'description']) pushString(text, member(d, k), out);
    schemaTexts(
      text,
      member(d, 'parameters') ?? member(d, 'parameters_json_schema') ?? member(d, 'parametersJsonSchema'),
      out,
    );
    return out;
  });
}

/*
 * Gemini 2.0 / 1.5 count a declaration, a function call and a function response as their texts, each on its own:
 * names, descriptions, property names, required names, enum values, and the keys and string values of call arguments
 * and responses — the way Google's offline counter for these models does (Vertex AI SDK, vertexai.preview.tokenization
 * local tokenizer), and what their recorded calls bill (test/oracle).
 */
function pushString(text: string, node: Node | undefined, out: Segment[]): void {
  if (node?.type === 'string' && String(node.value)) out.push(stringSegment(text, node));
}

function schemaTexts(text: string, schema: Node | undefined, out: Segment[]): void {
  if (schema?.type !== 'object') return;
  for (const k of ['format', 'description']) pushString(text, member(schema, k), out);
  for (const k of ['enum', 'required']) for (const v of items(member(schema, k))) pushString(text, v, out);
  for (const p of member(schema, 'properties')?.children ?? []) {
    pushString(text, p.children?.[0], out);
    schemaTexts(text, p.children?.[1], out);
  }
  schemaTexts(text, member(schema, 'items'), out);
  for (const k of ['anyOf', 'oneOf', 'allOf']) for (const v of items(member(schema, k))) schemaTexts(text, v, out);
}

function structTexts(text: string, node: Node | undefined, out: Segment[]): void {
  if (node?.type === 'string') pushString(text, node, out);
  else if (node?.type === 'array') for (const v of items(node)) structTexts(text, v, out);
  else if (node?.type === 'object')
    for (const p of node.children ?? []) {
      pushString(text, p.children?.[0], out);
      structTexts(text, p.children?.[1], out);
    }
}

export function parseGemini(text: string, root: Node, sink: DiagnosticSink): Prompt {
  const blocks: Block[] = [];
  const tools = member(root, 'tools');
  const modelName = stringValue(member(root, 'model')) ?? '';
  const gemini20 = isGemini20(modelName);
  if (tools?.type === 'array' && items(tools).length)
    blocks.push({
      kind: 'tools',
      label: `tools (${items(tools).length})`,
      range: rangeOf(tools),
      segments: items(tools).flatMap((t) => toolSegments(text, t, gemini20)),
    });
  const system = member(root, 'systemInstruction') ?? member(root, 'system_instruction');
  if (system?.type === 'object') {
    const r = rangeOf(system);
    // Measured: Gemini 2.5 and later bill 1 token for a system instruction beyond its text (and the request's own, below);
    // 2.0 and 1.5 none.
    const segs: Segment[] = !gemini20 ? [hiddenTokens(SYSTEM_INSTRUCTION_TOKENS, r.start)] : [];
    parts(text, member(system, 'parts'), 'systemInstruction.parts', segs, sink, modelName);
    blocks.push({ kind: 'system', role: 'system', label: 'systemInstruction', range: r, segments: segs });
  }
  const contents = member(root, 'contents');
  if (!contents)
    sink.error('missing-messages', 'request body has no "contents" array', {
      start: root.offset,
      end: root.offset + 1,
    });
  else if (contents.type !== 'array')
    sink.error('wrong-type', `"contents" should be an array, found ${describe(contents)}`, rangeOf(contents));
  items(contents).forEach((c, i) => {
    const where = `contents[${i}]`;
    if (c.type !== 'object') {
      sink.error('wrong-type', `${where} should be an object, found ${describe(c)}`, rangeOf(c));
      return;
    }
    const role = stringValue(member(c, 'role')) ?? 'user';
    if (!ROLES.has(role))
      sink.error(
        'unknown-role',
        `${where}: unknown role "${role}" (expected user or model)`,
        rangeOf(member(c, 'role')!),
      );
    const r = rangeOf(c);
    const segs: Segment[] = i > 0 && !gemini20 ? [hiddenTokens(TURN_TOKENS, r.start)] : [];
    parts(text, member(c, 'parts'), `${where}.parts`, segs, sink, modelName);
    blocks.push({
      kind: role === 'function' || role === 'tool' ? 'tool_result' : 'message',
      role,
      label: `${where} ${role}`,
      place: { list: 'contents', index: i },
      range: r,
      segments: segs,
    });
  });
  const cached = stringValue(member(root, 'cachedContent') ?? member(root, 'cached_content'));
  if (cached)
    sink.info(
      'explicit-cache',
      `uses the explicit cache "${cached}": its contents are on Google's side and come before this request's`,
      rangeOf(member(root, 'cachedContent') ?? member(root, 'cached_content')!),
    );
  // The request's own token (measured on Gemini 2.5 and 3.x: REQUEST_TOKENS) opens the first block.
  if (!gemini20 && blocks.length)
    blocks[0] = {
      ...blocks[0],
      segments: [hiddenTokens(REQUEST_TOKENS, blocks[0].range.start), ...blocks[0].segments],
    };
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
