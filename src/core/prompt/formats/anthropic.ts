import type { DiagnosticSink } from '../diagnostics';
import type { Block, BlockKind, CacheControl, Prompt, Segment, SourceRange } from '../types';
import {
  DROPPED_THINKING_TOKENS,
  outputFormatTokens,
  thinkingInstructionTokens,
  toolPromptTokens,
} from './anthropicAccounting';
import { ANTHROPIC_REQUEST_TOKENS, anthropicHeader, hiddenTokens, placeholderSegment } from './chatFraming';
import { imageSegment } from '../media/imageSegment';
import {
  describe,
  items,
  jsonSegment,
  member,
  messageRole,
  rangeOf,
  stringSegment,
  stringValue,
  type Node,
} from './jsonTree';

/*
 * Anthropic Messages request bodies. Anthropic caches in the order tools → system → messages
 * (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching), and counts breakpoints and the lookback window
 * in content blocks, so every tool, system block and message content block is its own Block here, carrying its
 * cache_control. A top-level cache_control asks for automatic caching (Prompt.automaticCacheControl).
 */

const ROLES = new Set(['user', 'assistant']);
const MEDIA: Record<string, string> = {
  document: 'document',
  redacted_thinking: 'redacted thinking',
  container_upload: 'file',
};
/** Server-tool and MCP blocks of agent transcripts: sent back as they are, so counted as their JSON. */
const AS_JSON = new Set([
  'tool_use',
  'server_tool_use',
  'mcp_tool_use',
  'mcp_tool_result',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result',
  'tool_search_tool_result',
]);

export function parseAnthropic(text: string, root: Node, sink: DiagnosticSink): Prompt {
  const blocks: Block[] = [];
  const tools = member(root, 'tools');
  if (tools && tools.type !== 'array')
    sink.error('wrong-type', `"tools" should be an array, found ${describe(tools)}`, rangeOf(tools));
  const list = items(tools);
  // Anthropic's tool-use system prompt comes first, a count it publishes: held by the first tool's block, since the
  // cache rules count content blocks and it is none.
  const toolPrompt = list.length
    ? toolPromptTokens(stringValue(member(root, 'model')), stringValue(member(member(root, 'tool_choice'), 'type')))
    : 0;
  list.forEach((tool, i) => {
    const name = stringValue(member(tool, 'name'));
    blocks.push(
      withCache(
        {
          kind: 'tools',
          label: `tools[${i}]${name ? ` ${name}` : ''}`,
          place: { list: 'tools', index: i },
          ...(name ? { name } : {}),
          range: rangeOf(tool),
          segments: [
            ...(i === 0 ? [hiddenTokens(toolPrompt, tool.offset)] : []),
            jsonSegment(withoutCacheControl(tool), text),
          ],
        },
        tool,
        `tools[${i}]`,
        sink,
      ),
    );
  });

  // Structured outputs: the schema and Anthropic's instructions for it, read with the system prompt.
  const format = member(root, 'output_format') ?? member(member(root, 'output_config'), 'format');
  const schema = member(format, 'schema');
  if (schema)
    blocks.push({
      kind: 'response_format',
      label: format === member(root, 'output_format') ? 'output_format' : 'output_config.format',
      range: rangeOf(format!),
      segments: [hiddenTokens(outputFormatTokens(list.length > 0), format!.offset), jsonSegment(schema, text)],
    });

  const system = member(root, 'system');
  if (system?.type === 'string') {
    blocks.push({
      kind: 'system',
      role: 'system',
      label: 'system',
      range: rangeOf(system),
      segments: [stringSegment(text, system)],
    });
  } else if (system?.type === 'array') {
    items(system).forEach((part, j) => {
      const segs: Segment[] = [];
      partSegments(text, part, `system[${j}]`, segs, sink);
      blocks.push(
        withCache(
          {
            kind: 'system',
            role: 'system',
            label: `system[${j}]`,
            place: { list: 'system', index: j },
            range: rangeOf(part),
            segments: segs,
          },
          part,
          `system[${j}]`,
          sink,
        ),
      );
    });
  } else if (system && system.type !== 'null') {
    sink.error(
      'wrong-type',
      `"system" should be a string or an array of text blocks, found ${describe(system)}`,
      rangeOf(system),
    );
  }

  const messages = member(root, 'messages');
  if (!messages)
    sink.error('missing-messages', 'request body has no "messages" array', {
      start: root.offset,
      end: root.offset + 1,
    });
  else if (messages.type !== 'array')
    sink.error('wrong-type', `"messages" should be an array, found ${describe(messages)}`, rangeOf(messages));
  // Thinking blocks of earlier turns are dropped by Anthropic before counting ("extended thinking": previous turns'
  // thinking is not part of the context); only the last assistant turn's, while a tool loop continues, is kept.
  const turns = items(messages);
  const lastAssistant = turns.map((m) => stringValue(member(m, 'role'))).lastIndexOf('assistant');
  const toolLoop =
    lastAssistant >= 0 &&
    turns
      .slice(lastAssistant + 1)
      .some((m) => items(member(m, 'content')).some((p) => stringValue(member(p, 'type')) === 'tool_result'));
  // Consecutive turns of one role are combined into a single turn (Messages API reference, "messages"): the later ones
  // add no turn framing (measured: 3 recorded Opus 4.8 calls with mid-conversation system text, 5–18 tokens high before).
  turns.forEach((msg, i) => {
    const role = stringValue(member(msg, 'role'));
    const continues = i > 0 && role === stringValue(member(turns[i - 1], 'role'));
    message(text, msg, i, blocks, sink, i === lastAssistant && toolLoop, continues);
  });
  const thinking = stringValue(member(member(root, 'thinking'), 'type'));
  if (thinking === 'enabled' || thinking === 'adaptive') {
    // Extended thinking adds its own instructions (anthropicAccounting.ts).
    const b0 = blocks[0];
    const n = thinkingInstructionTokens(stringValue(member(root, 'model')), thinking);
    if (b0 && n) blocks[0] = { ...b0, segments: [hiddenTokens(n, b0.range.start), ...b0.segments] };
  }

  // The request's own framing tokens open the first block: always the same, so they never break a prefix.
  if (blocks.length) {
    const b0 = blocks[0];
    blocks[0] = { ...b0, segments: [hiddenTokens(ANTHROPIC_REQUEST_TOKENS, b0.range.start), ...b0.segments] };
  }
  const model = stringValue(member(root, 'model'));
  const auto = member(root, 'cache_control');
  const automaticCacheControl = auto ? cacheControl(auto, 'cache_control', sink) : undefined;
  return {
    format: 'anthropic-messages',
    blocks,
    framingExact: false, // Anthropic's template is not public: every Claude count is an estimate
    diagnostics: sink.list,
    range: rangeOf(root),
    ...(model ? { model } : {}),
    ...(automaticCacheControl ? { automaticCacheControl } : {}),
  };
}

