#!/usr/bin/env node
// Copies the excerpt of pydantic/genai-prices' prices/data.json that the price-import tests read
// (test/unit/pricing/tables/genai-prices.json) from a fetched snapshot of that repository, and writes its SOURCES.md.
//   node scripts/copy-price-tables.mjs /work/.mirror/pydantic+genai-prices/repo
// The excerpt keeps, of the providers KV Lens has policies for, the models below as the table holds them (dated and
// tiered prices included): real shapes, small enough to commit.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const MODELS = {
  openai: ['gpt-4.1', 'gpt-4o', 'gpt-4o-mini'],
  anthropic: ['claude-sonnet-4-5', 'claude-opus-4-6', 'claude-haiku-4-5'],
  google: ['gemini-2.5-pro', 'gemini-2.5-flash', 'claude-opus-4-6'],
  deepseek: ['deepseek-chat'],
  'x-ai': ['grok-4-1-fast-reasoning'],
};

const gitDir = process.argv[2];
if (!gitDir) {
  console.error('usage: node scripts/copy-price-tables.mjs <git dir of a pydantic/genai-prices snapshot>');
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
const commit = git('rev-parse', 'HEAD').trim();
const date = git('log', '-1', '--format=%cs', 'HEAD').trim();
const data = JSON.parse(git('show', `${commit}:prices/data.json`));
const excerpt = [];
for (const [provider, ids] of Object.entries(MODELS)) {
  const p = data.find((x) => x.id === provider);
  if (!p) throw new Error(`prices/data.json has no provider ${provider}`);
  const models = ids.map((id) => {
    const m = p.models.find((x) => x.id === id);
    if (!m) throw new Error(`prices/data.json: ${provider} has no model ${id}`);
    return { id: m.id, name: m.name, match: m.match, context_window: m.context_window, prices: m.prices };
  });
  excerpt.push({ id: p.id, name: p.name, pricing_urls: p.pricing_urls, models });
}
const dir = path.resolve(import.meta.dirname, '../test/unit/pricing/tables');
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'genai-prices.json'), `${JSON.stringify(excerpt, null, 2)}\n`);
fs.writeFileSync(
  path.join(dir, 'SOURCES.md'),
  `# Sources of test/unit/pricing/tables/

| file | repository | commit (date) | path | licence |
| --- | --- | --- | --- | --- |
| genai-prices.json | pydantic/genai-prices | ${commit} (${date}) | prices/data.json | MIT |

\`genai-prices.json\` is an excerpt: of the providers ${Object.keys(MODELS).join(', ')}, the models
${Object.values(MODELS).flat().join(', ')} with their id, name, match, context_window and prices exactly as the table
holds them (numbers, \`{base, tiers}\` and lists of dated prices); the providers' usage extractors are left out.
Written by \`node scripts/copy-price-tables.mjs <git dir of a pydantic/genai-prices snapshot>\`; never edited by hand.
`,
);
console.log(
  `test/unit/pricing/tables/genai-prices.json: ${excerpt.flatMap((p) => p.models).length} models from ${commit}`,
);
