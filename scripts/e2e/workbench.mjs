// Drives the VS Code workbench in headless Debian Chromium through playwright-core: the few gestures the UI
// checks need (open a file from the explorer, run a palette command, read the status bar and notifications).
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const CHROME_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** A persistent Chromium profile in `dir` (allows third-party storage, which webviews' service worker needs). */
export async function launchBrowser(dir) {
  fs.mkdirSync(path.join(dir, 'Default'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: 0 } }));
  return chromium.launchPersistentContext(dir, {
    headless: true,
    args: CHROME_ARGS,
    viewport: { width: 1400, height: 850 },
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  });
}

export async function openWorkbench(ctx, url) {
  const page = await ctx.newPage();
  // A renderer that dies leaves a white page and only timeouts behind: say so where it happens.
  page.on('crash', () => console.log(`[e2e] the workbench page crashed (renderer gone): ${url}`));
  await page.goto(url);
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 90000 });
  return page;
}

const escapeRe = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const explorerRow = (page, name) =>
  page
    .locator('.explorer-folders-view .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(name)}$`) }) })
    .first();

/**
 * Waits for an explorer row, scrolling the explorer as a user would when the row is below (or above) what it shows:
 * the list renders only its visible rows, so a row past the end of a short explorer (other views expanded under it)
 * is not on the page until scrolled to.
 */
async function scrollExplorerTo(page, row, timeout = 60000) {
  const list = page.locator('.explorer-folders-view .monaco-list').first();
  const deadline = Date.now() + timeout;
  for (let i = 0; Date.now() < deadline; i++) {
    if (await row.count()) return;
    const box = await list.boundingBox().catch(() => null);
    if (box) {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      // Down a few screens first, then back up: the row is on one side or the other.
      await page.mouse.wheel(0, i % 12 < 6 ? 400 : -400);
    }
    await page.waitForTimeout(250);
  }
  await row.waitFor({ timeout: 1000 });
}

/** Opens a workspace file the way a user does: expand its folders in the explorer, then double-click it. */
export async function openFromExplorer(page, relPath) {
  const parts = relPath.split('/');
  for (const folder of parts.slice(0, -1)) {
    const row = explorerRow(page, folder);
    await row.waitFor({ timeout: 60000 });
    // A click on a busy machine can land while the tree redraws that row (it is then lost, and the folder stays
    // closed, as a user sees it): click again, as a user would, up to three times.
    for (let attempt = 1; ; attempt++) {
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
      const open = await page
        .waitForFunction((el) => el.getAttribute('aria-expanded') === 'true', await row.elementHandle(), {
          timeout: 10000,
        })
        .then(() => true)
        .catch((e) => {
          if (attempt >= 3) throw e;
          return false;
        });
      if (open) break;
    }
  }
  const name = parts.at(-1);
  const file = explorerRow(page, name);
  await scrollExplorerTo(page, file);
  await file.dblclick();
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 30000 });
}

/**
 * Runs a command from the palette. The palette lists commands by their `when` clauses as they are when it opens; a
 * context key the extension sets on an editor change (kvlens.isPrompt) can arrive just after, so a command that is not
 * listed yet is looked up again in a freshly opened palette (three tries) before the check fails.
 */
export async function runCommand(page, title) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill('>' + title);
    try {
      await row.waitFor({ timeout: attempt < 3 ? 5000 : 30000 });
      break;
    } catch (e) {
      if (attempt >= 3) throw e;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000);
    }
  }
  await page.keyboard.press('Enter');
}

/** The KV Lens token-count item: the workbench gives an extension's entry the id `<extension id>.<item id>`. */
export const tokenItem = (page) => page.locator('[id="kvlens.kvlens.kvlens.tokens"]');

/** Waits until the KV Lens item shows `text` (the label after the codicon; a string or a RegExp); returns what it showed last. */
export async function waitForTokenText(page, text, timeout = 20000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = (await tokenItem(page).count()) ? (await tokenItem(page).innerText()).trim() : undefined;
    if (last !== undefined && (typeof text === 'string' ? last === text : text.test(last))) return last;
    await page.waitForTimeout(100);
  }
  return last;
}

/** Text of the first notification toast that contains `needle`. */
export async function notificationText(page, needle) {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: needle }).first();
  await toast.waitFor({ timeout: 30000 });
  return (await toast.innerText()).trim();
}