function message(
  text: string,
  msg: Node,
  index: number,
  blocks: Block[],
  sink: DiagnosticSink,
  keepThinking: boolean,
  continues = false,
): void {
  const where = `messages[${index}]`;
  const place = { list: 'messages', index } as const;
  const whole = (segments: Segment[]): Block => ({
    kind: 'message',
    role,
    label: `${where} ${role}`,
    place,
    range,
    segments,
  });
  const header = (role: string, range: SourceRange): Segment[] => (continues ? [] : [anthropicHeader(role, range)]);
  if (msg.type !== 'object') {
    sink.error('wrong-type', `${where} should be an object, found ${describe(msg)}`, rangeOf(msg));
    return;
  }
  const range = rangeOf(msg);
  const role = messageRole(msg, where, ROLES, sink, (r) =>
    r === 'system' ? ' (Anthropic takes the system prompt as the top-level "system" field)' : '',
  );
  if (member(msg, 'cache_control'))
    sink.warning(
      'bad-cache-control',
      `${where}: cache_control belongs on a content block, not on the message`,
      rangeOf(member(msg, 'cache_control')!),
    );
  const content = member(msg, 'content');
  if (!content) {
    sink.error('missing-content', `${where} has no "content"`, range);
    return;
  }
  if (content.type === 'string') {
    blocks.push(whole([...header(role, range), stringSegment(text, content)]));
    return;
  }
  if (content.type !== 'array') {
    sink.error(
      'wrong-type',
      `${where}.content should be a string or an array of content blocks, found ${describe(content)}`,
      rangeOf(content),
    );
    return;
  }
  const parts = items(content);
  if (!parts.length) blocks.push(whole(header(role, range)));
  parts.forEach((part, j) => {
    const at = `${where}.content[${j}]`;
    const partType = stringValue(member(part, 'type'));
    if (role === 'assistant' && !keepThinking && (partType === 'thinking' || partType === 'redacted_thinking')) {
      // Not counted, but still a content block for the cache rules: an empty block keeps the block count.
      blocks.push(
        withCache(
          {
            kind: 'message',
            role,
            label: `${at} ${role} (${partType}, not counted)`,
            place: { ...place, part: j },
            range: rangeOf(part),
            segments: [
              ...(j === 0 ? header(role, rangeOf(part)) : []),
              hiddenTokens(DROPPED_THINKING_TOKENS, part.offset),
            ],
          },
          part,
          at,
          sink,
        ),
      );
      return;
    }
    // The role header opens the message's first block, ranged at that block so every token stays inside its block.
    const segs: Segment[] = j === 0 ? header(role, rangeOf(part)) : [];
    const kind = partSegments(text, part, at, segs, sink);
    blocks.push(
      withCache(
        {
          kind: kind ?? 'message',
          role,
          label: `${at} ${role}`,
          place: { ...place, part: j },
          range: rangeOf(part),
          segments: segs,
        },
        part,
        at,
        sink,
      ),
    );
  });
}

