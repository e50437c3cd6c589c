import assert from 'node:assert/strict';
import { LineIndex } from '../../../src/core/text/lineIndex';
import { PieceText } from '../../../src/core/text/pieceText';
import { int, mixed, seeded } from '../tokenizer/sampleTexts';
import { randomEdit } from '../tokenizer/randomEdits';

describe('PieceText', () => {
  it('2,000 random edits on a ~100 KB text (CRLF, lone CR, emoji) keep text, slices and line/column equal to a string and LineIndex', () => {
    const rnd = seeded(4242);
    let text = mixed(rnd, 100_000).replace(/\n/g, (m) => (rnd() < 0.2 ? '\r\n' : rnd() < 0.1 ? '\r' : m));
    const p = new PieceText(text);
    let cursor = 0;
    for (let i = 0; i < 2000; i++) {
      const e = randomEdit(rnd, text, cursor, [60_000, 140_000]);
      text = text.slice(0, e.start) + e.text + text.slice(e.end);
      p.edit(e.start, e.end, e.text);
      cursor = e.start + e.text.length;
      assert.equal(p.length, text.length);
      const a = int(rnd, text.length + 1),
        b = a + int(rnd, 40_000);
      assert.equal(p.slice(a, b), text.slice(a, b));
      const lines = new LineIndex(text);
      for (const o of [a, cursor, e.start, text.length, 0, int(rnd, text.length + 1)])
        assert.deepEqual(p.position(o), lines.position(o), `offset ${o} after edit ${i}`);
      if (i % 200 === 0) assert.equal(p.toString(), text);
    }
    assert.equal(p.toString(), text);
  });

  it('edits across piece edges: a CR at the end of a piece and LF at the start of the next count as one line break', () => {
    const text = 'a'.repeat(16 * 1024 - 1) + '\r' + '\nb\rc\n';
    const p = new PieceText(text);
    const lines = new LineIndex(text);
    for (const o of [16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, text.length])
      assert.deepEqual(p.position(o), lines.position(o));
    p.edit(16 * 1024, 16 * 1024 + 1, 'X'); // the LF goes: the CR is now a line break of its own
    const t2 = text.slice(0, 16 * 1024) + 'X' + text.slice(16 * 1024 + 1);
    assert.deepEqual(p.position(t2.length), new LineIndex(t2).position(t2.length));
    p.edit(0, p.length, '');
    assert.equal(p.length, 0);
    assert.deepEqual(p.position(0), { line: 1, column: 1 });
    p.edit(0, 0, 'x\ny');
    assert.deepEqual(p.position(3), { line: 2, column: 2 });
  });
});
