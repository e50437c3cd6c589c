#!/usr/bin/env node
// `npm test`: typecheck, format check (Prettier), lint, unit tests, end-to-end tests in a real VS Code. Stops at the first failing step, and
// ends with one line `N passed, N failed` summing the tests of every suite (each suite's runner prints its own such
// line last; typecheck and lint count as one check each).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
if (!fs.existsSync(path.join(root, 'node_modules/.package-lock.json'))) {
  console.log('node_modules missing: running npm ci first');
  if (spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit', cwd: root }).status !== 0)
    process.exit(1);
}
const steps = [
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['format', 'npm', ['run', '--silent', 'format:check']],
  ['lint', 'npx', ['eslint', '.']],
  ['unit', process.execPath, ['scripts/test-unit.mjs']],
  ['browser', process.execPath, ['scripts/test-browser.mjs']],
  ['e2e', process.execPath, ['scripts/test-e2e.mjs']],
];
const only = process.argv.slice(2);
/** Runs a step with its output passed through, and returns its exit code and the last `N passed, N failed` it printed. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['inherit', 'pipe', 'pipe'] });
    let counts,
      tail = '';
    const scan = (chunk) => {
      const text = tail + chunk.toString('utf8');
      const lines = text.split('\n');
      tail = lines.pop();
      for (const l of lines) {
        const m = /(?:^|\s)(\d+) passed, (\d+) failed/.exec(l);
        if (m) counts = { passed: Number(m[1]), failed: Number(m[2]) };
      }
    };
    child.stdout.on('data', (c) => {
      process.stdout.write(c);
      scan(c);
    });
    child.stderr.on('data', (c) => process.stderr.write(c));
    child.on('close', (code) => {
      scan('\n');
      resolve({ code, counts });
    });
  });
}

let passed = 0,
  failed = 0,
  stepsFailed = 0;
const t0 = Date.now();
for (const [name, cmd, args] of steps) {
  if (only.length && !only.includes(name)) continue;
  const t = Date.now();
  console.log(`\n=== ${name}`);
  const { code, counts } = await run(cmd, args);
  const ok = code === 0;
  console.log(
    `=== ${name}: ${ok ? 'ok' : 'FAILED'} in ${((Date.now() - t) / 1000).toFixed(1)} s${counts ? ` (${counts.passed} passed, ${counts.failed} failed)` : ''}`,
  );
  if (counts) {
    passed += counts.passed;
    failed += counts.failed;
  } else if (ok) passed++;
  else failed++;
  if (!ok) {
    stepsFailed++;
    if (counts && counts.failed === 0) failed++;
    break;
  }
}
console.log(`\nnpm test finished in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(stepsFailed || failed ? 1 : 0);
