// The model of a coding agent's request as its instruction files shape it: which files each harness loads, where,
// in which role, how they combine, and when an edit takes effect. Facts only: every field is typed, words are made at
// the edges (messages.ts for warnings, the CLI's table, the editor's lens).
import type { Confidence } from '../pricing/types';

export type HarnessId = 'claude-code' | 'codex' | 'copilot' | 'cursor' | 'gemini-cli';
export const HARNESS_IDS: readonly HarnessId[] = ['claude-code', 'codex', 'copilot', 'cursor', 'gemini-cli'];

/** What a file is, by the harness's own naming. */
export type FileKind =
  | 'claude-md'
  | 'claude-local-md'
  | 'claude-rule'
  | 'agents-md'
  | 'agents-override-md'
  | 'copilot-instructions'
  | 'instructions'
  | 'agent'
  | 'chatmode'
  | 'prompt'
  | 'sub-agent'
  | 'skill'
  | 'command'
  | 'cursor-rule'
  | 'cursorrules'
  | 'gemini-md'
  | 'import';

/**
 * When the file's text reaches the model:
 *  always     — every request of every session started in <cwd> (the cached prefix);
 *  on-match   — once a file it applies to is touched (globs, applyTo, paths, a nested folder's file read);
 *  on-invoke  — when the user or the model invokes it (a skill's body, a custom agent / chat mode, a command);
 *  listing    — only its name and description, in a listing the model chooses from (skills);
 *  own-context — in a sub-agent's own request, not the main loop's;
 *  manual     — only when the user attaches it by hand;
 *  never      — recognised, but not loaded for a session started in <cwd>.
 */
export type Loaded = 'always' | 'on-match' | 'on-invoke' | 'listing' | 'own-context' | 'manual' | 'never';
export type Role = 'system' | 'developer' | 'user';
export type TakesEffect = 'next-turn' | 'next-session';
export type Layer = 'tools' | 'system' | 'instructions' | 'environment' | 'conversation';

/** A rule of a harness, with where it was read: the shape of the pricing catalog's sourced figures. */
export interface HarnessRule<T> {
  readonly value: T;
  /** The page or source file where the rule was seen. */
  readonly source: string;
  /** The date that page or source shows (YYYY-MM-DD), or the date it was read. */
  readonly asOf: string;
  /** The agent version the rule holds for. */
  readonly agentVersion: string;
  readonly confidence: Confidence;
  readonly notes?: string;
}

export interface TokenRange {
  readonly minTokens: number;
  readonly maxTokens: number;
}

/** The data file of one harness (src/core/agents/harnesses/<id>.json). */
export interface HarnessData {
  readonly harness: HarnessId;
  readonly displayName: string;
  /** The agent version the rules as a whole hold for. */
  readonly version: string;
  readonly rules: {
    /** The order of the request's parts, first (most cacheable) first. */
    readonly layers: HarnessRule<readonly Layer[]>;
    /** The role of the message that carries the always-loaded instruction files. */
    readonly instructionRole: HarnessRule<Role | null>;
    /** When an edit of a loaded file reaches the model, and what it re-writes. */
    readonly takesEffect: HarnessRule<TakesEffect>;
    /** The size of the fixed layers in front of the instruction files (system prompt and tools). */
    readonly fixedLayers: HarnessRule<TokenRange>;
    /** How long the provider keeps the prefix this harness asks for (a TTL label of the catalog: '5m', '1h', …). */
    readonly cacheTtl: HarnessRule<string>;
    /** The model when neither --model nor a session log names one. */
    readonly defaultModel: HarnessRule<string>;
    /** Every further rule of the harness, by name (discovery, combination, limits). */
    readonly [name: string]: HarnessRule<unknown>;
  };
}

/** Why a file is loaded the way it is: the typed reason the editor can word. */
export type LoadReason =
  | { readonly why: 'root-to-cwd' }
  | { readonly why: 'global' }
  | { readonly why: 'below-cwd'; readonly folder: string }
  | { readonly why: 'outside-chain' }
  | { readonly why: 'shadowed'; readonly by: string }
  | { readonly why: 'empty' }
  | { readonly why: 'over-budget' }
  | { readonly why: 'front-matter'; readonly key: string; readonly value: unknown }
  | { readonly why: 'globs'; readonly globs: readonly string[]; readonly matchesEverything: boolean }
  | { readonly why: 'no-front-matter' }
  | { readonly why: 'skill-listing'; readonly name: string; readonly description: string }
  | { readonly why: 'sub-agent'; readonly name: string; readonly model: string | null }
  | { readonly why: 'invoked' }
  | { readonly why: 'setting'; readonly setting: string; readonly defaultValue: boolean }
  | { readonly why: 'fallback'; readonly instead: string }
  | { readonly why: 'imported'; readonly by: string; readonly depth: number }
  | { readonly why: 'unreadable'; readonly warning: AgentWarningCode };

