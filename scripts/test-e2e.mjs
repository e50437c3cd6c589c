#!/usr/bin/env node
// End-to-end tests of KV Lens in a real VS Code (code-server 4.100.3 = VS Code 1.100.3) driven by headless Chromium:
//   phase 1  the integration tests of test/e2e/suite/, run by mocha inside the extension host;
//   phase 2  UI checks through the workbench DOM: the status bar count of a prompt, the count following typing,
//            no item on other files, the command palette commands; screenshots in test-output/;
//   phase 3  the packaged .vsix, installed with `code-server --install-extension` into an empty extensions dir,
//            activates on its own (no development path);
//   phase 4  the web worker extension host (the browser bundle, as on vscode.dev): a smoke subset;
//   phase 5  Restricted Mode: an untrusted workspace with hostile settings (ignored; no download);
//   phase 6  `npm start`'s playground as it starts it (git HEAD baseline), a plain folder, a repository that appears
//            later (scripts/e2e/phasePlayground.mjs).
// The workspace is samples/ plus test/e2e/workspace/, copied to a temporary folder so typing never touches the
// repository. The last line is `N passed, N failed` over all phases (each UI check counts as one test).
// env: KVLENS_OUT (test bundles dir, default out), KVLENS_UPDATE_SCREENSHOTS=1 (refresh media/screenshots),
//      E2E_TIMEOUT_S (whole run, default 1200: a backstop against a hang, not a budget),
//      E2E_PHASES (e.g. 3 or 1,2; default all), CHROMIUM, CODE_SERVER,
//      E2E_CHECK (while working on a UI check: run only the checks whose name contains it),
//      KVLENS_PREBUILT=1 (the production build with the test bundles is there: do not build again).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { freePort, installExtension, root, startCodeServer, workbenchUrl } from './e2e/codeServer.mjs';
import { makeTestWorkspace } from './e2e/workspace.mjs';
import { agentInstructionChecks, agentRestrictedCheck, agentWebHostCheck } from './e2e/agentChecks.mjs';
import { phasePlayground } from './e2e/phasePlayground.mjs';
import {
  colorTheme,
  hoverUntil,
  launchBrowser,
  notificationText,
  openFromExplorer,
  openWorkbench,
  runCommand,
  setSideBar,
  tokenItem,
  waitForTokenText,
} from './e2e/workbench.mjs';

const t0 = Date.now();
const log = (m) => console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
const OUT = path.join(root, 'test-output');
const TESTS = path.join(root, process.env.KVLENS_OUT || 'out', 'test/e2e/suite/index.js');
const PROMPT = 'prompts/support-agent.prompt.md';
const PHASES = new Set((process.env.E2E_PHASES || '1,2,3,4,5,6').split(','));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-e2e-'));
const AGENT_HOME = { claude: path.join(tmp, 'agent-home', '.claude'), codex: path.join(tmp, 'agent-home', '.codex') };
const results = [];
let ctx, server;
/**
 * The user settings of this runner's own code-servers: git off, so a window that does not test git skips the git
 * extension's repository scan at startup (the git workspaces of phases 1 and 2 turn it on in their folder settings).
 * Phase 6 starts code-server as `npm start` does instead, with git on.
 */
const E2E_SETTINGS = { 'git.enabled': false };

function step(cmd, args) {
  execFileSync(cmd, args, { stdio: 'inherit', cwd: root });
}

