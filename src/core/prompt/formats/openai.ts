import type { DiagnosticSink } from '../diagnostics';
import type { Block, BlockKind, Prompt, Segment } from '../types';
import { openAiFooter, openAiHeader, placeholderSegment } from './chatFraming';
import { describe, items, jsonSegment, member, messageRole, rangeOf, stringSegment, stringValue, type Node } from './jsonTree';

/*
 * OpenAI request bodies. Render order = the order OpenAI's prefix cache sees them: tools (definitions as compact JSON,
 * one segment each) and the structured-output schema first, then instructions, then the conversation in order.
 * Why this order: OpenAI's prompt-caching guide (https://platform.openai.com/docs/guides/prompt-caching) says hits need
 * an exact prefix and that tools and structured-output schemas are part of it; the exact template is not public.
 */

const CHAT_ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);
const RESPONSES_ROLES = new Set(['system', 'developer', 'user', 'assistant']);
const KIND: Record<string, BlockKind> = { system: 'system', developer: 'system', tool: 'tool_result', function: 'tool_result' };
const MEDIA: Record<string, string> = {
  image_url: 'image',
  input_image: 'image',
  input_audio: 'audio',
  file: 'file',
  input_file: 'file',
};

export function parseOpenAiChat(text: string, root: Node, sink: DiagnosticSink): Prompt {
  const blocks: Block[] = [];
  toolsBlock(text, member(root, 'tools') ?? member(root, 'functions'), blocks, sink);
  const rf = member(root, 'response_format');
  const schema = rf && member(rf, 'json_schema');
  if (schema) blocks.push({ kind: 'response_format', label: 'response_format', range: rangeOf(rf), segments: [jsonSegment(schema, text)] });

  const messages = member(root, 'messages');
  if (!messages) sink.error('missing-messages', 'request body has no "messages" array', { start: root.offset, end: root.offset + 1 });
  else if (messages.type !== 'array') sink.error('wrong-type', `"messages" should be an array, found ${describe(messages)}`, rangeOf(messages));
  items(messages).forEach((msg, i) => {
    const b = chatMessage(text, msg, `messages[${i}]`, CHAT_ROLES, sink);
    if (b) blocks.push(b);
  });
  return finish('openai-chat', root, blocks, sink);
}

export function parseOpenAiResponses(text: string, root: Node, sink: DiagnosticSink): Prompt {
  const blocks: Block[] = [];
  toolsBlock(text, member(root, 'tools'), blocks, sink);
  const format = member(member(root, 'text'), 'format');
  if (format && member(format, 'schema')) blocks.push({ kind: 'response_format', label: 'text.format', range: rangeOf(format), segments: [jsonSegment(format, text)] });

  const instructions = member(root, 'instructions');
  if (instructions) {
    if (instructions.type === 'string') {
      const range = rangeOf(instructions);
      blocks.push({
        kind: 'system',
        role: 'developer',
        label: 'instructions',
        range,
        segments: [openAiHeader('developer', range), stringSegment(text, instructions), openAiFooter(range)],
      });
    } else if (instructions.type !== 'null') sink.error('wrong-type', `"instructions" should be a string, found ${describe(instructions)}`, rangeOf(instructions));
  }
  const stored = member(root, 'prompt');
  if (stored?.type === 'object' && member(stored, 'id')) {
    sink.info(
      'stored-prompt',
      `uses the stored prompt "${stringValue(member(stored, 'id')) ?? '?'}": its text (and the cached prefix it starts with) lives on OpenAI's side and is not in this file`,
      rangeOf(stored),
    );
  }
  const previous = member(root, 'previous_response_id');
  if (previous && previous.type === 'string') {
    sink.info('previous-response', 'continues a stored response: its earlier turns are cached server-side and are not in this file', rangeOf(previous));
  }

  const input = member(root, 'input');
  if (!input) {
    if (!instructions) sink.error('missing-messages', 'request body has no "input" (or "instructions")', { start: root.offset, end: root.offset + 1 });
  } else if (input.type === 'string') {
    const range = rangeOf(input);
    blocks.push({ kind: 'message', role: 'user', label: 'input user', range, segments: [openAiHeader('user', range), stringSegment(text, input), openAiFooter(range)] });
  } else if (input.type === 'array') {
    items(input).forEach((item, i) => {
      const b = responsesItem(text, item, `input[${i}]`, sink);
      if (b) blocks.push(b);
    });
  } else sink.error('wrong-type', `"input" should be a string or an array, found ${describe(input)}`, rangeOf(input));
  return finish('openai-responses', root, blocks, sink);
}

function finish(format: Prompt['format'], root: Node, blocks: Block[], sink: DiagnosticSink): Prompt {
  const model = stringValue(member(root, 'model'));
  const key = stringValue(member(root, 'prompt_cache_key'));
  const retention = stringValue(member(root, 'prompt_cache_retention'));
  return {
    format,
    blocks,
    diagnostics: sink.list,
    range: rangeOf(root),
    ...(model ? { model } : {}),
    ...(key ? { promptCacheKey: key } : {}),
    ...(retention ? { promptCacheRetention: retention } : {}),
  };
}

