import type { DiagnosticSink } from '../diagnostics';
import type { Block, BlockKind, Prompt, Segment, SourceRange } from '../types';
import { hiddenTokens, openAiFooter, openAiHeader, placeholderSegment } from './chatFraming';
import {
  describe,
  items,
  jsonSegment,
  member,
  messageRole,
  nodeValue,
  rangeOf,
  stringSegment,
  stringValue,
  type Node,
} from './jsonTree';
import {
  ASSISTANT_CHANNEL_TOKENS,
  framingMeasured,
  hasAnswerChannel,
  type FramingFeature,
  HARMONY_TOOL_CALL_TOKENS,
  PARALLEL_CALLS_TOKENS,
  replyPriming,
  RESPONSES_TOOL_CALL_TOKENS,
  SCHEMA_TOKENS,
  TOOL_CALL_TOKENS,
  toolsAdjustment,
  type ToolsShape,
} from './openAiAccounting';
import { functionText, NAMESPACE_CLOSE, NAMESPACE_OPEN } from './openAiToolText';
import { imageSegment } from '../media/imageSegment';

/*
 * OpenAI request bodies. Render order = the order OpenAI's prefix cache sees them: tools (functions rendered as the model
 * reads them, openAiToolText.ts) and the structured-output schema first, then instructions, then the conversation in
 * order, then the reply priming (billed as input; the next turn's assistant header, so part of its cache).
 * Why this order: OpenAI's prompt-caching guide (https://platform.openai.com/docs/guides/prompt-caching) says hits need
 * an exact prefix and that tools and structured-output schemas are part of it; the exact template is not public.
 */

const CHAT_ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);
const RESPONSES_ROLES = new Set(['system', 'developer', 'user', 'assistant']);
const KIND: Record<string, BlockKind> = {
  system: 'system',
  developer: 'system',
  tool: 'tool_result',
  function: 'tool_result',
};
const MEDIA: Record<string, string> = {
  image_url: 'image',
  input_image: 'image',
  input_audio: 'audio',
  file: 'file',
  input_file: 'file',
};

export function parseOpenAiChat(text: string, root: Node, sink: DiagnosticSink): Prompt {
  const blocks: Block[] = [];
  const model = stringValue(member(root, 'model'));
  const messages = member(root, 'messages');
  const hasSystem = items(messages).some((m) => /^(system|developer)$/.test(stringValue(member(m, 'role')) ?? ''));
  toolsBlock(text, member(root, 'tools') ?? member(root, 'functions'), blocks, sink, {
    endpoint: 'chat',
    model,
    hasSystem,
    toolChoice: toolChoiceOf(member(root, 'tool_choice')),
  });
  const rf = member(root, 'response_format');
  const schema = rf && member(rf, 'json_schema');
  if (schema)
    blocks.push({
      kind: 'response_format',
      label: 'response_format',
      range: rangeOf(rf),
      segments: [{ ...jsonSegment(schema, text), framing: true, adjust: SCHEMA_TOKENS }],
    });

  if (!messages)
    sink.error('missing-messages', 'request body has no "messages" array', {
      start: root.offset,
      end: root.offset + 1,
    });
  else if (messages.type !== 'array')
    sink.error('wrong-type', `"messages" should be an array, found ${describe(messages)}`, rangeOf(messages));
  const callNames = new Map<string, Node>();
  for (const m of items(messages))
    for (const c of items(member(m, 'tool_calls'))) {
      const id = stringValue(member(c, 'id')),
        name = member(member(c, 'function'), 'name');
      if (id && name?.type === 'string') callNames.set(id, name);
    }
  items(messages).forEach((msg, i) => {
    const b = chatMessage(text, msg, `messages[${i}]`, CHAT_ROLES, sink, callNames, model);
    if (b) blocks.push({ ...b, place: { list: 'messages', index: i } });
  });
  return finish('openai-chat', root, blocks, sink, framingFeatures(root, items(messages)));
}

