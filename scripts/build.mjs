#!/usr/bin/env node
// One esbuild build for every bundle KV Lens ships, plus (with --tests) the test bundles.
//   node scripts/build.mjs [--watch] [--tests] [--production]
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const args = new Set(process.argv.slice(2));
const watch = args.has('--watch');
const production = args.has('--production');
// Test bundles go to KVLENS_OUT (default out/) so parallel runs can keep apart.
const testOut = process.env.KVLENS_OUT || 'out';
const withTests = args.has('--tests') || watch;
const withBench = args.has('--bench');

const common = {
  absWorkingDir: root,
  bundle: true,
  sourcemap: true,
  minify: production,
  target: 'es2022',
  logLevel: 'warning',
  legalComments: 'none',
  loader: { '.wasm': 'file' },
};

// Webview apps: one entry per panel folder that has a main.ts.
const webviewEntries = fs.existsSync(path.join(root, 'webview'))
  ? fs
      .readdirSync(path.join(root, 'webview'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, 'webview', d.name, 'main.ts')))
      .map((d) => ({ in: `webview/${d.name}/main.ts`, out: d.name }))
  : [];

// The OpenAI rank tables ship once, as dist/ranks/<name>.json, read by every shipped bundle on first use (see
// src/core/tokenizer/rankSource.ts); the shipped bundles get a rankSource that reads that file instead of embedding it.
async function writeRankFiles() {
  const dir = path.join(root, 'dist/ranks');
  fs.mkdirSync(dir, { recursive: true });
  for (const name of ['o200k_base', 'cl100k_base', 'r50k_base']) {
    const file = path.join(dir, `${name}.json`);
    if (fs.existsSync(file)) continue;
    const { default: ranks } = await import(`gpt-tokenizer/bpeRanks/${name}`);
    fs.writeFileSync(file, JSON.stringify(ranks));
  }
}
const rankSource = (replacement) => ({
  name: 'kvlens-rank-source',
  setup(build) {
    build.onResolve({ filter: /[\\/]rankSource$/ }, (args) =>
      args.importer.includes(`core${path.sep}tokenizer`) ? { path: path.join(root, replacement) } : undefined,
    );
  },
});
const fromFile = [rankSource('src/node/rankSourceFile.ts')];
const fromFetch = [rankSource('src/extension/tokenize/rankSourceFetch.ts')];

// Stamped first in the extension bundles so activation time includes loading the bundle.
const LOAD_STAMP = 'globalThis.__kvlensLoadStart = performance.now();';
// …and last, so the time spent evaluating the bundle is known apart from the host's own work before activate().
const LOAD_END_STAMP = 'globalThis.__kvlensLoadEnd = performance.now();';

// Keeps our own modules (relative imports of .ts files) out of the importing file's output, as require()s of their own
// compiled files: the unit test tree shares them.
const ownModulesApart = {
  name: 'kvlens-own-modules-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) =>
      args.kind === 'entry-point' || /\.json$/.test(args.path) || args.importer.includes('node_modules')
        ? undefined
        : { path: args.path, external: true },
    );
  },
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: { node: 'src/extension/node.ts' },
    outdir: 'dist/extension',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    banner: { js: LOAD_STAMP },
    footer: { js: LOAD_END_STAMP },
    plugins: fromFile,
  },
  {
    ...common,
    entryPoints: { web: 'src/extension/web.ts' },
    outdir: 'dist/extension',
    platform: 'browser',
    format: 'cjs',
    external: ['vscode'],
    banner: { js: LOAD_STAMP },
    footer: { js: LOAD_END_STAMP },
    plugins: fromFetch,
    define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
  },
  {
    ...common,
    entryPoints: { kvlens: 'src/cli/main.ts' },
    outdir: 'dist/cli',
    platform: 'node',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
    plugins: fromFile,
    define: { KVLENS_VERSION: JSON.stringify(pkg.version) },
  },
  // Worker threads that keep long tokenization off the extension host's thread.
  {
    ...common,
    entryPoints: { 'tokenize-worker-node': 'src/extension/tokenize/nodeWorkerThread.ts' },
    outdir: 'dist/extension',
    platform: 'node',
    format: 'cjs',
    plugins: fromFile,
  },
  {
    ...common,
    entryPoints: { 'tokenize-worker-web': 'src/extension/tokenize/webWorkerThread.ts' },
    outdir: 'dist/extension',
    platform: 'browser',
    format: 'iife',
    plugins: fromFetch,
  },
];
if (webviewEntries.length) {
  builds.push({ ...common, entryPoints: webviewEntries, outdir: 'dist/webview', platform: 'browser', format: 'iife' });
}
// Test code is never minified (readable stacks, true names), also in the production build the e2e tests use.
const testCommon = { ...common, minify: false };
if (withTests) {
  builds.push(
    // The unit tests and the code they test, one output file per source file (out/src, out/test/unit): packages are
    // bundled in, our own modules stay require()s, so Node loads each of them once for all the test files — one copy
    // of the rank tables and the catalog instead of one in each of ~50 test bundles (~500 MB written per build, each
    // table parsed and built again for every test file).
    {
      ...testCommon,
      entryPoints: ['src/**/*.ts', 'test/unit/**/*.ts'],
      outbase: '.',
      outdir: testOut,
      platform: 'node',
      format: 'cjs',
      // vscode: src/extension compiles too; the unit tests load only its modules that do not import vscode.
      external: ['vscode', 'mocha', 'tiktoken', 'fast-check', 'onnxruntime-node', 'onnxruntime-web', 'playwright-core'],
      plugins: [ownModulesApart],
    },
    {
      ...testCommon,
      entryPoints: ['test/e2e/suite/**/*.ts'],
      outbase: 'test',
      outdir: `${testOut}/test`,
      platform: 'node',
      format: 'cjs',
      external: ['vscode', 'mocha', 'tiktoken'],
    },
    {
      ...testCommon,
      entryPoints: ['test/browser/**/*.test.ts'],
      outbase: 'test',
      outdir: `${testOut}/test`,
      platform: 'node',
      format: 'cjs',
      external: ['mocha', 'playwright-core', 'onnxruntime-node', 'onnxruntime-web'],
    },
  );
}

