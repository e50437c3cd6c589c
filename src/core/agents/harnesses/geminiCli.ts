// Gemini CLI: GEMINI.md (or context.fileName) from the working folder up to the git root, sorted by path, each
// between "--- Context from: <path> ---" markers with its @imports inlined (depth ≤ 5), in <project_context> of the
// first user message — after "Today's date is …" — while ~/.gemini/GEMINI.md goes in the system instruction.
import data from './geminiCli.json';
import { geminiImports } from '../imports';
import { lineAt, utf8Length } from '../fileText';
import {
  agentPath,
  basenameOf,
  dirnameOf,
  fileAt,
  isWithin,
  joinPath,
  readText,
  warn,
  type DraftFile,
  type HarnessDraft,
  type HarnessEnv,
  DraftFiles,
  unreadableDraft,
} from '../harnessEnv';
import type { AgentWarning, HarnessData, LoadReason } from '../types';
import { listingEntry, subAgentFile } from './listings';

export const geminiData = data as unknown as HarnessData;
const R = data.rules;
const EFFECT = geminiData.rules.takesEffect.value;
const MAX_DEPTH = R.imports.value.maxDepth;

export async function discoverGemini(env: HarnessEnv, mainModel: string): Promise<HarnessDraft> {
  const warnings: AgentWarning[] = [];
  const drafts = new DraftFiles(EFFECT);
  const { files, listed } = drafts;
  const push = drafts.push.bind(drafts);
  const names = env.geminiFileNames.length ? env.geminiFileNames : R.discovery.value.fileNames;
  const projectRoot = env.gitRoot ?? env.dir;

  /** A file's content with its imports inlined, as processImports (tree format) writes it. */
  const expand = async (abs: string, text: string, depth: number, chain: ReadonlySet<string>): Promise<string> => {
    if (depth >= MAX_DEPTH) return text;
    let out = '';
    let last = 0;
    for (const imp of geminiImports(text)) {
      out += text.slice(last, imp.start);
      last = imp.end;
      const full = joinPath(dirnameOf(abs), imp.path);
      const line = lineAt(text, imp.start);
      if (
        /^(?:file|https?):\/\//.test(imp.path) ||
        !isWithin(projectRoot, full) ||
        (!env.trusted && !isWithin(env.dir, full))
      ) {
        warnings.push(warn(env, 'gemini-cli', 'import-outside', abs, line, { import: imp.path }));
        out += `<!-- Import failed: ${imp.path} - Path traversal attempt -->`;
        continue;
      }
      if (chain.has(full)) {
        warnings.push(warn(env, 'gemini-cli', 'import-cycle', abs, line, { import: imp.path }));
        out += `<!-- File already processed: ${imp.path} -->`;
        continue;
      }
      const r = await readText(env, full);
      if (!r.ok) {
        warnings.push(warn(env, 'gemini-cli', 'import-missing', abs, line, { import: imp.path }));
        const why =
          r.code === 'unreadable' && r.facts.problem === 'missing'
            ? `ENOENT: no such file or directory, access '${agentPath(env, full)}'`
            : r.code;
        out += `<!-- Import failed: ${imp.path} - ${why} -->`;
        continue;
      }
      if (depth + 1 >= MAX_DEPTH && geminiImports(r.text).length)
        warnings.push(warn(env, 'gemini-cli', 'import-too-deep', full, null, { maxDepth: MAX_DEPTH }));
      const inner = await expand(full, r.text, depth + 1, new Set([...chain, full]));
      out += `<!-- Imported from: ${imp.path} -->\n${inner}\n<!-- End of import from: ${imp.path} -->`;
      push({
        abs: full,
        kind: 'import',
        loaded: 'always',
        role: 'user',
        reason: { why: 'imported', by: agentPath(env, abs), depth: depth + 1 },
        order: null,
        bytes: r.size,
        bytesSent: utf8Length(r.text),
        bytesLost: 0,
        sent: r.text,
      });
    }
    return out + text.slice(last);
  };

  const block = (abs: string, content: string) =>
    `--- Context from: ${agentPath(env, abs)} ---\n${content.trim()}\n--- End of Context from: ${agentPath(env, abs)} ---`;

  // Global: ~/.gemini/GEMINI.md, in the system instruction.
  if (env.trusted && env.globals.geminiDir)
    for (const n of names) {
      const abs = joinPath(env.globals.geminiDir, n);
      if (!(await fileAt(env, abs))) continue;
      const r = await readText(env, abs);
      if (!r.ok) push(unreadableDraft(abs, 'gemini-md', r.code));
      else {
        const sent = block(abs, await expand(abs, r.text, 0, new Set([abs])));
        push(
          entry(
            abs,
            r.text.trim() ? 'always' : 'never',
            'system',
            r.size,
            sent,
            r.text.trim() ? { why: 'global' } : { why: 'empty' },
          ),
        );
      }
    }

  // Project: DIR up to the git root (DIR alone without one), only in a trusted folder; paths sorted.
  const ceiling = env.gitRoot ?? env.dir;
  const dirs = env.chain.filter((d) => isWithin(ceiling, d));
  const found: string[] = [];
  for (const d of dirs) for (const n of names) if (await fileAt(env, joinPath(d, n))) found.push(joinPath(d, n));
  found.sort();
  const blocks: string[] = [];
  let order = 0;
  for (const abs of found) {
    const r = await readText(env, abs);
    if (!r.ok) {
      push(unreadableDraft(abs, 'gemini-md', r.code));
      continue;
    }
    if (!r.text.trim()) {
      push(entry(abs, 'never', null, r.size, '', { why: 'empty' }));
      continue;
    }
    const content = await expand(abs, r.text, 0, new Set());
    const b = block(abs, content);
    blocks.push(b);
    push({ ...entry(abs, 'always', 'user', r.size, b, { why: 'root-to-cwd' }), order: order++ });
  }

  // Below DIR: loaded just in time when a tool touches a file there; skills and sub-agents listed.
  for (const c of env.ws.candidates) {
    if (listed.has(c.abs)) continue;
    if (/(^|\/)\.(?:gemini|agents)\/skills\/[^/]+\/SKILL\.md$/.test(c.rel)) {
      const f = await listingEntry(env, 'gemini-cli', c.abs, 'skill', R.skills.value.descriptionMaxChars, warnings);
      push({ ...f, role: f.loaded === 'listing' ? 'system' : null });
      continue;
    }
    if (/(^|\/)\.gemini\/agents\/[^/]+\.md$/.test(c.rel)) {
      push(await subAgentFile(env, 'gemini-cli', c.abs, mainModel, warnings));
      continue;
    }
    if (!names.includes(basenameOf(c.rel)) || /(^|\/)\.[^/]+\//.test(c.rel)) continue;
    const r = await readText(env, c.abs);
    const sent = r.ok ? block(c.abs, r.text) : '';
    push(
      entry(
        c.abs,
        r.ok ? 'on-match' : 'never',
        r.ok ? 'user' : null,
        r.ok ? r.size : 0,
        sent,
        r.ok ? { why: 'below-cwd', folder: dirnameOf(c.abs) } : { why: 'unreadable', warning: r.code },
      ),
    );
  }

  if (blocks.length && found.length)
    warnings.push(warn(env, 'gemini-cli', 'date-before-instructions', found[0], null, { line: "Today's date is …" }));
  const project = blocks.join(R.combine.value.between).trim();
  const text = project ? R.combine.value.wrapper.replace('{text}', project) : null;
  return { files, instructions: text === null ? null : { role: 'user', text, exact: false }, warnings };
}

function entry(
  abs: string,
  loaded: DraftFile['loaded'],
  role: DraftFile['role'],
  bytes: number,
  sent: string,
  reason: LoadReason,
): Omit<DraftFile, 'takesEffect'> {
  return {
    abs,
    kind: 'gemini-md',
    loaded,
    role,
    reason,
    order: null,
    bytes,
    bytesSent: utf8Length(sent),
    bytesLost: 0,
    sent,
  };
}