export function parseOpenAiResponses(text: string, root: Node, sink: DiagnosticSink): Prompt {
  const blocks: Block[] = [];
  const model = stringValue(member(root, 'model'));
  const input = member(root, 'input');
  const hasSystem =
    !!member(root, 'instructions') ||
    items(input).some((m) => /^(system|developer)$/.test(stringValue(member(m, 'role')) ?? ''));
  toolsBlock(text, member(root, 'tools'), blocks, sink, {
    endpoint: 'responses',
    model,
    hasSystem,
    toolChoice: toolChoiceOf(member(root, 'tool_choice')),
  });
  const format = member(member(root, 'text'), 'format');
  if (format && member(format, 'schema'))
    blocks.push({
      kind: 'response_format',
      label: 'text.format',
      range: rangeOf(format),
      segments: [{ ...jsonSegment(format, text), framing: true, adjust: SCHEMA_TOKENS }],
    });

  const instructions = member(root, 'instructions');
  if (instructions) {
    // Empty instructions are dropped, not sent as an empty developer message (measured: gpt-5 and o3-mini calls with
    // `"instructions": ""` bill the input alone).
    if (instructions.type === 'string' && !stringValue(instructions)) {
      /* nothing reaches the model */
    } else if (instructions.type === 'string') {
      const range = rangeOf(instructions);
      blocks.push({
        kind: 'system',
        role: 'developer',
        label: 'instructions',
        name: 'instructions',
        range,
        segments: [openAiHeader('developer', range), stringSegment(text, instructions), openAiFooter(range)],
      });
    } else if (instructions.type !== 'null')
      sink.error(
        'wrong-type',
        `"instructions" should be a string, found ${describe(instructions)}`,
        rangeOf(instructions),
      );
  }
  const stored = member(root, 'prompt');
  if (stored?.type === 'object' && member(stored, 'id')) {
    sink.info(
      'stored-prompt',
      `uses the stored prompt "${stringValue(member(stored, 'id')) ?? '?'}": its text (and the cached prefix it starts with) lives on OpenAI's side and is not in this file`,
      rangeOf(stored),
    );
  }
  // Server-side state the file does not hold: what the model reads is more than (or differs from) this body.
  for (const [key, code, message] of SERVER_STATE) {
    const node = member(root, key);
    if (node && node.type !== 'null') sink.info(code, message, rangeOf(node));
  }

  if (!input) {
    if (!instructions)
      sink.error('missing-messages', 'request body has no "input" (or "instructions")', {
        start: root.offset,
        end: root.offset + 1,
      });
  } else if (input.type === 'string') {
    const range = rangeOf(input);
    blocks.push({
      kind: 'message',
      role: 'user',
      label: 'input user',
      range,
      segments: [openAiHeader('user', range), stringSegment(text, input), openAiFooter(range)],
    });
  } else if (input.type === 'array') {
    const callNames = new Map<string, Node>();
    for (const it of items(input)) {
      const id = stringValue(member(it, 'call_id')),
        name = member(it, 'name');
      if (id && name?.type === 'string' && stringValue(member(it, 'type'))?.endsWith('_call')) callNames.set(id, name);
    }
    items(input).forEach((item, i) => {
      const b = responsesItem(text, item, `input[${i}]`, sink, callNames, model);
      if (b) blocks.push({ ...b, place: { list: 'input', index: i } });
    });
  } else sink.error('wrong-type', `"input" should be a string or an array, found ${describe(input)}`, rangeOf(input));
  return finish(
    'openai-responses',
    root,
    blocks,
    sink,
    framingFeatures(root, input?.type === 'array' ? items(input) : []),
  );
}

function finish(
  format: 'openai-chat' | 'openai-responses',
  root: Node,
  blocks: Block[],
  sink: DiagnosticSink,
  features: ReadonlySet<FramingFeature>,
): Prompt {
  const model = stringValue(member(root, 'model'));
  const endpoint = format === 'openai-chat' ? 'chat' : 'responses';
  // The reply priming is billed with the last block (a block of its own would be counted as a message).
  const last = blocks[blocks.length - 1];
  if (last) blocks[blocks.length - 1] = { ...last, segments: [...last.segments, replyPriming(model, last.range)] };
  const key = stringValue(member(root, 'prompt_cache_key'));
  const retention = stringValue(member(root, 'prompt_cache_retention'));
  return {
    format,
    blocks,
    framingExact: measuredFraming(blocks, sink) && framingMeasured(endpoint, model, features),
    diagnostics: sink.list,
    range: rangeOf(root),
    ...(model ? { model } : {}),
    ...(key ? { promptCacheKey: key } : {}),
    ...(retention ? { promptCacheRetention: retention } : {}),
  };
}

