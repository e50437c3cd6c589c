import assert from 'node:assert/strict';
import path from 'node:path';
import { discover, file, harness, workspace } from './kit';

// Gemini CLI, from google-gemini/gemini-cli @ 5411f113 (0.56.0-nightly): memoryDiscovery.ts (the working folder up
// to the git root, paths sorted, "--- Context from: <path> ---" blocks joined by a blank line; folders below are
// loaded just in time), memoryImportProcessor.ts (tree format, depth 5, a file already in the chain becomes a
// comment), config.ts getSessionMemory (<loaded_context><project_context> in the first user message),
// getSystemInstructionMemory (the global ~/.gemini/GEMINI.md in the system instruction), environmentContext.ts
// (today's date precedes the project context in that message).

describe('Gemini CLI rules (gemini-cli 0.56 source)', () => {
  it('[memoryDiscovery.ts] reads the working folder up to the git root, sorted, as context blocks', async () => {
    const root = workspace({ 'GEMINI.md': 'root\n', 'app/GEMINI.md': '  app  \n', 'app/ui/GEMINI.md': 'ui' });
    const h = harness(
      await discover(path.join(root, 'app'), { harnesses: ['gemini-cli'], cwd: '/g/app' }, root),
      'gemini-cli',
    );
    const block = (p: string, t: string) => `--- Context from: ${p} ---\n${t}\n--- End of Context from: ${p} ---`;
    assert.equal(
      h.instructions?.text,
      `<loaded_context>\n<project_context>\n${block(path.join(root, 'GEMINI.md'), 'root')}\n\n${block('/g/app/GEMINI.md', 'app')}\n</project_context>\n</loaded_context>`,
    );
    assert.equal(h.instructions?.role, 'user');
    assert.equal(file(h, 'ui/GEMINI.md').loaded, 'on-match');
    assert.ok(h.warnings.some((w) => w.code === 'date-before-instructions'));
  });

  it('[memoryImportProcessor.ts] inlines @imports between markers; a cycle becomes a comment; code is skipped', async () => {
    const root = workspace({
      'GEMINI.md': 'Main @./a.md and `@./b.md`\n',
      'a.md': 'A @./b.md',
      'b.md': 'B @./a.md',
    });
    const h = harness(await discover(root, { harnesses: ['gemini-cli'], cwd: '/m' }), 'gemini-cli');
    const t = h.instructions!.text;
    assert.ok(
      t.includes(
        'Main <!-- Imported from: ./a.md -->\nA <!-- Imported from: ./b.md -->\nB <!-- File already processed: ./a.md -->\n<!-- End of import from: ./b.md -->\n<!-- End of import from: ./a.md --> and `@./b.md`',
      ),
      t,
    );
    assert.ok(h.warnings.some((w) => w.code === 'import-cycle' && w.path === 'b.md'));
  });

  it('[memoryDiscovery.ts, config.ts] the global file goes in the system instruction; context.fileName is read', async () => {
    const root = workspace({
      'AGENTS.md': 'agents',
      '.gemini/settings.json': '{"context":{"fileName":["AGENTS.md","GEMINI.md"]}}',
    });
    const g = workspace({ 'GEMINI.md': 'mine' }, false);
    const h = harness(await discover(root, { harnesses: ['gemini-cli'], globals: { geminiDir: g } }), 'gemini-cli');
    assert.equal(file(h, 'AGENTS.md').loaded, 'always');
    const global = file(h, '~/.gemini/GEMINI.md');
    assert.equal(global.loaded, 'always');
    assert.equal(global.role, 'system');
  });
});
