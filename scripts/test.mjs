#!/usr/bin/env node
// `npm test`: typecheck, lint, unit tests, end-to-end tests in a real VS Code. Stops at the first failing step,
// and ends with one line `N passed, N failed` counting the steps.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
if (!fs.existsSync(path.join(root, 'node_modules/.package-lock.json'))) {
  console.log('node_modules missing: running npm ci first');
  if (spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit', cwd: root }).status !== 0) process.exit(1);
}
const steps = [
  ['typecheck', 'npx', ['tsc', '-p', '.', '--noEmit']],
  ['lint', 'npx', ['eslint', '.']],
  ['unit', process.execPath, ['scripts/test-unit.mjs']],
  ['e2e', process.execPath, ['scripts/test-e2e.mjs']],
];
const only = process.argv.slice(2);
let passed = 0, failed = 0;
const t0 = Date.now();
for (const [name, cmd, args] of steps) {
  if (only.length && !only.includes(name)) continue;
  const t = Date.now();
  console.log(`\n=== ${name}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  const ok = r.status === 0;
  console.log(`=== ${name}: ${ok ? 'ok' : 'FAILED'} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  if (ok) passed++; else { failed++; break; }
}
console.log(`\nnpm test finished in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