const SERVER_STATE: readonly (readonly [key: string, code: string, message: string])[] = [
  [
    'conversation',
    'stored-conversation',
    "continues a stored conversation: its earlier items are on OpenAI's side and are not in this file",
  ],
  [
    'context_management',
    'context-management',
    'asks OpenAI to compact the context on its side: what the model reads may differ from this file',
  ],
  [
    'previous_response_id',
    'previous-response',
    'continues a stored response: its earlier turns are cached server-side and are not in this file',
  ],
];

const APPROXIMATE_CODES = new Set([
  'media-content',
  'media-counted',
  'unknown-content-type',
  'unknown-item-type',
  'builtin-tool',
  'reasoning-item',
  'stored-prompt',
  'previous-response',
  'stored-conversation',
  'context-management',
]);

/**
 * Whether the count can be OpenAI's own: only messages of text. Tools, schemas and media are rendered from fits within
 * a band, and server-side state is not in the file, so a request with any of them is an estimate; which text framings
 * are exact is decided per endpoint, model family and feature by what was measured (framingMeasured).
 */
function measuredFraming(blocks: readonly Block[], sink: DiagnosticSink): boolean {
  if (blocks.some((b) => b.kind === 'tools' || b.kind === 'response_format')) return false;
  return !sink.list.some((d) => APPROXIMATE_CODES.has(d.code));
}

/** The framing features of a text request (openAiAccounting.ts), read from its body. */
function framingFeatures(root: Node, turns: readonly Node[]): Set<FramingFeature> {
  const f = new Set<FramingFeature>();
  const instructions = member(root, 'instructions');
  if (instructions?.type === 'string') f.add(stringValue(instructions) ? 'instructions' : 'empty-instructions');
  if (member(member(root, 'reasoning'), 'mode')) f.add('reasoning-mode');
  turns.forEach((m, i) => {
    const role = stringValue(member(m, 'role'));
    const type = stringValue(member(m, 'type'));
    if (role === 'system' || role === 'developer') f.add('system');
    if (role === 'assistant') f.add(i === turns.length - 1 ? 'prefill' : 'assistant');
    if (member(m, 'name') && !type) f.add('name');
    if (role === 'tool' || role === 'function' || member(m, 'tool_calls') || member(m, 'function_call'))
      f.add('tool-calls');
    if (type && type !== 'message') f.add('tool-calls');
  });
  return f;
}

/**
 * Functions become one TypeScript namespace (openAiToolText.ts), each function's text ranged at its definition; the
 * measured preamble OpenAI adds is an adjustment after them. Built-in tools (web search, file search …) are counted
 * as their JSON and said to be estimates: OpenAI does not publish what they add.
 */
function toolsBlock(
  text: string,
  tools: Node | undefined,
  blocks: Block[],
  sink: DiagnosticSink,
  shape: Omit<ToolsShape, 'strict' | 'described' | 'withParams'>,
): void {
  if (!tools || tools.type === 'null') return;
  if (tools.type !== 'array') {
    sink.error('wrong-type', `"tools" should be an array, found ${describe(tools)}`, rangeOf(tools));
    return;
  }
  const list = items(tools);
  if (!list.length) return;
  const range = rangeOf(tools);
  const fns: Segment[] = [];
  const others: Segment[] = [];
  let strict = 0,
    described = 0,
    withParams = 0;
  list.forEach((t, i) => {
    const type = stringValue(member(t, 'type'));
    // Chat Completions nests the definition under "function"; Responses and the legacy "functions" list do not.
    const def =
      type === 'function' && member(t, 'function')
        ? member(t, 'function')!
        : type === 'function' || type === undefined
          ? t
          : undefined;
    const name = stringValue(member(def, 'name'));
    if (!def || !name) {
      others.push(jsonSegment(t, text));
      sink.info(
        'builtin-tool',
        `tools[${i}]${type ? ` (${type})` : ''}: a built-in tool is counted as its JSON; OpenAI does not publish what it adds to the prompt`,
        rangeOf(t),
      );
      return;
    }
    if (member(def, 'strict')?.value === true) strict++;
    if (stringValue(member(def, 'description'))) described++;
    if (member(member(def, 'parameters'), 'properties')?.children?.length) withParams++;
    const params = member(def, 'parameters');
    fns.push({
      text: functionText(name, stringValue(member(def, 'description')), params ? nodeValue(params) : undefined),
      range: rangeOf(t),
      verbatim: false,
    });
  });
  const at = (r: SourceRange): SourceRange => ({ start: r.start, end: r.start });
  const segments: Segment[] = fns.length
    ? [
        // The measured preamble rides on the namespace's opening (a negative one shortens it).
        {
          text: NAMESPACE_OPEN,
          range: at(range),
          verbatim: false,
          framing: true,
          adjust: toolsAdjustment({ ...shape, strict, described, withParams }),
        },
        ...fns,
        { text: NAMESPACE_CLOSE, range: { start: range.end, end: range.end }, verbatim: false, framing: true },
        ...others,
      ]
    : others;
  blocks.push({ kind: 'tools', label: `tools (${list.length})`, range, segments });
}

