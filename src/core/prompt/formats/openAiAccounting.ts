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

/**
 * GPT-5 and later are harmony-format models (https://cookbook.openai.com/articles/openai-harmony): an assistant turn of
 * the conversation is read back on a channel, `<|start|>assistant<|channel|>final<|message|>…<|end|>`, which costs 2
 * tokens more than the ChatML turn (measured: every GPT-5 / GPT-5 mini call of the corpus with earlier assistant
 * turns was billed 2 tokens an assistant turn above the ChatML count — 5 Chat Completions and 4 Responses calls).
 */
export function hasAnswerChannel(model: string | undefined): boolean {
  return !!model && /^(?:openai\/)?gpt-(?:[5-9]|\d\d)/i.test(model);
}

export const ASSISTANT_CHANNEL_TOKENS = 2;

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
  /** Functions with at least one parameter. */
  readonly withParams: number;
  /** `tool_choice`: a named function is forced with a hidden instruction; "required" and allowed_tools cost less. */
  readonly toolChoice: 'auto' | 'none' | 'required' | 'allowed_tools' | 'function';
}

/**
 * Tokens OpenAI bills for the tools beyond their rendered text (NAMESPACE_OPEN + functions + NAMESPACE_CLOSE, as
 * openAiToolText.ts renders them), fitted on the recorded calls with function tools and no tool calls yet (the corpus
 * of test/oracle; per endpoint and model family, billed − rendered):
 * - GPT-4-class (gpt-4o, gpt-4.1 families), both endpoints: one token less per function with parameters and one less
 *   per described function; `tool_choice` "required" / allowed_tools 3 less, a named function 16 more (the
 *   instruction to call it). Chat Completions adds 3 (the tools form a system message) or −1 when a system message
 *   exists; Responses −3 either way. `strict` changes nothing. Fit: 94 of 129 such calls equal, 112 within 2 %.
 * - Chat Completions, GPT-5 / o-series: a fixed preamble of 84, one less per described function (13 of 19 equal, all
 *   within 2 tokens).
 * - Responses, GPT-5 family: +2, one less per strict or described function but one back when any is described (21 of
 *   28 equal). (The +14 an earlier fit gave GPT-5.2 and later came from parameter titles the old renderer left out.)
 */
export function toolsAdjustment(s: ToolsShape): number {
  const reasoning = isReasoningModel(s.model);
  if (s.endpoint === 'chat' && reasoning) return 84 - s.described;
  if (reasoning) return 2 - s.strict - s.described + (s.described > 0 ? 1 : 0);
  const choice =
    s.toolChoice === 'function' ? 16 : s.toolChoice === 'required' || s.toolChoice === 'allowed_tools' ? -3 : 0;
  const base = s.endpoint === 'chat' ? (s.hasSystem ? -1 : 3) : -3;
  return base - s.withParams - s.described + choice;
}

/**
 * A structured-output schema (Chat `response_format.json_schema`, Responses `text.format`) is counted as its JSON less
 * 19 tokens: on 87 recorded gpt-4o / gpt-4o-mini / gpt-5.4-mini calls with one, the JSON count was 17–21 tokens above
 * the bill in 74 (median 19; the rest carry schemas the JSON count misses by more, nested or with long descriptions).
 */
export const SCHEMA_TOKENS = -19;

/** Tokens of one function call's framing in an assistant turn, beyond its name and arguments (Chat Completions). */
export const TOOL_CALL_TOKENS = 5;

/**
 * GPT-5 models' function calls in Chat Completions history cost 3 more (harmony's `<|channel|>commentary
 * to=functions.name <|constrain|>json`, measured: 9 recorded gpt-5 / gpt-5-mini / gpt-5.4-mini calls were billed 2–4
 * tokens a call above the GPT-4o framing).
 */
export const HARMONY_TOOL_CALL_TOKENS = TOOL_CALL_TOKENS + 3;

/** The same for a Responses function_call item (measured: 2 fewer). */
export const RESPONSES_TOOL_CALL_TOKENS = 3;

/**
 * Parallel function calls of one turn, wrapped in multi_tool_use.parallel: 1 + 4 a call (refit on 15 recorded Chat
 * Completions calls with two parallel calls in history: 13 equal, the other two 6 high; the earlier 1 + 8 was 8 high
 * on 13).
 */
