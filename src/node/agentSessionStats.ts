// How many model calls the user's own sessions in a folder made (the median per session), for the cost of an
// instruction file per session: the transcripts the Agent Sessions view lists (agentSessionFiles.ts), counted by the
// same readers the replay uses (core/replay), main conversation only (sub-agents have caches of their own).
import fs from 'node:fs';
import readline from 'node:readline';
import { medianOf } from '../core/agents/sessionCost';
import type { HarnessId, SessionStats } from '../core/agents/types';
import { ClaudeCodeReader } from '../core/replay/claudeCodeSession';
import { CodexReader } from '../core/replay/codexSession';
import type { ModelCall } from '../core/replay/modelCall';
import { agentSessionsFor, type AgentSessionFile } from './agentSessionFiles';

/** The newest sessions counted per harness: enough for a median, bounded in time. */
const MAX_SESSIONS = 20;
const MAX_BYTES = 256 * 1024 * 1024;

async function countCalls(s: AgentSessionFile): Promise<{ calls: number; model?: string }> {
  let calls = 0;
  let model: string | undefined;
  const onCall = (c: ModelCall) => {
    if (c.chain !== 'main') return;
    calls++;
    if (c.model && c.model !== 'unknown' && c.model !== '<synthetic>') model = c.model;
  };
  const reader = s.tool === 'codex' ? new CodexReader(onCall) : new ClaudeCodeReader(onCall);
  const stream = fs.createReadStream(s.file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let i = 0;
  try {
    for await (const line of rl) reader.feed(line, i++);
  } catch {
    /* a transcript that cannot be read to the end counts what was read */
  }
  reader.flush();
  return { calls, model };
}

/** Session counts for Claude Code and Codex in `cwd` (null entries when there are none). */
export async function agentSessionStats(cwd: string): Promise<Partial<Record<HarnessId, SessionStats>>> {
  const out: Partial<Record<HarnessId, SessionStats>> = {};
  let files: AgentSessionFile[];
  try {
    files = agentSessionsFor(cwd);
  } catch {
    return out;
  }
  for (const tool of ['claude-code', 'codex'] as const) {
    const mine = files.filter((f) => f.tool === tool && f.size <= MAX_BYTES).slice(0, MAX_SESSIONS);
    const counts: number[] = [];
    let model: string | undefined;
    for (const f of mine) {
      const r = await countCalls(f);
      if (r.calls > 0) counts.push(r.calls);
      model ??= r.model;
    }
    if (counts.length)
      out[tool] = { count: mine.length, medianRequests: medianOf(counts), ...(model ? { model } : {}) };
  }
  return out;
}
