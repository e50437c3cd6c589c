// E2E phase 6: what `npm start` shows. code-server is started by the function `npm start` runs (startPlayground: the
// same user settings, the same playground folder), so a setting that hides the git baseline from `npm start` fails
// here even when the other phases' workspaces turn git on for themselves. Then: a plain folder (no git, nothing
// recorded) says what its baseline is and how to get one, and a repository that appears later (`git init`, git
// turned on by hand) re-baselines the open prompt at once, without a keystroke.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from './codeServer.mjs';
import { makePlayground, startPlayground } from '../playground.mjs';
import { gitIn, makeTestWorkspace } from './workspace.mjs';
import {
  hoverUntil,
  notificationText,
  openFromExplorer,
  openWorkbench,
  quickPickCuts,
  runCommand,
  tokenItem,
  waitForTokenText,
} from './workbench.mjs';

const PROMPT = 'prompts/support-agent.prompt.md';
/** The rule the playground adds without committing it (scripts/playground.mjs): the cache breaks there. */
const RULE = "Always confirm the customer's workspace name";

/** Goes to a 1-based line with Ctrl+G, as a user would. */
async function goToLine(page, line) {
  await page.locator('.monaco-editor .view-line').first().click();
  await page.keyboard.press('Control+G');
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
}

/** The code lens whose text matches `text`, and the editor line holding `lineText`, as boxes on screen. */
async function lensAboveLine(page, text, lineText) {
  const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: text }).first();
  await lens.waitFor({ timeout: 20000 });
  const line = page.locator('.monaco-editor .view-line', { hasText: lineText }).first();
  await line.waitFor({ timeout: 10000 });
  return { lens: await lens.boundingBox(), line: await line.boundingBox(), text: (await lens.innerText()).trim() };
}

/**
 * @param {object} t the runner's parts: ctx (browser), check, log, tmp, out (screenshots), root, expectedLabel,
 *   analyzeJson (the CLI's `kvlens analyze --json` of a file)
 */
