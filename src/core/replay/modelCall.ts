import type { Usage } from './usage';

/**
 * One model call an agent made, as its transcript records it: when, with which model, on which cache chain (the main
 * conversation, or a sub-agent's own), the provider's usage figures, and what happened since the chain's previous
 * call that could explain a miss. The transcript readers (Claude Code, Codex) produce these; SessionReplayer judges
 * them. The request's text is not needed: an agent resends its whole conversation, so a call's prompt is the
 * previous call's prompt plus what came after — the usage figures say how long each was.
 */
export interface ModelCall {
  /** 0-based line of the file that closes the call (its last record). */
  readonly line: number;
  /** File the line is in, when a session spans several (sub-agent transcripts). */
  readonly file?: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** The model as the transcript names it. */
  readonly model: string;
  /** 'main', or 'subagent:<id>': sub-agents have caches of their own. */
  readonly chain: string;
  readonly usage: Usage;
  readonly since: CallEvents;
  /** The provider's own explanation of a miss, where the log carries one (cache diagnostics). */
  readonly providerReason?: string;
}

/** What the transcript records between a chain's previous call and this one. */
export interface CallEvents {
  /** The conversation was compacted (summarised into a new prefix). */
  readonly compaction?: boolean;
  /** /clear: the conversation starts over. */
  readonly clear?: boolean;
  /** Instruction files (CLAUDE.md, AGENTS.md, rules, skills) injected with content that differs from before. */
  readonly instructions?: readonly { readonly file: string; readonly line: number }[];
  /** Tools or skills announced as changed (MCP servers, deferred tools, skill listings). */
  readonly tools?: readonly string[];
}

/** The first line (1-based) where two texts differ; 1 when one is empty. */
export function firstDifferentLine(before: string, after: string): number {
  const a = before.split('\n'),
    b = after.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i + 1;
}

/** A JSON object's fields, as the transcripts' records are read (nothing is assumed of their shape). */
export type TranscriptRecord = Record<string, unknown>;
export const asRecord = (v: unknown): TranscriptRecord | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as TranscriptRecord) : undefined;

/** One line of a transcript as an object; undefined for a blank line or one that is not a JSON object (`malformed` counts those). */
export function parseRecord(text: string, malformed: () => void): TranscriptRecord | undefined {
  let r: TranscriptRecord | undefined;
  try {
    r = asRecord(JSON.parse(text));
  } catch {
    r = undefined;
  }
  if (!r && text.trim()) malformed();
  return r;
}

/**
 * A session's label from the user's first request: its first line with words in it (a Markdown heading's marks and
 * code fences left out), whitespace collapsed, at most 80 characters.
 */
export function requestLabel(text: string): string | undefined {
  for (const raw of text.split('\n')) {
    const line = raw
      .replace(/^\s*#+\s*/, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (!line || /^(`{3,}|~{3,})/.test(line)) continue;
    return line.length > 80 ? `${line.slice(0, 79)}…` : line;
  }
  return undefined;
}
