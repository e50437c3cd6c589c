import type { EstimateCalibration } from './proxyEstimate';

/**
 * Gemini's exact vocabulary (Gemma 3, 33 MB) is too big for the extension bundle, so without it KV Lens scales
 * o200k_base tokens. The factors were measured by KV Lens against the real Gemma 3 tokenizer (gemini_gemma3) on
 * English READMEs and licence text (prose 1.05), JavaScript/TypeScript sources (code 1.16) and TypeScript's zh-CN,
 * zh-TW, ja and ko message catalogues (CJK 0.88; Japanese alone 0.75, hence the band). Test:
 * test/unit/tokenizer3p/estimate.test.ts checks the band on other texts.
 */
export const GEMINI_ESTIMATE: EstimateCalibration = {
  encoding: 'gemini_estimate',
  factors: { prose: 1.05, code: 1.16, cjk: 0.88 },
  errorBand: 0.15,
  method:
    'o200k_base tokens × content factor (prose 1.05, code 1.16, CJK 0.88) calibrated against the Gemma 3 tokenizer that Gemini uses',
  sources: [
    {
      url: 'https://storage.googleapis.com/deepmind-media/gemma/Gemma3Report.pdf',
      asOf: '2026-12-01',
      claim: 'Gemma 3 uses the same tokenizer as Gemini 2.0 (262k SentencePiece vocabulary)',
    },
  ],
};
