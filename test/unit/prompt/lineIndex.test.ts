import assert from 'node:assert/strict';
import { LineIndex } from '../../../src/core/text/lineIndex';

describe('LineIndex', () => {
  it('gives 1-based line and column for LF, CRLF and lone CR breaks', () => {
    const text = 'ab\ncd\r\nef\rg';
    const idx = new LineIndex(text);
    const at = (s: string) => idx.position(text.indexOf(s));
    assert.deepEqual(
      [at('a'), at('b'), at('c'), at('e'), at('g')],
      [
        { line: 1, column: 1 },
        { line: 1, column: 2 },
        { line: 2, column: 1 },
        { line: 3, column: 1 },
        { line: 4, column: 1 },
      ],
    );
    assert.deepEqual(idx.position(text.indexOf('\r\n')), { line: 2, column: 3 });
    assert.equal(idx.lineCount, 4);
    assert.equal(idx.lineStart(3), text.indexOf('e'));
  });

  it('clamps offsets outside the text', () => {
    const idx = new LineIndex('x\ny');
    assert.deepEqual(idx.position(-5), { line: 1, column: 1 });
    assert.deepEqual(idx.position(99), { line: 2, column: 2 });
    assert.deepEqual(new LineIndex('').position(0), { line: 1, column: 1 });
  });
});
