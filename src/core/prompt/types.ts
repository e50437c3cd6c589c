/** A half-open UTF-16 range [start, end) in the source document. */
export interface SourceRange {
  readonly start: number;
  readonly end: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** A problem found in user input. Core never throws for bad input: it reports these and returns what it could. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly message: string;
  readonly range: SourceRange;
  /** 1-based line and column of range.start (columns count UTF-16 code units), for CLI output. */
  readonly line: number;
  readonly column: number;
  /** Stable machine-readable code, e.g. 'json-syntax', 'unknown-role', 'too-many-breakpoints'. */
  readonly code: string;
}

export type BlockKind =
  | 'tools' // tool / function definitions
  | 'response_format' // structured-output schema (OpenAI) — cached with the tools
  | 'system' // system prompt / instructions / developer message
  | 'message' // a conversation turn (role says whose)
  | 'tool_result' // a tool result turn
  | 'text'; // a plain prompt file's single user message

/** An explicit cache point after a block (Anthropic cache_control, a plain-file marker line). */
export interface CacheControl {
  readonly type: 'ephemeral';
  /** '5m' (default) or '1h'. */
  readonly ttl?: '5m' | '1h';
}

/**
 * A piece of text the provider tokenizes, with where it came from. When `verbatim` is true, text equals
 * source[range.start, range.end) so offsets map one to one; otherwise (decoded JSON strings, synthesized role
 * headers) any offset inside maps to range.start.
 */
export interface Segment {
  readonly text: string;
  readonly range: SourceRange;
  readonly verbatim: boolean;
  /**
   * For a decoded JSON string (verbatim false): the source offset of each UTF-16 unit of `text`, plus one entry for
   * the end (length text.length + 1), so a token inside a string with escapes still maps to its own source column.
   */
  readonly sourceOffsets?: Int32Array;
  /**
   * Chat-template framing (role headers, separators) that KV Lens adds, not user text. `<|name|>` markers in it stand
   * for one special token each (see prompt/render.ts); the rest is tokenized as text.
   */
  readonly framing?: boolean;
  /**
   * Tokens the provider adds (positive) or saves (negative) here that no text stands for: measured constants of its
   * request accounting (e.g. OpenAI's hidden tool preamble). Only on framing segments: a positive count adds opaque
   * ids after the segment's text, a negative one drops that many of its text's tokens (never below none).
   */
  readonly adjust?: number;
}

/**
 * Where a block sits in the request, as fields (the label says the same for people, and is never parsed back): the
 * array it is an element of, its 0-based index there, and for one content part of a message, the part's index.
 * "messages[2].content[1]" → { list: 'messages', index: 2, part: 1 }.
 */
export interface BlockPlace {
  readonly list: 'messages' | 'input' | 'contents' | 'tools' | 'system' | 'text';
  readonly index: number;
  readonly part?: number;
}

export interface Block {
  readonly kind: BlockKind;
  /** 'user' | 'assistant' | 'system' | 'developer' | 'tool' … for messages. */
  readonly role?: string;
  /** Short human label for tables and hovers, e.g. "tools (3)", "system", "messages[2] user". */
  readonly label: string;
  /** Where the block is in the request, when it is one element of one of its arrays. */
  readonly place?: BlockPlace;
  /** The name the request gives the block: a tool's ("get_weather" of tools[1]), OpenAI's top-level "instructions". */
  readonly name?: string;
  /** The source range of the whole block (e.g. the JSON object of a message). */
  readonly range: SourceRange;
  /** In render order. Each segment is tokenized on its own, so block and segment edges are token edges. */
  readonly segments: readonly Segment[];
  /** A breakpoint placed at the end of this block. */
  readonly cacheControl?: CacheControl;
}

export type PromptFormat =
  | 'text'
  | 'markdown'
  | 'prompty'
  | 'github-models'
  | 'openai-chat'
  | 'openai-responses'
  | 'anthropic-messages'
  | 'gemini-generate';

export interface Prompt {
  readonly format: PromptFormat;
  /** Blocks in the order the provider caches them (tools → system → messages). */
  readonly blocks: readonly Block[];
  /** Model named by the file (front matter, request body's "model"), if any: the first of `models`. */
  readonly model?: string;
  /** Every model the file names, in order (a VS Code prompt file may list choices: the first known one wins). */
  readonly models?: readonly string[];
  /** Where the file names its model, for messages ("unknown model X at line 3"). */
  readonly modelRange?: SourceRange;
  /** Anthropic top-level automatic caching ({"cache_control": {...}} on the request). */
  readonly automaticCacheControl?: CacheControl;
  /** OpenAI prompt_cache_key, if set. */
  readonly promptCacheKey?: string;
  /** OpenAI prompt_cache_retention ('in-memory' | '24h'), if set. */
  readonly promptCacheRetention?: string;
  /** Provider named by front matter ("provider: anthropic"), if any. */
  readonly provider?: string;
  /** The source this prompt came from (the whole file, or one JSONL line). */
  readonly range?: SourceRange;
  /** Short label when a document holds several prompts ("line 3"). */
  readonly label?: string;
  /**
   * False when some part is counted by KV Lens's measured or approximate rendering (tools, schemas, tool calls, media,
   * a provider's hidden prompts), not the provider's documented framing: the count is then never exact.
   */
  readonly framingExact?: boolean;
  /** This prompt's own diagnostics (also included in PromptDocument.diagnostics). */
  readonly diagnostics: readonly Diagnostic[];
}

/** What a file parses to: one prompt, or for JSONL one prompt per non-empty line. */
export interface PromptDocument {
  readonly prompts: readonly Prompt[];
  /** Every diagnostic of the file: the document's own (binary, too large, BOM) and those of each prompt, by offset. */
  readonly diagnostics: readonly Diagnostic[];
}
