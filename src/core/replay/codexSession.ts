import {
  asRecord,
  firstDifferentLine,
  parseRecord,
  type CallEvents,
  type ModelCall,
  type TranscriptRecord,
} from './modelCall';

// Codex CLI rollouts (~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl): one `{timestamp, type, payload}` a line.
//   - `session_meta`: the session (id, cwd, cli version) and its base instructions.
//   - `turn_context`: the settings of the next turn — the model among them.
//   - `response_item`: conversation items (messages, reasoning, function calls and their output).
//   - `event_msg` with `payload.type: "token_count"`: after each model call, `info.last_token_usage` (that call:
//     input_tokens, cached_input_tokens, output_tokens, reasoning_output_tokens) and `info.total_token_usage` (the
//     running total). The same event can be written twice: a total that did not move is not a new call.
//   - `compacted`: the conversation was replaced by a summary.
// output_tokens is taken as the billed output: the Responses API counts reasoning inside it (reasoning_output_tokens is
// the part of it that was reasoning), so adding both would bill reasoning twice.
// Codex sends the whole conversation through the Responses API on every call, so a call's prompt starts with the
// previous call's prompt.

type Obj = TranscriptRecord;
const obj = asRecord;
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);

const CODEX_TYPES = new Set(['session_meta', 'turn_context', 'response_item', 'event_msg', 'compacted']);

/**
 * Context Codex puts in user messages before the user's own: the instruction files ("# AGENTS.md instructions for
 * <cwd>" … "</INSTRUCTIONS>"), the environment and other tagged blocks ("<environment_context>", "<user_instructions>").
 */
const INJECTED = /^\s*(<[a-z_]+>|# AGENTS\.md instructions for )/;

/**
 * What the user asked in a rollout record, if it holds a request: the `user_message` event (what they typed), or a
 * user message that is not context Codex injected. The first such record is the session's first request.
 */
export function codexUserRequest(r: Obj): string | undefined {
  const p = obj(r.payload);
  if (r.type === 'event_msg' && p?.type === 'user_message' && typeof p.message === 'string')
    return p.message.trim() ? p.message : undefined;
  if (r.type !== 'response_item' || p?.type !== 'message' || p.role !== 'user' || !Array.isArray(p.content))
    return undefined;
  const text = p.content.map((b) => (typeof obj(b)?.text === 'string' ? (obj(b)!.text as string) : '')).join('');
  return text.trim() && !INJECTED.test(text) ? text : undefined;
}

/** Whether a record is a Codex rollout line, from its shape. */
export function isCodexRecord(r: Obj): boolean {
  return typeof r.type === 'string' && CODEX_TYPES.has(r.type) && 'payload' in r;
}

export class CodexReader {
  private model = 'unknown';
  private instructions: string | undefined;
  private lastTotal = -1;
  private events: { compaction?: boolean; instructions: { file: string; line: number }[] } = { instructions: [] };
  malformed = 0;
  /** The session's working folder (session_meta.cwd). */
  cwd: string | undefined;

  constructor(
    private readonly emit: (call: ModelCall) => void,
    private readonly file?: string,
  ) {}

  feed(text: string, line: number): void {
    const r = parseRecord(text, () => this.malformed++);
    if (!r) return;
    const p = obj(r.payload);
    const time = Date.parse(typeof r.timestamp === 'string' ? r.timestamp : '');
    switch (r.type) {
      case 'session_meta': {
        if (typeof p?.cwd === 'string') this.cwd = p.cwd;
        const ins = typeof p?.instructions === 'string' ? p.instructions : undefined;
        if (ins !== undefined) {
          if (this.instructions !== undefined && ins !== this.instructions)
            this.events.instructions.push({
              file: 'session instructions (session_meta)',
              line: firstDifferentLine(this.instructions, ins),
            });
          this.instructions = ins;
        }
        return;
      }
      case 'turn_context':
        if (typeof p?.model === 'string') this.model = p.model;
        return;
      case 'compacted':
        this.events.compaction = true;
        return;
      case 'event_msg': {
        if (p?.type !== 'token_count') return;
        const info = obj(p.info);
        const last = obj(info?.last_token_usage);
        if (!last) return;
        const total = num(obj(info?.total_token_usage)?.total_tokens);
        if (total && total === this.lastTotal) return;
        this.lastTotal = total || this.lastTotal;
        const input = num(last.input_tokens);
        const since: CallEvents = {
          ...(this.events.compaction ? { compaction: true } : {}),
          ...(this.events.instructions.length ? { instructions: this.events.instructions } : {}),
        };
        this.events = { instructions: [] };
        this.emit({
          line,
          ...(this.file ? { file: this.file } : {}),
          time: Number.isFinite(time) ? time : 0,
          model: this.model,
          chain: 'main',
          since,
          usage: {
            inputTokens: input,
            cachedTokens: Math.min(input, num(last.cached_input_tokens)),
            cacheWriteTokens: 0,
            outputTokens: num(last.output_tokens),
            accounting: 'openai',
          },
        });
        return;
      }
      default:
    }
  }

  flush(): void {
    /* a call is complete at its token_count event */
  }
}
