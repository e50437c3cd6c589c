import assert from 'node:assert/strict';
import { ChunkedTokens } from '../../../src/core/tokenizer/chunkedTokens';
import { getTokenizer } from '../../../src/core/tokenizer/registry';
import { PieceText } from '../../../src/core/text/pieceText';
import { int, mixed, prose, seeded, whitespaceRuns } from './sampleTexts';
import { randomEdit } from './randomEdits';

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) assert.fail(`${what}: differs at ${i} (${a[i]} vs ${b[i]})`);
}

describe("ChunkedTokens (the live path's token store)", () => {
  for (const [name, seed] of [
    ['o200k_base', 11],
    ['cl100k_base', 12],
  ] as const) {
    it(`${name}: 1,500 random edits on a ~150 KB text (many chunks) give the ids and offsets of a full tokenization`, function () {
      this.timeout(120_000);
      const tok = getTokenizer(name)!;
      const rnd = seeded(seed);
      let text = mixed(rnd, 150_000);
      const store = new PieceText(text);
      const chunks = ChunkedTokens.from(tok.tokenize(text));
      let cursor = int(rnd, text.length);
      for (let i = 0; i < 1500; i++) {
        const e = randomEdit(rnd, text, cursor, [100_000, 200_000]);
        text = text.slice(0, e.start) + e.text + text.slice(e.end);
        store.edit(e.start, e.end, e.text);
        const before = chunks.length;
        const check = i % 50 === 0 || i > 1490;
        const prev = check ? chunks.ids() : undefined;
        const { firstChanged, added } = chunks.edit(e, store, tok);
        cursor = e.start + e.text.length;
        assert.equal(chunks.length, before + added);
        if (prev) {
          const full = tok.tokenize(text);
          const got = chunks.toState(text);
          sameArray(got.ids, full.ids, `ids after edit ${i}`);
          sameArray(got.offsets, full.offsets, `offsets after edit ${i}`);
          let same = 0;
          while (same < prev.length && same < full.ids.length && prev[same] === full.ids[same]) same++;
          assert.ok(firstChanged <= same, `firstChanged ${firstChanged} is past the first real change ${same}`);
        }
        if (chunks.length) {
          // tokenAtOrBefore is the last token starting at or before an offset.
          const k = int(rnd, chunks.length),
            at = chunks.tokenAtOrBefore(chunks.offsetAt(k));
          assert.ok(
            at >= k &&
              chunks.offsetAt(at) === chunks.offsetAt(k) &&
              (at + 1 >= chunks.length || chunks.offsetAt(at + 1) > chunks.offsetAt(k)),
          );
        }
      }
    });
  }

  it('whitespace runs longer than the window, a delete of everything and typing into an empty text', () => {
    const tok = getTokenizer('o200k_base')!;
    const rnd = seeded(5);
    let text =
      prose(rnd, 20_000) + ' '.repeat(9000) + whitespaceRuns(rnd, 20_000) + '\n'.repeat(5000) + prose(rnd, 20_000);
    const chunks = ChunkedTokens.from(tok.tokenize(text));
    const apply = (start: number, end: number, ins: string) => {
      text = text.slice(0, start) + ins + text.slice(end);
      chunks.edit({ start, end, text: ins }, text as unknown as PieceText, tok);
      const full = tok.tokenize(text),
        got = chunks.toState(text);
      sameArray(got.ids, full.ids, 'ids');
      sameArray(got.offsets, full.offsets, 'offsets');
    };
    apply(20_003, 20_004, 'x'); // inside the 9,000-space run: re-synchronises only past it
    apply(20_000, 20_000, 'word');
    apply(49_500, 49_501, ''); // in the newline run
    apply(0, text.length, '');
    assert.equal(chunks.length, 0);
    apply(0, 0, 'hello');
    apply(5, 5, ' world');
  });
});
