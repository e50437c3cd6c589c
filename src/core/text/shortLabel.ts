/**
 * A label cut to fit a narrow row: at most `max` characters with the ellipsis, cut at the last space when there is one
 * in its second half (so words stay whole), without trailing punctuation before the ellipsis.
 */
export function shortLabel(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  // The cut ends a word when a space follows it; else back to the last space, if that keeps half the room.
  const space = /\s/.test(text[max - 1]) ? cut.length : cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:—-]+$/, '')}…`;
}

/** A file name cut to `max` characters in its stem, its extension kept: "a-very-long-na….prompt.md". */
export function shortFileName(name: string, max: number): string {
  if (name.length <= max) return name;
  const dot = name.indexOf('.', 1);
  const ext = dot > 0 && name.length - dot <= max / 2 ? name.slice(dot) : '';
  return `${name.slice(0, Math.max(1, max - ext.length - 1))}…${ext}`;
}
