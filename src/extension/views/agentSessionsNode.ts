// The Agent Sessions view's access to this machine (Node extension host only): which transcripts Claude Code and
// Codex left for a folder, and their replay, streamed. The web extension host has no such files.
import path from 'node:path';
import type { Catalog } from '../../core/pricing/catalog';
import { SessionReplayer, type SessionSummary, type SessionVerdict } from '../../core/replay/sessionReplay';
import { agentSessionsFor, firstPrompt } from '../../node/agentSessionFiles';
import { checkRegularFile } from '../../node/regularFile';
import { replaySessionFiles, subagentFiles } from '../../node/sessionReplayFile';
import type { AgentSessionSource } from './agentSessions';

export const nodeAgentSessions: AgentSessionSource = {
  list: (folder) => agentSessionsFor(folder).map((s) => ({ ...s, label: firstPrompt(s.file, s.tool) })),
  async replay(file, tool, catalog: Catalog, fallbackModel, opts) {
    const real = checkRegularFile(file).real;
    const replayer = new SessionReplayer({ catalog, fallbackModel, format: tool });
    const verdicts: SessionVerdict[] = [];
    let truncated = 0;
    const files = [
      { path: real, label: file, chain: 'main' },
      ...(tool === 'claude-code' ? subagentFiles(real, file) : []),
    ];
    const done = await replaySessionFiles(
      files,
      tool,
      replayer,
      (v) => {
        if (verdicts.length < opts.maxVerdicts) verdicts.push(v.file ? { ...v, file: path.resolve(v.file) } : v);
        else truncated++;
      },
      { onProgress: opts.onProgress, signal: opts.signal, yieldEveryMs: 8 },
    );
    if (!done) return undefined;
    const summary: SessionSummary = replayer.summary();
    return { verdicts, truncated, summary };
  },
};
