// Instruction files the e2e tests write beside the samples' own (CLAUDE.md with an @import, AGENTS.md, Copilot's and a
// Cursor rule): a service's nested AGENTS.md that takes Codex's chain past its 32 KiB budget, and a Cursor rule without
// front matter. Used by the extension host tests and, through the built bundle, by the UI checks of test-e2e.mjs.
import fs from 'node:fs';
import path from 'node:path';

export const NESTED_AGENTS = 'services/billing/AGENTS.md';
export const LEGACY_RULE = '.cursor/rules/legacy-style.mdc';

/** A billing service's AGENTS.md of ~35 KB: with the root AGENTS.md, Codex's chain passes 32 KiB inside it. */
export function nestedAgentsText(): string {
  const rules = Array.from(
    { length: 300 },
    (_, i) =>
      `- Rule ${i + 1}: invoices, refunds and credits go through the ledger service; never write to the billing tables directly.`,
  );
  return `# Billing service\n\nThese rules hold for everything under services/billing.\n\n${rules.join('\n')}\n`;
}

export const LEGACY_RULE_TEXT = '# Legacy style\n\nUse two spaces for indentation in Markdown lists.\n';

/** Writes both into the workspace folder; returns their absolute paths. */
export function writeAgentInstructions(folder: string): { nested: string; legacy: string } {
  const nested = path.join(folder, NESTED_AGENTS);
  fs.mkdirSync(path.dirname(nested), { recursive: true });
  fs.writeFileSync(nested, nestedAgentsText());
  const legacy = path.join(folder, LEGACY_RULE);
  fs.mkdirSync(path.dirname(legacy), { recursive: true });
  fs.writeFileSync(legacy, LEGACY_RULE_TEXT);
  return { nested, legacy };
}
