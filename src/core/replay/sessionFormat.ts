import { isClaudeCodeRecord } from './claudeCodeSession';
import { isCodexRecord } from './codexSession';

export type LogFormat = 'claude-code' | 'codex' | 'log';

/**
 * What kind of file a JSONL log is, from its first lines: a Claude Code transcript, a Codex rollout, or a log of
 * requests and responses (our own shape, batch files, provider exports) that the request replayer reads.
 */
export function detectLogFormat(firstLines: readonly string[]): LogFormat {
  for (const line of firstLines) {
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof r !== 'object' || r === null || Array.isArray(r)) continue;
    const o = r as Record<string, unknown>;
    if (isCodexRecord(o)) return 'codex';
    if (isClaudeCodeRecord(o)) return 'claude-code';
    if ('request' in o || 'response' in o || 'custom_id' in o || 'messages' in o || 'contents' in o) return 'log';
  }
  return 'log';
}
