/**
 * A model's version as the numbers in its name, without its date and snapshot numbers (groups of 3 or more digits):
 * gpt-6.2-astra → [6, 2], claude-opus-4-8-20261001 → [4, 8], gemini-3.6-flash → [3, 6], grok-4.20-0309 → [4, 20].
 * Newer models of one family have larger versions; across families the comparison means nothing.
 */
export function versionOf(id: string): number[] {
  const name = id
    .trim()
    .toLowerCase()
    .replace(/^.*\//, '')
    .replace(/-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$/, '');
  return (name.match(/\d+/g) ?? []).filter((n) => n.length < 3).map(Number);
}

/** Positive when version a is newer than b, negative when older, 0 when equal (missing parts count as 0). */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return 0;
}