/** `tool_choice` as a kind: "auto" | "none" | "required", a named function, or Responses' allowed_tools. */
function toolChoiceOf(node: Node | undefined): ToolsShape['toolChoice'] {
  const v = stringValue(node) ?? stringValue(member(node, 'type'));
  if (v === 'required' || v === 'none' || v === 'allowed_tools') return v;
  if (v === 'function' || v === 'custom') return 'function';
  return 'auto';
}

/** A Chat Completions message, or a Responses message item (same shape: role + content). */
function chatMessage(
  text: string,
  msg: Node,
  where: string,
  roles: ReadonlySet<string>,
  sink: DiagnosticSink,
  callNames?: ReadonlyMap<string, Node>,
  model?: string,
): Block | undefined {
  if (msg.type !== 'object') {
    sink.error('wrong-type', `${where} should be an object, found ${describe(msg)}`, rangeOf(msg));
    return undefined;
  }
  const range = rangeOf(msg);
  const role = messageRole(msg, where, roles, sink);
  const segments: Segment[] = [openAiHeader(role, range)];
  // GPT-5 models read an earlier assistant turn on the final channel (harmony's `<|channel|>final`): 2 tokens more.
  if (role === 'assistant' && hasAnswerChannel(model))
    segments.push(hiddenTokens(ASSISTANT_CHANNEL_TOKENS, range.start));
  const content = member(msg, 'content');
  if (content) contentSegments(text, content, `${where}.content`, segments, sink, model);
  // A participant name is read with its message (OpenAI's token-counting cookbook: its tokens and one more).
  const name = member(msg, 'name');
  if (name?.type === 'string') segments.push(stringSegment(text, name), hiddenTokens(1, range.end));
  const calls = items(member(msg, 'tool_calls'));
  const callFraming = hasAnswerChannel(model) ? HARMONY_TOOL_CALL_TOKENS : TOOL_CALL_TOKENS;
  for (const call of calls) toolCallSegments(text, member(call, 'function') ?? call, segments, callFraming);
  // Parallel calls reach the model wrapped in one multi_tool_use.parallel call (measured: PARALLEL_CALLS_TOKENS).
  if (calls.length > 1)
    segments.push(hiddenTokens(PARALLEL_CALLS_TOKENS.base + PARALLEL_CALLS_TOKENS.perCall * calls.length, range.end));
  // A tool result names the function it answers, as its author.
  const answered = role === 'tool' ? callNames?.get(stringValue(member(msg, 'tool_call_id')) ?? '') : undefined;
  if (answered) segments.push(authorSegment(answered, range));
  const fc = member(msg, 'function_call');
  if (fc && fc.type !== 'null') toolCallSegments(text, fc, segments);
  const audio = member(msg, 'audio');
  if (audio && audio.type !== 'null') segments.push(placeholderSegment('audio', rangeOf(audio)));
  if (!content && !member(msg, 'tool_calls') && !member(msg, 'function_call'))
    sink.warning('missing-content', `${where} has no "content"`, range);
  segments.push(openAiFooter(range));
  return { kind: KIND[role] ?? 'message', role, label: `${where} ${role}`, range, segments };
}

/** The function a tool result answers, as its author: written in the call, so it maps to the result's start. */
function authorSegment(name: Node, at: SourceRange): Segment {
  return { text: stringValue(name) ?? '', range: { start: at.start, end: at.start }, verbatim: false, framing: true };
}

