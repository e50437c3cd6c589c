import type { EstimateCalibration } from './proxyEstimate';

/**
 * Claude 3 and later have no public tokenizer (Anthropic's @anthropic-ai/tokenizer is "no longer accurate" as of
 * Claude 3); the exact count needs the network (POST /v1/messages/count_tokens, `kvlens … --exact`). Offline, KV Lens
 * scales o200k_base tokens by content factors fitted on real calls: the usage Anthropic returned for 128 recorded
 * requests to Claude Sonnet 4 / 4.5 / 4.6, Haiku 4.5, Opus 4.6 (pydantic-ai's cassettes, test/oracle/SOURCES.md; the
 * request framing is counted apart, prompt/formats/chatFraming.ts). Measured error of the count (|counted − billed| /
 * billed): text requests p50 2 %, p85 6 %, p90 8 % (n = 28); with tool definitions p50 2 %, p85 8 %, p90 16 % (n = 100,
 * 88 within 10 %; the tool-use prompt's size measured per model, prompt/formats/anthropicAccounting.ts). Code and CJK
 * had too few samples to fit: code keeps the published Claude-vs-GPT-4o ratio, CJK the old prose one.
 */
export const CLAUDE_ESTIMATE: EstimateCalibration = {
  encoding: 'claude_estimate',
  factors: { prose: 1.05, code: 1.3, cjk: 1.16 },
  errorBand: 0.1,
  toolsErrorBand: 0.16,
  method:
    'o200k_base tokens × content factor (prose 1.05 fitted on recorded Claude calls; code 1.30, CJK 1.16 published ratios); Claude 3 – Opus 4.6',
  sources: [
    {
      url: 'https://news.quarkybyte.com/understanding-tokenizer-differences-impacting-ai-model-costs-and-efficiency-2025-05-01',
      asOf: '2026-12-01',
      claim:
        'Claude 3.5 Sonnet vs GPT-4o (o200k_base): English articles ~16 %, math ~21 %, Python code ~30 % more tokens (VentureBeat study, May 2025)',
    },
    {
      url: 'https://raw.githubusercontent.com/anthropics/anthropic-tokenizer-typescript/main/README.md',
      asOf: '2026-12-01',
      claim: 'As of the Claude 3 models the public tokenizer is no longer accurate',
    },
  ],
};

/**
 * Opus 4.7 changed the tokenizer: Anthropic says 1.0–1.35× the tokens of Opus 4.6. Fitted on 22 recorded calls to
 * Claude Opus 4.8 (test/oracle/SOURCES.md): prose 1.35 (1.29× the Claude ≤ 4.6 factor); code keeps the Claude ≤ 4.6
 * factor × 1.25, CJK × 1.0 (published probes; no samples). Measured: text p50 4 %, p85 7 % (n = 10), with tools p85 10 %
 * (n = 12, 11 within 10 %); the band is set at 15 % for the small sample.
 */
export const CLAUDE_OPUS47_ESTIMATE: EstimateCalibration = {
  encoding: 'claude_opus47_estimate',
  factors: { prose: 1.35, code: 1.63, cjk: 1.16 },
  errorBand: 0.15,
  method:
    'o200k_base tokens × content factor (prose 1.35 fitted on recorded Claude Opus 4.8 calls; code 1.63, CJK 1.16 from published 4.7 / 4.6 ratios); Claude Opus 4.7 and later',
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
