// Test-side reading of a tokenizer.json, independent of @lenml/tokenizers: id → bytes, and a reference
// SentencePiece BPE, so expectations come from the vocabulary file rather than from the code under test.
import fs from 'node:fs';
import path from 'node:path';
import { packagedTokenizerDir } from '../../../src/node/hfTokenizerFiles';

export interface Vocab {
  json: {
    model: { vocab: Record<string, number>; merges: (string | [string, string])[] };
    added_tokens: { id: number; content: string; special: boolean }[];
  };
  byId: Map<number, string>;
}

export function loadVocab(npmPackage: string): Vocab {
  const dir = packagedTokenizerDir(npmPackage)!;
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'));
  const byId = new Map<number, string>();
  for (const [piece, id] of Object.entries(json.model.vocab as Record<string, number>)) byId.set(id, piece);
  return { json, byId };
}

/** GPT-2 bytes_to_unicode, written out again here (char → byte). */
export function byteLevelDecoder(): Map<string, number> {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++)
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  return new Map(bs.map((b, i) => [String.fromCharCode(cs[i]), b]));
}

export function byteLevelBytes(piece: string, dec = byteLevelDecoder()): number[] {
  return [...piece].map((c) => dec.get(c)!);
}

export function byteLevelPiece(text: string, dec = byteLevelDecoder()): string {
  const enc = new Map([...dec].map(([c, b]) => [b, c]));
  return [...Buffer.from(text, 'utf8')].map((b) => enc.get(b)!).join('');
}

export function sentencePieceBytes(piece: string): number[] {
  const m = /^<0x([0-9A-F]{2})>$/.exec(piece);
  return m ? [parseInt(m[1], 16)] : [...Buffer.from(piece.replaceAll('\u2581', ' '), 'utf8')];
}

/** Reference SentencePiece BPE (Gemma): chars of the text with " " as "▁", lowest-rank merge first, byte fallback. */
export function referenceSentencePieceBpe(v: Vocab, text: string): number[] {
  const ranks = new Map<string, number>();
  v.json.model.merges.forEach((m, i) => ranks.set(Array.isArray(m) ? `${m[0]} ${m[1]}` : m, i));
  const syms = [...text.replaceAll(' ', '\u2581')];
  for (;;) {
    let best = -1,
      bestRank = Infinity;
    for (let i = 0; i + 1 < syms.length; i++) {
      const r = ranks.get(`${syms[i]} ${syms[i + 1]}`);
      if (r !== undefined && r < bestRank) {
        bestRank = r;
        best = i;
      }
    }
    if (best < 0) break;
    syms.splice(best, 2, syms[best] + syms[best + 1]);
  }
  return syms.flatMap((s) => {
    const id = v.json.model.vocab[s];
    if (id !== undefined) return [id];
    return [...Buffer.from(s, 'utf8')].map(
      (b) => v.json.model.vocab[`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`],
    );
  });
}

/** UTF-8 length of text[0, i). */
export function utf8Prefix(text: string, i: number): number {
  return Buffer.byteLength(text.slice(0, i), 'utf8');
}
