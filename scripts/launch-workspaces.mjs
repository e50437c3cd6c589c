#!/usr/bin/env node
// The folders F5 opens (.vscode/launch.json, task "prepare launch workspaces"): "Run Extension" gets npm start's
// playground (a git copy of samples/), "Extension Tests" the end-to-end workspace — both under .vscode-test/launch/,
// fresh each time, so the integration tests' edits, saves and commits never land in this repository.
import path from 'node:path';
import { root } from './e2e/codeServer.mjs';
import { makeTestWorkspace } from './e2e/workspace.mjs';
import { makePlayground } from './playground.mjs';

const dir = path.join(root, '.vscode-test/launch');
makePlayground(root, dir);
makeTestWorkspace(root, path.join(dir, 'e2e-workspace'), { git: true });
console.log(`kvlens: launch workspaces ready in ${path.relative(root, dir)}`);
