#!/usr/bin/env node
// One esbuild build for every bundle KV Lens ships, plus (with --tests) the test bundles.
//   node scripts/build.mjs [--watch] [--tests] [--production]
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

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
// web-tree-sitter's ES module build reads import.meta.url (empty in our CommonJS bundles); its CommonJS build finds
// its way in Node and in a web worker alike, and is given the WebAssembly bytes by src/core/code/parser.ts anyway.
const treeSitterCjs = {
  name: 'kvlens-web-tree-sitter-cjs',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({
      path: path.join(root, 'node_modules/web-tree-sitter/web-tree-sitter.cjs'),
    }));
  },
};
// `import source from 'inline-worker:./x.ts'`: x.ts bundled on its own (a worker's script) and imported as its text,
// which the webview starts from a blob — no second file to fetch through the webview's resource loader (that fetch
// waited behind the runtime's download: half a second of the attention panel's start-up).
const inlineWorker = {
  name: 'kvlens-inline-worker',
  setup(build) {
    build.onResolve({ filter: /^inline-worker:/ }, (args) => ({
      path: path.resolve(args.resolveDir, args.path.slice('inline-worker:'.length)),
      namespace: 'inline-worker',
    }));
    build.onLoad({ filter: /.*/, namespace: 'inline-worker' }, async (args) => {
      const r = await esbuild.build({
        ...common,
        minify: build.initialOptions.minify,
        entryPoints: [args.path],
        write: false,
        outdir: path.join(root, 'out/inline-worker'), // names only: nothing is written
        sourcemap: false,
        platform: 'browser',
        format: 'iife',
        metafile: true,
      });
      return {
        contents: r.outputFiles[0].text,
        loader: 'text',
        watchFiles: Object.keys(r.metafile.inputs).map((f) => path.join(root, f)),
      };
    });
  },
};
const fromFile = [rankSource('src/node/rankSourceFile.ts'), treeSitterCjs];
const fromFetch = [rankSource('src/extension/tokenize/rankSourceFetch.ts'), treeSitterCjs];

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
  builds.push({
    ...common,
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    plugins: [inlineWorker],
  });
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
      // …with the oracle's helpers and the webview module the unit tests import (pure logic, no DOM).
      entryPoints: [
        'src/**/*.ts',
        'test/unit/**/*.ts',
        'test/oracle/**/*.ts',
        'webview/attention/tokenWindow.ts',
        'webview/attention/warmGraph.ts',
      ],
      outbase: '.',
      outdir: testOut,
      platform: 'node',
      format: 'cjs',
      // vscode: src/extension compiles too; the unit tests load only its modules that do not import vscode.
      external: ['vscode', 'mocha', 'tiktoken', 'fast-check', 'onnxruntime-node', 'onnxruntime-web', 'playwright-core'],
      plugins: [ownModulesApart, treeSitterCjs],
    },
    {
      ...testCommon,
      entryPoints: ['test/e2e/suite/**/*.ts'],
      outbase: 'test',
      outdir: `${testOut}/test`,
      platform: 'node',
      format: 'cjs',
      plugins: [treeSitterCjs],
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

// The attention panel as it ships (minified), for the start-up benchmark, whatever this build's mode.
if (withBench && webviewEntries.some((e) => e.out === 'attention'))
  builds.push({
    ...common,
    minify: true,
    entryPoints: { attention: 'webview/attention/main.ts' },
    outdir: `${testOut}/bench/webview`,
    platform: 'browser',
    format: 'iife',
    plugins: [inlineWorker],
  });

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
    plugins: [treeSitterCjs],
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
// onnxruntime-web builds the panel loads (their WebAssembly binaries, next to the webview bundles).
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
  // onnxruntime-web's WebAssembly, one build per backend (the panel fetches only the one it runs): the plain SIMD
  // build for WASM, and for WebGPU the JSPI build (the smallest with the WebGPU execution provider; asyncify and JSEP
  // are larger and slower to start). Each also gzip'd: the panel fetches the .gz (a quarter of the bytes through the
  // editor's resource loader) and gunzips it natively; the plain files serve the tests. Other builds are removed.
  const ortDir = path.join(root, 'dist/webview/ort');
  fs.mkdirSync(ortDir, { recursive: true });
  const ortBuilds = ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.jspi.wasm'];
  for (const wasm of ortBuilds) {
    const from = path.join(root, 'node_modules/onnxruntime-web/dist', wasm),
      to = path.join(ortDir, wasm);
    if (!fs.existsSync(to) || fs.statSync(to).size !== fs.statSync(from).size || !fs.existsSync(`${to}.gz`)) {
      const bytes = fs.readFileSync(from);
      fs.writeFileSync(to, bytes);
      fs.writeFileSync(`${to}.gz`, gzipSync(bytes, { level: 9 }));
    }
  }
  const keepOrt = ortBuilds.flatMap((f) => [f, `${f}.gz`]);
  for (const f of fs.readdirSync(ortDir)) if (!keepOrt.includes(f)) fs.rmSync(path.join(ortDir, f), { force: true });
}

// The code parser's WebAssembly files (tree-sitter runtime, Python, TypeScript and TSX grammars), read on first use
// by the CLI and both extension hosts from dist/grammars.
function copyGrammars() {
  const dir = path.join(root, 'dist/grammars');
  fs.mkdirSync(dir, { recursive: true });
  for (const [pkg, file] of [
    ['web-tree-sitter', 'web-tree-sitter.wasm'],
    ['tree-sitter-python', 'tree-sitter-python.wasm'],
    ['tree-sitter-typescript', 'tree-sitter-typescript.wasm'],
    ['tree-sitter-typescript', 'tree-sitter-tsx.wasm'],
  ]) {
    const from = path.join(root, 'node_modules', pkg, file),
      to = path.join(dir, file);
    if (!fs.existsSync(to) || fs.statSync(to).size !== fs.statSync(from).size) fs.copyFileSync(from, to);
  }
}

const t0 = performance.now();
copyGrammars();
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
