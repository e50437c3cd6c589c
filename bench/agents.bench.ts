// `kvlens agents` core discovery on a generated workspace of 10,000 files (instruction files of all five agents among
// them, nested AGENTS.md in packages) with a gitignored heavy folder of 20,000 more, through the Node adapter the CLI
// uses: the whole discovery (budget 300 ms) and the editor's placement of one open file (budget 200 ms). Tokenizers
// are loaded before timing (the CLI and the editor load them once per process). Prints one JSON object last.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { discoverAgentContext, placementsOf } from '../src/core/agents';
import { loadCatalog } from '../src/core/pricing/catalog';
import { nodeAgentFs, toAgentPath } from '../src/node/agentFsNode';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-bench-agents-')));
const RULES = Array.from({ length: 60 }, (_, i) => `- Rule ${i + 1}: keep modules small and tested.`).join('\n');
let files = 0,
  instructionFiles = 0;
const write = (rel: string, text: string, instruction = false) => {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  files++;
  if (instruction) instructionFiles++;
};

fs.mkdirSync(path.join(root, '.git'));
write('.gitignore', 'dist/\n*.log\n');
write('AGENTS.md', `# Agents\n${RULES}\n`, true);
write('CLAUDE.md', `@AGENTS.md\n\n# Claude\n${RULES}\n`, true);
write('GEMINI.md', `# Gemini\n${RULES}\n`, true);
write('.github/copilot-instructions.md', `# Copilot\n${RULES}\n`, true);
for (let i = 0; i < 5; i++) {
  write(`.github/instructions/area${i}.instructions.md`, `---\napplyTo: "pkg${i}/**"\n---\n${RULES}\n`, true);
  write(`.cursor/rules/rule${i}.mdc`, `---\ndescription: Rule ${i}\nglobs: pkg${i}/**/*.ts\n---\n${RULES}\n`, true);
}
for (let i = 0; i < 3; i++) {
  write(`.claude/rules/r${i}.md`, `${RULES}\n`, true);
  write(`.claude/skills/s${i}/SKILL.md`, `---\nname: s${i}\ndescription: Skill ${i}\n---\n${RULES}\n`, true);
}
// Packages of 4 folders with 10 files each (about 10 files a folder, as in a typical TypeScript repository).
for (let p = 0; files < 10_000; p++) {
  if (p % 10 === 0) write(`pkg${p}/AGENTS.md`, `# Package ${p}\n${RULES}\n`, true);
  for (let d = 0; d < 3 && files < 10_000; d++)
    for (let f = 0; f < 10 && files < 10_000; f++)
      write(`pkg${p}/src/m${d}/file${f}.ts`, `export const x${f} = ${p};\n`);
  if (files < 10_000) write(`pkg${p}/package.json`, '{}');
}
const workspaceFiles = files;
// The heavy folder: gitignored, never listed.
for (let i = 0; i < 20_000; i++) write(`dist/chunk${i % 200}/c${i}.js`, '0');
const ignoredFiles = files - workspaceFiles;

const catalog = loadCatalog();
const dir = toAgentPath(root);
const opts = { catalog, globals: {}, sessions: {}, walkUpTo: dir };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  let t = performance.now();
  const cold = await discoverAgentContext(dir, opts, nodeAgentFs); // loads the tokenizers
  const coldMs = performance.now() - t;
  const runs: number[] = [];
  const cpu: number[] = [];
  let ctx = cold;
  for (let i = 0; i < 9; i++) {
    t = performance.now();
    const c = process.cpuUsage();
    ctx = await discoverAgentContext(dir, opts, nodeAgentFs);
    const u = process.cpuUsage(c);
    runs.push(performance.now() - t);
    cpu.push((u.user + u.system) / 1000);
  }
  const place: number[] = [];
  const placeCpu: number[] = [];
  let placements = 0;
  for (let i = 0; i < 9; i++) {
    t = performance.now();
    const c = process.cpuUsage();
    const one = await discoverAgentContext(dir, { ...opts, onlyPaths: ['pkg20/AGENTS.md'] }, nodeAgentFs);
    placements = placementsOf(one, 'pkg20/AGENTS.md', catalog).length;
    place.push(performance.now() - t);
    const u = process.cpuUsage(c);
    placeCpu.push((u.user + u.system) / 1000);
  }
  fs.rmSync(root, { recursive: true, force: true });
  const discoverMs = Math.round(median(runs) * 10) / 10;
  const placementMs = Math.round(median(place) * 10) / 10;
  console.log(
    JSON.stringify({
      workspaceFiles,
      instructionFiles,
      ignoredFiles,
      harnesses: ctx.harnesses.length,
      filesRead: ctx.stats.filesRead,
      dirsListed: ctx.stats.dirsListed,
      coldMs: Math.round(coldMs),
      discoverMs,
      discoverMinMs: Math.round(Math.min(...runs) * 10) / 10,
      discoverMaxMs: Math.round(Math.max(...runs) * 10) / 10,
      discoverCpuMs: Math.round(median(cpu) * 10) / 10,
      loadAverage: Math.round(os.loadavg()[0] * 10) / 10,
      placementMs,
      placementCpuMs: Math.round(median(placeCpu) * 10) / 10,
      placementMinMs: Math.round(Math.min(...place) * 10) / 10,
      placements,
      budgets: { discoverMs: 300, placementMs: 200 },
      withinBudget: discoverMs <= 300 && placementMs <= 200,
    }),
  );
}
void main();