/** `kvlens analyze FILE … --json` by our own CLI (the same core function as the editor). */
let cli;
async function analyzeJson(file, extra = []) {
  cli ??= createRequire(import.meta.url)(path.join(root, 'dist/cli/kvlens.js'));
  const out = [],
    err = [];
  const code = await cli.main(['analyze', file, ...extra, '--json'], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  if (code !== 0) throw new Error(`kvlens analyze ${file} failed: ${err.join(' ')}`);
  return JSON.parse(out.join(''));
}

/** The status bar text our own CLI predicts. */
async function expectedLabel(file, extra = [], baseline = 'steady state') {
  const r = await analyzeJson(file, extra);
  const n = new Intl.NumberFormat('en-US').format;
  return new RegExp(
    `^${r.tokenizer.exact ? '' : '≈'}${n(r.cachedTokens)}/${n(r.tokens)} cached · \\$[\\d.]+ vs \\$[\\d.]+ · ${baseline}$`,
  );
}

async function check(name, fn) {
  if (process.env.E2E_CHECK && !process.env.E2E_CHECK.split('|').some((s) => name.includes(s))) return;
  const t = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    log(`  ✓ ${name} (${Date.now() - t} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    log(`  ✗ ${name}: ${e.message.split('\n')[0]}`);
    const shot = path.join(OUT, `failure-${results.length}.png`);
    await ctx
      ?.pages()
      .at(-1)
      ?.screenshot({ path: shot })
      .then(
        () => log(`    screenshot: ${path.relative(root, shot)}`),
        () => {},
      );
    // A failed check stops wherever it was (a panel open, the side bar hidden, focus in a webview): put the workbench
    // back as checks expect it, so one failure is reported once rather than cascading into the checks after it.
    const page = ctx?.pages().at(-1);
    if (page)
      await (async () => {
        await page.keyboard.press('Escape');
        await page
          .locator('.monaco-editor .view-line')
          .first()
          .click({ timeout: 3000 })
          .catch(() => {});
        await runCommand(page, 'View: Close All Editors');
        // An editor the check left edited asks whether to save it: not saved (the workspace stays as the checks made it).
        await page
          .locator('.monaco-dialog-box .monaco-button', { hasText: /Don't Save/ })
          .click({ timeout: 2000 })
          .catch(() => {});
        await setSideBar(page, true);
      })().catch((err) =>
        log(`    (the workbench could not be reset after the failure: ${err.message.split('\n')[0]})`),
      );
  }
}

/** A fresh copy per phase, so one phase's edits and settings never leak into the next. */
const makeWorkspace = (name, opts) => makeTestWorkspace(root, path.join(tmp, name), opts);

async function phase1ExtensionHost(ws) {
  log('phase 1: integration tests in the extension host');
  const page = await ctx.newPage();
  let finished;
  const done = new Promise((r) => (finished = r));
  let summary;
  await page.exposeFunction('codeAutomationExit', (code) => finished(code));
  // the workbench forwards the extension host's console (mocha's spec reporter) to these hooks
  await page.exposeFunction('codeAutomationLog', (_type, args) => {
    const line = util.format(...args);
    summary = /e2e-extension-host: (\d+) passed, (\d+) failed/.exec(line) ?? summary;
    console.log(`    ${line}`);
  });
  // Errors inside our webviews (their frames' consoles) would otherwise be invisible here.
  page.on('console', (m) => {
    if (m.type() === 'error' && /webview|vscode-cdn|vscode-resource/.test(m.location()?.url ?? ''))
      console.log(`    [webview] ${m.text().slice(0, 400)}`);
  });
  page.on('pageerror', (e) => console.log(`    [page error] ${String(e.message).slice(0, 400)}`));
  await page.goto(workbenchUrl(server.host, ws, { devPath: root, testsPath: TESTS }));
  const code = await Promise.race([done, new Promise((r) => setTimeout(() => r('timeout'), 180000))]);
  await page.close();
  const passed = summary ? Number(summary[1]) : 0;
  const failed = summary ? Number(summary[2]) : 1;
  for (let i = 0; i < passed; i++) results.push({ name: 'extension host', ok: true });
  for (let i = 0; i < failed; i++) results.push({ name: 'extension host', ok: false });
  log(`phase 1: exit ${code}, ${passed} passed, ${failed} failed`);
}

/**
 * How many editor elements are painted with the theme colour `color` (a contributed colour id such as
 * kvlens.cachedBackground): `what` 'background' looks at backgrounds (tints), 'border' at left borders (the break
 * mark). Reads computed styles, so it holds whatever class names the editor gives its decorations.
 */
function decorationCount(page, color, what = 'background') {
  return page.evaluate(
    ([id, kind]) => {
      const v = getComputedStyle(document.querySelector('.monaco-workbench'))
        .getPropertyValue(`--vscode-${id.replace('.', '-')}`)
        .trim();
      if (!v) return 0;
      const probe = document.createElement('div');
      probe.style.color = v;
      document.body.appendChild(probe);
      const want = getComputedStyle(probe).color;
      probe.remove();
      let n = 0;
      for (const el of document.querySelectorAll(
        '.monaco-editor .view-overlays div, .monaco-editor .view-lines span, .monaco-editor .view-zones div',
      )) {
        const cs = getComputedStyle(el);
        if (
          kind === 'background'
            ? cs.backgroundColor === want
            : cs.borderLeftColor === want && cs.borderLeftStyle === 'solid'
        )
          n++;
      }
      return n;
    },
    [color, what],
  );
}

async function waitForDecoration(page, color, what, timeout = 15000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if ((await decorationCount(page, color, what)) > 0) return true;
    await page.waitForTimeout(200);
  }
  return false;
}

/** Waits (a few seconds at most) for the replay's progress notification to close, so a screenshot shows the panel. */
async function progressGone(page) {
  await page
    .locator('.notification-toast', { hasText: /KV Lens: replaying/ })
    .first()
    .waitFor({ state: 'hidden', timeout: 8000 })
    .catch(() => {});
}

/**
 * After a click on a replay row: waits (10 s each) for `tab` in front (when given), then for the cursor on `line`. On
 * failure it says what is in front and where the cursor is, and whether the line showed later (a slow extension host)
 * or not at all (the click opened nothing), so a failure on a busy machine names its cause.
 */
async function openedAt(page, tab, line) {
  const t = Date.now();
  const front = tab && page.locator('.tab.active', { hasText: tab }).first();
  const at = page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${line},`) }).first();
  try {
    if (front) await front.waitFor({ timeout: 10000 });
    await at.waitFor({ timeout: 10000 });
    log(`    the click opened ${tab ?? 'its line'} at Ln ${line} in ${Date.now() - t} ms`);
  } catch (e) {
    const inFront = await page
      .locator('.editor-group-container.active .tab.active')
      .first()
      .innerText({ timeout: 2000 })
      .catch(() => 'nothing');
    const cursor = await page.locator('.statusbar-item', { hasText: /^Ln \d+/ }).allInnerTexts();
    const later = await (front ? front.waitFor({ timeout: 20000 }) : Promise.resolve())
      .then(() => at.waitFor({ timeout: 20000 }))
      .then(
        () => `; it showed ${((Date.now() - t) / 1000).toFixed(1)} s after the click`,
        () => '; not even 30 s after the click',
      );
    throw new Error(
      `${e.message.split('\n')[0]}: in front ${JSON.stringify(inFront)}, status bar ${JSON.stringify(cursor)}${later}`,
      { cause: e },
    );
  }
}

/** The replay panel's summary once it says `want` (the panel shown before may stay on screen a moment). */
async function replaySummary(page, view, want, timeout = 30000) {
  let summary = '';
  for (const end = Date.now() + timeout; Date.now() < end; await page.waitForTimeout(250)) {
    summary = (
      await view
        .locator('#summary')
        .innerText()
        .catch(() => '')
    ).trim();
    if (want.test(summary)) return summary;
  }
  throw new Error(`summary says ${summary}`);
}

/**
 * The rows of a sidebar view whose label or description the workbench cut off (ellipsis): their text, where the
 * label's container is narrower than what it holds.
 */
function truncatedRows(page, paneTitle) {
  return page.evaluate((title) => {
    const pane = [...document.querySelectorAll('.pane')].find((p) =>
      p.querySelector('.pane-header')?.textContent?.toLowerCase().includes(title.toLowerCase()),
    );
    if (!pane) return [`no pane ${title}`];
    return [...pane.querySelectorAll('.monaco-list-row .monaco-icon-label-container')]
      .filter((c) => c.scrollWidth > c.clientWidth + 1)
      .map((c) => `${c.closest('.monaco-list-row').textContent} (${c.scrollWidth} > ${c.clientWidth} px)`);
  }, paneTitle);
}

