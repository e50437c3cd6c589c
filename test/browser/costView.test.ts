import assert from 'node:assert/strict';
import type { CostReportState } from '../../src/protocol';
import { repoRoot, webviewPage } from './page';

const model = (id: string, perMonth: number, extra = {}) => ({
  model: id,
  provider: 'openai',
  displayName: id.toUpperCase(),
  tokens: 1912,
  exact: true,
  encoding: 'o200k_base',
  cacheableTokens: 1792,
  prices: {
    input: 2,
    cachedInput: 0.5,
    cacheWrite: null,
    output: 8,
    storagePerHour: null,
    source: 'https://example.invalid/pricing',
    asOf: '2026-12-01',
  },
  perCall: { uncached: 0.007824, firstCall: 0.007824, warmCall: 0.005136, output: 0.004 },
  savingPerWarmCall: 0.002688,
  breakEvenCalls: 1,
  perDay: { withoutCache: perMonth / 20, withCache: perMonth / 30 },
  perMonth: { withoutCache: perMonth * 1.5, withCache: perMonth },
  ttlSeconds: 600,
  ttlChoices: [
    { label: 'default (10 min)', ttl: '' },
    { label: '24 h (extended retention)', ttl: '24h' },
  ],
  warmShare: 1,
  curve: { calls: [0, 1, 2, 3], withoutCache: [0, 1, 2, 3], withCache: [0, 1, 1.5, 2] },
  notes: ['a note'],
  ...extra,
});

const STATE: CostReportState = {
  title: 'prompts/support-agent.prompt.md',
  scope: 'file',
  file: 'prompts/support-agent.prompt.md',
  inputs: { callsPerHour: 60, outputTokens: 500, ttl: {} },
  models: [
    model('gpt-4.1', 221.7),
    model('claude-sonnet-4-5', 30.1, { exact: false, errorBand: 0.25, provider: 'anthropic' }),
  ],
  workspace: {
    rows: [
      { file: 'a.prompt.md', model: 'gpt-4.1', tokens: 100, exact: true, monthWithoutCache: 5, monthWithCache: 4 },
      { file: 'b.prompt.md', model: 'gpt-4.1', tokens: 900, exact: true, monthWithoutCache: 50, monthWithCache: 9 },
    ],
    killers: [
      { file: 'a.prompt.md', line: 1, message: '"Today is 2026-12-01" (today) changes per request', monthlyCost: 12.5 },
    ],
  },
  problems: [],
};

