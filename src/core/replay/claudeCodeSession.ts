import {
  asRecord,
  firstDifferentLine,
  parseRecord,
  type CallEvents,
  type ModelCall,
  type TranscriptRecord,
} from './modelCall';
import { readUsage } from './usage';

// Claude Code's session transcripts (~/.claude/projects/<project>/<session>.jsonl, and <session>/subagents/*.jsonl):
// one JSON record a line. What this reader relies on, as public transcripts show it:
//   - `assistant` records are written once per content block; the blocks of one API response share `message.id`
//     (and `requestId`) and carry the same `message.usage`: one model call per message id.
//   - `isSidechain` / `agentId` mark a sub-agent's records: a conversation, and a cache, of its own.
//   - `system` records with `subtype: "compact_boundary"` (and a user record with `isCompactSummary`) mark a
//     compaction; a `/clear` command starts the conversation over.
//   - `attachment` records inject context: `nested_memory` (a CLAUDE.md, AGENTS.md or rules file, with its content),
//     `instructions` (several files at once), `deferred_tools_delta` / `skill_listing` (tools and skills).
//   - Synthetic assistant messages (model "<synthetic>") are not API calls.
// The system prompt and tool definitions are not in the file.

type Obj = TranscriptRecord;
const obj = asRecord;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const MAX_FILE_TEXT = 256 * 1024;
const TOOL_ATTACHMENTS = new Set([
  'deferred_tools_delta',
  'skill_listing',
  'mcp_instructions',
  'mcp_resource',
  'tools_changed',
]);

/**
 * What the user asked in a transcript record, if it holds a request: a user message that is not meta and not a
 * command or context Claude Code wraps in tags ("<command-name>", "<local-command-stdout>", …).
 */
export function claudeUserRequest(r: Obj): string | undefined {
  if (r.type !== 'user' || r.isMeta) return undefined;
  const c = obj(r.message)?.content;
  const text =
    typeof c === 'string'
      ? c
      : Array.isArray(c)
        ? c.map((b) => (typeof obj(b)?.text === 'string' ? (obj(b)!.text as string) : '')).join('')
        : '';
  return text.trim() && !text.trimStart().startsWith('<') ? text : undefined;
}

/** Whether a record is Claude Code's (a transcript line), from its shape. */
export function isClaudeCodeRecord(r: Obj): boolean {
  const t = r.type;
  return (
    (t === 'user' ||
      t === 'assistant' ||
      t === 'system' ||
      t === 'attachment' ||
      t === 'summary' ||
      t === 'file-history-snapshot' ||
      t === 'queue-operation') &&
    ('sessionId' in r ||
      'parentUuid' in r ||
      'uuid' in r ||
      t === 'summary' ||
      t === 'file-history-snapshot' ||
      t === 'attachment')
  );
}

interface Pending {
  id: string;
  line: number;
  time: number;
  model: string;
  chain: string;
  usage: Obj;
  message: Obj;
  since: CallEvents;
}

export class ClaudeCodeReader {
  private pending: Pending | undefined;
  private readonly events = new Map<
    string,
    { compaction?: boolean; clear?: boolean; instructions: { file: string; line: number }[]; tools: string[] }
  >();
  private readonly files = new Map<string, string>();
  /** Lines that were not JSON objects. */
  malformed = 0;

  /** `chain`: the chain a file's records belong to when they do not say (a sub-agent file). */
  constructor(
    private readonly emit: (call: ModelCall) => void,
    private readonly file?: string,
    private readonly defaultChain = 'main',
  ) {}

  private chainOf(r: Obj): string {
    if (r.isSidechain === true)
      return typeof r.agentId === 'string'
        ? `subagent:${r.agentId}`
        : this.defaultChain === 'main'
          ? 'sidechain'
          : this.defaultChain;
    return this.defaultChain;
  }

