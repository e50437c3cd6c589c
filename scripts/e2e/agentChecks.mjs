// UI checks of agent instruction files (issue 24) in the workbench: a user opening CLAUDE.md, AGENTS.md, Copilot's
// instructions or a Cursor rule sees where it lands in each agent's request, its tokens and cost per session and when an
// edit applies; a part Codex never sends looks different; the Agent Context view draws each agent's request. Screenshots
// go to test-output/ (light, and dark for the editor and the view). The figures are checked against `kvlens agents`.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { colorTheme, openFromExplorer, runCommand } from './workbench.mjs';

const require = createRequire(import.meta.url);

/** `kvlens agents DIR --json` from the built CLI, in this process (the same core the editor runs). */
async function agentsJson(root, dir) {
  const { main } = require(path.join(root, 'dist/cli/kvlens.js'));
  const out = [];
  const code = await main(['agents', dir, '--json'], { out: (t) => out.push(t), err: () => {} });
  if (code !== 0) throw new Error(`kvlens agents ${dir} exited ${code}`);
  return JSON.parse(out.join(''));
}

const n = (x) => x.toLocaleString('en-US');

/** Opens a workspace file by its path through Go to File (the palette without '>'), as a user typing its path does. */
async function goToFile(page, rel) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible' });
  await input.fill(rel);
  const name = path.basename(rel);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 30000 });
}

