import assert from 'node:assert/strict';
import type { AgentContextState, AgentFileView, AgentHarnessView } from '../../src/protocol';
import { webviewPage } from './page';

const file = (
  path: string,
  tokens: number,
  order: number | null,
  extra: Partial<AgentFileView> = {},
): AgentFileView => ({
  path,
  kind: 'claude-md',
  loaded: order === null ? 'on-match' : 'always',
  role: 'user',
  tokens,
  bytesLost: 0,
  order,
  costUsd: order === null ? null : tokens * 0.00001,
  openable: !path.startsWith('$') && !path.startsWith('../'),
  ...extra,
});

const harness = (
  h: Partial<AgentHarnessView> & Pick<AgentHarnessView, 'harness' | 'displayName' | 'files'>,
): AgentHarnessView => ({
  version: '1.0',
  model: 'claude-sonnet-4-5',
  layers: ['tools', 'system', 'instructions', 'environment', 'conversation'],
  fixed: { minTokens: 12000, maxTokens: 20000, source: 'https://example.invalid/capture', confidence: 'third-party' },
  role: 'user',
  takesEffect: 'next-session',
  instructionTokens: 560,
  cost: {
    model: 'claude-sonnet-4-5',
    tokens: 560,
    ttl: '5m',
    requests: 30,
    requestsFrom: 'default',
    writeUsd: 0.0021,
    readsUsd: 0.00487,
    totalUsd: 0.00697,
  },
  sessions: null,
  warnings: 0,
  ...h,
});

const STATE: AgentContextState = {
  folder: 'shop',
  trusted: true,
  ms: 42,
  problems: ['.cursor/rules/outside.mdc: is a link to /etc/secret, outside the workspace: not read'],
  harnesses: [
    harness({
      harness: 'claude-code',
      displayName: 'Claude Code',
      files: [
        file('$CLAUDE_CONFIG_DIR/CLAUDE.md', 40, 0),
        file('CLAUDE.md', 350, 1),
        file('docs/prompt-style.md', 150, 2, { kind: 'import' }),
        file('web/CLAUDE.md', 90, null),
        file('AGENTS.md', 0, null, { loaded: 'never' }),
      ],
    }),
    harness({
      harness: 'codex',
      displayName: 'Codex CLI',
      model: 'gpt-5.5',
      layers: ['tools', 'system', 'instructions', 'environment', 'conversation'],
      fixed: { minTokens: 4000, maxTokens: 12000, source: 'codex-rs', confidence: 'assumed' },
      files: [file('AGENTS.md', 8200, 0, { kind: 'agents-md', bytesLost: 3230 })],
      warnings: 1,
    }),
    harness({
      harness: 'gemini-cli',
      displayName: 'Gemini CLI',
      layers: ['tools', 'system', 'environment', 'instructions', 'conversation'],
      files: [file('GEMINI.md', 30, 0, { kind: 'gemini-md' })],
      takesEffect: 'next-session',
    }),
  ],
};

const LIGHT = {
  foreground: '#3b3b3b',
  'editor-background': '#ffffff',
  'charts-blue': '#1a85ff',
  'charts-green': '#388a34',
  'charts-purple': '#652d90',
  'charts-orange': '#d18616',
  errorForeground: '#f85149',
  'textLink-foreground': '#005fb8',
};
const DARK = {
  ...LIGHT,
  foreground: '#cccccc',
  'editor-background': '#1f1f1f',
  'charts-blue': '#3794ff',
  'charts-green': '#89d185',
};

