import type { MissClass } from '../../src/core/replay/missClass';
import type { ReplayReportState } from '../../src/protocol';
import { el } from '../shared/dom';
import { count, usd } from '../shared/format';
import { pct } from './figures';
import { CLASS_HEADING, classOf, reasonColor, reasonText } from './reasons';

type Summary = ReplayReportState['summary'];

const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

/** The summary of a replay: counts, hit rates, what was inferred, the money (avoidable and the provider's apart), the
 * misses by reason grouped by who they are up to, calibration, problems. */
export function summaryNodes(s: Summary): Node[] {
  const calls = s.format ? 'call' : 'request';
  const money = s.money;
  return [
    el(
      'p',
      {},
      s.format
        ? `${s.format === 'codex' ? 'Codex' : 'Claude Code'} session: ${plural(s.requests, 'model call')}: ${count(s.matched)} match, ${count(s.mismatched)} mismatch, ${plural(s.unverified, 'first call')} not judged${s.skipped ? `, ${plural(s.skipped, 'line')} skipped` : ''}.`
        : `${plural(s.requests, 'request')}: ${count(s.matched)} match, ${count(s.mismatched)} mismatch, ${count(s.unverified)} without usage${s.skipped ? `, ${plural(s.skipped, 'line')} skipped` : ''}.`,
    ),
    el(
      'p',
      { id: 'hit-rate' },
      `Hit rate (cached / all input tokens): predicted ${pct(s.hitRate.predicted)}, actual ${pct(s.hitRate.actual)}.`,
    ),
    ...(s.inferred
      ? [
          el(
            'p',
            { class: 'muted', id: 'inferred' },
            `System prompt and tools (not in the transcript): ${s.inferred.note}.`,
          ),
        ]
      : []),
    ...(s.providerReasons?.compared
      ? [
          el(
            'p',
            { id: 'provider-reasons' },
            `The provider's own miss reasons agree with KV Lens's on ${count(s.providerReasons.agreed)} of ${count(s.providerReasons.compared)} misses.`,
          ),
        ]
      : []),
    el(
      'p',
      { id: 'money' },
      money.avoidable > 0
        ? `Cost of the ${s.format ? 'session' : 'log'} ${usd(money.actual)}; the avoidable misses cost ${usd(money.avoidable)} — ${usd(money.withoutAvoidableMisses)} had they been avoided.`
        : `Cost of the ${s.format ? 'session' : 'log'} ${usd(money.actual)}; none of its misses was avoidable.`,
    ),
    ...(money.byReason.some((r) => r.class === 'provider')
      ? [
          el(
            'p',
            { id: 'provider-side' },
            `The provider's misses cost ${usd(money.providerSide)} more: it evicted the unchanged prefix before its TTL or routed the ${calls} to a server without it. Not a cause you control, so not counted as avoidable.`,
          ),
        ]
      : []),
    ...reasonGroups(s, calls),
    ...s.calibration.map((c) =>
      el(
        'p',
        { class: 'muted' },
        `${c.encoding} (${c.kind}): the provider counted ${c.ratio}× the estimated tokens over ${plural(c.requests, 'request')} — \`kvlens replay --calibrate FILE\` writes factors from this log.`,
      ),
    ),
    ...s.problems
      .slice(0, 10)
      .map((p) => el('p', { class: 'problem' }, `${p.line ? `line ${count(p.line)}: ` : ''}${p.message}`)),
  ];
}

/** The misses by reason, under who they are up to (avoidable first). */
function reasonGroups(s: Summary, calls: string): Node[] {
  const out: Node[] = [];
  for (const [cls, heading] of CLASS_HEADING) {
    const rows = s.money.byReason.filter((r) => (r.class ?? classOf(r.reason)) === cls);
    if (!rows.length) continue;
    out.push(
      el('h3', {}, heading),
      el(
        'ul',
        { class: 'reasons', 'data-class': cls satisfies MissClass },
        ...rows.map((r) =>
          el(
            'li',
            { 'data-reason': r.reason },
            el('span', { class: 'chip', style: `background:${reasonColor(r.reason)}` }),
            ` ${r.reason}: ${plural(r.requests, calls)}${cls === 'avoidable' || cls === 'provider' || r.cost > 0 ? `, ${usd(r.cost)}` : ''}`,
            el('span', { class: 'muted' }, ` — ${reasonText(r.reason)}`),
          ),
        ),
      ),
    );
  }
  return out;
}
