import { TokenizerLoader } from '@lenml/tokenizers';
import type { EncodingName, RetokenizeResult, TextEdit, TokenState, Tokenizer } from '../types';
import { offsetsFromByteLengths, utf8Length } from './byteOffsets';
import { byteLevelPieceLength, sentencePieceLength } from './pieceBytes';

/** The two files of a Hugging Face tokenizer, already parsed. Core never reads files: an adapter hands them in. */
export interface HfTokenizerFiles {
  readonly tokenizerJSON: HfTokenizerJson;
  readonly tokenizerConfig: Record<string, unknown>;
}

export interface HfTokenizerJson {
  readonly added_tokens?: readonly { readonly id: number; readonly content: string; readonly special?: boolean }[];
  readonly decoder?: unknown;
  readonly model?: unknown;
  readonly [key: string]: unknown;
}

export interface HfTokenizerOptions {
  readonly encoding: EncodingName;
  /** True when these ids are the provider's own for plain text (see catalog.ts for the evidence per tokenizer). */
  readonly exact: boolean;
}

/** The parts of @lenml's PreTrainedTokenizer that KV Lens drives itself, so that it can keep track of offsets. */
interface LenmlPipeline {
  added_tokens_splitter: { split(text: string): string[] };
  added_tokens_map: Map<string, { id: number }>;
  normalizer: ((text: string) => string) | null;
  pre_tokenizer: ((text: string, options: { section_index: number }) => string[]) | null;
  model: ((pieces: string[]) => string[]) & { convert_tokens_to_ids(tokens: string[]): number[] };
}

type PieceLength = (piece: string) => number;

/** SentencePiece-converted tokenizers (Gemma) decode "▁" and byte-fallback pieces; byte-level BPE uses ByteLevel. */
function pieceLengthFor(json: HfTokenizerJson): PieceLength {
  return JSON.stringify(json.decoder ?? '').includes('ByteFallback') ? sentencePieceLength : byteLevelPieceLength;
}

/**
 * A KV Lens Tokenizer over a Hugging Face tokenizer.json, run by @lenml/tokenizers (no network, no native code).
 * Special tokens written in the text stay plain text (the Tokenizer contract, as for the OpenAI encodings): they are
 * dropped from the added-token matcher. Non-special added tokens (DeepSeek's <｜User｜>, Qwen's <tool_call>, Gemma's
 * whitespace runs) are matched as the real tokenizer matches them.
 */
export function createHfTokenizer(files: HfTokenizerFiles, options: HfTokenizerOptions): Tokenizer {
  const json = files.tokenizerJSON;
  const plainTextJson = { ...json, added_tokens: (json.added_tokens ?? []).filter((t) => !t.special) };
  // console.warn from the library for unknown classes is not ours to print; the base class is what we want then.
  const lib = TokenizerLoader.fromPreTrained({
    tokenizerJSON: plainTextJson as never,
    tokenizerConfig: files.tokenizerConfig as never,
  }) as unknown as LenmlPipeline;
  const pieceLength = pieceLengthFor(json);
  const { encoding, exact } = options;

  const tokenize = (text: string): TokenState => {
    const sections = lib.added_tokens_splitter.split(text);
    const ids: number[] = [];
    const offsets: number[] = [0];
    let pos = 0;
    sections.forEach((section, sectionIndex) => {
      const added = lib.added_tokens_map.get(section);
      if (added) {
        ids.push(added.id);
        offsets.push(pos + section.length);
      } else if (section.length > 0) {
        encodeSection(section, sectionIndex, pos, ids, offsets);
      }
      pos += section.length;
    });
    return { encoding, text, ids: Uint32Array.from(ids), offsets: Int32Array.from(offsets) };
  };

  function encodeSection(section: string, sectionIndex: number, pos: number, ids: number[], offsets: number[]): void {
    const normalized = lib.normalizer ? lib.normalizer(section) : section;
    if (normalized.length === 0) return;
    const pretokens = lib.pre_tokenizer ? lib.pre_tokenizer(normalized, { section_index: sectionIndex }) : [normalized];
    const pieces = lib.model(pretokens);
    const pieceIds = lib.model.convert_tokens_to_ids(pieces);
    const lengths = pieces.map(pieceLength);
    const local = new Int32Array(pieces.length + 1);
    let total = 0;
    for (const l of lengths) total += l;
    // Piece lengths undo reversible normalizers (Gemma's " " → "▁"), so equal byte totals mean the pieces tile the text.
    if (total === utf8Length(section)) {
      offsetsFromByteLengths(section, lengths, local, 0);
    } else {
      // The normalizer changed the bytes (e.g. Qwen's NFC on decomposed input): place token ends proportionally
      // in the original section, never inside a surrogate pair. Counts and ids stay exact; only ranges approximate.
      let acc = 0;
      for (let t = 0; t < lengths.length; t++) {
        acc += lengths[t];
        let o = total ? Math.round((acc / total) * section.length) : section.length;
        if (o > 0 && o < section.length && (section.charCodeAt(o) & 0xfc00) === 0xdc00) o++;
        local[t + 1] = Math.max(local[t], o);
      }
    }
    local[pieces.length] = section.length;
    for (let t = 0; t < pieces.length; t++) {
      ids.push(pieceIds[t]);
      offsets.push(pos + local[t + 1]);
    }
  }

  return {
    encoding,
    exact,
    encode: (text) => tokenize(text).ids,
    count: (text) => tokenize(text).ids.length,
    tokenize,
    // Whole re-encode: these vocabularies are for the CLI and occasional use, where a full pass over a prompt
    // (~1 MB/s, see bench/tokenizer3p.bench.ts) is fast enough; the first changed token is found by comparison.
    retokenize(previous: TokenState, edit: TextEdit, newText?: string): RetokenizeResult {
      const text = newText ?? previous.text.slice(0, edit.start) + edit.text + previous.text.slice(edit.end);
      const state = tokenize(text);
      let first = 0;
      const n = Math.min(state.ids.length, previous.ids.length);
      while (
        first < n &&
        state.ids[first] === previous.ids[first] &&
        state.offsets[first + 1] === previous.offsets[first + 1]
      )
        first++;
      return { state, firstChangedToken: first };
    },
  };
}