async function phase2Ui(ws) {
  log('phase 2: UI checks in the workbench');
  const page = await openWorkbench(ctx, workbenchUrl(server.host, ws, { devPath: root }));
  const promptFile = path.join(ws, PROMPT);

  await check(
    'a prompt file opened from the explorer shows cached/total, cost and baseline in the status bar',
    async () => {
      await openFromExplorer(page, PROMPT);
      const want = await expectedLabel(promptFile);
      const shown = await waitForTokenText(page, want);
      if (!want.test(shown ?? '')) throw new Error(`status bar shows ${JSON.stringify(shown)}, expected ${want}`);
    },
  );

  await check('the part served from cache is tinted in the editor, with a summary lens above the prompt', async () => {
    if (!(await waitForDecoration(page, 'kvlens.cachedBackground', 'background')))
      throw new Error('no cached-prefix decoration rendered');
    await page
      .locator('.monaco-editor .codelens-decoration', { hasText: 'tokens cached' })
      .first()
      .waitFor({ timeout: 15000 });
    await page.screenshot({ path: path.join(OUT, 'cached-prefix.png') });
  });

  await check('hovering the status bar item shows the cache table, model and prices', async () => {
    const text = await hoverUntil(page, () => tokenItem(page).hover(), 'read from cache');
    if (!/gpt-4\.1/.test(text) || !/recomputed/.test(text) || !/Input cost per call/.test(text))
      throw new Error(`tooltip says: ${JSON.stringify(text)}`);
    await page.waitForTimeout(500); // the hover fades in
    await page.screenshot({ path: path.join(OUT, 'workbench.png') });
    await page.mouse.move(5, 5);
  });

  await check('hovering a token in the prompt shows its id, text, index and cache status', async () => {
    // The point of the word "tier" on screen (the editor renders text in spans of syntax colours).
    const at = await page.evaluate(() => {
      for (const sp of document.querySelectorAll('.monaco-editor .view-line span')) {
        const t = sp.firstChild;
        const i = t?.nodeType === 3 ? t.textContent.indexOf('tier-1') : -1;
        if (i < 0) continue;
        const r = document.createRange();
        r.setStart(t, i);
        r.setEnd(t, i + 4);
        const b = r.getBoundingClientRect();
        return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
      }
      return undefined;
    });
    if (!at) throw new Error('the word "tier-1" is not on screen');
    const text = await hoverUntil(page, () => page.mouse.move(at.x, at.y), 'Read from cache');
    if (!/token [\d,]+ of [\d,]+ · id \d+/.test(text)) throw new Error(`token hover says: ${JSON.stringify(text)}`);
    await page.waitForTimeout(500); // the hover fades in
    await page.screenshot({ path: path.join(OUT, 'token-hover.png') });
    await page.mouse.move(5, 5);
  });

  await check(
    'typing near the top breaks the cache against git HEAD: status bar, gutter mark and note follow',
    async () => {
      const typed = 'Reply in the language the customer uses. ';
      const line = page.locator('.monaco-editor .view-line', { hasText: /You.answer.customers.in.the.in-app/ }).first();
      await line.click();
      await page.keyboard.press('Home');
      await page.keyboard.type(typed, { delay: 5 });
      const shown = await waitForTokenText(page, /· git HEAD$/);
      if (!/· git HEAD$/.test(shown ?? ''))
        throw new Error(`status bar shows ${JSON.stringify(shown)} after typing, expected the git HEAD baseline`);
      if (!(await waitForDecoration(page, 'kvlens.cacheBreakForeground', 'border')))
        throw new Error('no cache-break decoration rendered');
      if (
        !(await page
          .locator('.monaco-editor .glyph-margin-widgets div, .monaco-editor .margin-view-overlays div')
          .evaluateAll((els) => els.some((e) => getComputedStyle(e).backgroundImage.includes('cache-break'))))
      )
        throw new Error('no gutter icon at the break');
      await page
        .locator('.monaco-editor .codelens-decoration', {
          hasText: /Cache breaks here: the prompt changed since git HEAD/,
        })
        .first()
        .waitFor({ timeout: 10000 });
      await page.keyboard.press('Control+S');
      const deadline = Date.now() + 10000;
      while (!fs.readFileSync(promptFile, 'utf8').includes(typed) && Date.now() < deadline)
        await page.waitForTimeout(100);
      const want = await expectedLabel(promptFile, ['--baseline', 'git:HEAD'], 'git HEAD');
      const now = await waitForTokenText(page, want);
      if (!want.test(now ?? '')) throw new Error(`status bar shows ${JSON.stringify(now)}, expected ${want}`);
      // The summary lens above the prompt follows too.
      const cached = now.split(' ')[0];
      await page
        .locator('.monaco-editor .codelens-decoration', { hasText: `KV Lens: ${cached} tokens cached` })
        .first()
        .waitFor({ timeout: 10000 });
      await page.screenshot({ path: path.join(OUT, 'cache-break.png') });
    },
  );

  await check(
    '"KV Lens: Estimate Cost": pick two models, change calls per hour, see the figures and chart follow, copy as Markdown',
    async () => {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://${server.host}` });
      await runCommand(page, 'KV Lens: Estimate Cost');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.fill('claude-sonnet-4-5');
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: /^claude-sonnet-4-5/ })
        .first()
        .click();
      await input.fill('');
      await page.keyboard.press('Enter');
      const view = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      await view.locator('#per-model .model', { hasText: 'claude-sonnet-4-5' }).waitFor({ timeout: 30000 });
      const models = await view.locator('#per-model .model').allInnerTexts();
      if (models.length !== 2 || !models.includes('gpt-4.1')) throw new Error(`report columns: ${models.join(', ')}`);
      const month = view.locator('[data-cell="perMonth:gpt-4.1"]');
      const before = (await month.innerText()).trim();
      const chartBefore = await view.locator('#chart').screenshot();
      await view.locator('#calls-per-hour input').fill('6');
      const deadline = Date.now() + 10000;
      while ((await month.innerText()).trim() === before && Date.now() < deadline) await page.waitForTimeout(100);
      const after = (await month.innerText()).trim();
      if (after === before) throw new Error(`per-month figure did not follow the rate: ${after}`);
      await page.waitForTimeout(300);
      const chartAfter = await view.locator('#chart').screenshot();
      if (chartBefore.equals(chartAfter)) throw new Error('the chart did not change with the rate');
      // As a user would look at it: the report beside the prompt, scrolled to its top, the sidebar out of the way.
      await setSideBar(page, false);
      await view.locator('#title').scrollIntoViewIfNeeded();
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(OUT, 'cost-report.png') });
      // At a side panel's width every figure is on screen: the report as cards, nothing cut off on the right.
      const frameBox = await page.locator('iframe.webview.ready').boundingBox();
      const layout = await view.locator('#per-model').getAttribute('class');
      const cells = view.locator('[data-cell]');
      for (let i = 0, n = await cells.count(); i < n; i++) {
        const b = await cells.nth(i).boundingBox();
        if (!b || b.x + b.width > frameBox.x + frameBox.width + 1 || b.x < frameBox.x - 1)
          throw new Error(
            `${await cells.nth(i).getAttribute('data-cell')} is cut off in a ${Math.round(frameBox.width)} px panel (${layout}): ${JSON.stringify(b)}`,
          );
      }
      console.log(
        `      cost report in a ${Math.round(frameBox.width)} px panel: ${layout}, ${await cells.count()} figures all on screen`,
      );
      // A theme switch while the report is open redraws the chart in the new colours (it is a canvas).
      const chartHas = (hex) =>
        view.locator('#chart').evaluate((c, hex) => {
          const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4)
            if (Math.abs(d[i] - r) < 12 && Math.abs(d[i + 1] - g) < 12 && Math.abs(d[i + 2] - b) < 12 && d[i + 3] > 200)
              n++;
          return n;
        }, hex);
      // The first model's line is drawn in the theme's charts.blue, which differs between Light Modern and Dark Modern.
      const fg = () =>
        view
          .locator('body')
          .evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--vscode-charts-blue').trim());
      const oldFg = await fg();
      if (!(await chartHas(oldFg))) throw new Error(`the chart has no line in the theme's charts.blue ${oldFg}`);
      // The workspace is in Light Modern: to Dark Modern and back.
      await colorTheme(page, 'Dark Modern');
      let newFg = oldFg;
      for (let i = 0; i < 50 && newFg === oldFg; i++) {
        await page.waitForTimeout(100);
        newFg = await fg();
      }
      await page.waitForTimeout(500);
      const stale = await chartHas(oldFg),
        fresh = await chartHas(newFg);
      console.log(
        `      theme switch: chart pixels in the old theme's charts.blue ${oldFg}: ${stale}, in the new ${newFg}: ${fresh}`,
      );
      await page.screenshot({ path: path.join(OUT, 'cost-report-dark.png') });
      await colorTheme(page, 'Light Modern');
      if (newFg === oldFg || stale > 0 || fresh === 0)
        throw new Error(`after Light → Dark the chart was not redrawn (old colour ${stale} px, new ${fresh} px)`);
      await setSideBar(page, true);
      await view.locator('#copy-md').click();
      let copied = '';
      for (let i = 0; i < 50 && !copied.includes('| uncached call |'); i++) {
        await page.waitForTimeout(100);
        copied = await page.evaluate(() => navigator.clipboard.readText()).catch(() => '');
      }
      if (!copied.includes('| uncached call |') || !copied.includes('claude-sonnet-4-5'))
        throw new Error(`clipboard holds ${JSON.stringify(copied.slice(0, 200))}`);
      await page.keyboard.press('Control+W'); // close the report
    },
  );

  await check(
    '"KV Lens: Replay Usage Log": the timeline, misses by reason, and a click on a miss opens its line',
    async () => {
      await openFromExplorer(page, 'logs/support-usage.jsonl');
      await runCommand(page, 'KV Lens: Replay Usage Log');
      const view = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      await view.locator('#miss-table').waitFor({ timeout: 30000 });
      const hit = (await view.locator('#hit-rate').innerText()).trim();
      if (!/predicted [\d.]+ %, actual [\d.]+ %/.test(hit)) throw new Error(`summary says ${hit}`);
      const box = await view.locator('#timeline').boundingBox();
      if (!box || box.width < 200) throw new Error('no timeline');
      await setSideBar(page, false);
      await progressGone(page);
      await page.screenshot({ path: path.join(OUT, 'replay.png') });
      // The click waits for the side bar's return to be laid out: aimed before, it lands where the panel was.
      const layout = await setSideBar(page, true);
      log(
        `    side bar back: ${layout.pendingAtEnter ? 'not yet shown when the palette closed, ' : ''}laid out in ${layout.ms} ms; the panel's frame ${layout.before} → ${layout.atFlip} as the side bar showed → ${layout.after}`,
      );
      await view.locator('#miss-table button[data-line="7"]').click();
      await openedAt(page, undefined, 7);
      await page.keyboard.press('Control+W');
    },
  );

  // Before the Agent Sessions check, which writes a CLAUDE.md of its own into the workspace.
  await agentInstructionChecks({ page, ws, root, out: OUT, check, hoverUntil, waitForDecoration, log });

  await check(
    "Agent Sessions: the workspace's Claude Code and Codex sessions with their hit rates; a click opens the replay, and a miss caused by CLAUDE.md opens it at the changed line",
    async () => {
      const { writeAgentHome } = createRequire(import.meta.url)(
        path.join(root, process.env.KVLENS_OUT || 'out', 'test/e2e/suite/agentHome.js'),
      );
      const home = writeAgentHome(ws, AGENT_HOME.claude, AGENT_HOME.codex);
      const header = page.locator('.pane-header', { hasText: /Agent Sessions/i }).first();
      await header.waitFor({ timeout: 30000 });
      if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
      await page
        .locator('.pane-header', { hasText: /Agent Sessions/i })
        .locator('.action-label[aria-label*="Refresh Agent Sessions"]')
        .first()
        .click()
        .catch(() => {});
      const row = page.locator('.monaco-list-row', { hasText: 'Add a discount' }).first();
      await row.waitFor({ timeout: 30000 });
      // Calls, hit rate and cost in the description, beside a short label (issue 25).
      const claudeFigures = `4 calls · ${Math.round(home.hitRates.claude * 100)} % · $`;
      await page.locator('.monaco-list-row', { hasText: claudeFigures }).first().waitFor({ timeout: 30000 });
      const codexRow = page.locator('.monaco-list-row', { hasText: 'Fix the failing' }).first();
      await codexRow.waitFor({ timeout: 30000 });
      const codexText = await codexRow.innerText();
      if (!codexText.includes(`3 calls · ${Math.round(home.hitRates.codex * 100)} % · $`))
        throw new Error(`the Codex session is listed as ${JSON.stringify(codexText)}`);
      const cut = await truncatedRows(page, 'Agent Sessions');
      if (cut.length) throw new Error(`cut off at the default sidebar width: ${JSON.stringify(cut)}`);
      await row.click();
      const view = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      await view.locator('#miss-table').waitFor({ timeout: 30000 });
      // The replay panel of the check before may still be the one on screen for a moment: wait for this session's.
      await replaySummary(page, view, /Claude Code session: 4 model calls/);
      await progressGone(page);
      await page.screenshot({ path: path.join(OUT, 'agent-sessions.png') });
      await view.locator('#miss-table tr', { hasText: 'instructions-changed' }).locator('button').click();
      await openedAt(page, 'CLAUDE.md', 2);
      // Closed at once, as a user who only wanted a look: the replay panel comes to the front, and the file stays closed
      // (the panel shows a line again only when its own focus is reported late, never a file the user closed).
      await page.keyboard.press('Control+W');
      const tab = page.locator('.tabs-container .tab', { hasText: 'CLAUDE.md' });
      for (let i = 0; i < 50 && (await tab.count()); i++) await page.waitForTimeout(100);
      for (let i = 0; i < 25; i++, await page.waitForTimeout(100))
        if (await tab.count()) throw new Error(`CLAUDE.md, closed, was opened again ${i * 100} ms later`);
    },
  );

  await check(
    "Agent Sessions, a Codex session (issue 25): the provider's miss named and costed apart from the avoidable ones, its gap in its own column; the rows and the Prompt Cache view's show their figures at the default sidebar width",
    async () => {
      await page.locator('.monaco-list-row', { hasText: 'Fix the failing' }).first().click();
      const view = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      const summary = await replaySummary(page, view, /Codex session: 3 model calls/);
      // The panel is reused: this session opens at its summary, not scrolled where the check before left the last one.
      const scrolled = await view.locator('body').evaluate(() => document.scrollingElement.scrollTop);
      if (scrolled > 0) throw new Error(`the Codex session's report opened scrolled down by ${scrolled} px`);
      if (!/none of its misses was avoidable/.test(summary)) throw new Error(`money: ${summary}`);
      const provider = await view.locator('#provider-side').innerText();
      if (!/The provider's misses cost \$[\d.]+ more/.test(provider)) throw new Error(`provider side: ${provider}`);
      const rerouted = view.locator('#miss-table tbody tr', { hasText: 'rerouted' });
      const cells = await rerouted.locator('td').allInnerTexts();
      const heads = await view.locator('#miss-table thead th').allInnerTexts();
      const col = (h) => cells[heads.indexOf(h)];
      if (col('gap') !== '10 s' || col('where') !== '') throw new Error(`row ${JSON.stringify(cells)}`);
      if (await view.locator('#miss-table tbody tr[data-reason="cached"]').count())
        throw new Error('a cached call listed under "not read from cache"');
      await progressGone(page);
      await page.screenshot({ path: path.join(OUT, 'agent-sessions-codex.png') });
      // The Prompt Cache view: each prompt file's cached share beside its name, not cut off.
      const header = page.locator('.pane-header', { hasText: /Prompt Cache/i }).first();
      if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
      await page
        .locator('.monaco-list-row', { hasText: 'support-agent.prompt.md' })
        .filter({ hasText: /\d+ ?%/ })
        .first()
        .waitFor({ timeout: 30000 });
      const cut = await truncatedRows(page, 'Prompt Cache');
      if (cut.length) throw new Error(`cut off at the default sidebar width: ${JSON.stringify(cut)}`);
      await page.screenshot({ path: path.join(OUT, 'prompt-cache-view.png') });
      await header.click(); // collapsed again, as the checks after expect
      await page.keyboard.press('Control+W');
    },
  );

  await check(
    '"KV Lens: Show Attention": the heat map beside the prompt with the cache boundary, "reused N" after an edit, and the panel back after a reload',
    async () => {
      // The sample for DeepSeek (64-token cache units, no 1,024-token minimum), so its cached prefix ends inside the
      // 1,024 tokens GPT-2 sees; recorded as sent, so an edit breaks the cache where it is.
      const sample = fs.readFileSync(path.join(ws, 'prompts/support-agent.prompt.md'), 'utf8');
      fs.writeFileSync(
        path.join(ws, 'prompts/attention.prompt.md'),
        sample.replace("model: 'gpt-4.1'", "model: 'deepseek-v4-flash'"),
      );
      await openFromExplorer(page, 'prompts/attention.prompt.md');
      // The palette lists prompt commands once the extension has said this is a prompt (context kvlens.isPrompt, sent
      // with the status bar item): wait for the item, as a user's eye would.
      await tokenItem(page).waitFor({ timeout: 20000 });
      // Focus the editor, as a user typing would: the palette evaluates `when` clauses against the focused part.
      await page.locator('.monaco-editor .view-line').first().click();
      await page.waitForTimeout(300);
      await runCommand(page, 'KV Lens: Record as Sent');
      await runCommand(page, 'KV Lens: Show Attention');
      const view = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      await view.locator('#reused', { hasText: /^Reused 0 tokens, computed 1,024/ }).waitFor({ timeout: 90000 });
      // The first heat map's breakdown, as the panel shows it at its foot (reported, not asserted as a timing).
      log(`  ${(await view.locator('#startup').innerText({ timeout: 30000 })).trim()}`);
      const backend = (await view.locator('#backend').innerText()).trim();
      log(
        `  attention panel in code-server's webview: ${backend}${
          backend === 'WASM'
            ? ` ${(
                await view
                  .locator('#fallback')
                  .innerText()
                  .catch(() => '')
              ).trim()}`
            : ''
        }`,
      );
      // Type at the end of line 46 in the editor (about 700 of GPT-2's tokens in).
      await page.locator('.monaco-editor .view-line').first().click();
      await page.keyboard.press('Control+G');
      await page.keyboard.type('46');
      await page.keyboard.press('Enter');
      await page.keyboard.press('End');
      await page.keyboard.type(' Always be kind.', { delay: 5 });
      const reused = view.locator('#reused', { hasText: /^Reused [1-9][\d,]* tokens, computed \d+$/ });
      await reused.waitFor({ timeout: 60000 });
      const n = Number((await reused.innerText()).match(/Reused ([\d,]+)/)[1].replace(/,/g, ''));
      if (n < 600) throw new Error(`reused only ${n} tokens after an edit at line 46`);
      await view.locator('#prefix-share').waitFor({ timeout: 30000 });
      log(`  after the edit: ${(await view.locator('#kv').innerText()).trim()}`);
      // As a user would look at it: the editor scrolled back to the line's start, the map at the cache boundary.
      await view.locator('#window-boundary').click();
      // Back to the editor (its tab, so the cursor stays), at the start of the line: Go to Line 46, column 1 reveals it,
      // which scrolls the editor back to its left edge as a reader would have it. (A synthetic sideways wheel of the
      // page scrolled the workbench itself out of the viewport: the screenshot was white and the palette unreachable.)
      await setSideBar(page, false);
      await page.locator('.tabs-container .tab', { hasText: 'attention.prompt.md' }).first().click();
      await page.keyboard.press('Control+G');
      await page.keyboard.type('46:1');
      await page.keyboard.press('Enter');
      await page.waitForTimeout(500);
      const scrolled = await page.evaluate(
        () =>
          document.querySelector('.monaco-editor .monaco-scrollable-element .scrollbar.horizontal .slider')?.style.left,
      );
      if (scrolled && scrolled !== '0px') throw new Error(`the editor is still scrolled sideways (${scrolled})`);
      // End on the long line 46 lets headless Chromium scroll the editor's scrollable element itself sideways (to
      // bring the focused text area into view) behind Monaco's back: the text is drawn ~440 px to the left of where
      // the editor, its scroll bar and the status bar put it. Monaco undoes such a browser scroll on its other
      // elements and only the vertical one on this element, so the picture is set right here, as seen.
      const stray = await page.evaluate(() =>
        [...document.querySelectorAll('.monaco-editor .editor-scrollable')].reduce((n, e) => {
          const left = e.scrollLeft;
          e.scrollLeft = 0;
          return n + left;
        }, 0),
      );
      if (stray) log(`    undid the browser's own sideways scroll of the editor (${stray} px) for the screenshot`);
      await page.mouse.move(300, 600); // off the title buttons, whose tooltips would cover the picture
      await page.waitForTimeout(800);
      await page.screenshot({ path: path.join(OUT, 'attention.png') });
      // The same in a dark theme: the map's colours come from the theme (it is redrawn on the switch).
      await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
      await page.waitForTimeout(1500);
      await page.mouse.move(300, 600);
      await page.screenshot({ path: path.join(OUT, 'attention-dark.png') });
      await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
      await setSideBar(page, true);
      // A reload brings the panel back (its serializer): it follows the editor again and runs the model again.
      await runCommand(page, 'Developer: Reload Window');
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 90000 });
      const restored = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      await restored
        .locator('#reused', { hasText: /^Reused [\d,]+ tokens, computed [\d,]+/ })
        .waitFor({ timeout: 90000 });
      await restored.locator('#title', { hasText: 'attention.prompt.md' }).waitFor({ timeout: 10000 });
      log(`  after a reload: ${(await restored.locator('#kv').innerText()).trim().split(' Same result')[0]}`);
      log(`  ${(await restored.locator('#startup').innerText({ timeout: 30000 })).trim()}`);
      await page.locator('.tabs-container .tab', { hasText: 'attention.prompt.md' }).first().click();
      await runCommand(page, 'File: Revert File');
      await runCommand(page, 'View: Close All Editors');
    },
  );

  await check('a non-prompt file (README.md) shows no KV Lens item', async () => {
    await openFromExplorer(page, 'README.md');
    await tokenItem(page).waitFor({ state: 'detached', timeout: 10000 });
  });

  await check('"KV Lens: Inspect This File" shows the cache summary for README.md', async () => {
    await runCommand(page, 'KV Lens: Inspect This File');
    const want = await expectedLabel(path.join(ws, 'README.md'));
    const now = await waitForTokenText(page, want);
    if (!want.test(now ?? '')) throw new Error(`status bar shows ${JSON.stringify(now)}, expected ${want}`);
  });

  await check('"KV Lens: Show Activation Time" reports the activation time', async () => {
    await runCommand(page, 'KV Lens: Show Activation Time');
    const text = await notificationText(page, 'KV Lens activated in');
    const ms = Number(/activated in ([\d.]+) ms/.exec(text)?.[1]);
    if (!(ms > 0 && ms < 10000)) throw new Error(`unexpected notification: ${text}`);
    const load = Number(/bundle load ([\d.]+) ms/.exec(text)?.[1]);
    const call = Number(/activate\(\) ([\d.]+) ms/.exec(text)?.[1]);
    const total = Number(/\(([\d.]+) ms from bundle start/.exec(text)?.[1]);
    log(
      `  activation reported by the command: ${ms} ms = bundle load ${load} ms + activate() ${call} ms (${total} ms from bundle start, host work included)`,
    );
  });

  await check(
    'a Python file with an LLM call: lens over the call, static prefix tinted, diagnostic on datetime.now(), the move fix from the light bulb',
    async () => {
      const sample = path.join(ws, 'code/support_agent.py');
      const original = fs.readFileSync(sample, 'utf8');
      await openFromExplorer(page, 'code/support_agent.py');
      await page
        .locator('.monaco-editor .codelens-decoration', {
          hasText: /first dynamic value: `datetime\.now\(\)` at line 9, per request/,
        })
        .first()
        .waitFor({ timeout: 90000 }); // the first source file opened loads the parser (and, run alone, the extension)
      if (!(await waitForDecoration(page, 'kvlens.cachedBackground', 'background')))
        throw new Error('the static prefix is not tinted');
      if (!(await waitForDecoration(page, 'kvlens.cacheBreakForeground', 'border')))
        throw new Error('no break mark on the value');
      await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 15000 });
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(OUT, 'code-prompt.png') });
      // The fix, as a user applies it: a click on the squiggled value, Ctrl+. , the "Move … to the last user message" action.
      const box = await page.locator('.monaco-editor .squiggly-warning').first().boundingBox();
      if (!box) throw new Error('the squiggle has no box');
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.keyboard.press('Control+.');
      await page.waitForTimeout(1500);
      if (
        !(await page
          .locator('.action-widget')
          .first()
          .isVisible()
          .catch(() => false))
      )
        await runCommand(page, 'Quick Fix...');
      const item = page
        .locator('.action-widget .monaco-list-row', {
          hasText: /Move `datetime\.now\(\)` to the last user message: caches/,
        })
        .first();
      await item.waitFor({ timeout: 15000 });
      await page.screenshot({ path: path.join(OUT, 'code-prompt-fix.png') });
      // The preferred fix is the first row, focused: Enter applies it (as a keyboard user does).
      await page.keyboard.press('Enter');
      // The lens over the call follows: the static text is all before the user's question now, nothing flagged.
      await page
        .locator('.monaco-editor .codelens-decoration', { hasText: /static tokens.*then `question`/ })
        .first()
        .waitFor({ timeout: 30000 });
      if (await page.locator('.monaco-editor .codelens-decoration', { hasText: /nothing after it is cached/ }).count())
        throw new Error('the call is still flagged after the fix');
      await page.screenshot({ path: path.join(OUT, 'code-prompt-fixed.png') });
      await runCommand(page, 'File: Revert File');
      await runCommand(page, 'View: Close All Editors');
      // The Explorer showed the file modified on disk after the fix (VS Code saves a file a code action edited, as
      // files.refactoring.autoSave allows): put it back for the checks after this one.
      fs.writeFileSync(sample, original);
    },
  );

  await check('a TypeScript route with new Date() in the system prompt: lens, tint and diagnostic', async () => {
    await openFromExplorer(page, 'code/route.ts');
    await page
      .locator('.monaco-editor .codelens-decoration', {
        hasText: /first dynamic value: `new Date\(\)\.toLocaleString\('en-US'\)`/,
      })
      .first()
      .waitFor({ timeout: 30000 });
    if (!(await waitForDecoration(page, 'kvlens.cachedBackground', 'background')))
      throw new Error('the static prefix is not tinted');
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 15000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(OUT, 'code-prompt-ts.png') });
    await runCommand(page, 'View: Close All Editors');
  });

  await check('the "Get started with KV Lens" walkthrough opens with its six steps', async () => {
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Welcome: Open Walkthrough...');
    await page.locator('.quick-input-box input').fill('KV Lens');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with KV Lens' }).first().click();
    const steps = page.locator('.getting-started-step .step-title');
    await page.locator('.getting-started-step', { hasText: 'Read the status bar' }).first().waitFor({ timeout: 15000 });
    const titles = await steps.allInnerTexts();
    for (const t of [
      'Open a prompt',
      'Read the status bar',
      'See where the cache breaks',
      'Record as Sent',
      'Estimate Cost',
      'Show Attention',
    ]) {
      if (!titles.some((x) => x.includes(t))) throw new Error(`walkthrough steps: ${titles.join(' | ')}`);
    }
    await page.locator('.getting-started-step', { hasText: 'Read the status bar' }).first().click();
    // The step's Markdown (media/walkthrough/statusbar.md) renders in a webview beside the steps.
    let shown = false;
    for (let i = 0; i < 60 && !shown; i++) {
      for (const f of page.frames())
        if (
          await f
            .locator('h1', { hasText: 'Read the status bar' })
            .count()
            .catch(() => 0)
        )
          shown = true;
      if (!shown) await page.waitForTimeout(250);
    }
    if (!shown) throw new Error("the step's Markdown (media/walkthrough/statusbar.md) did not render");
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(OUT, 'walkthrough.png') });
    await runCommand(page, 'View: Close All Editors');
  });
  await page.close();
}

