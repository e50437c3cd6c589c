import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { claudeUserRequest } from '../core/replay/claudeCodeSession';
import { codexUserRequest } from '../core/replay/codexSession';
import { parseRecord, requestLabel } from '../core/replay/modelCall';

// Where coding agents keep their session transcripts for a workspace, read only on this machine:
//   Claude Code: <CLAUDE_CONFIG_DIR or ~/.claude>/projects/<the workspace path with every character that is not a
//     letter or a digit replaced by "-">/<session>.jsonl
//   Codex CLI:   <CODEX_HOME or ~/.codex>/sessions/YYYY/MM/DD/rollout-*.jsonl, whose first line (session_meta) names
//     the working folder (cwd) it ran in.

export interface AgentSessionFile {
  readonly tool: 'claude-code' | 'codex';
  readonly file: string;
  readonly mtime: number;
  readonly size: number;
}

const MAX_CODEX_FILES = 2000;

export function claudeDir(): string {
  return process.env.CLAUDE_CONFIG_DIR || path.join(os.homedir(), '.claude');
}
export function codexHome(): string {
  return process.env.CODEX_HOME || path.join(os.homedir(), '.codex');
}

/** Claude Code's project folder name for a working folder. */
export function claudeProjectName(cwd: string): string {
  return cwd.replace(/[^a-zA-Z0-9]/g, '-');
}

function regular(file: string): fs.Stats | undefined {
  try {
    const s = fs.statSync(file);
    return s.isFile() ? s : undefined;
  } catch {
    return undefined;
  }
}

function claudeSessions(folder: string): AgentSessionFile[] {
  const dir = path.join(claudeDir(), 'projects', claudeProjectName(folder));
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.jsonl'))
    .flatMap((n) => {
      const file = path.join(dir, n),
        s = regular(file);
      return s ? [{ tool: 'claude-code' as const, file, mtime: s.mtimeMs, size: s.size }] : [];
    });
}

/** The cwd a rollout's session_meta names (its first line, read up to 64 KB). */
function rolloutCwd(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const first = buf.subarray(0, n).toString('utf8').split('\n', 1)[0];
    const r = JSON.parse(first) as { type?: string; payload?: { cwd?: unknown } };
    return r.type === 'session_meta' && typeof r.payload?.cwd === 'string' ? r.payload.cwd : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function codexSessions(folder: string): AgentSessionFile[] {
  const root = path.join(codexHome(), 'sessions');
  const files: { file: string; s: fs.Stats }[] = [];
  // Newest days first: YYYY/MM/DD folders sort as text.
  const walk = (dir: string, depth: number) => {
    if (files.length >= MAX_CODEX_FILES) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => b.name.localeCompare(a.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory() && depth < 3) walk(full, depth + 1);
      else if (e.isFile() && /^rollout-.*\.jsonl$/.test(e.name)) {
        const s = regular(full);
        if (s) files.push({ file: full, s });
      }
      if (files.length >= MAX_CODEX_FILES) return;
    }
  };
  walk(root, 0);
  const want = path.resolve(folder);
  return files
    .filter((f) => {
      const cwd = rolloutCwd(f.file);
      return cwd !== undefined && path.resolve(cwd) === want;
    })
    .map((f) => ({ tool: 'codex' as const, file: f.file, mtime: f.s.mtimeMs, size: f.s.size }));
}

/** The sessions Claude Code and Codex recorded for a working folder, newest first. */
export function agentSessionsFor(folder: string): AgentSessionFile[] {
  return [...claudeSessions(folder), ...codexSessions(folder)].sort((a, b) => b.mtime - a.mtime);
}

/**
 * A session's label: the user's first request (core's transcript readers know each agent's records and the context it
 * injects), from the first 256 KB.
 */
export function firstPrompt(file: string, tool: AgentSessionFile['tool']): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(256 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const request = tool === 'codex' ? codexUserRequest : claudeUserRequest;
    for (const line of buf.subarray(0, n).toString('utf8').split('\n')) {
      const r = parseRecord(line, () => undefined);
      const text = r && request(r);
      if (text) return requestLabel(text);
    }
  } catch {
    /* unreadable: no label */
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return undefined;
}
