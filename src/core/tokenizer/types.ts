import type { TokenBuffer } from './tokenBuffer';

/** Names of the encodings KV Lens knows. Exact ones reproduce the provider's tokenizer token for token. */
export type EncodingName = 'o200k_base' | 'cl100k_base' | 'o200k_harmony' | (string & {}); // further (estimated or third-party) encodings are registered by name

/**
 * The tokens of one text with their UTF-16 source ranges.
 * Token i covers text[offsets[i], offsets[i + 1]); offsets has ids.length + 1 entries, is non-decreasing,
 * starts at 0 and ends at text.length. A token that ends inside a multi-byte character gives that character
 * to the token holding its first byte, so a token made only of continuation bytes has an empty range.
 */
export interface TokenState {
  readonly encoding: EncodingName;
  readonly text: string;
  readonly ids: Uint32Array;
  readonly offsets: Int32Array;
  /**
   * Engine-private, optional: pieceStarts[i] is 1 when token i begins a pre-token (regex piece). The OpenAI engine
   * keeps it so retokenize() can restart at a piece boundary; a state without it is re-tokenized in full.
   */
  readonly pieceStarts?: Uint8Array;
}

/** An edit in old-text UTF-16 offsets: replace text[start, end) with `text` (VS Code: rangeOffset, rangeOffset + rangeLength). */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface RetokenizeResult {
  readonly state: TokenState;
  /** ids[0, firstChangedToken) are identical in the old and the new state. */
  readonly firstChangedToken: number;
}

export interface RetokenizeOptions {
  /**
   * The caller drops `previous` after this call, so its arrays may be reused for the new state (they are then
   * overwritten: never read `previous` again). Saves allocating a document-sized state per keystroke, which is what
   * otherwise makes garbage-collection pauses the slowest edits. Engines without reuse ignore it.
   */
  readonly reusePrevious?: boolean;
}

/** Where an estimate's factors were measured: the calibration file as the user named it, and what it says of itself. */
export interface Calibrated {
  /** The file, as the setting names it ("kvlens-calibration.json"). */
  readonly label: string;
  /** The usage log it was measured from, and when. */
  readonly source: string;
  readonly asOf: string;
}

export interface Tokenizer {
  readonly encoding: EncodingName;
  /** True when the ids are the provider's own; false for an estimate. */
  readonly exact: boolean;
  /** For estimates: how the count is made and its expected relative error (e.g. 0.1 = ±10 %). */
  readonly estimate?: {
    readonly method: string;
    /** The calibration file whose factors the estimate uses (setting kvlens.calibrationFile), when one is applied. */
    readonly calibratedFrom?: Calibrated;
    readonly errorBand: number;
    /** The band measured on requests with tool definitions, when it differs from the text band. */
    readonly toolsErrorBand?: number;
  };
  /** Token ids only (fast path, no offsets). Special-token text is plain text. */
  encode(text: string): Uint32Array;
  count(text: string): number;
  tokenize(text: string): TokenState;
  retokenize(previous: TokenState, edit: TextEdit, newText?: string, options?: RetokenizeOptions): RetokenizeResult;
  /**
   * Optional: full tokenization in resumable steps, so a host thread can tokenize a large text without blocking
   * (each step() call returns after about `budgetMs`; it returns the state once done, else undefined).
   */
  tokenizeInSteps?(text: string): { step(budgetMs: number): TokenState | undefined };
  /**
   * Optional, for engines whose tokens restart at regex pieces (the OpenAI encodings): tokens of text[from, …) into
   * `into`, stopping before the first piece start `stop` accepts; returns where it stopped. Lets a text kept in chunks
   * be re-tokenized around an edit from a window of it (tokenizer/chunkedTokens.ts).
   */
  scanPieces?(text: string, from: number, into: TokenBuffer, stop?: (pos: number) => boolean): number;
}
