/*
 * What an image costs in input tokens, by the rules the providers document (read 2026-12-05):
 * - OpenAI (https://platform.openai.com/docs/guides/images-vision#calculating-costs): tile models fit the image in
 *   2048×2048, scale its short side to 768, and bill base + tile × 512-px tiles ("low" detail: base only); patch models
 *   bill ceil(w/32)·ceil(h/32) patches (at most 1536, scaled to fit) times a per-model multiplier.
 * - Anthropic (https://platform.claude.com/docs/en/build-with-claude/vision): tokens ≈ width·height / 750, after
 *   resizing to at most 1568 px on the long edge and about 1.15 megapixels.
 * - Gemini (https://ai.google.dev/gemini-api/docs/tokens): 258 tokens when both sides are ≤ 384 px, else 258 per
 *   768×768 tile.
 */

interface TileRule {
  readonly base: number;
  readonly tile: number;
}
const OPENAI_TILES: readonly (TileRule & { readonly re: RegExp })[] = [
  { re: /gpt-4o-mini/, base: 2833, tile: 5667 },
  { re: /computer-use/, base: 65, tile: 129 },
  { re: /^(o1|o3)(?!-mini)/, base: 75, tile: 150 },
  { re: /gpt-5(?!.*(mini|nano))/, base: 70, tile: 140 },
  { re: /gpt-4o|gpt-4\.1(?!-mini|-nano)|gpt-4\.5|chatgpt-4o/, base: 85, tile: 170 },
];
// GPT-5 mini / nano are documented as patch models too, but recorded calls bill them far below that rule (a 597×566
// image: 419 tokens, the rule says 555), so they are left uncounted rather than counted wrong.
const OPENAI_PATCHES: readonly { readonly re: RegExp; readonly multiplier: number }[] = [
  { re: /gpt-4\.1-nano/, multiplier: 2.46 },
  { re: /gpt-4\.1-mini/, multiplier: 1.62 },
  { re: /o4-mini/, multiplier: 1.72 },
];

/** OpenAI's count for an image of this size, or undefined for a model without a documented rule. */
export function openAiImageTokens(
  model: string,
  width: number,
  height: number,
  detail: string | undefined,
): number | undefined {
  const m = model.toLowerCase();
  const patch = OPENAI_PATCHES.find((r) => r.re.test(m));
  if (patch) {
    let w = width,
      h = height;
    const patches = () => Math.ceil(w / 32) * Math.ceil(h / 32);
    if (patches() > 1536) {
      // Scale so the patches fit the budget, then shrink to whole patches on the limiting side.
      const s = Math.sqrt((32 * 32 * 1536) / (w * h));
      const s2 = s * Math.min(Math.floor((w * s) / 32) / ((w * s) / 32), Math.floor((h * s) / 32) / ((h * s) / 32));
      w = Math.floor(w * s2);
      h = Math.floor(h * s2);
    }
    return Math.ceil(Math.min(1536, patches()) * patch.multiplier);
  }
  const tile = OPENAI_TILES.find((r) => r.re.test(m));
  if (!tile) return undefined;
  if (detail === 'low') return tile.base;
  let w = width,
    h = height;
  if (Math.max(w, h) > 2048) {
    const s = 2048 / Math.max(w, h);
    w = Math.round(w * s);
    h = Math.round(h * s);
  }
  if (Math.min(w, h) > 768) {
    const s = 768 / Math.min(w, h);
    w = Math.round(w * s);
    h = Math.round(h * s);
  }
  return tile.base + tile.tile * Math.ceil(w / 512) * Math.ceil(h / 512);
}

export function anthropicImageTokens(width: number, height: number): number {
  const s = Math.min(1, 1568 / Math.max(width, height), Math.sqrt(1_150_000 / (width * height)));
  return Math.ceil((Math.round(width * s) * Math.round(height * s)) / 750);
}

export function geminiImageTokens(width: number, height: number): number {
  if (width <= 384 && height <= 384) return 258;
  return Math.ceil(width / 768) * Math.ceil(height / 768) * 258;
}
