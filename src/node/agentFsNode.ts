// The agent-context discovery's file system on Node (the CLI and the Node extension host): adapter paths are
// absolute with '/' separators; a FIFO or device is never opened for reading, a file is read no further than asked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AgentFs, DirEntry, FileStat } from '../core/agents/agentFs';
import type { GlobalDirs } from '../core/agents/harnessEnv';

/** A Node path as an adapter path ('C:\\x' → 'C:/x'). */
export function toAgentPath(p: string): string {
  return path.resolve(p).replace(/\\/g, '/');
}

const typeOf = (d: fs.Dirent): DirEntry['type'] =>
  d.isFile() ? 'file' : d.isDirectory() ? 'dir' : d.isSymbolicLink() ? 'symlink' : 'other';

export const nodeAgentFs: AgentFs = {
  async list(dir) {
    try {
      return (await fs.promises.readdir(dir, { withFileTypes: true })).map((d) => ({ name: d.name, type: typeOf(d) }));
    } catch {
      return undefined;
    }
  },
  async stat(p): Promise<FileStat | undefined> {
    try {
      const s = await fs.promises.stat(p);
      return { type: s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other', size: s.size };
    } catch {
      return undefined;
    }
  },
  async read(p, maxBytes) {
    // O_NONBLOCK: a FIFO swapped in after stat() cannot block the open; fstat then refuses it.
    const h = await fs.promises.open(p, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    try {
      const st = await h.stat();
      if (!st.isFile()) throw new Error('not a regular file');
      const want = Math.min(maxBytes, st.size);
      const buf = Buffer.allocUnsafe(want);
      let got = 0;
      while (got < want) {
        const { bytesRead } = await h.read(buf, got, want - got, got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return buf.subarray(0, got);
    } finally {
      await h.close();
    }
  },
  async realpath(p) {
    try {
      return toAgentPath(await fs.promises.realpath(p));
    } catch {
      return undefined;
    }
  },
};

/** The global folders as the agents find them: $CODEX_HOME, $CLAUDE_CONFIG_DIR, ~/.gemini, the managed CLAUDE.md. */
export function agentGlobalDirs(env: NodeJS.ProcessEnv = process.env): GlobalDirs {
  const home = os.homedir();
  const managed =
    process.platform === 'darwin'
      ? '/Library/Application Support/ClaudeCode/CLAUDE.md'
      : process.platform === 'win32'
        ? 'C:/Program Files/ClaudeCode/CLAUDE.md'
        : '/etc/claude-code/CLAUDE.md';
  return {
    home: toAgentPath(home),
    codexHome: toAgentPath(env.CODEX_HOME || path.join(home, '.codex')),
    claudeConfigDir: toAgentPath(env.CLAUDE_CONFIG_DIR || path.join(home, '.claude')),
    geminiDir: toAgentPath(path.join(env.GEMINI_CLI_HOME || home, '.gemini')),
    claudeManagedFile: managed,
  };
}
