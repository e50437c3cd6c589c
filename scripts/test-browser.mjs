#!/usr/bin/env node
// Browser tests of the webview apps (webview/*) in headless Debian Chromium through playwright-core: builds the
// bundles and the tests, makes sure Chromium is installed (scripts/setup-e2e.sh, idempotent), then runs mocha.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
// npm test builds once for every suite (KVLENS_PREBUILT=1); run alone, this builds the test bundles itself.
if (!process.env.KVLENS_PREBUILT)
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--tests'], { stdio: 'inherit', cwd: root });
if (!fs.existsSync(process.env.CHROMIUM || '/usr/bin/chromium'))
  execFileSync('bash', [path.join(root, 'scripts/setup-e2e.sh')], { stdio: 'inherit', cwd: root });
const dir = path.join(root, process.env.KVLENS_OUT || 'out', 'test/browser');
const files = fs.existsSync(dir)
  ? fs
      .readdirSync(dir, { recursive: true })
      .filter((f) => String(f).endsWith('.test.js'))
      .map((f) => path.join(dir, String(f)))
      .sort()
  : [];
const filter = process.argv[2];
const stats = await require('./mocha-summary.cjs')(filter ? files.filter((f) => f.includes(filter)) : files, {
  label: 'browser',
  timeout: 120000,
});
process.exit(stats.failures > 0 || stats.passes === 0 ? 1 : 0);