describe('Agent Context view (webview/agents) in Chromium under the panel CSP', function () {
  this.timeout(60000);

  it('draws each agent as a stacked bar in its own layer order, files in order, the cut file marked; a click opens a file', async () => {
    const { page, posted, close } = await webviewPage('agents', LIGHT);
    try {
      await page.evaluate((s) => window.postMessage({ type: 'state', state: s }, '*'), STATE);
      await page.locator('section.harness[data-harness="codex"]').waitFor();
      assert.equal(await page.locator('#title').innerText(), 'Agent Context — shop');
      const claude = page.locator('section.harness[data-harness="claude-code"]');
      const segs = await claude
        .locator('.bar .seg')
        .evaluateAll((els) => els.map((e) => [e.className.split(' ')[1], (e as HTMLElement).dataset.file ?? '']));
      assert.deepEqual(segs, [
        ['fixed', ''],
        ['file', '$CLAUDE_CONFIG_DIR/CLAUDE.md'],
        ['file', 'CLAUDE.md'],
        ['file', 'docs/prompt-style.md'],
        ['env', ''],
        ['conv', ''],
      ]);
      const gemini = await page
        .locator('section.harness[data-harness="gemini-cli"] .bar .seg')
        .evaluateAll((els) => els.map((e) => e.className.split(' ')[1]));
      assert.deepEqual(
        gemini,
        ['fixed', 'env', 'file', 'conv'],
        "Gemini CLI's environment comes before its context files",
      );
      assert.ok(await page.locator('section[data-harness="codex"] .bar .file.cut').count(), 'the cut file is striped');
      assert.ok(await page.locator('section[data-harness="codex"] tr.cut').count());
      // A global file cannot be opened from here; a workspace file can.
      assert.ok(await claude.locator('.bar .file[data-file="$CLAUDE_CONFIG_DIR/CLAUDE.md"]').isDisabled());
      await claude.locator('.bar .file[data-file="CLAUDE.md"]').click();
      await claude.locator('table button[data-file="docs/prompt-style.md"]').click();
      const opens = (await posted()).filter((m) => (m as { type: string }).type === 'openFile');
      assert.deepEqual(opens, [
        { type: 'openFile', file: 'CLAUDE.md' },
        { type: 'openFile', file: 'docs/prompt-style.md' },
      ]);
      const rows = await claude.locator('table tbody tr').allInnerTexts();
      assert.equal(rows.length, 4, 'loaded files listed; the one not loaded is counted below');
      assert.match(rows[1], /CLAUDE\.md\s+every request\s+350\s+\$0\.0035/);
      assert.match(await claude.innerText(), /1 more file recognised but not loaded here/);
      assert.match(
        await claude.locator('.summary').innerText(),
        /Instructions: 560 tokens as user in every request · \$0\.00697 per session at claude-sonnet-4-5: one 5m cache write \$0\.0021, 29 reads \$0\.00487; 30 requests \(a default: no session of yours here\) · an edit takes effect at the next session/,
      );
      assert.match(await page.locator('#problems').innerText(), /outside\.mdc: is a link to \/etc\/secret/);
    } finally {
      await close();
    }
  });

  it('fits a narrow sidebar: nothing wider than the view, every segment visible; the colours follow the theme', async () => {
    const { page, close } = await webviewPage('agents', DARK);
    try {
      await page.setViewportSize({ width: 300, height: 900 });
      await page.evaluate((s) => window.postMessage({ type: 'state', state: s }, '*'), STATE);
      await page.locator('section.harness[data-harness="codex"]').waitFor();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 0, `the view scrolls sideways by ${overflow} px`);
      const widths = await page
        .locator('.bar .seg')
        .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
      assert.ok(
        widths.every((w) => w >= 4),
        widths.join(', '),
      );
      const dark = await page
        .locator('.bar .fixed')
        .first()
        .evaluate((e) => getComputedStyle(e).backgroundColor);
      await page.evaluate((vars) => {
        for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(`--vscode-${k}`, v);
      }, LIGHT);
      const light = await page
        .locator('.bar .fixed')
        .first()
        .evaluate((e) => getComputedStyle(e).backgroundColor);
      assert.notEqual(dark, light, "the fixed layers take the theme's charts.blue");
      assert.notEqual(light, 'rgba(0, 0, 0, 0)');
    } finally {
      await close();
    }
  });
});