export async function agentInstructionChecks({ page, ws, root, out, check, hoverUntil, waitForDecoration, log }) {
  const { writeAgentInstructions, NESTED_AGENTS } = require(
    path.join(root, process.env.KVLENS_OUT || 'out', 'test/e2e/suite/agentInstructions.js'),
  );
  writeAgentInstructions(ws);
  const item = page.locator('[id="kvlens.kvlens.kvlens.agents"]');
  const lens = (text) => page.locator('.monaco-editor .codelens-decoration', { hasText: text }).first();
  const itemText = async (re, timeout = 20000) => {
    const deadline = Date.now() + timeout;
    let last;
    while (Date.now() < deadline) {
      last = (await item.count()) ? (await item.innerText()).trim() : undefined;
      if (last && re.test(last)) return last;
      await page.waitForTimeout(100);
    }
    throw new Error(`the agent status item shows ${JSON.stringify(last)}, expected ${re}`);
  };
  const json = await agentsJson(root, ws);
  // The editor to itself, as a user reading a file would have it (the checks before leave panels open).
  await runCommand(page, 'View: Close All Editors');
  const sideBar = async (visible) => {
    const shown = await page.locator('.part.sidebar').isVisible();
    if (shown !== visible) await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  };
  const tokensOf = (harness, file) =>
    json.harnesses.find((h) => h.harness === harness)?.files.find((f) => f.path === file)?.tokens;

  await check(
    'opening CLAUDE.md: the lens and the status bar say where it lands in Claude Code’s request, its tokens, cost per session and when an edit applies; the sent text is tinted',
    async () => {
      const t0 = Date.now();
      await openFromExplorer(page, 'CLAUDE.md');
      const tokens = tokensOf('claude-code', 'CLAUDE.md');
      await lens('Claude Code · first user message').waitFor({ timeout: 30000 });
      log(`  CLAUDE.md: the lens is on screen ${Date.now() - t0} ms after the double-click (workbench included)`);
      const text = (await lens('Claude Code · first user message').innerText()).trim();
      const want = new RegExp(
        `Claude Code · first user message, after ≈12k–20k tokens of system prompt and tools · ${n(tokens)} tokens in every request · \\$[\\d.]+ per session`,
      );
      if (!want.test(text)) throw new Error(`lens says ${JSON.stringify(text)}, expected ${want}`);
      await lens('edit applies next session; running sessions keep their cache').waitFor({ timeout: 10000 });
      await itemText(
        new RegExp(`Claude Code: ${n(tokens)} tokens · \\$[\\d.]+/session · edit applies next session · \\+1 agent$`),
      );
      if (!(await waitForDecoration(page, 'kvlens.cachedBackground', 'background')))
        throw new Error('the sent text is not tinted');
      await sideBar(false);
      await page.mouse.move(5, 400);
      await page.waitForTimeout(400);
      await page.screenshot({ path: path.join(out, 'agent-claude-md.png') });
      await sideBar(true);
    },
  );

  await check(
    'hovering the agent item: each agent’s placement, tokens, cost per session and when an edit applies',
    async () => {
      const text = await hoverUntil(page, () => item.hover(), "in each coding agent's request");
      for (const needle of [
        'Claude Code',
        'GitHub Copilot',
        'system message',
        'next turn',
        'per session',
        'tools in front',
      ])
        if (!text.includes(needle)) throw new Error(`tooltip lacks ${JSON.stringify(needle)}: ${text}`);
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(out, 'agent-status-hover.png') });
      await page.mouse.move(5, 5);
    },
  );

  await check('AGENTS.md: Codex’s lens and status bar; the date on line 3 is flagged where it is', async () => {
    await openFromExplorer(page, 'AGENTS.md');
    const tokens = tokensOf('codex', 'AGENTS.md');
    await lens(
      `Codex CLI · first user message, after ≈4k–12k tokens of system prompt and tools · ${n(tokens)} tokens`,
    ).waitFor({
      timeout: 30000,
    });
    await itemText(
      new RegExp(`^Codex CLI: ${n(tokens)} tokens · \\$[\\d.]+/session · edit applies next session · \\+2 agents$`),
    );
    await lens('also GitHub Copilot (VS Code)').waitFor({ timeout: 10000 });
    // The squiggle of the date (a warning) on line 3.
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 15000 });
    await page.screenshot({ path: path.join(out, 'agent-agents-md.png') });
  });

  await check(
    'a service’s AGENTS.md past Codex’s 32 KiB budget: the part never sent is dimmed in its own colour, with a lens and a note where it starts',
    async () => {
      await goToFile(page, NESTED_AGENTS);
      await lens('Codex CLI · in a session started in services/billing').waitFor({ timeout: 30000 });
      const cutLens = lens('Codex never sends from here on');
      await cutLens.waitFor({ state: 'attached', timeout: 15000 });
      // The line where the cut starts (Codex's 32 KiB less the root AGENTS.md), centred as "Go to Line" does.
      const bytes = fs.readFileSync(path.join(ws, NESTED_AGENTS));
      const cutAt = 32768 - fs.statSync(path.join(ws, 'AGENTS.md')).size;
      const line = bytes.subarray(0, cutAt).toString('utf8').split('\n').length;
      const goTo = async (l) => {
        await page.keyboard.press('Control+G');
        await page.keyboard.type(String(l));
        await page.keyboard.press('Enter');
      };
      await goTo(line);
      await cutLens.waitFor({ timeout: 15000 });
      if (!(await waitForDecoration(page, 'kvlens.agentNeverSentBackground', 'background')))
        throw new Error('no never-sent decoration rendered');
      // Hover a word of a line past the cut.
      const after = page.locator('.monaco-editor .view-line', { hasText: `Rule ${line - 4 + 2}:` }).first();
      const hover = await hoverUntil(
        page,
        async () => {
          const box = await after.boundingBox();
          await page.mouse.move(box.x + 60, box.y + 8);
        },
        'Never sent by Codex',
      );
      if (!/project_doc_max_bytes/.test(hover)) throw new Error(`hover says ${hover}`);
      await page.mouse.move(5, 400);
      await sideBar(false);
      await goTo(line);
      await page.waitForTimeout(600);
      await page.screenshot({ path: path.join(out, 'agent-codex-cut.png') });
      await sideBar(true);
    },
  );

  await check(
    '.github/copilot-instructions.md: Copilot’s lens — a system message; an edit applies at the next turn and re-writes from there',
    async () => {
      await openFromExplorer(page, '.github/copilot-instructions.md');
      await lens('GitHub Copilot (VS Code) · system message, after ≈10k–25k tokens').waitFor({ timeout: 30000 });
      await lens(/edit applies next turn: re-writes ≈[\d,]+ tokens \+ the conversation/).waitFor({ timeout: 10000 });
      await itemText(/^GitHub Copilot \(VS Code\): [\d,]+ tokens · \$[\d.]+\/session · edit applies next turn$/);
      await page.screenshot({ path: path.join(out, 'agent-copilot.png') });
    },
  );

  await check(
    'a Cursor rule: Cursor’s lens says it is added when a matching file is touched, with its tokens',
    async () => {
      // Go to File: the explorer shows .cursor/rules as one compact folder row.
      await goToFile(page, '.cursor/rules/prompts.mdc');
      await lens(
        `Cursor · added when a matching file is touched (prompts/**/*.md) · ${n(tokensOf('cursor', '.cursor/rules/prompts.mdc'))} tokens`,
      ).waitFor({
        timeout: 30000,
      });
    },
  );

  await check(
    '"KV Lens: Show Agent Context": each agent’s request as a stacked bar, files with tokens and cost; a click opens the file; light and dark',
    async () => {
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'KV Lens: Show Agent Context');
      // Our webview view (other checks' panels are webviews too).
      const view = page
        .frameLocator('iframe.webview.ready[src*="purpose=webviewView"]')
        .frameLocator('iframe#active-frame');
      await view.locator('section.harness[data-harness="codex"]').waitFor({ timeout: 30000 });
      const sections = await view.locator('section.harness').evaluateAll((els) => els.map((e) => e.dataset.harness));
      for (const h of ['claude-code', 'codex', 'copilot', 'cursor'])
        if (!sections.includes(h)) throw new Error(`the view shows ${sections.join(', ')}`);
      const claude = view.locator('section.harness[data-harness="claude-code"]');
      const files = await claude.locator('.bar .file').evaluateAll((els) => els.map((e) => e.dataset.file));
      if (files.join(',') !== 'CLAUDE.md,docs/prompt-style.md')
        throw new Error(`Claude Code's bar: ${files.join(', ')}`);
      const row = (await claude.locator('table tbody tr').first().innerText()).replace(/\s+/g, ' ');
      if (!new RegExp(`CLAUDE\\.md every request ${n(tokensOf('claude-code', 'CLAUDE.md'))} \\$[\\d.]+`).test(row))
        throw new Error(`first row: ${row}`);
      // As a user reading it would: the folder tree folded, the side bar wider.
      const folderHeader = page.locator('.pane-header', { hasText: /^\s*WS-UI/i }).first();
      const fold = async (open) => {
        if ((await folderHeader.getAttribute('aria-expanded')) !== String(open)) await folderHeader.click();
      };
      await fold(false);
      await goToFile(page, 'CLAUDE.md');
      const bar = await page.locator('.part.sidebar').boundingBox();
      const sash = async (from, to) => {
        await page.mouse.move(from, bar.y + 300);
        await page.mouse.down();
        await page.mouse.move(to, bar.y + 300, { steps: 8 });
        await page.mouse.up();
      };
      await sash(bar.x + bar.width + 1, bar.x + 640);
      await page.mouse.move(24, 600); // the empty activity bar: no hover over the editor or the view
      await page.waitForTimeout(600);
      await page.screenshot({ path: path.join(out, 'agent-context.png') });
      await view.locator('section.harness[data-harness="codex"] .bar .file[data-file="AGENTS.md"]').click();
      await page.locator('.tab.active', { hasText: 'AGENTS.md' }).waitFor({ timeout: 15000 });
      await colorTheme(page, 'Dark Modern');
      await page.waitForTimeout(800);
      await page.mouse.move(24, 600); // the empty activity bar: no hover over the editor or the view
      await page.screenshot({ path: path.join(out, 'agent-context-dark.png') });
      await sash(bar.x + 641, bar.x + bar.width);
      await fold(true);
      // Folded again, so the other checks' webview panels are the only webviews on screen.
      const header = page.locator('.pane-header', { hasText: /Agent Context/i }).first();
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
      await runCommand(page, 'View: Close All Editors');
      await openFromExplorer(page, 'CLAUDE.md');
      await lens('Claude Code · first user message').waitFor({ timeout: 30000 });
      await sideBar(false);
      await page.mouse.move(5, 400);
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(out, 'agent-claude-md-dark.png') });
      await sideBar(true);
      await colorTheme(page, 'Light Modern');
      await runCommand(page, 'View: Close All Editors');
    },
  );
}

