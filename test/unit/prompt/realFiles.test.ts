import assert from 'node:assert/strict';
import path from 'node:path';
import { main } from '../../../src/cli/main';
import { findModel, loadCatalog } from '../../../src/core/pricing/catalog';
import { parsePrompt } from '../../../src/core/prompt/parse';
import { renderPrompt } from '../../../src/core/prompt/render';
import { getTokenizer } from '../../../src/core/tokenizer/registry';
import { fixture } from './fixture';

const o200k = getTokenizer('o200k_base')!;
const FIX = path.join(__dirname, '../../../../test/unit/prompt/fixtures/real');
const file = (name: string) => path.join(FIX, name);
const real = (name: string) => fixture(`real/${name}`);

function capture() {
  const out: string[] = [],
    err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function json(args: string[]): Promise<Record<string, unknown> & { [k: string]: any }> {
  const c = capture();
  const code = await main([...args, '--json'], c.io);
  assert.equal(code, 0, c.err.join('\n'));
  return JSON.parse(c.out.join(''));
}

describe('model names as prompt files write them', () => {
  const id = (name: string) => {
    const f = findModel(name);
    return f.ok ? f.model.id : f.message;
  };
  for (const [name, want] of [
    ['Claude Sonnet 4.5 (copilot)', 'claude-sonnet-4-5'],
    ['Claude Sonnet 4.5', 'claude-sonnet-4-5'],
    ['claude-sonnet-4.5', 'claude-sonnet-4-5'],
    ['GPT-4.1', 'gpt-4.1'],
    ['GPT-5 (copilot)', 'gpt-5'],
    ['GPT-5 mini (Preview)', 'gpt-5-mini'],
    ['GPT-4o mini', 'gpt-4o-mini'],
    ['Claude Haiku 4.5 (copilot)', 'claude-haiku-4-5'],
    ['Gemini 2.5 Pro (copilot)', 'gemini-2.5-pro'],
    ['o4-mini (Preview)', 'o4-mini'],
    ['openai/gpt-4.1', 'gpt-4.1'],
    ['anthropic/claude-sonnet-4-5', 'claude-sonnet-4-5'],
    ['openrouter/anthropic/claude-sonnet-4.5', 'claude-sonnet-4-5'],
    ['deepseek/deepseek-chat', 'deepseek-flash'],
    ['azure/gpt-4o', 'gpt-4o'],
    ['xai/grok-4.5', 'grok-4.5'],
  ] as const)
    it(`"${name}" → ${want}`, () => assert.equal(id(name), want));

  it('older ids get a "did you mean" naming the successor', () => {
    assert.match(
      id('gpt-4'),
      /unknown model "gpt-4" \(not in the catalog: retired or superseded\); did you mean gpt-4\.1, its successor\?/,
    );
    assert.match(id('claude-3-opus'), /did you mean claude-opus-4-5, its successor/);
    assert.equal(
      id('Claude Sonnet 4 (copilot)'),
      'claude-sonnet-4',
      'still served under its alias claude-sonnet-4-0: listed, not retired',
    );
    assert.match(id('o3-mini'), /did you mean o4-mini/);
  });

  it('a user catalog model is found by its display name too', () => {
    const cat = loadCatalog([
      {
        file: 'mine.json',
        text: JSON.stringify({
          models: [
            {
              id: 'acme-1',
              provider: 'openai',
              displayName: 'ACME One',
              encoding: 'o200k_base',
              exactTokenizer: true,
              contextWindow: 1000,
              prices: { input: '1', output: '2', source: 'https://acme.invalid', asOf: '2026-12-01' },
              cache: {
                policy: 'openai',
                minTokens: 1024,
                granularity: 128,
                ttlSeconds: 600,
                source: 'https://acme.invalid',
                asOf: '2026-12-01',
              },
            },
          ],
        }),
      },
    ]);
    const f = cat.find('ACME One (copilot)');
    assert.ok(f.ok && f.model.id === 'acme-1');
  });
});

describe('VS Code prompt files', () => {
  it('a display name with "(copilot)" picks Claude\'s tokenizer (an estimate), and references pulled in at run time are named', async () => {
    const j = await json(['tokens', file('vscode-claude.prompt.md')]);
    assert.equal(j.model, 'claude-sonnet-4-5');
    assert.equal(j.encoding, 'claude_estimate');
    assert.equal(j.exact, false);
    const notes = (j.diagnostics as { code: string; message: string; line: number }[]).filter(
      (d) => d.code === 'run-time-reference',
    );
    assert.equal(notes.length, 3, JSON.stringify(j.diagnostics));
    assert.ok(notes.some((d) => d.message.includes('#file:../../README.md') && d.line === 7));
    assert.ok(notes.some((d) => d.message.includes('${input:area:authentication}')));
    assert.ok(notes.some((d) => d.message.includes('${selection}')));
  });
  it('a list of models: the first the catalog knows', async () => {
    assert.equal((await json(['analyze', file('vscode-list.prompt.md')])).model, 'gpt-5');
  });
  it('"Auto" names no model: the default applies, without an error', async () => {
    const j = await json(['analyze', file('vscode-auto.prompt.md')]);
    assert.equal(j.model, 'gpt-4.1');
  });
  it('an unknown model is reported with the file and the line that names it; with --json also as JSON on stdout', async () => {
    const c = capture();
    assert.notEqual(await main(['analyze', file('vscode-unknown.prompt.md'), '--json'], c.io), 0);
    assert.match(c.err[0], /vscode-unknown\.prompt\.md:3 names unknown model "Zeta Ultra 7"/);
    const j = JSON.parse(c.out.join(''));
    assert.match(j.error.message, /vscode-unknown\.prompt\.md:3 names unknown model/);
    assert.equal(j.error.exitCode, 2);
  });
});

describe('Prompty tools and schemas', () => {
  const doc = () => parsePrompt(real('tools.prompty'), { fileName: 'tools.prompty' });
  it('tools and the response schema come first in the cached prefix, as the request sends them', () => {
    const p = doc().prompts[0];
    assert.deepEqual(
      p.blocks.map((b) => b.kind),
      ['tools', 'response_format', 'system', 'message'],
    );
    assert.equal(p.model, 'gpt-4o');
    const tool = JSON.parse(p.blocks[0].segments[0].text);
    assert.equal(tool.type, 'function');
    assert.equal(tool.function.name, 'get_weather');
    const withTools = renderPrompt(p, o200k).ids.length;
    const bodyOnly = renderPrompt({ ...p, blocks: p.blocks.slice(2) }, o200k).ids.length;
    assert.ok(withTools > bodyOnly + 40, `${withTools} vs ${bodyOnly}`);
  });
  it('says that a thread input expands into messages, and fills sample inputs when asked', () => {
    assert.ok(doc().diagnostics.some((d) => d.code === 'thread-input' && d.message.includes('"history"')));
    const filled = parsePrompt(real('tools.prompty'), { fileName: 'tools.prompty', sampleInputs: true }).prompts[0];
    const user = filled.blocks.find((b) => b.role === 'user')!;
    assert.ok(user.segments.some((s) => s.text.includes('What is the weather in Porto today?')));
    assert.ok(!filled.diagnostics.some((d) => d.code === 'template-variables'));
  });
});

describe('GitHub Models prompt files (.prompt.yml)', () => {
  it('model, schema and messages are the request; testData and evaluators are not sent', async () => {
    const p = parsePrompt(real('summarize.prompt.yml'), { fileName: 'summarize.prompt.yml' }).prompts[0];
    assert.equal(p.format, 'github-models');
    assert.deepEqual(
      p.blocks.map((b) => b.kind),
      ['response_format', 'system', 'message'],
    );
    const j = await json(['tokens', file('summarize.prompt.yml')]);
    assert.equal(j.model, 'gpt-4o-mini', 'openai/gpt-4o-mini resolves');
    const tokens = j.prompts[0].tokens as number;
    assert.ok(tokens < o200k.count(real('summarize.prompt.yml')) - 60, 'testData and evaluators are not counted');
    assert.ok(j.diagnostics.some((d: { code: string }) => d.code === 'template-variables'));
  });
});

describe('JSONL batches and other multi-request files', () => {
  it('cost covers every chat line (embeddings skipped) with totals and the shared prefix', async () => {
    const j = await json(['cost', file('batch.jsonl')]);
    assert.equal(j.requests, 2);
    const m = j.models[0];
    assert.equal(m.model, 'gpt-4.1');
    assert.equal(m.lines.length, 2);
    assert.ok(m.totals.sharedPrefixTokens > 300 && m.totals.sharedPrefixTokens < m.lines[0].tokens);
    assert.ok(m.lines[1].cachedTokens > 0, 'the second line reads the prefix the first wrote');
    assert.ok(m.totals.withCache < m.totals.uncached);
    const t = await json(['tokens', file('batch.jsonl')]);
    assert.ok(
      t.diagnostics.some((d: { code: string; line: number }) => d.code === 'embeddings-request' && d.line === 3),
    );
  });
  it('analyze says which request it reports on', async () => {
    const j = await json(['analyze', file('batch.jsonl')]);
    assert.ok(
      j.warnings.some(
        (w: { code: string; message: string }) => w.code === 'multi-request' && /2 requests/.test(w.message),
      ),
    );
  });
  it('an Anthropic batch-create body is one prompt per request; a bare message array is a prompt', () => {
    const b = parsePrompt(real('anthropic-batch.json'), { fileName: 'anthropic-batch.json' });
    assert.deepEqual(
      b.prompts.map((p) => p.label),
      ['requests[0] ticket-1', 'requests[1] ticket-2'],
    );
    assert.ok(b.prompts.every((p) => p.format === 'anthropic-messages' && p.model === 'claude-haiku-4-5'));
    const a = parsePrompt(real('messages-array.json'), { fileName: 'messages-array.json' });
    assert.equal(a.prompts.length, 1);
    assert.deepEqual(
      a.prompts[0].blocks.map((x) => x.role),
      ['system', 'user', 'assistant'],
    );
  });
});

describe('Anthropic agent transcripts and stored prompts', () => {
  it('server-tool and MCP blocks are known; a search result counts as the text it carries', () => {
    const d = parsePrompt(real('anthropic-agent.json'), { fileName: 'agent.json' });
    assert.deepEqual(
      d.diagnostics.filter((x) => x.severity !== 'info').map((x) => x.message),
      [],
    );
    const p = d.prompts[0];
    assert.ok(p.blocks.some((b) => b.kind === 'tool_result' && b.label.includes('web_search') === false));
    const search = p.blocks.find((b) => b.segments.some((s) => s.text === 'Exports retry three times with backoff.'));
    assert.ok(search, 'the search result text is counted');
  });
  it("a Responses stored prompt is named: its prefix lives on the provider's side", () => {
    const d = parsePrompt(real('responses-stored.json'), { fileName: 'r.json' });
    assert.ok(d.diagnostics.some((x) => x.code === 'stored-prompt' && x.message.includes('pmpt_68b0')));
  });
});

describe('Gemini generateContent request bodies', () => {
  it('tools, system instruction and contents in cache order; an explicit cache is named; the model resolves', async () => {
    const d = parsePrompt(real('gemini-request.json'), { fileName: 'g.json' });
    const p = d.prompts[0];
    assert.equal(p.format, 'gemini-generate');
    assert.deepEqual(
      p.blocks.map((b) => b.kind),
      ['tools', 'system', 'message', 'message', 'message'],
    );
    assert.deepEqual(
      p.blocks.slice(2).map((b) => b.role),
      ['user', 'model', 'user'],
    );
    assert.ok(
      d.diagnostics.some((x) => x.code === 'explicit-cache' && x.message.includes('cachedContents/lumen-handbook-v3')),
    );
    const j = await json(['tokens', file('gemini-request.json')]);
    assert.equal(j.model, 'gemini-2.5-flash');
    assert.equal(j.encoding, 'gemini_gemma3', 'the CLI reads the Gemma 3 vocabulary Gemini uses');
  });
});