describe('cost report webview (webview/cost) in Chromium under the panel CSP', function () {
  this.timeout(60000);

  it('renders the models side by side, the estimate band, sources, the chart and the workspace table; posts ready first', async () => {
    const { page, posted, close } = await webviewPage('cost');
    try {
      await page.waitForFunction(() =>
        (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
      );
      await page.evaluate((s) => window.postMessage({ type: 'state', state: s }, '*'), STATE);
      await page.locator('#per-model').waitFor();
      assert.deepEqual(await page.locator('#per-model thead .model').allInnerTexts(), ['gpt-4.1', 'claude-sonnet-4-5']);
      assert.equal(
        (await page.locator('[data-cell="perMonth:gpt-4.1"]').innerText()).trim(),
        '$221.70 (no cache $332.55)',
      );
      assert.match(await page.locator('[data-cell="uncached:claude-sonnet-4-5"]').innerText(), /±25 %/);
      assert.match(
        await page.locator('[data-cell="prices:gpt-4.1"]').innerText(),
        /write free · out \$8 · as of 2026-12-01/,
      );
      const box = await page.locator('#chart').boundingBox();
      assert.ok(box && box.width > 300 && box.height > 200, JSON.stringify(box));
      // Sortable workspace table, by keyboard: focus a header button and press Enter.
      const firstFile = () => page.locator('#workspace-table tbody tr td a').first().innerText();
      assert.equal(await firstFile(), 'b.prompt.md', 'sorted by the monthly bill, largest first');
      await page.locator('#workspace-table th button', { hasText: 'prompt file' }).focus();
      await page.keyboard.press('Enter');
      assert.equal(await firstFile(), 'b.prompt.md', 'file names descending');
      await page.keyboard.press('Enter');
      assert.equal(await firstFile(), 'a.prompt.md', 'then ascending');
      assert.match(await page.locator('#workspace').innerText(), /Today is 2026-12-01.*costs \$12\.50 a month/s);
      assert.ok((await posted()).length >= 1);
    } finally {
      await close();
    }
  });

  it('sends the inputs when a field changes, and the table as Markdown or CSV on copy', async () => {
    const { page, posted, close } = await webviewPage('cost');
    try {
      await page.evaluate((s) => window.postMessage({ type: 'state', state: s }, '*'), STATE);
      await page.locator('#per-model').waitFor();
      await page.locator('#calls-per-hour input').fill('6');
      await page.waitForFunction(() =>
        (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'inputs'),
      );
      const inputs = (await posted()).filter((m) => (m as { type: string }).type === 'inputs').at(-1) as {
        inputs: { callsPerHour: number; outputTokens: number };
      };
      assert.equal(inputs.inputs.callsPerHour, 6);
      assert.equal(inputs.inputs.outputTokens, 500);
      await page.locator('#copy-md').click();
      await page.locator('#copy-csv').click();
      const copies = (await posted()).filter((m) => (m as { type: string }).type === 'copy') as {
        format: string;
        text: string;
      }[];
      assert.equal(copies.length, 2);
      assert.match(copies[0].text, /^\*\*prompts\/support-agent\.prompt\.md\*\*/);
      assert.match(copies[0].text, /\| uncached call \| \$0\.00782 \| \$0\.00782 \|/);
      assert.match(copies[1].text, /^,gpt-4\.1,claude-sonnet-4-5\ntokens,"1,912","≈1,912"/);
    } finally {
      await close();
    }
  });

  it("draws with the theme's chart colours (light theme)", async () => {
    const { page, close } = await webviewPage('cost', {
      foreground: '#333333',
      'editor-background': '#ffffff',
      'charts-blue': '#0000ff',
      'charts-orange': '#ff8800',
    });
    try {
      await page.evaluate((s) => window.postMessage({ type: 'state', state: s }, '*'), STATE);
      await page.locator('#per-model').waitFor();
      await page.waitForTimeout(200);
      // Some pixel of the canvas has the first model's colour (#0000ff).
      const blue = await page.evaluate(() => {
        const c = document.getElementById('chart') as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 4)
          if (d[i] < 40 && d[i + 1] < 40 && d[i + 2] > 200 && d[i + 3] > 200) return true;
        return false;
      });
      assert.ok(blue, 'a line in the theme colour');
    } finally {
      await close();
    }
  });

  it("at a side panel's 480 px every figure is on screen: one card per model, nothing cut off or scrolled away", async () => {
    const { page, close } = await webviewPage('cost');
    try {
      await page.setViewportSize({ width: 480, height: 900 });
      await page.evaluate((s) => window.postMessage({ type: 'state', state: s }, '*'), STATE);
      await page.locator('#per-model.cards').waitFor();
      assert.deepEqual(await page.locator('#per-model .card h3 .model').allInnerTexts(), [
        'gpt-4.1',
        'claude-sonnet-4-5',
      ]);
      const cells = page.locator('[data-cell]');
      const n = await cells.count();
      assert.equal(n, 13 * 2);
      for (let i = 0; i < n; i++) {
        const b = await cells.nth(i).boundingBox();
        assert.ok(
          b && b.x >= 0 && b.x + b.width <= 480 + 0.5,
          `${await cells.nth(i).getAttribute('data-cell')} at ${JSON.stringify(b)}`,
        );
      }
      const overflow = await page.evaluate(
        () => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth,
      );
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
      await page.screenshot({ path: `${repoRoot()}/test-output/cost-480px.png`, fullPage: true });
      // Wider again: the models side by side, the same cells.
      await page.setViewportSize({ width: 1100, height: 900 });
      await page.locator('#per-model.columns').waitFor();
      assert.equal(await page.locator('[data-cell]').count(), 26);
    } finally {
      await close();
    }
  });

  it('a TTL change keeps the focus on its select and the page where it was scrolled, when the host answers with a new state', async () => {
    const { page, posted, close } = await webviewPage('cost');
    try {
      await page.setViewportSize({ width: 1100, height: 400 });
      await page.evaluate((s) => window.postMessage({ type: 'state', state: s }, '*'), STATE);
      const select = page.locator('vscode-single-select[data-model="gpt-4.1"]');
      await select.waitFor();
      await select.scrollIntoViewIfNeeded();
      await select.focus();
      const y = await page.evaluate(() => window.scrollY);
      assert.ok(y > 0, 'the select is below the fold');
      // As a keyboard user picks an option: open the list, move down, choose.
      await page.keyboard.press('Enter');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() =>
        (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'inputs'),
      );
      const sent = (await posted()).filter((m) => (m as { type: string }).type === 'inputs').at(-1) as {
        inputs: { ttl: Record<string, string> };
      };
      assert.equal(sent.inputs.ttl['gpt-4.1'], '24h');
      // The host recomputes and sends the new state.
      const next = {
        ...STATE,
        models: STATE.models.map((m) =>
          m.model === 'gpt-4.1' ? { ...m, ttl: '24h', perMonth: { withoutCache: 300, withCache: 150 } } : m,
        ),
      };
      await page.evaluate((s) => window.postMessage({ type: 'state', state: s }, '*'), next);
      await page.waitForFunction(() =>
        document.querySelector('[data-cell="perMonth:gpt-4.1"]')?.textContent?.startsWith('$150.00'),
      );
      assert.equal(
        await page.evaluate(() => document.activeElement?.getAttribute('data-model')),
        'gpt-4.1',
        'focus stays on the select',
      );
      assert.equal(await page.evaluate(() => window.scrollY), y, 'the page did not scroll');
      const copy = await page.evaluate(() => {
        (document.getElementById('copy-md') as HTMLElement).click();
        return (window as unknown as { __posted: { type: string; text?: string }[] }).__posted.at(-1)!.text!;
      });
      assert.match(
        copy,
        /\| retention \(write TTL\) \| 24 h \(extended retention\) \| default \(10 min\) \|/,
        'what is copied says the chosen TTL',
      );
    } finally {
      await close();
    }
  });

  it("redraws the chart in the new theme's colours when the theme switches while the report is open", async () => {
    const { page, close } = await webviewPage('cost', { 'charts-blue': '#0000ff' });
    try {
      await page.evaluate((s) => window.postMessage({ type: 'state', state: s }, '*'), STATE);
      await page.locator('#per-model').waitFor();
      const has = (r: number, g: number, b: number) =>
        page.evaluate(
          ([r, g, b]) => {
            const c = document.getElementById('chart') as HTMLCanvasElement;
            const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
            for (let i = 0; i < d.length; i += 4)
              if (
                Math.abs(d[i] - r) < 30 &&
                Math.abs(d[i + 1] - g) < 30 &&
                Math.abs(d[i + 2] - b) < 30 &&
                d[i + 3] > 200
              )
                return true;
            return false;
          },
          [r, g, b],
        );
      await page.waitForFunction(() => true);
      assert.ok(await has(0, 0, 255), "drawn in the first theme's blue");
      // VS Code switches a live webview's theme by rewriting the variables on <html> and the body's class.
      await page.evaluate(() => {
        document.documentElement.style.setProperty('--vscode-charts-blue', '#00ff00');
        document.body.className = 'vscode-light';
      });
      await page.waitForTimeout(300);
      assert.ok(await has(0, 255, 0), "redrawn in the new theme's colour");
      assert.ok(!(await has(0, 0, 255)), 'no line left in the old colour');
    } finally {
      await close();
    }
  });

  const WORKSPACE: CostReportState = {
    title: 'Workspace: 3 prompt files',
    scope: 'workspace',
    baseline: { kind: 'steady', label: 'same prompt sent 1 min earlier (steady state)' },
    inputs: { callsPerHour: 60, outputTokens: 500, ttl: {} },
    models: [],
    workspace: {
      rows: [
        {
          file: 'prompts/support-agent.prompt.md',
          model: 'gpt-4.1',
          tokens: 1934,
          exact: true,
          monthWithoutCache: 2787.84,
          monthWithCache: 711.36,
        },
        {
          file: 'requests/anthropic-messages.json',
          model: 'claude-sonnet-4-5',
          tokens: 1203,
          exact: false,
          monthWithoutCache: 1642.12,
          monthWithCache: 1107.5,
        },
        {
          file: '.github/prompts/review-security.prompt.md',
          model: 'gemini-2.5-pro',
          tokens: 412,
          exact: false,
          monthWithoutCache: 35.6,
          monthWithCache: 35.6,
        },
      ],
      killers: [],
    },
    problems: [],
  };
  const LIGHT = {
    foreground: '#3b3b3b',
    'editor-background': '#ffffff',
    descriptionForeground: '#717171',
    'editorWidget-border': '#c8c8c8',
    'textLink-foreground': '#005fb8',
  };

  for (const [theme, vars] of [
    ['dark', {}],
    ['light', LIGHT],
  ] as const)
    it(`the workspace report at 480 px (${theme}): each file's bills on screen, no "No model chosen", no empty chart, the baseline named`, async () => {
      const { page, close } = await webviewPage('cost', vars);
      try {
        await page.setViewportSize({ width: 480, height: 800 });
        await page.evaluate((s) => window.postMessage({ type: 'state', state: s }, '*'), WORKSPACE);
        await page.locator('#workspace-table').waitFor();
        assert.equal(await page.locator('#no-models').isVisible(), false, '"No model chosen" beside a table of models');
        assert.equal(await page.locator('#chart').isVisible(), false, 'an empty chart');
        assert.match(await page.locator('#own-models').innerText(), /its own model/);
        assert.match(await page.locator('#baseline').innerText(), /^Baseline: steady state \(this prompt sent again/);
        const money = page.locator('#workspace-table [data-money]');
        assert.equal(await money.count(), 3 * 2 + 2);
        for (let i = 0; i < (await money.count()); i++) {
          const b = await money.nth(i).boundingBox();
          assert.ok(
            b && b.x >= 0 && b.x + b.width <= 480,
            `${await money.nth(i).getAttribute('data-money')} ${await money.nth(i).innerText()} at ${JSON.stringify(b)}`,
          );
        }
        const sideways = await page.evaluate(() => {
          const box = document.querySelector('#workspace .scroll')!;
          return {
            box: box.scrollWidth - box.clientWidth,
            page: document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth,
          };
        });
        assert.deepEqual(sideways, { box: 0, page: 0 }, 'nothing scrolls sideways');
        // Each file's path is on screen whole, above its figures.
        const file = page.locator('#workspace-table td.file', { hasText: 'review-security.prompt.md' });
        assert.ok(((await file.boundingBox())?.width ?? 0) <= 480);
        await page.screenshot({ path: `${repoRoot()}/test-output/cost-workspace-480px-${theme}.png`, fullPage: true });
        // Wide again: one line per file, the same cells.
        await page.setViewportSize({ width: 1100, height: 800 });
        await page.waitForFunction(() => !document.querySelector('#workspace-table')!.classList.contains('stacked'));
        assert.equal(await money.count(), 8);
      } finally {
        await close();
      }
    });

  it("a file's report names the status bar's baseline and prices the next call against it", async () => {
    const { page, close } = await webviewPage('cost');
    try {
      const next = { tokens: 1934, cachedTokens: 1792, cacheWriteTokens: 0, withCache: 0.00118, uncached: 0.00387 };
      const state: CostReportState = {
        ...STATE,
        baseline: { kind: 'git', label: 'git HEAD' },
        models: STATE.models.map((m) => ({ ...m, nextCall: next })),
      };
      await page.evaluate((s) => window.postMessage({ type: 'state', state: s }, '*'), state);
      await page.locator('#per-model').waitFor();
      assert.match(await page.locator('#baseline').innerText(), /^Baseline: git HEAD, as in the status bar/);
      assert.equal(
        (await page.locator('[data-cell="nextCall:gpt-4.1"]').innerText()).trim(),
        '1,792 cached (93%) · $0.00118',
      );
      assert.match(
        await page.locator('#per-model th', { hasText: 'next call' }).first().innerText(),
        /next call, against git HEAD/,
      );
      // The copied table says the same.
      const copy = await page.evaluate(() => {
        (document.getElementById('copy-md') as HTMLElement).click();
        return (window as unknown as { __posted: { type: string; text?: string }[] }).__posted.at(-1)!.text!;
      });
      assert.match(copy, /\| cached tokens \(next call, against git HEAD\) \| 1,792 \| 1,792 \|/);
      // Without a baseline (a selection) there is no such row.
      await page.evaluate((s) => window.postMessage({ type: 'state', state: s }, '*'), STATE);
      await page.waitForFunction(() => !document.querySelector('[data-cell^="nextCall:"]'));
      assert.equal(await page.locator('#baseline').isVisible(), false);
    } finally {
      await close();
    }
  });
});
