#!/usr/bin/env node
// `npm run bench`: builds bench/**/*.bench.ts, runs each in its own Node process (so heap figures are its own),
// and prints one JSON summary { "<bench name>": <the JSON object the bench printed last> }.
//   node scripts/bench.mjs [substring]   — only the benches whose path contains the substring
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = process.env.KVLENS_OUT || 'out';
execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--bench'], {
  stdio: ['ignore', 'ignore', 'inherit'],
  cwd: root,
});
const dir = path.join(root, out, 'bench');
const filter = process.argv[2];
const files = fs.existsSync(dir)
  ? fs
      .readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.bench.js') && (!filter || f.includes(filter)))
      .sort()
  : [];
const summary = {};
let failed = 0;
for (const f of files) {
  const name = f.replace(/\.bench\.js$/, '');
  process.stderr.write(`bench ${name}…\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(dir, f)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  try {
    if (r.status !== 0) throw new Error(`exit ${r.status}`);
    const parsed = JSON.parse(last);
    // A bench that reports several sections names them itself, its own name among them (attention: attention, startup).
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && name in parsed)
      Object.assign(summary, parsed);
    else summary[name] = parsed;
  } catch (e) {
    failed++;
    summary[name] = { error: String(e.message ?? e), output: r.stdout.slice(-2000) };
  }
}
console.log(JSON.stringify(summary, null, 2));
process.exit(failed ? 1 : 0);