async function phase3Vsix(ws) {
  log('phase 3: the packaged .vsix, installed like a user would');
  const vsix = fs
    .readdirSync(path.join(root, 'dist-vsix'))
    .filter((f) => f.endsWith('.vsix'))
    .map((f) => path.join(root, 'dist-vsix', f))
    .sort()
    .at(-1);
  const home = path.join(tmp, 'vsix-home'),
    extDir = path.join(home, 'ext');
  let installed = false;
  await check(`code-server --install-extension ${path.basename(vsix ?? 'dist-vsix/*.vsix')} succeeds`, async () => {
    if (!vsix) throw new Error('no .vsix in dist-vsix/');
    const r = installExtension(vsix, extDir, home);
    if (!r.ok || !fs.readdirSync(extDir).some((d) => d.startsWith('kvlens.kvlens-')))
      throw new Error(`install failed: ${r.output}`);
    installed = true;
  });
  const s =
    installed &&
    (await startCodeServer({
      port: await freePort(),
      home,
      extensionsDir: extDir,
      log: path.join(OUT, 'code-server-vsix.log'),
      settings: E2E_SETTINGS,
    }));
  try {
    const page = s && (await openWorkbench(ctx, workbenchUrl(s.host, ws)));
    // the prompt file first, so activation has to come from opening it (VS Code 1.100 gives *.prompt.md the language id `prompt`)
    for (const file of [PROMPT, 'requests/anthropic-messages.json']) {
      await check(`the installed extension (no development path) activates and counts ${file}`, async () => {
        if (!page) throw new Error('not installed');
        await openFromExplorer(page, file);
        const want = await expectedLabel(path.join(ws, file));
        const now = await waitForTokenText(page, want, 30000);
        if (!want.test(now ?? '')) throw new Error(`status bar shows ${JSON.stringify(now)}, expected ${want}`);
      });
    }
  } finally {
    if (s) await s.stop();
  }
}

