import type { Tokenizer } from '../tokenizer/types';
import { segmentCacheFor } from './segmentCache';
import type { PromptDocument } from './types';

/** Segments shorter than this are tokenized by the render itself (a few milliseconds at most). */
const LONG_SEGMENT = 16 * 1024;

/**
 * Tokenizes a parsed document's long segments in steps of about `budgetMs`, yielding between them, and hands the
 * tokens to the segment cache — so the render that follows (documentReport) finds them and a host thread never runs
 * a whole-document tokenization in one task. Resolves false when `stillWanted()` turns false (the document changed).
 */
export async function pretokenize(
  doc: PromptDocument,
  tokenizer: Tokenizer,
  yieldNow: () => Promise<void>,
  stillWanted: () => boolean,
  budgetMs = 8,
): Promise<boolean> {
  const cache = segmentCacheFor(tokenizer);
  if (!tokenizer.tokenizeInSteps) return true;
  for (const prompt of doc.prompts) {
    for (const block of prompt.blocks) {
      for (const seg of block.segments) {
        if (seg.framing || seg.text.length < LONG_SEGMENT || cache.has(seg.text)) continue;
        const job = tokenizer.tokenizeInSteps(seg.text);
        for (;;) {
          const state = job.step(budgetMs);
          if (state) {
            cache.prime(state);
            break;
          }
          await yieldNow();
          if (!stillWanted()) return false;
        }
      }
    }
  }
  return true;
}
