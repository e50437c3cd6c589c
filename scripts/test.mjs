#!/usr/bin/env node
// `npm test`: typecheck, format check (Prettier), lint, unit tests, browser tests, end-to-end tests in a real VS Code.
// Ends with one line `N passed, N failed` summing the tests of every suite (each suite's runner prints its own such
// line last; typecheck, format and lint count as one check each).
//
// What runs when (2 cores is the machine this must be quick on):
//   1. two lanes side by side: [typecheck, format, lint, browser tests] and [one production build with the test
//      bundles, unit tests] — the checks read only the sources, the tests only the build (the browser tests wait for
//      it), and each lane keeps about one core busy; beside them, code-server and Chromium are installed for the
//      end-to-end tests (scripts/setup-e2e.sh: downloads and unpacking, idempotent, little CPU);
//   2. then the end-to-end tests on that same build (the runners do not build again: KVLENS_PREBUILT=1).
// A lane stops at its first failing step; after a failure nothing new starts. Steps that run beside another print
// their output when they end, each under its own `=== name` header, with its time.
//   node scripts/test.mjs [step ...]   — only those steps (the build runs when a step needs it)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
if (!fs.existsSync(path.join(root, 'node_modules/.package-lock.json'))) {
  console.log('node_modules missing: running npm ci first');
  if (spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit', cwd: root }).status !== 0)
    process.exit(1);
}
const prebuilt = { ...process.env, KVLENS_PREBUILT: '1' };
const STEPS = {
  typecheck: ['npm', ['run', '--silent', 'typecheck']],
  format: ['npm', ['run', '--silent', 'format:check']],
  lint: ['npx', ['eslint', '.']],
  build: [process.execPath, ['scripts/build.mjs', '--production', '--tests']],
  setup: ['bash', ['scripts/setup-e2e.sh']],
  unit: [process.execPath, ['scripts/test-unit.mjs'], prebuilt],
  browser: [process.execPath, ['scripts/test-browser.mjs'], prebuilt],
  e2e: [process.execPath, ['scripts/test-e2e.mjs'], prebuilt],
};
const NEEDS_BUILD = new Set(['unit', 'browser', 'e2e']);
const NEEDS_SETUP = new Set(['browser', 'e2e']);
const only = process.argv.slice(2);
const wanted = (name) =>
  !only.length ||
  only.includes(name) ||
  (name === 'build' && only.some((s) => NEEDS_BUILD.has(s))) ||
  (name === 'setup' && only.some((s) => NEEDS_SETUP.has(s)));

/**
 * Runs a step; its output goes through as it comes when `live`, else it is kept and printed when the step ends (so
 * two steps side by side do not mix their lines). Resolves to its exit code and the last `N passed, N failed` it printed.
 */
function run(name, live) {
  const [cmd, args, env] = STEPS[name];
  return new Promise((resolve) => {
    const t = Date.now();
    if (live) console.log(`\n=== ${name}`);
    const child = spawn(cmd, args, { cwd: root, env: env ?? process.env, stdio: ['inherit', 'pipe', 'pipe'] });
    let counts,
      tail = '';
    const kept = [];
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
      if (live) process.stdout.write(c);
      else kept.push(c);
      scan(c);
    });
    child.stderr.on('data', (c) => (live ? process.stderr.write(c) : kept.push(c)));
    child.on('close', (code) => {
      scan('\n');
      if (!live) {
        console.log(`\n=== ${name}`);
        process.stdout.write(Buffer.concat(kept));
      }
      const ok = code === 0;
      console.log(
        `=== ${name}: ${ok ? 'ok' : 'FAILED'} in ${((Date.now() - t) / 1000).toFixed(1)} s${counts ? ` (${counts.passed} passed, ${counts.failed} failed)` : ''}`,
      );
      resolve({ name, ok, counts });
    });
  });
}

let passed = 0,
  failed = 0,
  stopped = false;
function count({ name, ok, counts }) {
  // The build and the set-up are means, not checks: they count only when they fail.
  if (counts) {
    passed += counts.passed;
    failed += counts.failed;
    if (!ok && counts.failed === 0) failed++;
  } else if (ok) passed += name === 'build' || name === 'setup' ? 0 : 1;
  else failed++;
  if (!ok) stopped = true;
}
/** Steps that have ended (or were not wanted): a step in one lane may wait for one in another. */
const ended = new Map();
const endOf = (name) => {
  if (!ended.has(name)) {
    let done;
    ended.set(name, Object.assign(new Promise((r) => (done = r)), { done }));
  }
  return ended.get(name);
};
/** What a step needs from other lanes before it starts. */
const AFTER = { browser: ['build', 'setup'] };

/** Runs steps one after the other, stopping at the first failure (here or in another lane). */
async function lane(names, live) {
  for (const name of names) {
    if (!stopped && wanted(name)) {
      for (const before of AFTER[name] ?? []) await endOf(before);
      if (!stopped) count(await run(name, live));
    }
    endOf(name).done();
  }
  for (const name of names) endOf(name).done();
}

const t0 = Date.now();
await Promise.all([
  lane(['typecheck', 'format', 'lint', 'browser'], false),
  lane(['build', 'unit'], false),
  lane(['setup'], false),
]);
await lane(['e2e'], true);
console.log(`\nnpm test finished in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(stopped || failed ? 1 : 0);
