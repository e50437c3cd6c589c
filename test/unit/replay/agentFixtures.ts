// Transcripts written in the shapes Claude Code and Codex CLI record (as public transcripts show them; none is copied
// here), with usage figures chosen so every cache event the readers must explain happens once: a fixed prefix read
// from an earlier session, follow-up turns, a TTL expiry (5 min and 1 h), a changed CLAUDE.md, a compaction, a model
// switch, sub-agents, the provider's own diagnostics, duplicated token_count events.

type Usage = {
  input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  output_tokens: number;
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
};

const T0 = Date.UTC(2026, 10, 30, 9, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

export interface ClaudeCall {
  readonly at: number;
  readonly model?: string;
  readonly read: number;
  readonly write: number;
  readonly input?: number;
  readonly output?: number;
  readonly ttl1h?: boolean;
  readonly diagnostics?: string;
  readonly before?: string[];
}

/** A Claude Code session: records before each call (`before`), then the call as one line per content block. */
export function claudeSession(
  calls: readonly ClaudeCall[],
  opts: { sessionId?: string; cwd?: string; sidechain?: string } = {},
): { text: string; usages: Usage[] } {
  const sessionId = opts.sessionId ?? '5c21b0c5-8113-4f55-9493-fa156c3fa369';
  const cwd = opts.cwd ?? '/home/dev/shop';
  const base = {
    sessionId,
    cwd,
    version: '2.1.240',
    gitBranch: 'main',
    userType: 'external',
    isSidechain: !!opts.sidechain,
    ...(opts.sidechain ? { agentId: opts.sidechain } : {}),
  };
  const lines: string[] = [
    JSON.stringify({ type: 'queue-operation', operation: 'dequeue', timestamp: iso(T0), sessionId }),
  ];
  const usages: Usage[] = [];
  let parent: string | null = null,
    n = 0;
  const uuid = () => `u-${(++n).toString(16).padStart(8, '0')}`;
  calls.forEach((c, i) => {
    for (const b of c.before ?? []) lines.push(b);
    const u = uuid();
    lines.push(
      JSON.stringify({
        ...base,
        type: 'user',
        uuid: u,
        parentUuid: parent,
        timestamp: iso(T0 + c.at - 2000),
        message: {
          role: 'user',
          content:
            i === 0
              ? 'Add a discount field to the checkout form.'
              : [{ type: 'tool_result', tool_use_id: `toolu_${i}`, content: 'ok' }],
        },
      }),
    );
    const usage: Usage = {
      input_tokens: c.input ?? 4,
      cache_read_input_tokens: c.read,
      cache_creation_input_tokens: c.write,
      output_tokens: c.output ?? 120,
      cache_creation: {
        ephemeral_5m_input_tokens: c.ttl1h ? 0 : c.write,
        ephemeral_1h_input_tokens: c.ttl1h ? c.write : 0,
      },
    };
    usages.push(usage);
    const message = {
      model: c.model ?? 'claude-sonnet-5-5',
      id: `msg_${String(i).padStart(4, '0')}`,
      type: 'message',
      role: 'assistant',
      stop_reason: null,
      usage,
      ...(c.diagnostics ? { diagnostics: { cache_miss_reason: { type: c.diagnostics } } } : {}),
    };
    // One line per content block, the same message id and usage on each: one call.
    const a1 = uuid(),
      a2 = uuid();
    lines.push(
      JSON.stringify({
        ...base,
        type: 'assistant',
        uuid: a1,
        parentUuid: u,
        timestamp: iso(T0 + c.at),
        requestId: `req_${i}`,
        message: { ...message, content: [{ type: 'thinking', thinking: '', signature: 'sig' }] },
      }),
    );
    lines.push(
      JSON.stringify({
        ...base,
        type: 'assistant',
        uuid: a2,
        parentUuid: a1,
        timestamp: iso(T0 + c.at + 300),
        requestId: `req_${i}`,
        message: {
          ...message,
          content: [{ type: 'tool_use', id: `toolu_${i + 1}`, name: 'Read', input: { file_path: `${cwd}/src/a.ts` } }],
        },
      }),
    );
    parent = a2;
  });
  return { text: lines.join('\n') + '\n', usages };
}

export const claudeMd = (content: string, path = '/home/dev/shop/CLAUDE.md') =>
  JSON.stringify({
    type: 'attachment',
    attachment: {
      type: 'nested_memory',
      path,
      content: { path, type: 'Project', content, contentDiffersFromDisk: false },
      displayPath: 'CLAUDE.md',
    },
    timestamp: iso(T0),
    uuid: `att-${content.length}`,
  });
export const compactBoundary = () =>
  JSON.stringify({
    type: 'system',
    subtype: 'compact_boundary',
    parentUuid: null,
    logicalParentUuid: 'x',
    uuid: 'boundary-1',
    content: 'Conversation compacted',
    compactMetadata: { trigger: 'auto', preTokens: 155000 },
    timestamp: iso(T0),
  });
export const toolsDelta = () =>
  JSON.stringify({
    type: 'attachment',
    attachment: { type: 'deferred_tools_delta', failedMcpServers: [] },
    timestamp: iso(T0),
    uuid: 'att-tools',
  });

export const MIN = 60_000;

export interface CodexCall {
  readonly at: number;
  readonly input: number;
  readonly cached: number;
  readonly output?: number;
  readonly before?: string[];
  readonly duplicate?: boolean;
}

/** A Codex rollout: session_meta, turn_context, items, and a token_count event after each call. */
export function codexRollout(calls: readonly CodexCall[], opts: { model?: string; cwd?: string } = {}): string {
  const line = (at: number, type: string, payload: object) =>
    JSON.stringify({ timestamp: iso(T0 + at), type, payload });
  const out = [
    line(0, 'session_meta', {
      id: '019a9776-0a34-7842-8627-112b63d66e90',
      timestamp: iso(T0),
      cwd: opts.cwd ?? '/home/dev/shop',
      originator: 'codex_cli_rs',
      cli_version: '0.58.0',
      instructions: 'You are Codex, a coding agent.',
    }),
    line(0, 'turn_context', {
      cwd: opts.cwd ?? '/home/dev/shop',
      approval_policy: 'on-request',
      sandbox_policy: { mode: 'workspace-write' },
      model: opts.model ?? 'gpt-5.5',
      effort: 'medium',
      summary: 'auto',
    }),
  ];
  // What Codex puts before the user's first request (as real rollouts show): the AGENTS.md files and the environment.
  const cwd = opts.cwd ?? '/home/dev/shop';
  const injected = (text: string) =>
    line(0, 'response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
  out.push(
    injected(`# AGENTS.md instructions for ${cwd}\n\n<INSTRUCTIONS>\nUse npm.\n</INSTRUCTIONS>`),
    injected(`<environment_context>\n  <cwd>${cwd}</cwd>\n</environment_context>`),
  );
  let total = 0;
  calls.forEach((c, i) => {
    out.push(...(c.before ?? []));
    out.push(
      line(c.at - 1000, 'response_item', {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: i === 0 ? 'Fix the failing test.' : 'continue' }],
      }),
    );
    out.push(
      line(c.at, 'response_item', {
        type: 'function_call',
        name: 'shell',
        arguments: '{"command":["ls"]}',
        call_id: `call_${i}`,
      }),
    );
    const last = {
      input_tokens: c.input,
      cached_input_tokens: c.cached,
      output_tokens: c.output ?? 200,
      reasoning_output_tokens: 64,
      total_tokens: c.input + (c.output ?? 200),
    };
    total += last.total_tokens;
    const ev = line(c.at + 100, 'event_msg', {
      type: 'token_count',
      info: {
        total_token_usage: {
          input_tokens: 0,
          cached_input_tokens: 0,
          output_tokens: 0,
          reasoning_output_tokens: 0,
          total_tokens: total,
        },
        last_token_usage: last,
        model_context_window: 400000,
      },
      rate_limits: null,
    });
    out.push(ev);
    if (c.duplicate) out.push(ev);
  });
  return out.join('\n') + '\n';
}

export const codexModel = (at: number, model: string) =>
  JSON.stringify({
    timestamp: new Date(T0 + at).toISOString(),
    type: 'turn_context',
    payload: { cwd: '/home/dev/shop', model },
  });
export const codexCompacted = (at: number) =>
  JSON.stringify({
    timestamp: new Date(T0 + at).toISOString(),
    type: 'compacted',
    payload: { message: 'summary of the conversation so far' },
  });