/**
 * The web worker extension host (vscode.dev, github.dev): code-server runs KV Lens there when the setting
 * remote.extensionKind makes it a web extension — its browser bundle, no Node, the rank data fetched.
 */
async function phase4WebHost(ws) {
  log('phase 4: the web worker extension host');
  const s = await startCodeServer({
    port: await freePort(),
    home: path.join(tmp, 'web-home'),
    log: path.join(OUT, 'code-server-web.log'),
    settings: { ...E2E_SETTINGS, 'remote.extensionKind': { 'kvlens.kvlens': ['web'] } },
  });
  try {
    const page = await openWorkbench(ctx, workbenchUrl(s.host, ws, { devPath: root }));
    await check('in the web worker extension host: the cache report of a prompt file in the status bar', async () => {
      await openFromExplorer(page, PROMPT);
      const want = await expectedLabel(path.join(ws, PROMPT));
      const now = await waitForTokenText(page, want, 60000);
      if (!want.test(now ?? '')) throw new Error(`status bar shows ${JSON.stringify(now)}, expected ${want}`);
    });
    await check(
      'in the web worker extension host: KV Lens says it runs there, and tints the cached prefix',
      async () => {
        await runCommand(page, 'KV Lens: Show Activation Time');
        const text = await notificationText(page, 'KV Lens activated in');
        if (!/in the web worker extension host/.test(text)) throw new Error(`not the web worker host: ${text}`);
        log(
          `  web host ${/activated in ([\d.]+ ms: bundle load [\d.]+ ms \+ activate\(\) [\d.]+ ms)/.exec(text)?.[1]}`,
        );
        if (!(await waitForDecoration(page, 'kvlens.cachedBackground', 'background')))
          throw new Error('no cached-prefix decoration rendered');
      },
    );
    await agentWebHostCheck({ page, ws, root, check });
    await check(
      'in the web worker extension host: a Python file with an LLM call gets its lens (tree-sitter in the worker)',
      async () => {
        await openFromExplorer(page, 'code/support_agent.py');
        await page
          .locator('.monaco-editor .codelens-decoration', {
            hasText: /first dynamic value: `datetime\.now\(\)` at line 9, per request/,
          })
          .first()
          .waitFor({ timeout: 90000 });
        await runCommand(page, 'View: Close All Editors');
      },
    );
    await check('in the web worker extension host: a request body is analyzed (its own model)', async () => {
      await openFromExplorer(page, 'requests/anthropic-messages.json');
      const want = await expectedLabel(path.join(ws, 'requests/anthropic-messages.json'));
      const now = await waitForTokenText(page, want, 30000);
      if (!want.test(now ?? '')) throw new Error(`status bar shows ${JSON.stringify(now)}, expected ${want}`);
    });
    await page.close();
  } finally {
    await s.stop();
  }
}

