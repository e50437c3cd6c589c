import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { ClaudeCodeReader } from '../core/replay/claudeCodeSession';
import { CodexReader } from '../core/replay/codexSession';
import type { SessionReplayer, SessionVerdict } from '../core/replay/sessionReplay';
import { checkRegularFile, FileRefusal } from './regularFile';

// Streams an agent session's transcript (and, for Claude Code, its sub-agents' transcripts beside it) through the
// readers and a SessionReplayer: one line in memory at a time, whatever the file's size. Shared by `kvlens replay`
// and the editor's Agent Sessions view.

export interface SessionFileOptions {
  /** Bytes read so far of all files, and their total. */
  readonly onProgress?: (read: number, total: number) => void;
  /** Stops between lines when aborted (the view's cancel). */
  readonly signal?: AbortSignal;
  /** Yield to the event loop this often (ms of work), so an extension host stays responsive. */
  readonly yieldEveryMs?: number;
}

export interface SessionFile {
  readonly path: string;
  readonly label: string;
  readonly chain: string;
}

/** Claude Code keeps a session's sub-agents in <session>/subagents/*.jsonl: each a cache of its own. */
export function subagentFiles(real: string, shown: string): SessionFile[] {
  const dir = path.join(real.replace(/\.jsonl$/i, ''), 'subagents');
  let names: string[];
  try {
    names = fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.jsonl'))
      .sort();
  } catch {
    return [];
  }
  const out: SessionFile[] = [];
  for (const n of names) {
    const full = path.join(dir, n);
    try {
      checkRegularFile(full, { within: fs.realpathSync(dir), withinLabel: 'the session folder' });
    } catch (e) {
      if (e instanceof FileRefusal) continue;
      throw e;
    }
    out.push({
      path: full,
      label: path.join(path.dirname(shown), path.basename(real).replace(/\.jsonl$/i, ''), 'subagents', n),
      chain: `subagent:${n.replace(/^agent-|\.jsonl$/g, '')}`,
    });
  }
  return out;
}

/** Replays every file of a session; resolves false when aborted. Reading errors are thrown with the file named. */
export async function replaySessionFiles(
  files: readonly SessionFile[],
  format: 'claude-code' | 'codex',
  replayer: SessionReplayer,
  onVerdict: (v: SessionVerdict) => void,
  opts: SessionFileOptions = {},
): Promise<boolean> {
  const total = files.reduce((s, f) => s + safeSize(f.path), 0);
  let done = 0;
  for (const f of files) {
    const reader =
      format === 'codex'
        ? new CodexReader((c) => onVerdict(replayer.feed(c)), f.chain === 'main' ? undefined : f.label)
        : new ClaudeCodeReader((c) => onVerdict(replayer.feed(c)), f.chain === 'main' ? undefined : f.label, f.chain);
    const stream = fs.createReadStream(f.path, { encoding: 'utf8', highWaterMark: 1 << 20 });
    const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
    let i = 0,
      slice = performance.now();
    try {
      for await (const text of rl) {
        reader.feed(text, i++);
        if (opts.signal?.aborted) {
          rl.close();
          stream.destroy();
          return false;
        }
        if (opts.yieldEveryMs !== undefined && performance.now() - slice > opts.yieldEveryMs) {
          opts.onProgress?.(done + stream.bytesRead, total);
          await new Promise((r) => setTimeout(r, 0));
          slice = performance.now();
        }
      }
    } catch (e) {
      throw new Error(
        `${f.label}: reading stopped at line ${i + 1} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
        { cause: e },
      );
    }
    reader.flush();
    done += safeSize(f.path);
    opts.onProgress?.(done, total);
    replayer.skipped += reader.malformed;
    if (reader.malformed)
      replayer.problem(
        0,
        `${f.label}: ${reader.malformed} line${reader.malformed === 1 ? ' is' : 's are'} not JSON: skipped`,
      );
  }
  return true;
}

function safeSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
