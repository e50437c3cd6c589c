import assert from 'node:assert/strict';
import type { MissReason } from '../../src/core/replay/replay';
import type { ReplayReportState } from '../../src/protocol';
import path from 'node:path';
import { repoRoot, webviewPage } from './page';

const req = (index: number, reason: MissReason, predicted: number, actual: number | null, extra = {}) =>
  ({
    index,
    timestamp: new Date(Date.UTC(2026, 11, 1, 10) + index * 60_000).toISOString(),
    model: 'gpt-4.1',
    tokens: 1927,
    predictedShare: predicted,
    actualShare: actual,
    verdict: actual === null ? 'unverified' : Math.abs(predicted - actual) < 0.07 ? 'match' : 'mismatch',
    reason,
    divergence: null,
    missCost: reason === 'prefix-changed' ? 0.00288 : 0,
    ...extra,
  }) as ReplayReportState['requests'][number];

const STATE: ReplayReportState = {
  title: 'Replay of logs/usage.jsonl',
  file: 'logs/usage.jsonl',
  truncated: 0,
  requests: [
    req(0, 'cold', 0, 0),
    req(1, 'cached', 0.93, 0.93),
    req(2, 'prefix-changed', 0, 0, { divergence: { block: 'messages[0] system', line: 3, column: 122 } }),
    req(3, 'unexplained', 0.93, 0, { note: 'eviction' }),
  ],
  summary: {
    requests: 4,
    matched: 3,
    mismatched: 1,
    unverified: 0,
    skipped: 1,
    hitRate: { predicted: 0.465, actual: 0.233 },
    money: {
      actual: 0.02,
      avoidable: 0.00288,
      withoutAvoidableMisses: 0.01712,
      providerSide: 0,
      byReason: [
        { reason: 'prefix-changed', class: 'avoidable', requests: 1, cost: 0.00288 },
        { reason: 'cold', class: 'start', requests: 1, cost: 0 },
      ],
    },
    calibration: [],
    problems: [{ line: 5, message: 'not a JSON object' }],
  },
};

