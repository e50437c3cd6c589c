#!/usr/bin/env node
// Compares LiteLLM's model_prices_and_context_window.json (a community price table with known errors) against
// KV Lens's src/core/pricing/catalog.json and prints the differences. Nothing is taken over automatically: a human
// reads the report, checks the provider's page, and edits catalog.json with its source and date.
//   node scripts/import-litellm.mjs FILE [--write-report OUT] [--json]
import fs from 'node:fs';
import path from 'node:path';

const PROVIDERS = { openai: 'openai', anthropic: 'anthropic', gemini: 'google', deepseek: 'deepseek', xai: 'xai', mistral: 'mistral' };

function usage(msg) {
  console.error(`import-litellm: ${msg}\nusage: node scripts/import-litellm.mjs FILE [--write-report OUT] [--json]`);
  process.exit(2);
}

const args = process.argv.slice(2);
let file, reportFile, asJson = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--write-report') { reportFile = args[++i]; if (!reportFile) usage('--write-report needs a file'); }
  else if (args[i] === '--json') asJson = true;
  else if (args[i].startsWith('-')) usage(`unknown option ${args[i]}`);
  else if (!file) file = args[i];
  else usage('one FILE only');
}
if (!file) usage('missing FILE (LiteLLM model_prices_and_context_window.json)');

function readJson(f) {
  let text;
  try { text = fs.readFileSync(f, 'utf8'); } catch (e) { usage(`${f}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`); }
  try { return JSON.parse(text); } catch (e) { usage(`${f}: invalid JSON (${e.message})`); }
}

const theirs = readJson(file);
if (typeof theirs !== 'object' || theirs === null || Array.isArray(theirs)) usage(`${file}: expected an object of model name → fields`);
const ours = readJson(path.join(import.meta.dirname, '../src/core/pricing/catalog.json'));

/** LiteLLM stores USD per token as floats; ours are USD per million tokens as decimal strings. */
function perMTok(x) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return undefined;
  return Number((x * 1e6).toPrecision(12));
}
const num = (s) => (s === undefined ? undefined : Number(s));

// Our ids and aliases, lower-case, → model.
const byName = new Map();
for (const m of ours.models) {
  byName.set(m.id.toLowerCase(), m);
  for (const a of m.aliases ?? []) if (!byName.has(a.toLowerCase())) byName.set(a.toLowerCase(), m);
}

const differences = [];
const matched = new Set();
const missingOurs = [];
for (const [key, t] of Object.entries(theirs)) {
  if (key === 'sample_spec' || typeof t !== 'object' || t === null) continue;
  const provider = PROVIDERS[t.litellm_provider];
  if (!provider) continue; // azure, bedrock, vertex_ai … resell the same models at their own prices
  if (t.mode && t.mode !== 'chat' && t.mode !== 'responses') continue;
  const name = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key;
  const m = byName.get(name.toLowerCase());
  if (!m) { missingOurs.push(key); continue; }
  matched.add(m.id);
  const p = m.prices;
  const write = p.cacheWrite ? (p.cacheWrite['5m'] ?? p.cacheWrite.default) : undefined;
  const write1h = p.cacheWrite?.['1h'];
  const figures = [
    ['input', num(p.input), perMTok(t.input_cost_per_token)],
    ['cachedInput', num(p.cachedInput), perMTok(t.cache_read_input_token_cost)],
    ['cacheWrite', num(write), perMTok(t.cache_creation_input_token_cost)],
    ['cacheWrite 1h', num(write1h), perMTok(t.cache_creation_input_token_cost_above_1hr)],
    ['output', num(p.output), perMTok(t.output_cost_per_token)],
    ['contextWindow', m.contextWindow, typeof t.max_input_tokens === 'number' ? t.max_input_tokens : undefined],
    ['longContext.input', num(p.longContext?.input), perMTok(t.input_cost_per_token_above_200k_tokens ?? t.input_cost_per_token_above_272k_tokens)],
    ['longContext.output', num(p.longContext?.output), perMTok(t.output_cost_per_token_above_200k_tokens ?? t.output_cost_per_token_above_272k_tokens)],
  ];
  for (const [field, a, b] of figures) {
    if (b === undefined) continue; // LiteLLM has no figure: nothing to compare
    if (a === undefined || Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(b))) differences.push({ model: m.id, litellmKey: key, field, ours: a ?? null, theirs: b });
  }
}
const ourProviders = new Set(Object.values(PROVIDERS));
const missingTheirs = ours.models.filter((m) => !matched.has(m.id) && ourProviders.has(m.provider)).map((m) => m.id);

const report = { file, compared: matched.size, differences, notInLitellm: missingTheirs, notInOurs: missingOurs.sort() };
let text;
if (asJson) text = JSON.stringify(report, null, 2);
else {
  const lines = [`LiteLLM table ${file}: ${matched.size} of our models found; ${differences.length} figure(s) differ.`, ''];
  lines.push('Differences (USD per million tokens; contextWindow in tokens) — check the provider page before changing catalog.json:');
  if (!differences.length) lines.push('  none');
  for (const d of differences) lines.push(`  ${d.model} [${d.litellmKey}] ${d.field}: ours ${d.ours ?? '—'}, LiteLLM ${d.theirs}`);
  lines.push('', `In our catalog, not in LiteLLM (${missingTheirs.length}):`, missingTheirs.length ? '  ' + missingTheirs.join(', ') : '  none');
  const shown = missingOurs.slice(0, 200);
  lines.push('', `In LiteLLM (our providers, chat models), not in our catalog (${missingOurs.length}):`, shown.length ? '  ' + shown.join(', ') + (missingOurs.length > shown.length ? `, … ${missingOurs.length - shown.length} more` : '') : '  none');
  text = lines.join('\n');
}
if (reportFile) fs.writeFileSync(reportFile, text + '\n');
console.log(text);