/** One instruction file as one harness sees it. */
export interface AgentFile {
  /** As ARCHITECTURE.md says: relative to DIR with '/', '../' for parents, a global as `$CODEX_HOME/AGENTS.md` etc. */
  readonly path: string;
  /** Absolute path (adapter form). */
  readonly abs: string;
  readonly kind: FileKind;
  readonly loaded: Loaded;
  readonly role: Role | null;
  /** Tokens of what this file puts in the request (its sent bytes; a skill's listing entry), with the model's tokenizer. */
  readonly tokens: number;
  /** UTF-8 bytes of the file that reach the model, and those cut by a budget. */
  readonly bytesSent: number;
  readonly bytesLost: number;
  readonly takesEffect: TakesEffect;
  readonly reason: LoadReason;
  /** Order in the harness's combined instructions (0 first), for always-loaded files; null otherwise. */
  readonly order: number | null;
  /** The file's whole size in bytes. */
  readonly bytes: number;
  /** For files with a front matter or a listing: the bytes of the body sent on invoke (skills, agents). */
  readonly bodyTokens?: number;
}

export type AgentWarningCode =
  | 'budget-truncated'
  | 'budget-skipped'
  | 'dynamic-content'
  | 'cursor-rule-no-front-matter'
  | 'globs-match-everything'
  | 'skill-description-truncated'
  | 'sub-agent-model-differs'
  | 'import-missing'
  | 'import-cycle'
  | 'import-too-deep'
  | 'import-outside'
  | 'duplicate-text'
  | 'file-too-big'
  | 'not-regular'
  | 'link-outside'
  | 'unreadable'
  | 'front-matter-malformed'
  | 'invalid-utf8'
  | 'date-before-instructions'
  | 'untrusted-skipped'
  | 'scan-limit';

/** A problem of one file, with the typed facts behind it. `line` is 1-based, null when not tied to a line. */
export interface AgentWarning {
  readonly code: AgentWarningCode;
  readonly path: string;
  readonly line: number | null;
  readonly harness: HarnessId | null;
  /** Facts by code (bytes cut, the dynamic text, the import, the other file, …). */
  readonly facts: Readonly<Record<string, string | number | boolean | null | readonly string[]>>;
}

export interface InstructionsText {
  readonly role: Role | null;
  /** What the harness sends for its always-loaded files, byte for byte as the working tree holds them. */
  readonly text: string;
  readonly tokens: number;
  /** The model's own tokenizer and the harness's framing as its source has it. */
  readonly exact: boolean;
}

export interface SessionStats {
  readonly count: number;
  readonly medianRequests: number;
  /** The model of the newest session, when its log names one. */
  readonly model?: string;
}

export interface SessionCost {
  readonly model: string;
  /** Tokens of the instruction files that are always loaded (the part a user's edit re-writes). */
  readonly tokens: number;
  readonly ttl: string;
  readonly requests: number;
  readonly requestsFrom: 'sessions' | 'default';
  /** USD: one cache write at the TTL, one cache read per further request. */
  readonly writeUsd: number;
  readonly readsUsd: number;
  readonly totalUsd: number;
}

export interface HarnessReport {
  readonly harness: HarnessId;
  readonly displayName: string;
  readonly version: string;
  readonly model: string;
  readonly files: readonly AgentFile[];
  readonly instructions: InstructionsText | null;
  readonly sessions: SessionStats | null;
  readonly warnings: readonly AgentWarning[];
  readonly layers: readonly Layer[];
  readonly fixedLayers: TokenRange & { readonly source: string; readonly confidence: Confidence };
  readonly takesEffect: TakesEffect;
  readonly cost: SessionCost | null;
}

export interface AgentContext {
  readonly dir: string;
  readonly cwd: string;
  readonly harnesses: readonly HarnessReport[];
  /** Problems not tied to one harness (a file too big to read, a link outside DIR, the scan limit). */
  readonly warnings: readonly AgentWarning[];
  /** Directories listed and files read, for the benchmark and the "never reads what it does not need" test. */
  readonly stats: { readonly dirsListed: number; readonly filesRead: number; readonly bytesRead: number };
}
