import type { DiagnosticSink } from '../diagnostics';
import { hiddenTokens, placeholderSegment } from '../formats/chatFraming';
import type { Segment, SourceRange } from '../types';
import { imageSizeOf } from './imageSize';
import { anthropicImageTokens, geminiImageTokens, openAiImageTokens } from './imageTokens';

export type ImageProvider = 'openai' | 'anthropic' | 'google';

/**
 * An image part: counted by its provider's documented rule when its pixel size can be read (inline base64 data), else
 * a placeholder that the diagnostics name as not counted (an image by URL, a model without a rule).
 */
export function imageSegment(
  provider: ImageProvider,
  model: string | undefined,
  data: string | undefined,
  detail: string | undefined,
  range: SourceRange,
  at: string,
  sink: DiagnosticSink,
): Segment {
  const size = data ? imageSizeOf(data) : undefined;
  const m = (model ?? '').toLowerCase();
  const tokens = !size
    ? undefined
    : provider === 'anthropic'
      ? anthropicImageTokens(size.width, size.height)
      : provider === 'google'
        ? // Gemini 3 bills an image at its default media resolution ("high": 1,120 tokens); earlier models by tiles.
          /gemini-[3-9]/.test(m)
          ? 1120
          : geminiImageTokens(size.width, size.height)
        : openAiImageTokens(m, size.width, size.height, detail);
  if (size && tokens !== undefined) {
    sink.info(
      'media-counted',
      `${at}: a ${size.width}×${size.height} image, counted as ${tokens} tokens by ${provider === 'google' ? 'Gemini' : provider === 'openai' ? 'OpenAI' : 'Anthropic'}'s documented rule`,
      range,
    );
    return hiddenTokens(tokens, range.start);
  }
  const why = !data
    ? 'an image by URL: its size is not in the file'
    : !size
      ? 'its size could not be read from the data'
      : `${model ?? 'this model'} has no documented image rule KV Lens trusts`;
  sink.info('media-content', `${at}: image not counted (${why}); a placeholder stands for it`, range);
  return placeholderSegment('image', range);
}
