import type * as vscode from 'vscode';

/** One "Record as Sent": the text of a document as it was sent, when, for which model and how long it lives. */
export interface SendRecord {
  readonly uri: string;
  readonly text: string;
  readonly model: string;
  readonly sentAt: number;
  readonly ttlMs: number;
}

const KEY = 'kvlens.sendRecords.v1';
/** Kept per document, newest first; and in all. Records hold whole prompt texts, so both are bounded. */
const PER_DOCUMENT = 8;
const TOTAL = 64;
const MAX_TEXT_CHARS = 2 * 1024 * 1024;

/**
 * Recorded sends, kept in workspace state so they survive a reload. State that does not parse as records (an older
 * format, a hand edit) is dropped with a log line rather than trusted.
 */
export class SendRecords {
  private records: SendRecord[];

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: (line: string) => void,
  ) {
    const raw = state.get<unknown>(KEY, []);
    this.records = Array.isArray(raw) ? raw.filter(isRecord) : [];
    if (!Array.isArray(raw) || this.records.length !== raw.length) {
      log(
        `recorded sends in workspace state were not readable (${Array.isArray(raw) ? `${raw.length - this.records.length} bad entries` : typeof raw}); dropped them`,
      );
      void this.save();
    }
  }

  /** Adds a record; returns false (and records nothing) for a text too large to keep. */
  add(r: SendRecord): boolean {
    if (r.text.length > MAX_TEXT_CHARS) return false;
    this.records = [r, ...this.records.filter((x) => !(x.uri === r.uri && x.text === r.text))];
    const seen = new Map<string, number>();
    this.records = this.records
      .filter((x) => {
        const n = (seen.get(x.uri) ?? 0) + 1;
        seen.set(x.uri, n);
        return n <= PER_DOCUMENT;
      })
      .slice(0, TOTAL);
    void this.save();
    return true;
  }

  /** Records of a document, newest first. */
  of(uri: string): readonly SendRecord[] {
    return this.records.filter((r) => r.uri === uri);
  }

  /** The newest record of a document still alive at `now`, else the newest at all (then expired). */
  latest(uri: string, now: number): SendRecord | undefined {
    const mine = this.of(uri);
    return mine.find((r) => r.sentAt + r.ttlMs > now) ?? mine[0];
  }

  clear(uri?: string): void {
    this.records = uri ? this.records.filter((r) => r.uri !== uri) : [];
    void this.save();
  }

  private save(): Thenable<void> {
    return this.state.update(KEY, this.records);
  }
}

function isRecord(x: unknown): x is SendRecord {
  const r = x as SendRecord;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.uri === 'string' &&
    typeof r.text === 'string' &&
    typeof r.model === 'string' &&
    Number.isFinite(r.sentAt) &&
    Number.isFinite(r.ttlMs) &&
    r.ttlMs > 0
  );
}
