#!/usr/bin/env node
// `npm start`: builds KV Lens and opens a throw-away copy of samples/ (a git repository with a little history, see
// playground.mjs) in VS Code (code-server, in your browser) with the extension loaded from this folder as a
// development extension. Prints the URL; Ctrl-C stops code-server and everything
// it started. PORT=NNNN picks the port (default: a free one). After editing the code, run `npm run build`
// (or keep `npm run watch` running) and reload the browser tab.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, root } from './e2e/codeServer.mjs';
import { startPlayground } from './playground.mjs';

function run(cmd, args) {
  if (spawnSync(cmd, args, { stdio: 'inherit', cwd: root }).status !== 0) {
    console.error(`npm start: \`${path.basename(cmd)} ${args.join(' ')}\` failed`);
    process.exit(1);
  }
}

if (!fs.existsSync(path.join(root, 'node_modules/.package-lock.json'))) {
  console.log('node_modules missing: running npm ci first');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
run(process.execPath, ['scripts/build.mjs']);
run('bash', ['scripts/setup-e2e.sh']);

// Settings, state and installed extensions of this playground persist here between runs (never in ~/.config).
const home = path.join(root, '.vscode-test/start');
const port = process.env.PORT ? Number(process.env.PORT) : await freePort();
const log = path.join(home, 'code-server.log');
const { server, folder, url } = await startPlayground({ root, home, port, log });
console.log(
  `\nKV Lens is running in VS Code (code-server ${server.host}, log: ${path.relative(root, log)}) on a fresh copy of samples/\n(${path.relative(root, folder)}: a git repository with three commits and one uncommitted edit). Open:\n\n  ${url}\n\nPress Ctrl-C to stop.`,
);

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping code-server…`);
  await server.stop();
  process.exit(0);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
// If code-server dies on its own, say so instead of leaving a dead URL on the screen.
server.proc.on('exit', (code, sig) => {
  if (stopping) return;
  console.error(`code-server exited (${sig ?? `code ${code}`}); see ${log}`);
  process.exit(1);
});
