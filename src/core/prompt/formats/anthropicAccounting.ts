/*
 * What Anthropic bills beyond the content of a Messages request. With `tools`, Anthropic adds a tool-use system prompt
 * of a fixed, per-model size that depends on `tool_choice` (pricing page, "Tool use pricing":
 * https://platform.claude.com/docs/en/about-claude/pricing#tool-use-pricing, read 2026-12-05; the Claude 3 rows are
 * also on the stored https://docs.anthropic.com/en/docs/tool-use-pricing-and-tokens). Those counts are Anthropic's own
 * numbers, so they are added as they are, not scaled like the estimated text.
 *
 * Measured, not published: the Claude 4.5 / 4.6 generation bills more than the page's 346 / 313. On 45 recorded calls
 * to Claude Sonnet 4.5 (pydantic-ai's cassettes, 2026; test/oracle/SOURCES.md) the first request of a tool loop was
 * billed 153–156 tokens above the page's auto/none figure and 283–293 above its any/tool one, whatever the tools;
 * Haiku 4.5, Opus 4.6 and Sonnet 4.6 calls (8) lie within 50–150 tokens of the same. Claude Sonnet 4 and the 4.7 and
 * later models match the page (within ±50).
 */

interface ToolPromptRow {
  readonly pattern: RegExp;
  /** Tokens for tool_choice auto or none. */
  readonly auto: number;
  /** Tokens for tool_choice any or tool. */
  readonly any: number;
}

const TOOL_PROMPT: readonly ToolPromptRow[] = [
  { pattern: /claude-3-opus/, auto: 530, any: 281 },
  { pattern: /claude-3-sonnet/, auto: 159, any: 235 },
  { pattern: /claude-3-haiku|claude-3-5-haiku/, auto: 264, any: 340 },
  { pattern: /claude-(?:sonnet|haiku|opus)-4-[56]/, auto: 499, any: 600 },
  // Claude 3.5 Sonnet, 3.7 Sonnet and every Claude 4 and later model.
  { pattern: /claude/, auto: 346, any: 313 },
];

/** The tool-use system prompt's size for a model and tool_choice type, or 346 (the current models') for an unknown one. */
export function toolPromptTokens(model: string | undefined, toolChoice: string | undefined): number {
  const row =
    TOOL_PROMPT.find((r) => r.pattern.test((model ?? '').toLowerCase())) ?? TOOL_PROMPT[TOOL_PROMPT.length - 1];
  return toolChoice === 'any' || toolChoice === 'tool' ? row.any : row.auto;
}

/**
 * Extended thinking's own instructions, per `thinking.type`, measured on recorded calls: 28 tokens enabled, 15 adaptive
 * (Claude 4.5 / 4.6: 6 calls); none on Opus 4.7 and later, whose tiny adaptive requests (3 calls: Opus 4.7, 4.8, 5)
 * bill no more than the same request without thinking.
 */
export function thinkingInstructionTokens(model: string | undefined, type: 'enabled' | 'adaptive'): number {
  if (isOpus47OrLater(model)) return 0;
  return type === 'enabled' ? 28 : 15;
}

function isOpus47OrLater(model: string | undefined): boolean {
  const m = /claude-opus-(\d+)(?:-(\d))?(?!\d)/.exec((model ?? '').toLowerCase());
  return !!m && (Number(m[1]) > 4 || (Number(m[1]) === 4 && Number(m[2] ?? 0) >= 7));
}

/**
 * An earlier turn's thinking block is not read back (Anthropic drops it), but the turn keeps a trace of it: 9 tokens a
 * block, whatever its length (10 recorded Claude Sonnet 4 / 4.5 calls with one dropped block of 1.7–2.6k characters
 * were billed 7–11 tokens above the count without it).
 */
export const DROPPED_THINKING_TOKENS = 9;

/**
 * Structured outputs (`output_format` / `output_config.format`): the JSON schema is read, and Anthropic adds its own
 * instructions for it. Fitted on 38 recorded Claude Sonnet 4.5 / Haiku 4.5 calls: billed − (request + schema JSON)
 * has a median of 150 tokens with no tools and 165 with tools (the schema is then also offered as a tool).
 */
export function outputFormatTokens(withTools: boolean): number {
  return withTools ? 165 : 150;
}
