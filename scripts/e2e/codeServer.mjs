// Starts and stops code-server (VS Code's server + workbench, installed by scripts/setup-e2e.sh) for the e2e tests
// and `npm start`, and builds the workbench URLs that load KV Lens as a development extension.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');
export const CODE_SERVER =
  process.env.CODE_SERVER || path.join(root, '.vscode-test/code-server/node_modules/.bin/code-server');

/** A port nobody listens on right now (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net
      .createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = srv.address();
        srv.close(() => resolve(port));
      });
  });
}

// code-server keeps its config, state and caches under XDG dirs; pointing them into `home` keeps every run
// apart from the user's own VS Code / code-server and from the other runs.
function xdgEnv(home) {
  return {
    ...process.env,
    XDG_CONFIG_HOME: path.join(home, 'cfg'),
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
  };
}

// The user settings of every code-server started here (`npm start` and the e2e tests alike): no tips, updates or
// telemetry. Git stays on, as a user has it: the playground's baseline is git HEAD (the e2e runner turns it off for
// its own windows that do not test git; see E2E_SETTINGS in scripts/test-e2e.mjs).
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'window.commandCenter': false,
};

/** `code-server --install-extension FILE` into an extensions dir (as a user installing the .vsix would). */
export function installExtension(vsix, extensionsDir, home) {
  const r = spawnSync(CODE_SERVER, ['--extensions-dir', extensionsDir, '--install-extension', vsix], {
    env: xdgEnv(home),
    encoding: 'utf8',
  });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}

/**
 * Starts code-server on 127.0.0.1:port in its own process group (it forks file watchers and extension hosts,
 * which stop() ends together) and resolves when /healthz answers.
 */
export async function startCodeServer({
  port,
  home,
  extensionsDir = path.join(home, 'ext'),
  log,
  settings = {},
  trust = false,
  env = {},
}) {
  const ud = path.join(home, 'user-data');
  fs.mkdirSync(path.join(ud, 'User'), { recursive: true });
  // With `trust`, workspace trust is on and a new folder opens in Restricted Mode (no prompt asks about it).
  const trustSettings = trust
    ? {
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.untrustedFiles': 'open',
      }
    : {};
  fs.writeFileSync(
    path.join(ud, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...trustSettings, ...settings }, null, 2),
  );
  const host = `127.0.0.1:${port}`;
  const out = log ? fs.openSync(log, 'a') : 'ignore';
  const proc = spawn(
    CODE_SERVER,
    [
      '--auth',
      'none',
      '--bind-addr',
      host,
      '--user-data-dir',
      ud,
      '--extensions-dir',
      extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      ...(trust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--disable-file-downloads',
      '--ignore-last-opened',
    ],
    { env: { ...xdgEnv(home), ...env }, detached: true, stdio: ['ignore', out, out] },
  );
  const server = { proc, host, port, stop: () => stopGroup(proc) };
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`http://${host}/healthz`)).ok) return server;
    } catch {
      /* not listening yet */
    }
    if (proc.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  await server.stop();
  throw new Error(`code-server did not start on ${host}${log ? `; see ${log}` : ''}`);
}

/** Workbench URL for a folder, optionally with KV Lens loaded from `devPath` and extension tests to run. */
export function workbenchUrl(host, folder, { devPath, testsPath } = {}) {
  const payload = [];
  if (devPath) payload.push(['extensionDevelopmentPath', `vscode-remote://${host}${devPath}`]);
  if (testsPath) payload.push(['extensionTestsPath', `vscode-remote://${host}${testsPath}`]);
  const q = `folder=${encodeURIComponent(folder)}${payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
  return `http://${host}/?${q}`;
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends code-server's whole process group: SIGTERM, then SIGKILL after 10 s. */
export async function stopGroup(proc) {
  if (!proc?.pid) return;
  try {
    process.kill(-proc.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  for (let i = 0; i < 40 && groupAlive(proc.pid); i++) await new Promise((r) => setTimeout(r, 250));
  if (groupAlive(proc.pid))
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
}