  private eventsOf(chain: string) {
    let e = this.events.get(chain);
    if (!e) this.events.set(chain, (e = { instructions: [], tools: [] }));
    return e;
  }

  private noteFile(chain: string, path: string | undefined, content: unknown): void {
    const text = typeof content === 'string' ? content : str(obj(content)?.content);
    if (!path || text === undefined) return;
    const before = this.files.get(path);
    this.files.set(path, text.length > MAX_FILE_TEXT ? text.slice(0, MAX_FILE_TEXT) : text);
    if (before !== undefined && before !== text)
      this.eventsOf(chain).instructions.push({ file: path, line: firstDifferentLine(before, text) });
  }

  feed(text: string, line: number): void {
    const r = parseRecord(text, () => this.malformed++);
    if (!r) return;
    const chain = this.chainOf(r);
    const time = Date.parse(str(r.timestamp) ?? '');
    if (r.type === 'assistant') {
      const m = obj(r.message);
      const id = str(m?.id) ?? str(r.requestId);
      if (!m || !id || m.model === '<synthetic>') return;
      const usage = obj(m.usage);
      if (this.pending && this.pending.id !== id) this.flush();
      if (!usage) return;
      // What happened since the chain's previous call belongs to this one: taken when its first block arrives.
      const since = this.pending?.id === id ? this.pending.since : this.takeEvents(chain);
      // The blocks of one response repeat its usage; the last one written carries the final output count.
      this.pending = {
        id,
        line,
        time: Number.isFinite(time) ? time : (this.pending?.time ?? 0),
        model: str(m.model) ?? 'unknown',
        chain,
        usage,
        message: m,
        since,
      };
      return;
    }
    if (r.type === 'system' && r.subtype === 'compact_boundary') {
      this.eventsOf(chain).compaction = true;
      return;
    }
    if (r.type === 'user') {
      if (r.isCompactSummary === true) this.eventsOf(chain).compaction = true;
      const c = obj(r.message)?.content;
      const s = typeof c === 'string' ? c : Array.isArray(c) ? c.map((b) => str(obj(b)?.text) ?? '').join('') : '';
      if (/<command-name>\/clear<\/command-name>/.test(s)) this.eventsOf(chain).clear = true;
      return;
    }
    if (r.type === 'attachment') {
      const a = obj(r.attachment);
      const kind = str(a?.type);
      if (!a || !kind) return;
      if (kind === 'nested_memory') this.noteFile(chain, str(a.path) ?? str(obj(a.content)?.path), a.content);
      else if (kind === 'instructions' && Array.isArray(a.files))
        for (const f of a.files) {
          const o = obj(f);
          this.noteFile(chain, str(o?.path), o?.content);
        }
      else if (TOOL_ATTACHMENTS.has(kind)) this.eventsOf(chain).tools.push(kind);
    }
  }

  /** Emits the call being read, if any (call at the end of the file). */
  flush(): void {
    const p = this.pending;
    this.pending = undefined;
    if (!p) return;
    const usage = readUsage({
      usage: p.usage,
      ...(p.message.diagnostics ? { diagnostics: p.message.diagnostics } : {}),
    });
    if (!usage || usage.inputTokens + usage.outputTokens === 0) return;
    this.emit({
      line: p.line,
      ...(this.file ? { file: this.file } : {}),
      time: p.time,
      model: p.model,
      chain: p.chain,
      usage,
      since: p.since,
      ...(usage.missReason ? { providerReason: usage.missReason } : {}),
    });
  }

  private takeEvents(chain: string): CallEvents {
    const e = this.events.get(chain);
    this.events.delete(chain);
    return e
      ? {
          ...(e.compaction ? { compaction: true } : {}),
          ...(e.clear ? { clear: true } : {}),
          ...(e.instructions.length ? { instructions: e.instructions } : {}),
          ...(e.tools.length ? { tools: [...new Set(e.tools)] } : {}),
        }
      : {};
  }
}
