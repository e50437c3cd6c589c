import assert from 'node:assert/strict';
import { applyFix } from '../../../src/core/analysis/fixes';
import { codeFixes, pythonDay, typescriptDay } from '../../../src/core/code/codeFixes';
import type { Hole } from '../../../src/core/code/types';
import { analyze, catalog, RULES } from './helpers';

/** The three fixes, applied to the source and the result analyzed again: the flag goes, the cached prefix grows. */
async function fixesOf(text: string, fileName: string) {
  const r = await analyze(text, fileName);
  const c = r.calls[0];
  const site = r.sites[0];
  const hole = [...(site.system ?? []), ...(site.firstMessage ? [site.firstMessage] : [])]
    .flatMap((p) => p.pieces)
    .find((p): p is Hole => p.kind === 'hole' && p.what === c.breaks?.what)!;
  const m = catalog.find(c.modelUsed.id);
  assert.ok(m.ok && hole, 'a flagged call');
  return {
    before: c,
    fixes: codeFixes({
      text,
      language: fileName.endsWith('.py') ? 'python' : 'typescript',
      site,
      report: c,
      model: m.model,
      hole,
      now: Date.now(),
    }),
  };
}

const PY = `import anthropic
from datetime import datetime
client = anthropic.Anthropic()
RULES = """${RULES}"""
def answer(question):
    system = f"""You are the support agent.
Current time: {datetime.now()}
""" + RULES
    return client.messages.create(model="claude-sonnet-4-5", max_tokens=100, system=system, messages=[{"role": "user", "content": question}])
`;

describe('code: fixes', () => {
  it('Python: move to the last user message, day precision, split with a breakpoint — each unflags the call', async () => {
    const { before, fixes } = await fixesOf(PY, 'app.py');
    assert.equal(before.flag, true);
    assert.deepEqual(
      fixes.map((f) => f.kind),
      ['move-to-user', 'day-precision', 'split-breakpoint'],
    );
    for (const f of fixes) assert.ok(f.saving && f.saving.tokens > 4000 && f.saving.perCall > 0, `${f.kind} saves`);
    const moved = applyFix(PY, fixes[0]);
    assert.match(moved, /"content": f"""\{question\}\\n\\nCurrent time: \{datetime\.now\(\)\}"""/);
    const after = (await analyze(moved, 'app.py')).calls[0];
    assert.equal(after.flag, false);
    assert.equal(after.systemStatic, true);
    assert.ok(after.cachedPrefix.tokens > before.cachedPrefix.tokens + 4000);

    const day = applyFix(PY, fixes[1]);
    assert.match(day, /\{datetime\.now\(\)\.strftime\("%Y-%m-%d"\)\}/);
    assert.equal((await analyze(day, 'app.py')).calls[0].breaks?.volatility, 'day');

    const split = applyFix(PY, fixes[2]);
    const s = (await analyze(split, 'app.py')).calls[0];
    assert.equal(s.cacheControl, true);
    assert.equal(s.flag, false, split.slice(-400));
  });

  it('TypeScript: moves a template line to the user message; new Date() to toDateString()', async () => {
    const TS = `import Anthropic from '@anthropic-ai/sdk';
const client = new Anthropic();
const RULES = \`${RULES.replace(/`/g, '')}\`;
export async function answer(question: string) {
  const system = \`You are the support agent.
Now: \${new Date()}
\${RULES}\`;
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 100, system, messages: [{ role: 'user', content: question }] });
}
`;
    const { fixes } = await fixesOf(TS, 'app.ts');
    assert.deepEqual(
      fixes.map((f) => f.kind),
      ['move-to-user', 'day-precision', 'split-breakpoint'],
    );
    const moved = applyFix(TS, fixes[0]);
    assert.equal((await analyze(moved, 'app.ts')).calls[0].flag, false);
    assert.match(moved, /content: `\$\{question\}\\n\\nNow: \$\{new Date\(\)\}`/);
    assert.match(applyFix(TS, fixes[1]), /\$\{new Date\(\)\.toDateString\(\)\}/);
    const split = applyFix(TS, fixes[2]);
    assert.match(split, /system: \[\{ type: 'text', text: system, cache_control: \{ type: 'ephemeral' \} \}/);
    assert.equal((await analyze(split, 'app.ts')).calls[0].flag, false);
  });

  it('day precision of the common clock forms', () => {
    assert.equal(pythonDay('datetime.now()'), 'datetime.now().strftime("%Y-%m-%d")');
    assert.equal(pythonDay("now.strftime('%Y-%m-%d %H:%M')"), "now.strftime('%Y-%m-%d')");
    assert.equal(pythonDay('datetime.utcnow().isoformat()'), 'datetime.utcnow().date().isoformat()');
    assert.equal(typescriptDay('new Date().toISOString()'), 'new Date().toISOString().slice(0, 10)');
    assert.equal(typescriptDay("d.toLocaleString('en-US')"), "d.toLocaleDateString('en-US')");
    assert.equal(typescriptDay('Math.random()'), undefined);
  });
});
