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
 * Anthropic: the legacy text-completion framing "\n\nHuman: " / "\n\nAssistant: " (plain text). Claude's tokenizer is
 * not public either, so Anthropic counts are estimates anyway.
 */

export function openAiHeader(role: string, range: SourceRange): Segment {
  return { text: `<|im_start|>${role}<|im_sep|>`, range: { start: range.start, end: range.start }, verbatim: false, framing: true };
}

export function openAiFooter(range: SourceRange): Segment {
  return { text: '<|im_end|>', range: { start: range.end, end: range.end }, verbatim: false, framing: true };
}

export function anthropicHeader(role: string, range: SourceRange): Segment {
  const name = role === 'assistant' ? 'Assistant' : 'Human';
  return { text: `\n\n${name}: `, range: { start: range.start, end: range.start }, verbatim: false, framing: true };
}

/** A placeholder for content whose token cost is provider-specific (images, audio, files). */
export function placeholderSegment(what: string, range: SourceRange): Segment {
  return { text: `[${what}]`, range, verbatim: false, framing: true };
}