export async function phasePlayground(t) {
  const { ctx, check, log, tmp, out, root, expectedLabel, analyzeJson } = t;
  log("phase 6: npm start's playground, a plain folder, and a repository that appears later");
  const { server, folder, url } = await startPlayground({
    root,
    home: path.join(tmp, 'start-home'),
    port: await freePort(),
    log: path.join(out, 'code-server-start.log'),
  });
  try {
    const page = await openWorkbench(ctx, url);
    await check(
      'npm start: the playground prompt names git HEAD in the status bar, and the break shows at the uncommitted rule',
      async () => {
        await openFromExplorer(page, PROMPT);
        const file = path.join(folder, PROMPT);
        const want = await expectedLabel(file, ['--baseline', 'git:HEAD'], 'git HEAD');
        const shown = await waitForTokenText(page, want, 60000);
        if (!want.test(shown ?? ''))
          throw new Error(`status bar shows ${JSON.stringify(shown)}, expected ${want} (git HEAD, as the README says)`);
        const r = await analyzeJson(file, ['--baseline', 'git:HEAD']);
        const ruleLine =
          fs
            .readFileSync(file, 'utf8')
            .split('\n')
            .findIndex((l) => l.startsWith(RULE)) + 1;
        if (r.firstDivergence?.line !== ruleLine)
          throw new Error(`the CLI breaks at line ${r.firstDivergence?.line}, the rule is at line ${ruleLine}`);
        await goToLine(page, ruleLine);
        const { lens, line, text } = await lensAboveLine(page, /Cache breaks here: .*changed since git HEAD/, RULE);
        if (!lens || !line || lens.y > line.y || line.y - (lens.y + lens.height) > 8)
          throw new Error(`the break lens "${text}" is not right above the rule: ${JSON.stringify({ lens, line })}`);
        // The one-time notice about old prices covers the lower right: closed, as a user would.
        await page
          .locator('.notifications-toasts .codicon-notifications-clear')
          .first()
          .click({ timeout: 2000 })
          .catch(() => {});
        await page.mouse.move(300, 500);
        await page.waitForTimeout(500);
        await page.screenshot({ path: path.join(out, 'playground.png') });
      },
    );
    await check(
      "the cost report names the status bar's baseline and its next call has the status bar's cached count; the workspace report fits its panel",
      async () => {
        const status = await waitForTokenText(page, / · git HEAD$/, 10000);
        const cached = status?.split('/')[0];
        // A click on the status bar item opens the report of this file, after the models' quick pick.
        await tokenItem(page).click();
        await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible' });
        await page.keyboard.press('Enter');
        const view = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
        await view.locator('[data-cell^="nextCall:gpt-4.1"]').waitFor({ timeout: 30000 });
        const baseline = (await view.locator('#baseline').innerText()).trim();
        if (!/^Baseline: git HEAD, as in the status bar/.test(baseline)) throw new Error(`the report says ${baseline}`);
        const next = (await view.locator('[data-cell="nextCall:gpt-4.1"]').innerText()).trim();
        if (!next.startsWith(`${cached} cached`))
          throw new Error(`the report's next call says ${next}, the status bar ${status}`);
        // The workspace report, in the same panel beside the editor (about 500 px wide).
        await runCommand(page, "KV Lens: Estimate Cost of the Workspace's Prompts");
        await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible' });
        await page.keyboard.press('Enter');
        const ws = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
        await ws.locator('#workspace-table [data-money]').first().waitFor({ timeout: 60000 });
        const frame = await page.locator('iframe.webview.ready').boundingBox();
        if (await ws.locator('#no-models').isVisible()) throw new Error('"No model chosen" beside the table');
        if (await ws.locator('#chart').isVisible()) throw new Error('a chart of no model');
        const money = ws.locator('#workspace-table [data-money]');
        for (let i = 0, n = await money.count(); i < n; i++) {
          const b = await money.nth(i).boundingBox();
          if (!b || b.x + b.width > frame.x + frame.width + 1)
            throw new Error(`${await money.nth(i).innerText()} is cut off in a ${Math.round(frame.width)} px panel`);
        }
        const sideways = await ws.locator('#workspace .scroll').evaluate((box) => box.scrollWidth - box.clientWidth);
        if (sideways > 0) throw new Error(`the workspace table scrolls sideways by ${sideways} px`);
        log(
          `      workspace report in a ${Math.round(frame.width)} px panel: ${await money.count()} sums on screen, ${(await ws.locator('#workspace-table').getAttribute('class')) ?? ''}`,
        );
        // The playground's code-server is in its default light theme; the panel's dark theme at 480 px is a browser
        // test (test/browser/costView.test.ts). Its theme picker lists no dark theme for a while after a cold start.
        await page.mouse.move(5, 5);
        await page.waitForTimeout(1000);
        await page.screenshot({ path: path.join(out, 'cost-workspace-light.png') });
      },
    );
    await page.close();

    // A plain folder: no repository, nothing recorded.
    const plain = makeTestWorkspace(root, path.join(tmp, 'ws-plain'));
    const plainPage = await openWorkbench(ctx, url.replace(/folder=[^&]*/, `folder=${encodeURIComponent(plain)}`));
    await check(
      'outside git with nothing recorded: after an edit the lens and the tooltip say the baseline is the steady state and how to get one',
      async () => {
        await openFromExplorer(plainPage, PROMPT);
        await waitForTokenText(plainPage, / · steady state$/, 60000);
        await goToLine(plainPage, 10);
        await plainPage.keyboard.press('Home');
        await plainPage.keyboard.type('Reply in the language the customer uses. ', { delay: 5 });
        const { text } = await lensAboveLine(plainPage, /no earlier version to compare edits with/, 'Role');
        const lenses = await plainPage.locator('.monaco-editor .codelens-decoration').allInnerTexts();
        for (const action of ['Record as Sent', 'Choose Baseline'])
          if (!lenses.some((l) => l.includes(action)))
            throw new Error(`no "${action}" lens beside "${text}": ${JSON.stringify(lenses)}`);
        const tip = await hoverUntil(plainPage, () => tokenItem(plainPage).hover(), 'steady state');
        for (const words of [
          /not in a git (repository|commit)/,
          /nothing (is )?recorded as sent/,
          /Record as Sent/,
          /Choose Baseline/,
        ])
          if (!words.test(tip)) throw new Error(`the tooltip does not say ${words}: ${JSON.stringify(tip)}`);
        await plainPage.waitForTimeout(500);
        await plainPage.screenshot({ path: path.join(out, 'no-baseline.png') });
      },
    );
    await check(
      'a repository that appears later (git init and a commit): the open prompt is re-baselined at once',
      async () => {
        // The commit holds the prompt as it was before the typing (VS Code has auto-saved the typed line to disk).
        gitIn(plain, 'init', '-q');
        gitIn(plain, 'add', '-A');
        const blob = execFileSync('git', ['hash-object', '-w', path.join(root, 'samples', PROMPT)], {
          cwd: plain,
          encoding: 'utf8',
        }).trim();
        gitIn(plain, 'update-index', '--cacheinfo', `100644,${blob},${PROMPT}`);
        gitIn(plain, 'commit', '-q', '-m', 'samples');
        // No keystroke: against the new HEAD the cache breaks at the typed line.
        const shown = await waitForTokenText(plainPage, / · git HEAD$/, 30000);
        if (!/ · git HEAD$/.test(shown ?? ''))
          throw new Error(`status bar still shows ${JSON.stringify(shown)} after git init and a commit`);
      },
    );
    await check(
      'Update Prices without a network: the failed download offers a price table on disk (genai-prices) in the same flow, and the changes fit their lines',
      async () => {
        // A host that never resolves (RFC 2606 .invalid): the download fails as it does offline (ENOTFOUND).
        const settingsFile = path.join(plain, '.vscode/settings.json');
        const cfg = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
        fs.writeFileSync(
          settingsFile,
          JSON.stringify(
            { ...cfg, 'kvlens.priceTable.url': 'https://prices.kvlens.invalid/model_prices_and_context_window.json' },
            null,
            2,
          ),
        );
        const table = path.join(plain, 'genai-prices-data.json');
        fs.copyFileSync(path.join(root, 'test/unit/pricing/tables/genai-prices.json'), table);
        await plainPage.waitForTimeout(1500);
        await runCommand(plainPage, 'KV Lens: Update Prices');
        const toast = plainPage
          .locator('.notifications-toasts .notification-toast', { hasText: 'cannot download' })
          .first();
        await toast.waitFor({ timeout: 60000 });
        const said = (await toast.innerText()).replace(/\s+/g, ' ');
        if (!/genai-prices' data\.json/.test(said)) throw new Error(`the failure says ${said}`);
        await toast.locator('.monaco-button', { hasText: 'Open a Price File' }).click();
        // code-server's file dialog is a quick input holding a path: the workspace folder, where the file's name is typed.
        const box = plainPage.locator('.quick-input-widget .quick-input-box input');
        await box.waitFor({ state: 'visible' });
        await plainPage.waitForFunction(
          (dir) => document.querySelector('.quick-input-widget .quick-input-box input')?.value === `${dir}/`,
          plain,
          { timeout: 10000 },
        );
        await box.press('End');
        await plainPage.keyboard.type(path.basename(table), { delay: 20 });
        await plainPage.waitForTimeout(500);
        await plainPage.keyboard.press('Enter');
        await plainPage
          .locator('.quick-input-widget', { hasText: 'differ from the table' })
          .waitFor({ timeout: 30000 });
        const rows = await plainPage.locator('.quick-input-list .monaco-list-row').allInnerTexts();
        const cut = await quickPickCuts(plainPage);
        if (cut.length) throw new Error(`the quick pick cuts ${JSON.stringify(cut)}`);
        log(
          `      Update Prices from genai-prices' table on disk: ${rows.map((r) => r.replace(/\s+/g, ' ')).join(' | ')}`,
        );
        await plainPage.screenshot({ path: path.join(out, 'update-prices-file.png') });
        await plainPage.keyboard.press('Enter');
        const done = await notificationText(plainPage, 'are in use');
        if (!/with the file as source/.test(done)) throw new Error(`after taking them: ${done}`);
        await runCommand(plainPage, 'KV Lens: Revert to Bundled Prices');
      },
    );
    await check(
      "Select Model's quick pick: each model's two lines fit (prices with their date, the cache rule)",
      async () => {
        await plainPage.keyboard.press('Escape');
        await plainPage.locator('.monaco-editor .view-line').first().click();
        await runCommand(plainPage, 'KV Lens: Select Model');
        await plainPage.locator('.quick-input-widget', { hasText: 'model for this file' }).waitFor({ timeout: 15000 });
        await plainPage.waitForTimeout(500);
        await plainPage.screenshot({ path: path.join(out, 'select-model.png') });
        const cut = new Set();
        const seen = new Set();
        for (let i = 0; i < 25; i++) {
          for (const c of await quickPickCuts(plainPage)) cut.add(c);
          for (const r of await plainPage.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts())
            seen.add(r);
          await plainPage.keyboard.press('PageDown');
          await plainPage.waitForTimeout(100);
        }
        await plainPage.keyboard.press('Escape');
        if (cut.size) throw new Error(`${cut.size} lines cut, e.g. ${JSON.stringify([...cut].slice(0, 3))}`);
        log(`      Select Model: ${seen.size} lines seen, none cut`);
      },
    );
    await plainPage.close();

    // Git turned off in the folder's settings, then on by hand.
    const off = makePlayground(root, path.join(tmp, 'git-off'));
    const settings = path.join(off, '.vscode/settings.json');
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    fs.writeFileSync(settings, JSON.stringify({ 'git.enabled': false, 'kvlens.catalogStaleNotice': false }, null, 2));
    const offPage = await openWorkbench(ctx, url.replace(/folder=[^&]*/, `folder=${encodeURIComponent(off)}`));
    await check(
      'git turned on by hand while the prompt is open: the status bar follows to git HEAD without a keystroke',
      async () => {
        await openFromExplorer(offPage, PROMPT);
        const steady = await waitForTokenText(offPage, / · steady state$/, 60000);
        if (!/ · steady state$/.test(steady ?? '')) throw new Error(`with git off the status bar shows ${steady}`);
        fs.writeFileSync(
          settings,
          JSON.stringify({ 'git.enabled': true, 'kvlens.catalogStaleNotice': false }, null, 2),
        );
        const shown = await waitForTokenText(offPage, / · git HEAD$/, 30000);
        if (!/ · git HEAD$/.test(shown ?? ''))
          throw new Error(`status bar still shows ${JSON.stringify(shown)} after git was turned on`);
      },
    );
    await offPage.close();
  } finally {
    await server.stop();
  }
}
