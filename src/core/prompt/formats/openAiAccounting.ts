import type { Segment, SourceRange } from '../types';

/*
 * What OpenAI bills beyond the text of a request, measured on real recorded calls (test/oracle/requests.jsonl: request
 * bodies with the usage OpenAI returned for them; SOURCES names each). OpenAI documents the per-message framing (3
 * tokens + role) and the reply priming (https://cookbook.openai.com/examples/how_to_count_tokens_with_tiktoken), and
 * the TypeScript rendering of functions (openAiToolText.ts); the constants below are what the recordings add on top:
 * a tool preamble the model sees but no request field holds.
 */

/** Reasoning models (o-series, GPT-5 family) frame the reply with 2 tokens, the others with 3. */
export function isReasoningModel(model: string | undefined): boolean {
  return !!model && /^(?:openai\/)?(?:o\d|gpt-5|gpt-6|codex)/i.test(model);
}

/** GPT-5.2 and later add a longer hidden preamble to Responses requests with tools. */
function isLaterGpt5(model: string | undefined): boolean {
  const m = model && /gpt-(\d+)(?:\.(\d+))?/i.exec(model);
  return !!m && (Number(m[1]) > 5 || (Number(m[1]) === 5 && Number(m[2] ?? 0) >= 2));
}

/** The assistant turn header the reply starts with: billed as input, and the start of the next turn's cache. */
export function replyPriming(model: string | undefined, at: SourceRange): Segment {
  return { text: isReasoningModel(model) ? '<|im_start|>assistant' : '<|im_start|>assistant<|im_sep|>', range: { start: at.end, end: at.end }, verbatim: false, framing: true };
}

export interface ToolsShape {
  readonly endpoint: 'chat' | 'responses';
  readonly model: string | undefined;
  /** A system or developer message (or Responses instructions) exists, which the tool text joins. */
  readonly hasSystem: boolean;
  /** Functions sent with "strict": true. */
  readonly strict: number;
}

/**
 * Tokens OpenAI bills for the tools beyond their rendered text (NAMESPACE_OPEN + functions + NAMESPACE_CLOSE), as
 * measured (residuals of recorded calls, per endpoint and model family). Chat Completions with GPT-4-class models: the
 * tools form a system message (4 framing tokens) unless one exists, less one token, less one per strict function;
 * GPT-5 / o-series add a fixed preamble; the Responses API frames tools 3 tokens shorter.
 */
export function toolsAdjustment(s: ToolsShape): number {
  const reasoning = isReasoningModel(s.model);
  if (s.endpoint === 'chat') return reasoning ? 84 : (s.hasSystem ? -1 : 3) - s.strict;
  if (!reasoning) return -3 - s.strict;
  return isLaterGpt5(s.model) ? 16 : 2;
}

export function adjustSegment(n: number, at: SourceRange): Segment {
  return { text: '', range: { start: at.end, end: at.end }, verbatim: false, framing: true, adjust: n };
}

/** Tokens of one function call's framing in an assistant turn, beyond its name and arguments. */
export const TOOL_CALL_TOKENS = 5;

/** Parallel function calls of one turn, wrapped in multi_tool_use.parallel. */
export const PARALLEL_CALLS_TOKENS = { base: 1, perCall: 8 } as const;