function toolsBlock(text: string, tools: Node | undefined, blocks: Block[], sink: DiagnosticSink): void {
  if (!tools || tools.type === 'null') return;
  if (tools.type !== 'array') {
    sink.error('wrong-type', `"tools" should be an array, found ${describe(tools)}`, rangeOf(tools));
    return;
  }
  const list = items(tools);
  if (!list.length) return;
  blocks.push({ kind: 'tools', label: `tools (${list.length})`, range: rangeOf(tools), segments: list.map((t) => jsonSegment(t, text)) });
}

/** A Chat Completions message, or a Responses message item (same shape: role + content). */
function chatMessage(text: string, msg: Node, where: string, roles: ReadonlySet<string>, sink: DiagnosticSink): Block | undefined {
  if (msg.type !== 'object') {
    sink.error('wrong-type', `${where} should be an object, found ${describe(msg)}`, rangeOf(msg));
    return undefined;
  }
  const range = rangeOf(msg);
  const role = messageRole(msg, where, roles, sink);
  const segments: Segment[] = [openAiHeader(role, range)];
  const content = member(msg, 'content');
  if (content) contentSegments(text, content, `${where}.content`, segments, sink);
  for (const key of ['tool_calls', 'function_call', 'audio']) {
    const v = member(msg, key);
    if (v && v.type !== 'null') segments.push(key === 'audio' ? placeholderSegment('audio', rangeOf(v)) : jsonSegment(v, text));
  }
  if (!content && !member(msg, 'tool_calls') && !member(msg, 'function_call')) sink.warning('missing-content', `${where} has no "content"`, range);
  segments.push(openAiFooter(range));
  return { kind: KIND[role] ?? 'message', role, label: `${where} ${role}`, range, segments };
}

function contentSegments(text: string, content: Node, where: string, out: Segment[], sink: DiagnosticSink): void {
  if (content.type === 'string') {
    out.push(stringSegment(text, content));
    return;
  }
  if (content.type === 'null') return;
  if (content.type !== 'array') {
    sink.error('wrong-type', `${where} should be a string or an array of parts, found ${describe(content)}`, rangeOf(content));
    return;
  }
  items(content).forEach((part, j) => {
    const at = `${where}[${j}]`;
    if (part.type === 'string') {
      out.push(stringSegment(text, part));
      return;
    }
    if (part.type !== 'object') {
      sink.error('wrong-type', `${at} should be an object, found ${describe(part)}`, rangeOf(part));
      return;
    }
    const type = stringValue(member(part, 'type'));
    const body = member(part, 'text') ?? member(part, 'refusal');
    if (body?.type === 'string') {
      out.push(stringSegment(text, body));
      return;
    }
    const media = type && MEDIA[type];
    if (media) {
      out.push(placeholderSegment(media, rangeOf(part)));
      sink.info('media-content', `${at}: ${media} content is counted as a placeholder; its token cost depends on the provider and its size`, rangeOf(part));
      return;
    }
    if (body) {
      sink.error('wrong-type', `${at}.text should be a string, found ${describe(body)}`, rangeOf(body));
      return;
    }
    sink.warning('unknown-content-type', `${at}: unknown content part type ${type ? `"${type}"` : '(no "type")'}; counted as its JSON`, rangeOf(part));
    out.push(jsonSegment(part, text));
  });
}

function responsesItem(text: string, item: Node, where: string, sink: DiagnosticSink): Block | undefined {
  if (item.type !== 'object') {
    sink.error('wrong-type', `${where} should be an object, found ${describe(item)}`, rangeOf(item));
    return undefined;
  }
  const type = stringValue(member(item, 'type'));
  if (type === undefined || type === 'message') return chatMessage(text, item, where, RESPONSES_ROLES, sink);
  const range = rangeOf(item);
  if (type === 'function_call_output' || type === 'custom_tool_call_output') {
    const output = member(item, 'output');
    const segments: Segment[] = [openAiHeader('tool', range)];
    if (output) contentSegments(text, output, `${where}.output`, segments, sink);
    segments.push(openAiFooter(range));
    return { kind: 'tool_result', role: 'tool', label: `${where} ${type}`, range, segments };
  }
  if (type === 'reasoning') {
    sink.info('reasoning-item', `${where}: reasoning items are passed back encrypted; their tokens are not counted`, range);
    return undefined;
  }
  if (type !== 'function_call' && type !== 'custom_tool_call') {
    sink.warning('unknown-item-type', `${where}: input item type "${type}" is counted as its JSON`, range);
  }
  return { kind: 'message', role: 'assistant', label: `${where} ${type}`, range, segments: [openAiHeader('assistant', range), jsonSegment(item, text), openAiFooter(range)] };
}