// esbuild fails on a glob that matches nothing; a suite folder may not exist yet.
function globHasFiles(glob) {
  const dir = path.join(root, glob.slice(0, glob.indexOf('*')));
  const suffix = glob.slice(glob.lastIndexOf('*') + 1);
  return fs.existsSync(dir) && fs.readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith(suffix));
}

// Scripts the browser tests and the attention benchmark load into their page (the attention engine on a backend).
if (withTests || withBench) {
  builds.push({
    ...testCommon,
    entryPoints: ['test/browser/fixtures/*.ts'],
    outdir: `${testOut}/test/browser-fixtures`,
    platform: 'browser',
    format: 'iife',
  });
}

if (withBench) {
  builds.push({
    ...common,
    entryPoints: ['bench/**/*.bench.ts'],
    outbase: 'bench',
    outdir: `${testOut}/bench`,
    platform: 'node',
    format: 'cjs',
    external: ['tiktoken', 'onnxruntime-node', 'onnxruntime-web', 'playwright-core'],
  });
}

const present = builds.filter((b) => {
  const eps = Array.isArray(b.entryPoints) ? b.entryPoints : Object.values(b.entryPoints);
  return eps.every((e) => {
    const f = typeof e === 'string' ? e : e.in;
    return f.includes('*') ? globHasFiles(f) : fs.existsSync(path.join(root, f));
  });
});

// The webview panels' icon font, from @vscode/codicons (the <link> id lets <vscode-icon> find it).
function copyCodicons() {
  const dir = path.join(root, 'dist/webview');
  fs.mkdirSync(dir, { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf'])
    fs.copyFileSync(path.join(root, 'node_modules/@vscode/codicons/dist', f), path.join(dir, f));
}

// The attention panel's demo model, generated from its fixed seed when the generator changed (dist/webview/models), and the
// one onnxruntime-web build the panel loads (its WebAssembly binary, next to the webview bundles).
async function writeAttentionAssets() {
  const sources = [
    'src/core/attention/demoWeights.ts',
    'src/core/attention/onnxBuild.ts',
    'src/core/attention/graphAdapt.ts',
    'src/node/writeDemoModel.ts',
  ];
  const stamp = sources.map((f) => fs.statSync(path.join(root, f)).mtimeMs).join(',');
  const dir = path.join(root, 'dist/webview/models'),
    stampFile = path.join(dir, '.stamp');
  if (
    !fs.existsSync(path.join(dir, 'demo-gpt2.onnx')) ||
    !fs.existsSync(stampFile) ||
    fs.readFileSync(stampFile, 'utf8') !== stamp
  ) {
    const tmp = path.join(root, testOut, 'build/writeDemoModel.cjs');
    await esbuild.build({
      ...common,
      sourcemap: false,
      entryPoints: ['src/node/writeDemoModel.ts'],
      outfile: tmp,
      platform: 'node',
      format: 'cjs',
    });
    const { createRequire } = await import('node:module');
    createRequire(import.meta.url)(tmp).writeDemoModel(dir);
    fs.writeFileSync(stampFile, stamp);
  }
  const ortDir = path.join(root, 'dist/webview/ort');
  fs.mkdirSync(ortDir, { recursive: true });
  const wasm = 'ort-wasm-simd-threaded.asyncify.wasm',
    from = path.join(root, 'node_modules/onnxruntime-web/dist', wasm);
  if (!fs.existsSync(path.join(ortDir, wasm)) || fs.statSync(path.join(ortDir, wasm)).size !== fs.statSync(from).size)
    fs.copyFileSync(from, path.join(ortDir, wasm));
}

const t0 = performance.now();
await writeRankFiles();
await writeAttentionAssets();
if (webviewEntries.length) copyCodicons();
if (watch) {
  for (const b of present) await (await esbuild.context(b)).watch();
  console.log('kvlens: watching for changes…');
} else {
  const results = await Promise.allSettled(present.map((b) => esbuild.build(b)));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) {
    for (const f of failed) console.error(f.reason?.message ?? f.reason);
    process.exit(1);
  }
  if (fs.existsSync(path.join(root, 'dist/cli/kvlens.js'))) fs.chmodSync(path.join(root, 'dist/cli/kvlens.js'), 0o755);
  console.log(
    `kvlens: built ${present.length} bundles in ${Math.round(performance.now() - t0)} ms${production ? ' (production)' : ''}`,
  );
}