export const PARALLEL_CALLS_TOKENS = { base: 1, perCall: 4 } as const;

/**
 * What a text request's framing holds beyond one user message: each is a way the request reaches the model that has to
 * have been measured against OpenAI's bill before a count of it is called exact.
 */
export type FramingFeature =
  | 'system' // a system or developer message
  | 'instructions' // Responses `instructions`
  | 'empty-instructions' // `"instructions": ""`: billed unlike both "none" and a developer message (gpt-5, o3-mini)
  | 'assistant' // an earlier assistant turn
  | 'prefill' // the conversation ends with an assistant turn
  | 'name' // a participant name
  | 'tool-calls' // function calls or their results in the conversation
  | 'reasoning-mode'; // `reasoning.mode` (pro mode adds ~1,500 hidden tokens on gpt-5.6-sol)

const FAMILIES: Record<string, RegExp> = {
  'gpt-4o': /^gpt-4o(?:-mini)?$/,
  'gpt-4.1': /^gpt-4\.1(?:-mini|-nano)?$/,
  'gpt-5': /^gpt-5(?:\.\d+)?(?:-(?:mini|nano|sol|terra|luna))?$/,
  'o3/o4': /^o[34](?:-mini)?$/,
};

/**
 * Where the text framing (ChatML turns + roles + reply priming, with the measured GPT-5 assistant channel) was measured
 * to equal OpenAI's bill: per endpoint and model family, the features beyond one user message that every recorded call
 * having them was billed exactly as counted (test/oracle: the corpus extracted from pydantic-ai's and Mirascope's
 * cassettes; its SOURCES.md). A request with a feature not listed here — or of a model family not listed, such as
 * o1-mini (two user turns: 22 counted, 30 billed) — is an estimate, not an exact count. Evidence, calls equal / calls:
 * - Chat Completions: gpt-4o family user 18/18, system 5/5, earlier assistant turns 16/16 (9 with a system message);
 *   gpt-4.1 mini assistant 1/1; GPT-5 family user 31/31, assistant 4/4, prefill 1/1; o3-mini user 3/3, assistant 1/1.
 * - Responses: gpt-4o family user 32/32, system 13/13, assistant 14/14 (9 with system; 2 with instructions on gpt-4o
 *   mini) — but NOT instructions: gpt-4o billed the same instructions + question 24 in one recording and 42 in an
 *   earlier one; gpt-4.1 instructions 5/5 (2 continuing a `conversation`, left out: server state), assistant 2/2;
 *   GPT-5 family user 33/33, system 1/1, assistant 3/3, prefill 1/1, instructions 2/2 (gpt-5.2); o3 / o3-mini / o4-mini
 *   user 7/7.
 */
const MEASURED: Record<'chat' | 'responses', Record<string, readonly FramingFeature[]>> = {
  chat: {
    'gpt-4o': ['system', 'assistant'],
    'gpt-4.1': ['assistant'],
    'gpt-5': ['assistant', 'prefill'],
    'o3/o4': ['assistant'],
  },
  responses: {
    'gpt-4o': ['system', 'assistant'],
    'gpt-4.1': ['instructions', 'assistant'],
    'gpt-5': ['system', 'assistant', 'prefill', 'instructions'],
    'o3/o4': [],
  },
};

/** The model family a request's framing was measured under, if any (a dated id counts as its model). */
export function framingFamily(model: string | undefined): string | undefined {
  const id = (model ?? '')
    .toLowerCase()
    .replace(/^openai\//, '')
    .replace(/-\d{4}-\d{2}-\d{2}$/, '');
  return Object.keys(FAMILIES).find((f) => FAMILIES[f].test(id));
}

/** Whether a text request of this endpoint, model and features has been measured to equal the bill. */
export function framingMeasured(
  endpoint: 'chat' | 'responses',
  model: string | undefined,
  features: ReadonlySet<FramingFeature>,
): boolean {
  const family = framingFamily(model);
  const measured = family && MEASURED[endpoint][family];
  return !!measured && [...features].every((f) => measured.includes(f));
}