describe('replay report webview (webview/replay) in Chromium under the panel CSP', function () {
  this.timeout(60000);
  it('shows the summary, the timeline and the misses; a click on a miss asks the host to open its line', async () => {
    const { page, posted, close } = await webviewPage('replay');
    try {
      await page.evaluate((s) => window.postMessage({ type: 'state', state: s }, '*'), STATE);
      await page.locator('#miss-table').waitFor();
      assert.match(await page.locator('#hit-rate').innerText(), /predicted 46\.5 %, actual 23\.3 %/);
      assert.match(await page.locator('#money').innerText(), /avoidable misses cost \$0\.00288/);
      assert.match(await page.locator('#summary').innerText(), /line 5: not a JSON object/);
      const lines = await page.locator('#miss-table tbody button').allInnerTexts();
      assert.deepEqual(lines, ['line 1', 'line 3', 'line 4'], 'cached requests are not listed; the mismatch is');
      assert.match(await page.locator('#miss-table tbody tr').nth(1).innerText(), /messages\[0\] system \(col 122\)/);
      const box = await page.locator('#timeline').boundingBox();
      assert.ok(box && box.width > 300);
      await page.locator('#miss-table button[data-line="3"]').focus();
      await page.keyboard.press('Enter');
      const open = (await posted()).filter((m) => (m as { type: string }).type === 'openLine') as {
        index: number;
        column?: number;
      }[];
      assert.deepEqual(
        open.at(-1),
        { type: 'openLine', index: 2, column: 122, position: 2 },
        "the line, and the request's place in the state",
      );
      // Nothing avoidable: said so, not "the avoidable misses cost $0.00 — $0.02 had they been avoided".
      const none = { ...STATE.summary.money, avoidable: 0, withoutAvoidableMisses: 0.02 };
      await page.evaluate((s) => window.postMessage({ type: 'state', state: s }, '*'), {
        ...STATE,
        title: 'Replay of logs/other.jsonl',
        summary: { ...STATE.summary, money: none },
      });
      await page.locator('#money', { hasText: 'none of its misses was avoidable' }).waitFor({ timeout: 10000 });
    } finally {
      await close();
    }
  });

  it('another log or session shown in the same panel opens at its top; a new state of the same one keeps the place', async () => {
    const { page, close } = await webviewPage('replay');
    try {
      await page.setViewportSize({ width: 480, height: 300 });
      const show = (s: ReplayReportState) =>
        page.evaluate((st) => window.postMessage({ type: 'state', state: st }, '*'), s);
      const scrollY = () => page.evaluate(() => window.scrollY);
      await show(STATE);
      await page.locator('#miss-table button[data-line="4"]').scrollIntoViewIfNeeded();
      const down = await scrollY();
      assert.ok(down > 100, `scrolled to the last miss: ${down} px`);
      await show({ ...STATE, summary: { ...STATE.summary, matched: 2 } });
      await page.locator('#summary', { hasText: '2 match' }).waitFor();
      assert.equal(await scrollY(), down, 'the same log again: the reader keeps the place');
      // The same state again (a new panel gets it twice: the host's post and its answer to 'ready'): nothing rebuilt,
      // so a click in progress keeps its button.
      await page.locator('#miss-table button[data-line="4"]').evaluate((b) => b.setAttribute('data-mark', 'kept'));
      await show({ ...STATE, summary: { ...STATE.summary, matched: 2 } });
      await page.waitForTimeout(200);
      assert.equal(await page.locator('#miss-table button[data-mark="kept"]').count(), 1, 'the same state re-rendered');
      await show({ ...STATE, title: 'Replay of logs/other.jsonl', file: 'logs/other.jsonl' });
      await page.locator('#title', { hasText: 'other.jsonl' }).waitFor();
      assert.equal(await scrollY(), 0, 'another log opens at its summary');
    } finally {
      await close();
    }
  });

  it("an agent session: model calls, the inferred prefix, the provider's reasons, and the instruction file that changed", async () => {
    const session: ReplayReportState = {
      title: 'Claude Code session: Add a discount field',
      file: '/home/dev/.claude/projects/-home-dev-shop/s.jsonl',
      truncated: 0,
      requests: [
        req(3, 'cached', 0, 0.9),
        req(7, 'cached', 0.95, 0.95),
        req(12, 'instructions-changed', 0.95, 0.86, {
          divergence: { block: '/home/dev/shop/CLAUDE.md', line: 2, column: 1 },
          providerReason: 'system_changed',
          providerAgrees: true,
          chain: 'main',
        }),
        req(4, 'cold', 0, 0, {
          chain: 'subagent:a1b2c3',
          file: '/home/dev/.claude/projects/-home-dev-shop/s/subagents/agent-a1b2c3.jsonl',
        }),
      ],
      summary: {
        requests: 4,
        matched: 2,
        mismatched: 1,
        unverified: 1,
        skipped: 0,
        hitRate: { predicted: 0.7, actual: 0.68 },
        money: {
          actual: 0.03,
          avoidable: 0.005,
          withoutAvoidableMisses: 0.025,
          providerSide: 0,
          byReason: [{ reason: 'instructions-changed', class: 'avoidable', requests: 1, cost: 0.005 }],
        },
        calibration: [],
        problems: [{ line: 0, message: '1 line is not JSON: skipped' }],
        format: 'claude-code',
        inferred: { fixedPrefixTokens: 18000, note: "inferred from the first call's cache read (18,000 tokens)" },
        providerReasons: { compared: 1, agreed: 1, agreement: 1 },
      },
    };
    const { page, posted, close } = await webviewPage('replay');
    try {
      await page.evaluate((s) => window.postMessage({ type: 'state', state: s }, '*'), session);
      await page.locator('#miss-table').waitFor();
      assert.match(
        await page.locator('#summary').innerText(),
        /Claude Code session: 4 model calls: 2 match, 1 mismatch, 1 first call not judged/,
      );
      assert.match(
        await page.locator('#inferred').innerText(),
        /inferred from the first call's cache read \(18,000 tokens\)/,
      );
      assert.match(await page.locator('#provider-reasons').innerText(), /agree with KV Lens's on 1 of 1 misses/);
      assert.doesNotMatch(
        await page.locator('#summary').innerText(),
        /line 0:/,
        'a note about the whole file has no line',
      );
      const row = page.locator('#miss-table tbody tr', { hasText: 'instructions-changed' });
      assert.match(await row.innerText(), /CLAUDE\.md:2/);
      assert.match(await row.innerText(), /provider: system_changed/);
      assert.match(await page.locator('#miss-table tbody tr', { hasText: 'cold' }).innerText(), /subagent:a1b2c3/);
      await row.locator('button').click();
      const open = (await posted()).filter((m) => (m as { type: string }).type === 'openLine') as {
        position?: number;
      }[];
      assert.equal(open.at(-1)?.position, 2, 'the host finds the request (and its file) by its place in the state');
    } finally {
      await close();
    }
  });

  it('a Codex session (issue 25): the provider\'s misses apart from the avoidable ones, cached calls not under "not read from cache", the gap in its own column, numbers with separators', async () => {
    const session: ReplayReportState = {
      title: 'Codex session: Fix the failing test.',
      file: '/home/dev/.codex/sessions/2026/11/30/rollout-2026-11-30T09-00-00-x.jsonl',
      truncated: 0,
      requests: [
        req(2040, 'cached', 0.97, 0.976, { verdict: 'match', gapSeconds: 4 }),
        req(2062, 'rerouted', 0.97, 0.091, {
          verdict: 'mismatch',
          gapSeconds: 10,
          missCost: 0.0671,
          note: 'idle under the 5 minutes OpenAI keeps a prefix: the request most likely reached a server that did not hold it',
        }),
        req(2100, 'cached', 0.5, 0.98, { verdict: 'mismatch', gapSeconds: 96 }),
        req(2550, 'ttl-expired', 0, 0, { verdict: 'match', gapSeconds: 1260, missCost: 0.02 }),
      ],
      summary: {
        requests: 2551,
        matched: 1200,
        mismatched: 1350,
        unverified: 1,
        skipped: 0,
        hitRate: { predicted: 0.95, actual: 0.9 },
        money: {
          actual: 12.5,
          avoidable: 0.02,
          withoutAvoidableMisses: 12.48,
          providerSide: 1.35,
          byReason: [
            { reason: 'rerouted', class: 'provider', requests: 20, cost: 1.35 },
            { reason: 'ttl-expired', class: 'avoidable', requests: 1, cost: 0.02 },
          ],
        },
        calibration: [],
        problems: [],
        format: 'codex',
        inferred: { fixedPrefixTokens: 2063, note: "inferred from the first call's cache read (2,063 tokens)" },
        providerReasons: { compared: 0, agreed: 0, agreement: null },
      },
    };
    const { page, close } = await webviewPage('replay');
    try {
      await page.setViewportSize({ width: 480, height: 900 });
      await page.evaluate((s) => window.postMessage({ type: 'state', state: s }, '*'), session);
      await page.locator('#miss-table').waitFor();
      assert.match(
        await page.locator('#summary').innerText(),
        /Codex session: 2,551 model calls: 1,200 match, 1,350 mismatch/,
      );
      assert.match(
        await page.locator('#money').innerText(),
        /the avoidable misses cost \$0\.02 — \$12\.48 had they been avoided/,
      );
      assert.match(
        await page.locator('#provider-side').innerText(),
        /The provider's misses cost \$1\.35 more: it evicted the unchanged prefix before its TTL or routed the call to a server without it\. Not a cause you control/,
      );
      assert.deepEqual(
        (await page.locator('ul.reasons[data-class="provider"] li').allInnerTexts()).map((t) => t.trim()),
        ['rerouted: 20 calls, $1.35 — the provider sent the request to a server without the unchanged prefix'],
      );
      assert.match(
        await page.locator('ul.reasons[data-class="avoidable"]').innerText(),
        /ttl-expired: 1 call, \$0\.02/,
      );

      // Rows whose reason is "cached" are not under "not read from cache"; a mispredicted hit has its own table.
      assert.deepEqual(
        await page.locator('#miss-table tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-reason'))),
        ['rerouted', 'ttl-expired'],
      );
      assert.deepEqual(await page.locator('#miss-table tbody button').allInnerTexts(), ['line 2,063', 'line 2,551']);
      assert.deepEqual(await page.locator('#mispredicted-table tbody button').allInnerTexts(), ['line 2,101']);

      // The columns hold what they are headed: the gap is not in "where".
      const heads = await page.locator('#miss-table thead th').allInnerTexts();
      assert.deepEqual(heads, ['line', 'time', 'reason', 'predicted', 'actual', 'gap', 'where', 'cost']);
      const cells = (i: number) => page.locator('#miss-table tbody tr').nth(i).locator('td').allInnerTexts();
      const rerouted = await cells(0);
      assert.equal(rerouted[heads.indexOf('gap')], '10 s');
      assert.equal(rerouted[heads.indexOf('where')], '');
      assert.equal(rerouted[heads.indexOf('actual')], '9.1 %');
      assert.equal(rerouted[heads.indexOf('cost')], '$0.0671');
      assert.equal((await cells(1))[heads.indexOf('gap')], '21 min');
      assert.ok(!(await page.locator('#miss-table').innerText()).includes('since'));

      // At 480 px the table fits: the reason and where cells wrap rather than push the cost out of view.
      const fit = await page.locator('#miss-table').evaluate((t) => {
        const box = t.parentElement!;
        return { scroll: box.scrollWidth, client: box.clientWidth };
      });
      assert.ok(fit.scroll <= fit.client + 1, `the table is ${fit.scroll} px in a ${fit.client} px box`);
      await page.screenshot({ path: path.join(repoRoot(), 'test-output', 'replay-session-480.png'), fullPage: true });
    } finally {
      await close();
    }
  });
});
