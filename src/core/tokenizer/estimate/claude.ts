import type { EstimateCalibration } from './proxyEstimate';

/**
 * Claude 3 and later have no public tokenizer (Anthropic's @anthropic-ai/tokenizer is "no longer accurate" as of
 * Claude 3); the exact count needs the network (POST /v1/messages/count_tokens). Offline, KV Lens scales o200k_base
 * tokens by the content ratios measured against GPT-4o. CJK has no published ratio: it uses the prose factor, and the
 * band is wide for that reason.
 */
export const CLAUDE_ESTIMATE: EstimateCalibration = {
  encoding: 'claude_estimate',
  factors: { prose: 1.16, code: 1.3, cjk: 1.16 },
  errorBand: 0.25,
  method: 'o200k_base tokens × content factor (prose 1.16, code 1.30, CJK 1.16) from Claude 3.5 Sonnet vs GPT-4o measurements; Claude 3 – Opus 4.6',
  sources: [
    {
      url: 'https://news.quarkybyte.com/understanding-tokenizer-differences-impacting-ai-model-costs-and-efficiency-2025-05-01',
      asOf: '2026-12-01',
      claim: 'Claude 3.5 Sonnet vs GPT-4o (o200k_base): English articles ~16 %, math ~21 %, Python code ~30 % more tokens (VentureBeat study, May 2025)',
    },
    {
      url: 'https://raw.githubusercontent.com/anthropics/anthropic-tokenizer-typescript/main/README.md',
      asOf: '2026-12-01',
      claim: 'As of the Claude 3 models the public tokenizer is no longer accurate',
    },
  ],
};

/**
 * Opus 4.7 changed the tokenizer: Anthropic says 1.0–1.35× the tokens of Opus 4.6; independent count_tokens probes
 * found up to ~1.45× on English prose, 1.15–1.36× on code and 1.00× on CJK. Factors are the Claude ≤ 4.6 ones times
 * those ratios (prose × 1.35, code × 1.25, CJK × 1.0), so the band is wider still.
 */
export const CLAUDE_OPUS47_ESTIMATE: EstimateCalibration = {
  encoding: 'claude_opus47_estimate',
  factors: { prose: 1.57, code: 1.63, cjk: 1.16 },
  errorBand: 0.3,
  method: 'o200k_base tokens × content factor (prose 1.57, code 1.63, CJK 1.16): Claude ≤ 4.6 factors × measured Opus 4.7 / 4.6 ratios; Claude Opus 4.7 and later',
  sources: [
    {
      url: 'https://platform.claude.com/docs/en/about-claude/models/migration-guide',
      asOf: '2026-12-01',
      claim: 'The Opus 4.7 tokenizer uses roughly 1.0–1.35× as many tokens as earlier models',
    },
    {
      url: 'https://www.claudecodecamp.com/p/i-measured-claude-4-7-s-new-tokenizer-here-s-what-it-costs-you',
      asOf: '2026-12-01',
      claim: 'count_tokens 4.7 vs 4.6: real Claude Code content 1.325× weighted, technical docs 1.47×, CJK ~1.01×',
    },
    {
      url: 'https://sol.ava.dev/writings/2026-04-17-opus-4-7-tokenizer.html',
      asOf: '2026-12-01',
      claim: 'count_tokens 4.7 vs 4.6: English prose 1.45×, code 1.13–1.33×, CJK / Cyrillic 1.00×',
    },
  ],
};
