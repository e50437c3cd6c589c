import type { DiagnosticSink } from '../diagnostics';
import type { Prompt, PromptFormat } from '../types';
import { parseAnthropic } from './anthropic';
import { describe, hasMember, items, member, parseJsonRange, rangeOf, stringValue, type Node } from './jsonTree';
import { parseOpenAiChat, parseOpenAiResponses } from './openai';

/** Parses text[start, end) as one request body (a .json file, or one JSONL line). */
export function parseRequestBody(text: string, start: number, end: number, sink: DiagnosticSink): Prompt {
  const root = parseJsonRange(text, start, end, sink);
  const range = { start, end };
  if (!root) return { format: 'openai-chat', blocks: [], diagnostics: sink.list, range };
  if (root.type !== 'object') {
    sink.error('wrong-type', `a request body should be a JSON object, found ${describe(root)}`, rangeOf(root));
    return { format: 'openai-chat', blocks: [], diagnostics: sink.list, range };
  }
  const { body, format } = unwrap(root);
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
export function detectFormat(root: Node): Extract<PromptFormat, 'openai-chat' | 'openai-responses' | 'anthropic-messages'> {
  return unwrap(root).format;
}

function unwrap(root: Node): { body: Node; format: ReturnType<typeof detectFormat> } {
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
  if (!hasMember(root, 'messages') && (hasMember(root, 'input') || hasMember(root, 'instructions'))) return { body: root, format: 'openai-responses' };
  return { body: root, format: looksAnthropic(root) ? 'anthropic-messages' : 'openai-chat' };
}

const ANTHROPIC_BLOCK_TYPES = new Set(['tool_use', 'tool_result', 'thinking', 'redacted_thinking', 'document']);

function looksAnthropic(root: Node): boolean {
  if (hasMember(root, 'system') || hasMember(root, 'cache_control') || hasMember(root, 'anthropic_version')) return true;
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
