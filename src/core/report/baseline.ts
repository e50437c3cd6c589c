import type { DocumentReport } from '../analysis/documentReport';

// The baseline (what was sent before) in words.

/** "changed since git HEAD", "differs from the version sent at 10:02", "differs from other.prompt.md". */
export function againstBaseline(r: DocumentReport): string {
  const b = r.report.baseline;
  if (b.kind === 'git') return 'changed since git HEAD';
  if (b.kind === 'recorded') return `differs from the version ${b.label.replace(/^sent /, 'sent at ')}`;
  if (b.kind === 'file') return `differs from ${b.label}`;
  return 'differs from what was sent before';
}
