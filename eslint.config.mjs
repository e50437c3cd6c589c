// Lint: recommended JS + TypeScript rules, plus the layer boundaries of DESIGN.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Node's built-in modules by their bare names (the `node:` form is matched by 'node:*').
const NODE_BUILTINS = [
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'crypto',
  'http',
  'https',
  'net',
  'stream',
  'readline',
  'module',
  'url',
  'util',
  'zlib',
];
const noImport = (patterns, message) => ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.vscode-test/**',
      'test-output/**',
      'out/**',
      'out-*/**',
      'dist-vsix/**',
      '*.vsix',
      'test/code/local/**',
      'test/e2e/workspace/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Type-aware: a promise nobody awaits or handles loses its error (an unhandled rejection in the extension host),
    // and a switch over a union that misses a member silently ignores a new message or kind.
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['vscode', '**/extension/**', '**/cli/**', '**/webview/**', '**/protocol'],
              message: 'src/core imports nothing of the editor, the CLI or the webviews',
            },
            {
              group: ['node:*', '**/node/**', ...NODE_BUILTINS],
              message:
                'src/core runs in Node, the web worker host and webviews alike: Node APIs go in src/node behind an adapter',
            },
          ],
        },
      ],
    },
  },
  {
    // The extension also runs in the web worker extension host (vscode.dev): no Node API, except in the Node host's
    // own parts, named for it (node.ts, tokenize/nodeWorker*.ts, *Node.ts), which only node.ts imports.
    files: ['src/extension/**/*.ts'],
    ignores: ['src/extension/node.ts', 'src/extension/**/node*.ts', 'src/extension/**/*Node.ts'],
    rules: {
      'no-restricted-imports': noImport(
        ['node:*', ...NODE_BUILTINS, '**/cli/**', '**/webview/**'],
        'src/extension imports core, protocol and src/node only, and runs in the web worker host too: Node APIs go in src/node or a *Node.ts part imported by node.ts',
      ),
    },
  },
  {
    files: ['src/node/**/*.ts'],
    rules: {
      'no-restricted-imports': noImport(
        ['vscode', '**/extension/**', '**/cli/**', '**/webview/**', '**/protocol'],
        'src/node holds Node adapters of core: it imports core only',
      ),
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': noImport(['vscode', '**/extension/**', '**/webview/**'], 'the CLI imports core only'),
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': noImport(
        ['vscode', '**/src/extension/**', '**/src/cli/**'],
        'webviews import core and protocol only',
      ),
    },
  },
  {
    files: ['scripts/**/*.{mjs,cjs,js}', 'test/**/*.{mjs,cjs,js}', 'bench/**/*.{mjs,cjs,js}'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        performance: 'readonly',
        document: 'readonly',
        window: 'readonly',
        getComputedStyle: 'readonly',
        navigator: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
