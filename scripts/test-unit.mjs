#!/usr/bin/env node
// Unit tests (mocha, Node) for src/core and src/cli: builds the test bundles, then runs them.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
// npm test builds once for every suite (KVLENS_PREBUILT=1); run alone, this builds the test bundles itself.
if (!process.env.KVLENS_PREBUILT)
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--tests'], { stdio: 'inherit', cwd: root });

const dir = path.join(root, process.env.KVLENS_OUT || 'out', 'test/unit');
const files = fs
  .readdirSync(dir, { recursive: true })
  .filter((f) => String(f).endsWith('.test.js'))
  .map((f) => path.join(dir, String(f)))
  .sort();
const filter = process.argv[2];
const stats = await require('./mocha-summary.cjs')(filter ? files.filter((f) => f.includes(filter)) : files, {
  label: 'unit',
});
process.exit(stats.failures > 0 || stats.passes === 0 ? 1 : 0);