/** Segments of one content block; returns 'tool_result' for tool results so the block kind says so. */
function partSegments(
  text: string,
  part: Node,
  at: string,
  out: Segment[],
  sink: DiagnosticSink,
): BlockKind | undefined {
  if (part.type === 'string') {
    out.push(stringSegment(text, part));
    return undefined;
  }
  if (part.type !== 'object') {
    sink.error('wrong-type', `${at} should be a content block object, found ${describe(part)}`, rangeOf(part));
    return undefined;
  }
  const type = stringValue(member(part, 'type'));
  const body = type === 'thinking' ? member(part, 'thinking') : member(part, 'text');
  if ((type === 'text' || type === 'thinking' || type === undefined) && body) {
    if (body.type === 'string') out.push(stringSegment(text, body));
    else
      sink.error(
        'wrong-type',
        `${at}.${type === 'thinking' ? 'thinking' : 'text'} should be a string, found ${describe(body)}`,
        rangeOf(body),
      );
    return undefined;
  }
  if (type === 'tool_result') {
    const c = member(part, 'content');
    if (c?.type === 'string') out.push(stringSegment(text, c));
    else if (c?.type === 'array') items(c).forEach((p, k) => partSegments(text, p, `${at}.content[${k}]`, out, sink));
    else if (c && c.type !== 'null')
      sink.error('wrong-type', `${at}.content should be a string or an array, found ${describe(c)}`, rangeOf(c));
    return 'tool_result';
  }
  if (type && AS_JSON.has(type)) {
    out.push(jsonSegment(withoutCacheControl(part), text));
    return type.endsWith('_result') ? 'tool_result' : undefined;
  }
  if (type === 'search_result') {
    // A search result is read as the text it carries: its title, source and text blocks.
    for (const k of ['title', 'source']) {
      const v = member(part, k);
      if (v?.type === 'string') out.push(stringSegment(text, v));
    }
    items(member(part, 'content')).forEach((p, k) => partSegments(text, p, `${at}.content[${k}]`, out, sink));
    return undefined;
  }
  if (type === 'image') {
    const source = member(part, 'source');
    const data = stringValue(member(source, 'type')) === 'base64' ? stringValue(member(source, 'data')) : undefined;
    out.push(imageSegment('anthropic', undefined, data, undefined, rangeOf(part), at, sink));
    return undefined;
  }
  const media = type && MEDIA[type];
  if (media) {
    out.push(placeholderSegment(media, rangeOf(part)));
    sink.info(
      'media-content',
      `${at}: ${media} content is counted as a placeholder; its token cost depends on the provider and its size`,
      rangeOf(part),
    );
    return undefined;
  }
  sink.warning(
    'unknown-content-type',
    `${at}: unknown content block type ${type ? `"${type}"` : '(no "type")'}; counted as its JSON`,
    rangeOf(part),
  );
  out.push(jsonSegment(withoutCacheControl(part), text));
  return undefined;
}

function withCache(block: Block, node: Node, at: string, sink: DiagnosticSink): Block {
  const cc = member(node, 'cache_control');
  const control = cc && cacheControl(cc, `${at}.cache_control`, sink);
  return control ? { ...block, cacheControl: control } : block;
}

function cacheControl(node: Node, at: string, sink: DiagnosticSink): CacheControl | undefined {
  if (node.type === 'null') return undefined;
  const type = stringValue(member(node, 'type'));
  if (node.type !== 'object' || type !== 'ephemeral') {
    sink.warning(
      'bad-cache-control',
      `${at} should be {"type": "ephemeral"} (optionally with "ttl": "5m" or "1h")`,
      rangeOf(node),
    );
    return node.type === 'object' ? { type: 'ephemeral' } : undefined;
  }
  const ttlNode = member(node, 'ttl');
  const ttl = stringValue(ttlNode);
  if (ttlNode && ttl !== '5m' && ttl !== '1h') {
    sink.warning('bad-cache-control', `${at}.ttl should be "5m" or "1h"; using 5m`, rangeOf(ttlNode));
    return { type: 'ephemeral' };
  }
  return ttl === '5m' || ttl === '1h' ? { type: 'ephemeral', ttl } : { type: 'ephemeral' };
}

/** cache_control is request metadata, not sent as model input; a node view without it for the JSON segment. */
function withoutCacheControl(node: Node): Node {
  if (node.type !== 'object' || !node.children?.some((p) => p.children?.[0]?.value === 'cache_control')) return node;
  return { ...node, children: node.children.filter((p) => p.children?.[0]?.value !== 'cache_control') };
}
