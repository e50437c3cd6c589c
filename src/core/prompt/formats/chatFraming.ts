import type { Segment, SourceRange } from '../types';

/*
 * The server-side chat templates are not public, so each provider gets one documented approximation of the framing
 * around messages. What matters for caching is that it is deterministic and about the right size: a role change changes
 * the tokens, and per-message overhead is counted.
 *
 * OpenAI (Chat Completions, Responses, Prompty): ChatML-style `<|im_start|>{role}<|im_sep|>` … `<|im_end|>`. Each
 * `<|…|>` marker counts as one special token, so a message costs 3 tokens + its role + its content, which is the
 * per-message overhead OpenAI's token-counting cookbook gives. The reply priming (3 tokens) is not counted: it comes
 * after everything cacheable.
 *
 * Anthropic: a turn costs 3 tokens beyond its content and a request 4 (measured on recorded calls, test/oracle: the
 * legacy "\n\nHuman: " / "\n\nAssistant:" framing), counted as such rather than scaled like the estimated text; the
 * role marker keeps a role change a token change.
 */

export function openAiHeader(role: string, range: SourceRange): Segment {
  return {
    text: `<|im_start|>${role}<|im_sep|>`,
    range: { start: range.start, end: range.start },
    verbatim: false,
    framing: true,
  };
}

export function openAiFooter(range: SourceRange): Segment {
  return { text: '<|im_end|>', range: { start: range.end, end: range.end }, verbatim: false, framing: true };
}

export function anthropicHeader(role: string, range: SourceRange): Segment {
  return {
    text: role === 'assistant' ? '<|assistant|>' : '<|human|>',
    range: { start: range.start, end: range.start },
    verbatim: false,
    framing: true,
    adjust: 2,
  };
}

/** Anthropic's per-request framing (the reply's "\n\nAssistant:" and what opens the prompt): 4 tokens. */
export const ANTHROPIC_REQUEST_TOKENS = 4;

/** Tokens a provider bills at source offset `at` that no text of the file stands for (measured constants, rules). */
export function hiddenTokens(n: number, at: number): Segment {
  return { text: '', range: { start: at, end: at }, verbatim: false, framing: true, adjust: n };
}

/** A placeholder for content whose token cost is provider-specific (images, audio, files). */
export function placeholderSegment(what: string, range: SourceRange): Segment {
  return { text: `[${what}]`, range, verbatim: false, framing: true };
}