/**
 * Restricted Mode: a workspace that is not trusted, whose .vscode/settings.json tries what a hostile repository
 * would — a catalog of its own prices, a model download from a server it names into a path with '..'. KV Lens still
 * analyzes (as `kvlens analyze` does, with the bundled prices), ignores those settings, and downloads nothing.
 */
async function phase5Restricted(ws) {
  log('phase 5: Restricted Mode (an untrusted workspace with hostile settings)');
  const hits = [];
  const hub = http.createServer((req, res) => {
    hits.push(req.url);
    res.writeHead(404).end();
  });
  await new Promise((r) => hub.listen(0, '127.0.0.1', r));
  const escape = path.join(tmp, 'escaped');
  fs.writeFileSync(
    path.join(ws, 'hostile-catalog.json'),
    JSON.stringify({
      models: [
        {
          id: 'gpt-4.1',
          prices: { input: '999', cachedInput: '999', output: '999', source: 'hostile', asOf: '2026-12-01' },
        },
      ],
    }),
  );
  fs.writeFileSync(
    path.join(ws, '.vscode/settings.json'),
    JSON.stringify(
      {
        'kvlens.catalogStaleNotice': false,
        'kvlens.catalogFile': 'hostile-catalog.json',
        'kvlens.attention.hubUrl': `http://127.0.0.1:${hub.address().port}`,
        'kvlens.attention.huggingFaceRepo': `../../../../../../..${escape}`,
      },
      null,
      2,
    ),
  );
  const s = await startCodeServer({
    port: await freePort(),
    home: path.join(tmp, 'restricted-home'),
    log: path.join(OUT, 'code-server-restricted.log'),
    settings: E2E_SETTINGS,
    trust: true,
  });
  try {
    const page = await openWorkbench(ctx, workbenchUrl(s.host, ws, { devPath: root }));
    await check(
      'Restricted Mode: the workbench says so, and KV Lens still reports the prompt with the bundled prices',
      async () => {
        await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30000 });
        await openFromExplorer(page, PROMPT);
        const want = await expectedLabel(path.join(ws, PROMPT));
        const shown = await waitForTokenText(page, want, 60000);
        if (!want.test(shown ?? ''))
          throw new Error(
            `status bar shows ${JSON.stringify(shown)}, expected ${want} (the workspace's catalog must not apply)`,
          );
        await page.screenshot({ path: path.join(OUT, 'restricted-mode.png') });
      },
    );
    await agentRestrictedCheck({ page, ws, check, hoverUntil });
    await check('Restricted Mode: choosing the hub model downloads nothing and says why', async () => {
      await runCommand(page, 'KV Lens: Choose the Attention Model');
      const item = page
        .locator('.quick-input-list .monaco-list-row', { hasText: 'GPT-2 from the Hugging Face hub' })
        .first();
      await item.waitFor({ timeout: 15000 });
      const row = (await item.innerText()).replace(/\s+/g, ' ');
      if (!/needs a trusted workspace/.test(row)) throw new Error(`the hub choice does not say it needs trust: ${row}`);
      await item.click();
      const text = await notificationText(page, 'Restricted Mode');
      if (!/models are downloaded only in a trusted workspace/.test(text))
        throw new Error(`notification says: ${text}`);
      await page.waitForTimeout(1000);
      if (hits.length) throw new Error(`the hub was asked for ${hits.join(', ')}`);
      if (fs.existsSync(escape)) throw new Error(`a file was written at ${escape}`);
      await page.screenshot({ path: path.join(OUT, 'restricted-download.png') });
    });
    await page.close();
  } finally {
    await s.stop();
    hub.close();
  }
}

