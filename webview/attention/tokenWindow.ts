// The token window: the heat map of a long prompt shows WINDOW tokens at a time (a 1,024 × 1,024 map has cells
// smaller than a pixel). Every move of the window — the arrows, the cache-boundary button, the editor's selection,
// the keyboard cursor, a shorter text — goes through these functions, so the window is always inside the text.

/** Tokens shown at a time. */
export const WINDOW = 256;
/** The arrows move by half a window, so the rows on either edge stay in view. */
export const STEP = WINDOW / 2;

export interface TokenWindow {
  /** First token shown. */
  readonly start: number;
  /** Tokens shown: WINDOW, or all of a shorter text. */
  readonly size: number;
  /** Tokens of the text. */
  readonly total: number;
}

/** The window starting as near `start` as the text allows. */
export function windowAt(start: number, total: number): TokenWindow {
  const size = Math.min(total, WINDOW);
  return { start: Math.max(0, Math.min(Math.round(start), total - size)), size, total };
}

/** The window moved by `by` tokens (an arrow: ±STEP). */
export const moved = (w: TokenWindow, by: number): TokenWindow => windowAt(w.start + by, w.total);

/** The window with `index` in its middle (the cache boundary). */
export const centredOn = (index: number, total: number): TokenWindow => windowAt(index - WINDOW / 2, total);

/** Whether token `index` is in the window. */
export const shows = (w: TokenWindow, index: number): boolean => index >= w.start && index < w.start + w.size;

/** One past the last token shown. */
export const endOf = (w: TokenWindow): number => w.start + w.size;

/**
 * The window that shows `index`: the same one when it does already, else one starting `margin` tokens before it (the
 * selection and the keyboard cursor bring their token in with a little context above it).
 */
export function revealing(w: TokenWindow, index: number, margin: number): TokenWindow {
  return shows(w, index) ? w : windowAt(index - margin, w.total);
}

/** Whether there is text before or after the window (the arrows' enabled state). */
export const canMove = (w: TokenWindow): { back: boolean; forward: boolean } => ({
  back: w.start > 0,
  forward: endOf(w) < w.total,
});

/** The window that shows cell (query `i`, key `j`) of the map: the key `margin` tokens in when both fit, else the query. */
export function revealingCell(w: TokenWindow, i: number, j: number, margin: number): TokenWindow {
  if (shows(w, i) && shows(w, j)) return w;
  const start = Math.min(i, j) - margin;
  return windowAt(i - start >= WINDOW ? i - WINDOW + 1 : start, w.total);
}