/**
 * A function call as the model wrote it: its name and its arguments (the JSON text as sent), plus the measured tokens
 * of the call's own framing (openAiAccounting.ts). Other members (ids, "type") are not model input.
 */
function toolCallSegments(text: string, call: Node, out: Segment[], framing = TOOL_CALL_TOKENS): void {
  const name = member(call, 'name');
  const args = member(call, 'arguments') ?? member(call, 'input');
  if (name?.type === 'string') out.push(stringSegment(text, name));
  if (args?.type === 'string') out.push(stringSegment(text, args));
  else if (args) out.push(jsonSegment(args, text));
  out.push(hiddenTokens(framing, call.offset + call.length));
}

function contentSegments(
  text: string,
  content: Node,
  where: string,
  out: Segment[],
  sink: DiagnosticSink,
  model?: string,
): void {
  if (content.type === 'string') {
    out.push(stringSegment(text, content));
    return;
  }
  if (content.type === 'null') return;
  if (content.type !== 'array') {
    sink.error(
      'wrong-type',
      `${where} should be a string or an array of parts, found ${describe(content)}`,
      rangeOf(content),
    );
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
    if (type === 'image_url' || type === 'input_image') {
      const img = member(part, 'image_url');
      const url = stringValue(img) ?? stringValue(member(img, 'url'));
      const detail = stringValue(member(part, 'detail')) ?? stringValue(member(img, 'detail'));
      out.push(
        imageSegment('openai', model, url?.startsWith('data:') ? url : undefined, detail, rangeOf(part), at, sink),
      );
      return;
    }
    const media = type && MEDIA[type];
    if (media) {
      out.push(placeholderSegment(media, rangeOf(part)));
      sink.info(
        'media-content',
        `${at}: ${media} content is counted as a placeholder; its token cost depends on the provider and its size`,
        rangeOf(part),
      );
      return;
    }
    if (body) {
      sink.error('wrong-type', `${at}.text should be a string, found ${describe(body)}`, rangeOf(body));
      return;
    }
    sink.warning(
      'unknown-content-type',
      `${at}: unknown content part type ${type ? `"${type}"` : '(no "type")'}; counted as its JSON`,
      rangeOf(part),
    );
    out.push(jsonSegment(part, text));
  });
}

function responsesItem(
  text: string,
  item: Node,
  where: string,
  sink: DiagnosticSink,
  callNames: ReadonlyMap<string, Node>,
  model?: string,
): Block | undefined {
  if (item.type !== 'object') {
    sink.error('wrong-type', `${where} should be an object, found ${describe(item)}`, rangeOf(item));
    return undefined;
  }
  const type = stringValue(member(item, 'type'));
  if (type === undefined || type === 'message')
    return chatMessage(text, item, where, RESPONSES_ROLES, sink, undefined, model);
  const range = rangeOf(item);
  if (type === 'function_call_output' || type === 'custom_tool_call_output') {
    const output = member(item, 'output');
    const segments: Segment[] = [openAiHeader('tool', range)];
    const answered = callNames.get(stringValue(member(item, 'call_id')) ?? '');
    if (answered) segments.push(authorSegment(answered, range));
    if (output) contentSegments(text, output, `${where}.output`, segments, sink, model);
    segments.push(openAiFooter(range));
    return { kind: 'tool_result', role: 'tool', label: `${where} ${type}`, range, segments };
  }
  if (type === 'reasoning') {
    sink.info(
      'reasoning-item',
      `${where}: reasoning items are passed back encrypted; their tokens are not counted`,
      range,
    );
    return undefined;
  }
  if (type === 'function_call' || type === 'custom_tool_call') {
    const segments: Segment[] = [openAiHeader('assistant', range)];
    toolCallSegments(text, item, segments, RESPONSES_TOOL_CALL_TOKENS);
    segments.push(openAiFooter(range));
    return { kind: 'message', role: 'assistant', label: `${where} ${type}`, range, segments };
  }
  sink.warning('unknown-item-type', `${where}: input item type "${type}" is counted as its JSON`, range);
  return {
    kind: 'message',
    role: 'assistant',
    label: `${where} ${type}`,
    range,
    segments: [openAiHeader('assistant', range), jsonSegment(item, text), openAiFooter(range)],
  };
}
