/**
 * Prompts that live in source code: the LLM calls of a Python or TypeScript/JavaScript file, each prompt folded from
 * the literals, constants and templates that make it, with the run-time values left as holes.
 */

/** The grammars KV Lens parses with (tree-sitter): TypeScript, TSX (which also reads JavaScript and JSX) and Python. */
export type CodeLanguage = 'python' | 'typescript' | 'tsx';

/**
 * How often a run-time value changes, most often first: on every call, once a day (a date), per user session, once
 * per process (a module-level f-string or constant is evaluated once), from configuration (environment, settings), or
 * unknown (KV Lens does not guess).
 */
export type Volatility = 'request' | 'session' | 'day' | 'process' | 'config' | 'unknown';

/** Why the file alone does not decide a value: it comes from another file's module, a parameter, a file read at run time, or a remote prompt store. */
export type UnknownSource = 'import' | 'parameter' | 'file' | 'remote';

/** The SDKs whose calls are found. */
export type SdkId =
  'openai' | 'anthropic' | 'google-genai' | 'langchain' | 'ai-sdk' | 'litellm' | 'pydantic-ai' | 'instructor';

/** Literal prompt text, with where it stands in the source (UTF-16 offsets; -1 when it has no one place, as text a function computed). */
export interface TextPiece {
  readonly kind: 'text';
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Set when the text is from another file of the workspace (a followed import): its path relative to the workspace. */
  readonly file?: string;
}

/** A run-time value inside the prompt text: where it enters and how often it changes. */
export interface Hole {
  readonly kind: 'hole';
  /** The expression as written (shortened), e.g. `datetime.now()`, `user_name`, `new Date()`. */
  readonly what: string;
  /** Where the value enters the text: the placeholder (`{x}`, `${x}`), the `.format()` argument, or the whole argument. */
  readonly start: number;
  readonly end: number;
  readonly file?: string;
  readonly volatility: Volatility;
  /** For an unknown value: why the file does not say. */
  readonly unknown?: UnknownSource;
  /** Why this volatility, in a few words ("datetime.now() is read at each call", "module-level f-string: evaluated once"). */
  readonly why: string;
  /**
   * The expression that reads the clock when it is one (its source range): a fix can reduce it to day precision. Set
   * only for request-level values that are a date and time.
   */
  readonly clock?: { readonly start: number; readonly end: number; readonly precision: 'time' | 'day' };
}

export type Piece = TextPiece | Hole;

/** A prompt part (the system prompt, or one message) as folded pieces, with the source range of its expression. */
export interface PromptPart {
  readonly pieces: readonly Piece[];
  /** Range of the expression that gives the part (the `system=` value, the message's content). */
  readonly start: number;
  readonly end: number;
  /** An explicit cache breakpoint sits on this part (cache_control / cacheControl). */
  readonly breakpoint?: boolean;
  /** The part is a whole run-time list of messages (not one message's text): nothing can be appended to it. */
  readonly list?: boolean;
}

/** One LLM call as the finder reads it, language-neutral. */
export interface CallSite {
  readonly sdk: SdkId;
  /** Provider the call goes to when the code says it (the SDK, the model's prefix, a LangChain class); null otherwise. */
  readonly provider: string | null;
  /** The model as written (a literal or a folded same-file constant); null when it is a parameter or run-time value. */
  readonly model: string | null;
  /** Offset and end of the call expression's name (`create`, `generate_content`, `streamText`, `invoke`, `Agent`). */
  readonly start: number;
  readonly end: number;
  /** The whole call expression. */
  readonly callStart: number;
  readonly callEnd: number;
  /** The enclosing function of the call (or the whole module): names used there are in scope at the call. */
  readonly scopeStart: number;
  readonly scopeEnd: number;
  /**
   * The system prompt, in order of the parts that make it (a pydantic-ai agent: system_prompt, instructions and
   * decorated functions); null when the call has none. A system prompt given as one run-time value is one hole.
   */
  readonly system: readonly PromptPart[] | null;
  /** The first message (user turn) when the call has one; a whole run-time `messages` list is one hole. */
  readonly firstMessage: PromptPart | null;
  /** Range of the last message literal, when the call lists its messages (where a fix moves a value to). */
  readonly lastUserMessage?: {
    readonly start: number;
    readonly end: number;
    readonly contentStart: number;
    readonly contentEnd: number;
    readonly quote: string;
  };
  /** A cache breakpoint is placed (cache_control / cacheControl on a block, or top-level automatic caching). */
  readonly cacheControl: boolean;
}
