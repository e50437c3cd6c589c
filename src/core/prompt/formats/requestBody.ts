import type { DiagnosticSink } from '../diagnostics';
import type { Prompt, PromptFormat } from '../types';
import { parseAnthropic } from './anthropic';
import { describe, hasMember, items, member, parseJsonRange, rangeOf, stringValue, type Node } from './jsonTree';
import { parseGemini } from './gemini';
import { parseOpenAiChat, parseOpenAiResponses } from './openai';

/**
 * Parses a .json file: one request body, a bare message array (`[{"role": …}]`, as evaluation tools store
 * conversations), or an Anthropic batch-create body (`{"requests": [{"custom_id", "params"}]}`, one prompt each).
 */
export function parseJsonDocument(text: string, start: number, end: number, sink: DiagnosticSink): Prompt[] {
  const root = parseJsonRange(text, start, end, sink);
  if (root?.type === 'array' && items(root).some((m) => hasMember(m, 'role')))
    return [parseBody(text, asMessages(root), sink)];
  const requests = root?.type === 'object' && !hasMember(root, 'messages') ? member(root, 'requests') : undefined;
  if (requests?.type === 'array' && items(requests).some((r) => hasMember(r, 'params'))) {
    const prompts = items(requests).map((r, i): Prompt => {
      const id = stringValue(member(r, 'custom_id'));
      return { ...parseBody(text, r, sink.child()), label: `requests[${i}]${id ? ` ${id}` : ''}` };
    });
    // Problems outside any request (a syntax error at the end) go with the first, so they are reported once.
    if (sink.list.length && prompts.length)
      prompts[0] = { ...prompts[0], diagnostics: [...sink.list, ...prompts[0].diagnostics] };
    return prompts;
  }
  return [
    root
      ? parseBody(text, root, sink)
      : { format: 'openai-chat', blocks: [], diagnostics: sink.list, range: { start, end } },
  ];
}

/** A message array seen as the "messages" of a request body (same offsets), so the body parsers read it. */
function asMessages(arr: Node): Node {
  const key = { type: 'string', value: 'messages', offset: arr.offset, length: 0 } as Node;
  const prop = { type: 'property', offset: arr.offset, length: arr.length, children: [key, arr] } as Node;
  return { type: 'object', offset: arr.offset, length: arr.length, children: [prop] } as Node;
}

/** Parses text[start, end) as one request body (one JSONL line). */
export function parseRequestBody(text: string, start: number, end: number, sink: DiagnosticSink): Prompt {
  const root = parseJsonRange(text, start, end, sink);
  if (!root) return { format: 'openai-chat', blocks: [], diagnostics: sink.list, range: { start, end } };
  return parseBody(text, root, sink);
}

function parseBody(text: string, root: Node, sink: DiagnosticSink): Prompt {
  const range = rangeOf(root);
  if (root.type !== 'object') {
    sink.error('wrong-type', `a request body should be a JSON object, found ${describe(root)}`, rangeOf(root));
    return { format: 'openai-chat', blocks: [], diagnostics: sink.list, range };
  }
  const { body, format } = unwrap(root);
  if (format === 'gemini-generate') return parseGemini(text, body, sink);
  if (format === 'anthropic-messages') return parseAnthropic(text, body, sink);
  if (format === 'openai-responses') return parseOpenAiResponses(text, body, sink);
  return parseOpenAiChat(text, body, sink);
}

/**
 * Which API a body is for. Batch-file lines wrap it ({"custom_id", "url", "body"} for OpenAI, {"custom_id", "params"}
 * for Anthropic). Otherwise: "input"/"instructions" without "messages" is the Responses API; "messages" is Anthropic
 * when anything Anthropic-only shows (top-level "system", a claude model, cache_control, input_schema, tool_use blocks),
 * else Chat Completions (also the fine-tuning {"messages": […]} log format).
 */
export function detectFormat(
  root: Node,
): Extract<PromptFormat, 'openai-chat' | 'openai-responses' | 'anthropic-messages' | 'gemini-generate'> {
  return unwrap(root).format;
}

function unwrap(root: Node): { body: Node; format: ReturnType<typeof detectFormat> } {
  // A usage-log line ({"timestamp", "request", "response"}, as `kvlens replay` reads): the request is the prompt.
  const request = member(root, 'request');
  if (
    request?.type === 'object' &&
    !hasMember(root, 'messages') &&
    (hasMember(request, 'messages') ||
      hasMember(request, 'input') ||
      hasMember(request, 'system') ||
      hasMember(request, 'contents'))
  )
    return unwrap(request);
  const body = member(root, 'body');
  if (body?.type === 'object' && hasMember(root, 'custom_id')) {
    const url = stringValue(member(root, 'url')) ?? '';
    const inner = unwrap(body);
    if (url.includes('/responses')) return { body, format: 'openai-responses' };
    if (url.includes('/chat/completions')) return { body, format: 'openai-chat' };
    return inner;
  }
  const params = member(root, 'params');
  if (params?.type === 'object' && hasMember(root, 'custom_id')) return { body: params, format: 'anthropic-messages' };
  if (!hasMember(root, 'messages') && hasMember(root, 'contents')) return { body: root, format: 'gemini-generate' };
  if (!hasMember(root, 'messages') && (hasMember(root, 'input') || hasMember(root, 'instructions')))
    return { body: root, format: 'openai-responses' };
  return { body: root, format: looksAnthropic(root) ? 'anthropic-messages' : 'openai-chat' };
}

const ANTHROPIC_BLOCK_TYPES = new Set([
  'tool_use',
  'tool_result',
  'thinking',
  'redacted_thinking',
  'document',
  'server_tool_use',
  'mcp_tool_use',
  'mcp_tool_result',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'search_result',
]);

function looksAnthropic(root: Node): boolean {
  if (hasMember(root, 'system') || hasMember(root, 'cache_control') || hasMember(root, 'anthropic_version'))
    return true;
  if (/^(anthropic\.)?claude/i.test(stringValue(member(root, 'model')) ?? '')) return true;
  if (items(member(root, 'tools')).some((t) => hasMember(t, 'input_schema'))) return true;
  for (const msg of items(member(root, 'messages'))) {
    for (const part of items(member(msg, 'content'))) {
      if (hasMember(part, 'cache_control') || hasMember(part, 'source')) return true;
      const type = stringValue(member(part, 'type'));
      if (type && ANTHROPIC_BLOCK_TYPES.has(type)) return true;
    }
  }
  return false;
}