/** The agent status item's text once it matches `re` (throws with what it showed). */
async function agentItemText(page, re, timeout = 60000) {
  const item = page.locator('[id="kvlens.kvlens.kvlens.agents"]');
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = (await item.count()) ? (await item.innerText()).trim() : undefined;
    if (last && re.test(last)) return last;
    await page.waitForTimeout(200);
  }
  throw new Error(`the agent status item shows ${JSON.stringify(last)}, expected ${re}`);
}

/**
 * The web worker extension host: the same placement through vscode.workspace.fs (no Node adapter, no global folders,
 * no sessions), the same tokens as `kvlens agents`.
 */
export async function agentWebHostCheck({ page, ws, root, check }) {
  await check(
    'in the web worker extension host: CLAUDE.md is placed through vscode.workspace.fs, with the CLI’s tokens',
    async () => {
      const json = await agentsJson(root, ws);
      const tokens = json.harnesses
        .find((h) => h.harness === 'claude-code')
        .files.find((f) => f.path === 'CLAUDE.md').tokens;
      await openFromExplorer(page, 'CLAUDE.md');
      await agentItemText(
        page,
        new RegExp(`^Claude Code: ${n(tokens)} tokens · \\$[\\d.]+/session · edit applies next session`),
      );
    },
  );
}

/**
 * Restricted Mode: an instruction file is placed from the workspace alone — a CLAUDE.md in the folder above, which
 * Claude Code would read, is not read, and the tooltip says why.
 */
export async function agentRestrictedCheck({ page, ws, check, hoverUntil }) {
  await check(
    'Restricted Mode: CLAUDE.md is placed from the workspace only; the CLAUDE.md above it is not read, and the tooltip says so',
    async () => {
      fs.writeFileSync(path.join(path.dirname(ws), 'CLAUDE.md'), '# Above the workspace\nNOT-IN-THE-WORKSPACE\n');
      try {
        await openFromExplorer(page, 'CLAUDE.md');
        const lensRow = page
          .locator('.monaco-editor .codelens-decoration', { hasText: 'Claude Code · first user message' })
          .first();
        await lensRow.waitFor({ timeout: 60000 });
        const text = await lensRow.innerText();
        if (/tokens of other instructions/.test(text)) throw new Error(`the parent CLAUDE.md was read: ${text}`);
        const tip = await hoverUntil(
          page,
          () => page.locator('[id="kvlens.kvlens.kvlens.agents"]').hover(),
          'Restricted Mode',
        );
        if (!/parent folders and global instruction files are not read/.test(tip)) throw new Error(`tooltip: ${tip}`);
        await page.mouse.move(5, 5);
      } finally {
        fs.rmSync(path.join(path.dirname(ws), 'CLAUDE.md'), { force: true });
      }
    },
  );
}