/** Hovers `target` (moving the mouse off and back) until a hover containing `needle` shows; returns its text. */
export async function hoverUntil(page, target, needle, timeout = 20000) {
  const hover = page.locator('.monaco-hover', { hasText: needle }).first();
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    await page.mouse.move(5, 5);
    await page.waitForTimeout(300);
    await target();
    if (
      await hover.waitFor({ timeout: 2500 }).then(
        () => true,
        () => false,
      )
    )
      return (await hover.innerText()).trim();
  }
  throw new Error(`no hover with ${JSON.stringify(needle)}`);
}

/** Switches the colour theme from the palette (Preferences: Color Theme), as a user does. */
export async function colorTheme(page, name) {
  const box = page.locator('.quick-input-widget .quick-input-box input');
  // F1 pressed while a webview has focus can be swallowed: focus the editor group and press it again.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    try {
      await box.waitFor({ state: 'visible', timeout: 5000 });
      break;
    } catch (e) {
      if (attempt >= 3) throw e;
      await page.keyboard.press('Control+1');
      await page.waitForTimeout(500);
    }
  }
  await box.fill('>Preferences: Color Theme');
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: /Preferences: Color Theme/ })
    .filter({ hasNotText: /Browse/ })
    .first()
    .click();
  await box.fill(name);
  // Only the open quick input's rows: an earlier pick leaves a hidden list behind.
  await page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row:visible', { hasText: new RegExp(`^\\s*${name}`) })
    .first()
    .click({ timeout: 30000 });
  // The workbench says which kind of theme is in force: a screenshot "in Dark Modern" must be one.
  const dark = /dark/i.test(name);
  const applied = await page
    .waitForFunction((d) => document.querySelector('.monaco-workbench')?.classList.contains('vs-dark') === d, dark, {
      timeout: 10000,
    })
    .then(
      () => true,
      () => false,
    );
  if (!applied) throw new Error(`the colour theme ${name} is not in force after picking it`);
}

/** The texts the open quick pick cuts off with an ellipsis (its rows' label, description and detail lines). */
export function quickPickCuts(page) {
  return page.evaluate(() => {
    const cut = [];
    for (const row of document.querySelectorAll('.quick-input-list .monaco-list-row'))
      for (const e of row.querySelectorAll('*'))
        if (getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1)
          cut.push(e.textContent.trim());
    return cut;
  });
}

/** Where each open webview's frame is on the page and its size (one string, to compare layouts). */
const webviewBoxes = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('iframe.webview.ready')]
      .map((f) => {
        const r = f.getBoundingClientRect();
        return `x ${Math.round(r.x)} y ${Math.round(r.y)} ${Math.round(r.width)}×${Math.round(r.height)}`;
      })
      .join(';'),
  );

/**
 * Shows or hides the primary side bar and returns once the workbench has laid out for it. `runCommand` returns when
 * Enter is pressed, and nothing promises the command has run by then (the first time a command runs, the workbench
 * first waits for the extension host's onCommand activation): a click into a webview aimed before the editors moved
 * lands where the panel was, beside it, and does nothing. So: wait until the workbench says the side bar is as wanted
 * (its `nosidebar` class), then until the webviews' frames keep their place for two looks 100 ms apart. Returns whether
 * the side bar had not yet changed when `runCommand` returned, how long the layout took after that, and where the
 * webviews were before, when the side bar's class changed, and after.
 */
export async function setSideBar(page, visible) {
  const isHidden = () =>
    page
      .locator('.monaco-workbench.nosidebar')
      .count()
      .then((n) => n > 0);
  const before = await webviewBoxes(page);
  if ((await isHidden()) === !visible) return { pendingAtEnter: false, ms: 0, before, atFlip: before, after: before };
  await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  const t = Date.now();
  const pendingAtEnter = (await isHidden()) !== !visible;
  await page.waitForFunction(
    (hidden) => document.querySelector('.monaco-workbench')?.classList.contains('nosidebar') === hidden,
    !visible,
    { timeout: 15000 },
  );
  const atFlip = await webviewBoxes(page);
  let after = atFlip;
  for (let i = 0; i < 50; i++) {
    await page.waitForTimeout(100);
    const now = await webviewBoxes(page);
    if (now === after) break;
    after = now;
  }
  return { pendingAtEnter, ms: Date.now() - t, before, atFlip, after };
}
