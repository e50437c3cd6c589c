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
  return {
    text: isReasoningModel(model) ? '<|im_start|>assistant' : '<|im_start|>assistant<|im_sep|>',
    range: { start: at.end, end: at.end },
    verbatim: false,
    framing: true,
  };
}

export interface ToolsShape {
  readonly endpoint: 'chat' | 'responses';
  readonly model: string | undefined;
  /** A system or developer message (or Responses instructions) exists, which the tool text joins. */
  readonly hasSystem: boolean;
  /** Functions sent with "strict": true. */
  readonly strict: number;
  /** Functions with a description. */
  readonly described: number;
}

/**
 * Tokens OpenAI bills for the tools beyond their rendered text (NAMESPACE_OPEN + functions + NAMESPACE_CLOSE), fitted
 * on 96 recorded calls with function tools and no tool calls yet (residuals per endpoint and model family):
 * - Chat Completions, GPT-4-class: the tools form a system message unless one exists (+3, or −1 joining it), one token
 *   less per strict function and two less per described one (all 20 calls of the set exact);
 * - Chat Completions, GPT-5 / o-series: a fixed preamble of 84, one less per described function (±2);
 * - Responses, GPT-4-class: −3, one less per strict and two less per described function;
 * - Responses, GPT-5 family: +2, one less per strict or described function but one back when any is described; GPT-5.2
 *   and later add 14 more (±2 on the set, one GPT-5.5 call excepted).
 */
export function toolsAdjustment(s: ToolsShape): number {
  const reasoning = isReasoningModel(s.model);
  if (s.endpoint === 'chat') return reasoning ? 84 - s.described : (s.hasSystem ? -1 : 3) - s.strict - 2 * s.described;
  if (!reasoning) return -3 - s.strict - 2 * s.described;
  return 2 - s.strict - s.described + (s.described > 0 ? 1 : 0) + (isLaterGpt5(s.model) ? 14 : 0);
}

/** Tokens of one function call's framing in an assistant turn, beyond its name and arguments (Chat Completions). */
export const TOOL_CALL_TOKENS = 5;

/** The same for a Responses function_call item (measured: 2 fewer). */
export const RESPONSES_TOOL_CALL_TOKENS = 3;

/** Parallel function calls of one turn, wrapped in multi_tool_use.parallel. */
export const PARALLEL_CALLS_TOKENS = { base: 1, perCall: 8 } as const;
