import type { LineIndex } from '../text/lineIndex';
import type { Diagnostic, Severity, SourceRange } from './types';

/** Collects diagnostics of one document, giving each the line/column of its start. */
export class DiagnosticSink {
  readonly list: Diagnostic[] = [];

  constructor(private readonly lines: LineIndex) {}

  add(severity: Severity, code: string, message: string, range: SourceRange): void {
    const { line, column } = this.lines.position(range.start);
    this.list.push({ severity, code, message, range, line, column });
  }

  error(code: string, message: string, range: SourceRange): void {
    this.add('error', code, message, range);
  }
  warning(code: string, message: string, range: SourceRange): void {
    this.add('warning', code, message, range);
  }
  info(code: string, message: string, range: SourceRange): void {
    this.add('info', code, message, range);
  }

  /** A sink for one part (a JSONL line) whose diagnostics are also wanted on their own. */
  child(): DiagnosticSink {
    return new DiagnosticSink(this.lines);
  }
}

/** `FILE:LINE:COL: severity: message`, the form compilers print and editors link. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  return `${file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}
