import assert from 'node:assert/strict';
import {
  canMove,
  centredOn,
  endOf,
  moved,
  revealing,
  revealingCell,
  shows,
  STEP,
  WINDOW,
  windowAt,
} from '../../../webview/attention/tokenWindow';

// The attention map's token window: every move keeps it inside the text, whatever asked for it.
describe('the attention panel token window', () => {
  it('a short text is shown whole; a long one WINDOW tokens at a time, never past its end', () => {
    assert.deepEqual(windowAt(40, 100), { start: 0, size: 100, total: 100 });
    assert.deepEqual(windowAt(0, 1024), { start: 0, size: WINDOW, total: 1024 });
    assert.deepEqual(windowAt(900, 1024), { start: 1024 - WINDOW, size: WINDOW, total: 1024 });
    assert.deepEqual(windowAt(-5, 1024), { start: 0, size: WINDOW, total: 1024 });
    // A saved start from a longer text, applied to a shorter one.
    assert.deepEqual(windowAt(700, 300), { start: 300 - WINDOW, size: WINDOW, total: 300 });
  });

  it('the arrows move by half a window and stop at either end', () => {
    const w = windowAt(0, 600);
    assert.equal(canMove(w).back, false);
    assert.equal(canMove(w).forward, true);
    const next = moved(w, STEP);
    assert.equal(next.start, 128);
    const last = moved(moved(next, STEP), STEP);
    assert.equal(last.start, 600 - WINDOW);
    assert.equal(endOf(last), 600);
    assert.deepEqual(canMove(last), { back: true, forward: false });
    assert.equal(moved(w, -STEP).start, 0);
  });

  it('the cache boundary is brought to the middle; the selection and the cursor only move the window when off it', () => {
    assert.equal(centredOn(700, 1024).start, 700 - WINDOW / 2);
    assert.equal(centredOn(30, 1024).start, 0);
    const w = windowAt(100, 1024);
    assert.equal(revealing(w, 200, 16), w, 'a token on screen: the window stays');
    assert.equal(revealing(w, 600, 16).start, 584);
    assert.ok(shows(revealing(w, 20, 16), 20));
    assert.equal(revealingCell(w, 150, 120, 8), w);
    // A cell whose query is far below its key: the query is what must be on screen.
    const c = revealingCell(w, 900, 10, 8);
    assert.ok(shows(c, 900), JSON.stringify(c));
    assert.equal(revealingCell(w, 420, 400, 8).start, 392);
  });
});
