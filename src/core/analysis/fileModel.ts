import { isInheritModel } from '../pricing/catalog';
import type { PromptDocument } from '../prompt/types';
import { LineIndex } from '../text/lineIndex';
import type { ModelCandidate } from './modelChoice';

/**
 * The model candidate a parsed file gives: the model it names (with its list of alternatives) and where, as
 * "FILE:LINE", so an unknown name is reported at the line that names it.
 */
export function fileModelCandidate(doc: PromptDocument, text: string, fileLabel: string): ModelCandidate {
  const p = doc.prompts[0];
  // Claude Code's `model: inherit` runs on the session's model: the file names none of its own.
  if (!p?.model || isInheritModel(p.model)) return { id: undefined, from: 'file' };
  const where = p.modelRange ? `${fileLabel}:${new LineIndex(text).position(p.modelRange.start).line}` : fileLabel;
  return {
    id: p.model,
    from: 'file',
    where,
    alternatives: p.models?.slice(1),
    ...(p.modelRange ? { range: p.modelRange } : {}),
  };
}
