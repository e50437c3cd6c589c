import type { Catalog } from '../../core/pricing/catalog';
import { SessionReplayer, type SessionVerdict } from '../../core/replay/sessionReplay';
import { replaySessionFiles, subagentFiles, type SessionFile } from '../../node/sessionReplayFile';
import { CliError, visible, type Output } from '../io';
import { moneyLines, n } from './replayText';

/**
 * `kvlens replay` of an agent session: a Claude Code transcript (with its sub-agents' transcripts beside it) or a
 * Codex rollout. Streams every file line by line — memory stays flat whatever the size — and says how far it got on
 * stderr for big files.
 */
export async function replaySession(
  file: string,
  real: string,
  format: 'claude-code' | 'codex',
  catalog: Catalog,
  fallbackModel: string,
  json: boolean,
  io: Output,
): Promise<number> {
  const replayer = new SessionReplayer({ catalog, fallbackModel, format });
  const shown: SessionVerdict[] = [];
  let first = true,
    chunk: string[] = [];
  if (json) io.out(`{"log":${JSON.stringify(file)},"format":${JSON.stringify(format)},"requests":[`);
  const onVerdict = (v: SessionVerdict) => {
    if (json) {
      chunk.push((first ? '' : ',') + JSON.stringify(v));
      first = false;
      if (chunk.length >= 256) {
        io.out(chunk.join(''));
        chunk = [];
      }
    } else if ((v.reason !== 'cached' || v.verdict === 'mismatch') && shown.length < 200) shown.push(v);
  };
  const files: SessionFile[] = [
    { path: real, label: file, chain: 'main' },
    ...(format === 'claude-code' ? subagentFiles(real, file) : []),
  ];
  let shownAt = Date.now();
  const onProgress = (read: number, total: number) => {
    if (total > 16 << 20 && Date.now() - shownAt > 2000) {
      shownAt = Date.now();
      io.err(`replaying ${visible(file)}: ${Math.round(read / (1 << 20))} of ${Math.round(total / (1 << 20))} MB`);
    }
  };
  try {
    await replaySessionFiles(files, format, replayer, onVerdict, { onProgress, yieldEveryMs: 500 });
  } catch (e) {
    const message = visible((e as Error).message);
    if (json) {
      io.out(`${chunk.join('')}],"error":${JSON.stringify({ message, exitCode: 2 })}}`);
      io.err(`kvlens: ${message}`);
      return 2;
    }
    throw new CliError(message);
  }
  const summary = replayer.summary();
  if (json) {
    if (chunk.length) io.out(chunk.join(''));
    io.out(`],"summary":${JSON.stringify(summary)}}`);
    return 0;
  }

  const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)} %`);
  const name = format === 'codex' ? 'Codex session' : 'Claude Code session';
  const out = [
    `${visible(file)}: ${name}, ${n(summary.requests)} model calls${summary.chains > 1 ? ` on ${summary.chains} caches (the conversation and ${summary.chains - 1} sub-agent${summary.chains === 2 ? '' : 's'})` : ''}: ${n(summary.matched)} match, ${n(summary.mismatched)} mismatch, ${n(summary.unverified)} first call${summary.unverified === 1 ? '' : 's'} not judged`,
    `  hit rate (cached / all input tokens): actual ${pct(summary.hitRate.actual)}, predicted ${pct(summary.hitRate.predicted)}`,
    ...moneyLines(summary, 'session', 'call'),
    `  system prompt and tools: ${summary.inferred.note}`,
  ];
  if (summary.providerReasons.compared)
    out.push(
      `  the provider's own reasons agree with KV Lens's on ${summary.providerReasons.agreed} of ${summary.providerReasons.compared} misses`,
    );
  if (shown.length) out.push('', 'Calls not read from cache as expected:');
  for (const v of shown) {
    const where = v.divergence ? ` — ${visible(v.divergence.block)}:${v.divergence.line} changed` : '';
    out.push(
      `  ${visible(v.file ?? file)}:${v.index + 1} ${v.chain !== 'main' ? `[${v.chain}] ` : ''}${v.model}: ${v.verdict}, ${v.reason}${where}; predicted ${n(v.predictedCachedTokens)}, actual ${n(v.actualCachedTokens ?? 0)} of ${n(v.actualInputTokens ?? 0)}${v.note ? ` — ${visible(v.note)}` : ''}${v.providerReason ? ` (provider: ${visible(v.providerReason)})` : ''}`,
    );
  }
  for (const p of summary.problems.slice(0, 20))
    out.push(`  ${p.line ? `${visible(file)}:${p.line}: ` : ''}${visible(p.message)}`);
  io.out(out.join('\n'));
  return 0;
}
