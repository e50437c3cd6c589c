import assert from 'node:assert/strict';
import { parsePrompt } from '../../../src/core/prompt/parse';
import { renderPrompt } from '../../../src/core/prompt/render';
import { imageSizeOf } from '../../../src/core/prompt/media/imageSize';
import { anthropicImageTokens, geminiImageTokens, openAiImageTokens } from '../../../src/core/prompt/media/imageTokens';
import { getTokenizer } from '../../../src/core/tokenizer/registry';

const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');
const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const png = (w: number, h: number) =>
  b64([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    0,
    0,
    0,
    13,
    0x49,
    0x48,
    0x44,
    0x52,
    ...be32(w),
    ...be32(h),
    8,
    6,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
const gif = (w: number, h: number) =>
  b64([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, w & 255, w >> 8, h & 255, h >> 8, 0, 0, 0]);
// A JPEG with an APP0 segment before its baseline frame header.
const jpeg = (w: number, h: number) =>
  b64([
    0xff,
    0xd8,
    0xff,
    0xe0,
    0,
    16,
    ...new Array<number>(14).fill(0),
    0xff,
    0xc0,
    0,
    17,
    8,
    h >> 8,
    h & 255,
    w >> 8,
    w & 255,
    3,
    1,
    0x22,
    0,
    2,
    0x11,
    1,
    3,
    0x11,
    1,
  ]);
const webp = (w: number, h: number) =>
  b64([
    ...Buffer.from('RIFF'),
    0,
    0,
    0,
    0,
    ...Buffer.from('WEBPVP8X'),
    10,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    (w - 1) & 255,
    ((w - 1) >> 8) & 255,
    0,
    (h - 1) & 255,
    ((h - 1) >> 8) & 255,
    0,
  ]);

describe('images: size from inline data, tokens by the documented rules', () => {
  it('reads the pixel size of PNG, GIF, JPEG and WebP headers, plain or as a data: URL; undefined for anything else', () => {
    assert.deepEqual(imageSizeOf(png(597, 566)), { width: 597, height: 566 });
    assert.deepEqual(imageSizeOf(`data:image/png;base64,${png(3008, 2000)}`), { width: 3008, height: 2000 });
    assert.deepEqual(imageSizeOf(gif(400, 301)), { width: 400, height: 301 });
    assert.deepEqual(imageSizeOf(jpeg(540, 360)), { width: 540, height: 360 });
    assert.deepEqual(imageSizeOf(webp(1024, 768)), { width: 1024, height: 768 });
    assert.equal(imageSizeOf(b64([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])), undefined);
    assert.equal(imageSizeOf('not base64 at all!'), undefined);
  });

  it('gives the counts the providers billed on recorded calls (test/oracle SOURCES: pydantic-ai image cassettes)', () => {
    // GPT-4o, a 3008×2000 photo at "auto" detail: 1,105 tokens billed for the image.
    assert.equal(openAiImageTokens('gpt-4o', 3008, 2000, undefined), 1105);
    assert.equal(openAiImageTokens('gpt-4o', 3008, 2000, 'low'), 85);
    // Claude Haiku 4.5, a 540×360 image: 260.
    assert.equal(anthropicImageTokens(540, 360), 260);
    assert.equal(anthropicImageTokens(400, 301), 161);
    // Gemini 2.5: one 768-px tile of 258.
    assert.equal(geminiImageTokens(597, 566), 258);
    assert.equal(geminiImageTokens(1600, 900), 3 * 2 * 258);
    // No rule KV Lens trusts for GPT-5 mini: not counted rather than counted wrong.
    assert.equal(openAiImageTokens('gpt-5-mini', 597, 566, undefined), undefined);
  });

  it('a request with an inline image counts it by rule and says so; an image by URL is named as not counted', () => {
    const o200k = getTokenizer('o200k_base')!;
    const body = (url: string) =>
      JSON.stringify({
        model: 'gpt-4o',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url } },
            ],
          },
        ],
      });
    const inline = parsePrompt(body(`data:image/png;base64,${png(3008, 2000)}`), { fileName: 'r.json' });
    const byUrl = parsePrompt(body('https://example.com/cat.png'), { fileName: 'r.json' });
    const n = (d: typeof inline) => renderPrompt(d.prompts[0], o200k).ids.length;
    assert.ok(n(inline) - n(byUrl) > 1000, `${n(inline)} vs ${n(byUrl)}`);
    assert.match(
      inline.diagnostics.map((d) => d.message).join('\n'),
      /a 3008×2000 image, counted as 1105 tokens by OpenAI's documented rule/,
    );
    assert.match(byUrl.diagnostics.map((d) => d.message).join('\n'), /image not counted \(an image by URL/);
    assert.equal(renderPrompt(inline.prompts[0], o200k).exact, false);
  });
});