async function cleanup() {
  await ctx?.close().catch(() => {});
  await server?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}

async function main() {
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  // One production build serves all phases: the tests exercise exactly the bundles the .vsix ships.
  log('production build with the test bundles, then the .vsix');
  // npm test has made that build already (KVLENS_PREBUILT=1).
  if (!process.env.KVLENS_PREBUILT) step(process.execPath, ['scripts/build.mjs', '--production', '--tests']);
  step(process.execPath, ['scripts/package.mjs', '--no-build']);
  step('bash', ['scripts/setup-e2e.sh']);
  // A fake home for the coding agents' transcripts (the Agent Sessions view reads them there, never the real one).
  server = await startCodeServer({
    port: await freePort(),
    home: path.join(tmp, 'home'),
    log: path.join(OUT, 'code-server.log'),
    settings: E2E_SETTINGS,
    env: { CLAUDE_CONFIG_DIR: AGENT_HOME.claude, CODEX_HOME: AGENT_HOME.codex },
  });
  log(`code-server up on ${server.host}`);
  ctx = await launchBrowser(path.join(tmp, 'chromium'));
  if (PHASES.has('1')) await phase1ExtensionHost(makeWorkspace('ws-extension-host', { git: true }));
  if (PHASES.has('2')) await phase2Ui(makeWorkspace('ws-ui', { git: true }));
  await server.stop();
  server = undefined;
  if (PHASES.has('3')) await phase3Vsix(makeWorkspace('ws-vsix'));
  if (PHASES.has('4')) await phase4WebHost(makeWorkspace('ws-web'));
  if (PHASES.has('5')) await phase5Restricted(makeWorkspace('ws-restricted'));
  if (PHASES.has('6')) await phasePlayground({ ctx, check, log, tmp, out: OUT, root, expectedLabel, analyzeJson });
  // The README shows the real thing: the screenshots of this run, when asked to refresh them (or when missing).
  const shots = {
    'workbench.png': 'status-bar.png',
    'cached-prefix.png': 'cached-prefix.png',
    'cache-break.png': 'cache-break.png',
    'token-hover.png': 'token-hover.png',
    'cost-report.png': 'cost-report.png',
    'replay.png': 'replay.png',
    'attention.png': 'attention.png',
    'attention-dark.png': 'attention-dark.png',
    'agent-sessions.png': 'agent-sessions.png',
    'agent-claude-md.png': 'agent-claude-md.png',
    'agent-claude-md-dark.png': 'agent-claude-md-dark.png',
    'agent-codex-cut.png': 'agent-codex-cut.png',
    'agent-context.png': 'agent-context.png',
    'agent-context-dark.png': 'agent-context-dark.png',
    'agent-sessions-codex.png': 'agent-sessions-codex.png',
    'restricted-mode.png': 'restricted-mode.png',
    'walkthrough.png': 'walkthrough.png',
    'playground.png': 'playground.png',
    'no-baseline.png': 'no-baseline.png',
    'cost-workspace-light.png': 'cost-workspace.png',
    'code-prompt.png': 'prompts-in-code.png',
  };
  for (const [from, to] of Object.entries(shots)) {
    const shot = path.join(OUT, from),
      media = path.join(root, 'media/screenshots', to);
    if (fs.existsSync(shot) && (process.env.KVLENS_UPDATE_SCREENSHOTS === '1' || !fs.existsSync(media))) {
      fs.mkdirSync(path.dirname(media), { recursive: true });
      fs.copyFileSync(shot, media);
      log(`screenshot copied to ${path.relative(root, media)}`);
    }
  }
}

const watchdog = setTimeout(
  async () => {
    log(`timed out after ${process.env.E2E_TIMEOUT_S || 1200} s`);
    results.push({ name: 'finished in time', ok: false });
    await finish();
  },
  1000 * Number(process.env.E2E_TIMEOUT_S || 1200),
);
for (const sig of ['SIGINT', 'SIGTERM'])
  process.once(sig, async () => {
    results.push({ name: sig, ok: false });
    await finish();
  });

let finishing = false;
async function finish() {
  if (finishing) return;
  finishing = true;
  clearTimeout(watchdog);
  await cleanup();
  const passed = results.filter((r) => r.ok).length,
    failed = results.length - passed;
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed || !passed ? 1 : 0);
}

main()
  .catch((e) => {
    console.error('e2e ERROR:', e.stack ?? e);
    results.push({ name: 'runner', ok: false });
  })
  .then(finish);
