// Claude Code: CLAUDE.md files from the filesystem root down to the working folder (and the user's and the
// organisation's), each sent as "Contents of <path> (<kind>):" in the first user message, @imports as entries of
// their own after the importing file; nested folders' files when Claude reads there; skills and sub-agents listed.
import data from './claudeCode.json';
import { claudeImports } from '../imports';
import { lineAt, readFrontMatter, stringList, utf8Length } from '../fileText';
import {
  agentPath,
  basenameOf,
  dirnameOf,
  fileAt,
  filesUnder,
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
import type { AgentWarning, FileKind, HarnessData, LoadReason } from '../types';
import { listingEntry, subAgentFile } from './listings';

export const claudeCodeData = data as unknown as HarnessData;
const R = data.rules;
const FORMAT = R.entryFormat.value;
const MAX_DEPTH = R.imports.value.maxDepth;
const EFFECT = claudeCodeData.rules.takesEffect.value;

type Scope = 'managed' | 'user' | 'project' | 'local';

interface Entry {
  abs: string;
  scope: Scope;
  kind: FileKind;
  reason: LoadReason;
}

/** Strips block-level HTML comments (lines opening with `<!--`), outside fenced code, as Claude Code does. */
export function stripBlockComments(text: string): string {
  if (!text.includes('<!--')) return text;
  const lines = text.split(/(?<=\n)/);
  const out: string[] = [];
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(l);
    if (f) fence = fence === null ? f[1][0] : fence === f[1][0] ? null : fence;
    if (fence === null && /^ {0,3}<!--/.test(l)) {
      let j = i,
        block = l;
      while (!block.includes('-->') && j + 1 < lines.length) block += lines[++j];
      if (block.includes('-->')) {
        const residue = block.replace(/<!--[\s\S]*?-->/g, '');
        if (residue.trim()) out.push(residue);
        i = j;
        continue;
      }
    }
    out.push(l);
  }
  return out.join('');
}

export async function discoverClaudeCode(env: HarnessEnv, mainModel: string): Promise<HarnessDraft> {
  const warnings: AgentWarning[] = [];
  const drafts = new DraftFiles(EFFECT);
  const { files, listed } = drafts;
  const push = drafts.push.bind(drafts);
  const seen = new Set<string>();
  const entries: { label: string; scope: Scope; content: string }[] = [];

  const chain = env.chain;
  // AGENTS.md stands in for CLAUDE.md only in a project with none of its own along the chain (agents-md mod).
  const ownFiles: string[] = [];
  for (const d of chain)
    for (const n of ['CLAUDE.md', '.claude/CLAUDE.md', 'CLAUDE.local.md'])
      if (await fileAt(env, joinPath(d, n))) ownFiles.push(joinPath(d, n));
  const agentsMdInstead = ownFiles.length === 0;

  const always: Entry[] = [];
  const g = env.globals;
  if (env.trusted && g.claudeManagedFile && (await fileAt(env, g.claudeManagedFile)))
    always.push({ abs: g.claudeManagedFile, scope: 'managed', kind: 'claude-md', reason: { why: 'global' } });
  if (env.trusted && g.claudeConfigDir) {
    const user = joinPath(g.claudeConfigDir, 'CLAUDE.md');
    if (await fileAt(env, user))
      always.push({ abs: user, scope: 'user', kind: 'claude-md', reason: { why: 'global' } });
    for (const r of await filesUnder(env, joinPath(g.claudeConfigDir, 'rules'), (n) => n.endsWith('.md')))
      always.push({ abs: r, scope: 'user', kind: 'claude-rule', reason: { why: 'global' } });
  }
  const onMatch: Entry[] = [];
  for (const d of chain) {
    const names: [string, FileKind][] = agentsMdInstead
      ? [
          ['AGENTS.md', 'agents-md'],
          ['.claude/AGENTS.md', 'agents-md'],
        ]
      : [
          ['CLAUDE.md', 'claude-md'],
          ['.claude/CLAUDE.md', 'claude-md'],
        ];
    for (const [n, kind] of names)
      if (await fileAt(env, joinPath(d, n)))
        always.push({ abs: joinPath(d, n), scope: 'project', kind, reason: { why: 'root-to-cwd' } });
    for (const r of await filesUnder(env, joinPath(d, '.claude/rules'), (n) => n.endsWith('.md'))) {
      const read = await readText(env, r);
      const fm = read.ok ? readFrontMatter(read.text) : { data: null, bodyStart: 0 };
      const paths = stringList(fm.data?.paths);
      if (paths.length)
        onMatch.push({
          abs: r,
          scope: 'project',
          kind: 'claude-rule',
          reason: { why: 'globs', globs: paths, matchesEverything: false },
        });
      else always.push({ abs: r, scope: 'project', kind: 'claude-rule', reason: { why: 'root-to-cwd' } });
    }
    if (await fileAt(env, joinPath(d, 'CLAUDE.local.md')))
      always.push({
        abs: joinPath(d, 'CLAUDE.local.md'),
        scope: 'local',
        kind: 'claude-local-md',
        reason: { why: 'root-to-cwd' },
      });
  }

  let order = 0;

  // One always-loaded file and its imports, depth-first, parent before its imports.
  const load = async (e: Entry, depth: number, stack: readonly string[]): Promise<void> => {
    if (seen.has(e.abs)) {
      if (stack.includes(e.abs))
        warnings.push(
          warn(env, 'claude-code', 'import-cycle', stack[stack.length - 1], null, {
            import: agentPath(env, e.abs),
            chain: [...stack, e.abs].map((p) => agentPath(env, p)),
          }),
        );
      return;
    }
    seen.add(e.abs);
    const read = await readText(env, e.abs);
    if (!read.ok) {
      push(unreadableDraft(e.abs, e.kind, read.code));
      return;
    }
    const fm = readFrontMatter(read.text);
    if (fm.problem)
      warnings.push(
        warn(env, 'claude-code', 'front-matter-malformed', e.abs, fm.problem.line, { problem: fm.problem.message }),
      );
    const content = stripBlockComments(read.text.slice(fm.bodyStart));
    if (!content.trim()) {
      push(fileEntry(e, 'never', read.size, 0, 0, '', { why: 'empty' }));
      return;
    }
    const label = agentPath(env, e.abs);
    const entry = `${FORMAT.entry.replace('{path}', label).replace('{description}', FORMAT.descriptions[e.scope])}`;
    const sent = entry.replace('{content}', content);
    entries.push({ label, scope: e.scope, content });
    push(fileEntry(e, 'always', read.size, utf8Length(sent), 0, sent, e.reason, order++));
    for (const imp of claudeImports(content)) {
      const target = resolveImport(env, e.abs, imp.path);
      const line = lineAt(read.text, fm.bodyStart + imp.start);
      if (!target) {
        warnings.push(warn(env, 'claude-code', 'import-outside', e.abs, line, { import: imp.path }));
        continue;
      }
      if (depth + 1 >= MAX_DEPTH) {
        warnings.push(
          warn(env, 'claude-code', 'import-too-deep', e.abs, line, { import: imp.path, maxDepth: MAX_DEPTH }),
        );
        continue;
      }
      if (!(await env.ws.exists(target))) {
        warnings.push(warn(env, 'claude-code', 'import-missing', e.abs, line, { import: imp.path }));
        continue;
      }
      await load(
        { abs: target, scope: e.scope, kind: 'import', reason: { why: 'imported', by: label, depth: depth + 1 } },
        depth + 1,
        [...stack, e.abs],
      );
    }
  };
  for (const e of always) await load(e, 0, []);

  for (const e of onMatch) {
    const read = await readText(env, e.abs);
    const body = read.ok ? read.text.slice(readFrontMatter(read.text).bodyStart) : '';
    const sent = read.ok
      ? FORMAT.entry
          .replace('{path}', agentPath(env, e.abs))
          .replace('{description}', FORMAT.descriptions.project)
          .replace('{content}', body)
      : '';
    push(fileEntry(e, read.ok ? 'on-match' : 'never', read.ok ? read.size : 0, utf8Length(sent), 0, sent, e.reason));
  }

  // Files below DIR: nested instruction files (on-match), skills, sub-agents, commands, files shadowed.
  for (const c of env.ws.candidates) {
    if (listed.has(c.abs)) continue;
    const name = basenameOf(c.rel);
    const folder = dirnameOf(c.abs);
    const nestedFolder = (f: string) => (f.endsWith('/.claude') ? dirnameOf(f) : f);
    if (/(^|\/)\.claude\/skills\/[^/]+\/SKILL\.md$/.test(c.rel) || /(^|\/)\.claude\/commands\/.+\.md$/.test(c.rel)) {
      const isSkill = name === 'SKILL.md';
      const skillHome = c.abs.slice(0, c.abs.lastIndexOf('/.claude/'));
      const f = await listingEntry(
        env,
        'claude-code',
        c.abs,
        isSkill ? 'skill' : 'command',
        R.skills.value.descriptionMaxChars,
        warnings,
      );
      const here = skillHome === env.dir || !isWithin(env.dir, skillHome);
      push({
        ...f,
        loaded: here ? f.loaded : 'on-match',
        reason: here ? f.reason : { why: 'below-cwd', folder: skillHome },
        role: 'user',
      });
      continue;
    }
    if (/(^|\/)\.claude\/agents\/[^/]+\.md$/.test(c.rel)) {
      push({ ...(await subAgentFile(env, 'claude-code', c.abs, mainModel, warnings)), role: 'user' });
      continue;
    }
    const kind: FileKind | undefined =
      name === 'CLAUDE.md'
        ? 'claude-md'
        : name === 'CLAUDE.local.md'
          ? 'claude-local-md'
          : name === 'AGENTS.md'
            ? 'agents-md'
            : /(^|\/)\.claude\/rules\/.+\.md$/.test(c.rel)
              ? 'claude-rule'
              : undefined;
    if (!kind) continue;
    if (kind === 'agents-md' && !agentsMdInstead) {
      push(
        fileEntry(
          { abs: c.abs, scope: 'project', kind, reason: { why: 'shadowed', by: 'CLAUDE.md' } },
          'never',
          0,
          0,
          0,
          '',
          { why: 'shadowed', by: 'CLAUDE.md' },
        ),
      );
      continue;
    }
    const nf =
      kind === 'claude-rule'
        ? dirnameOf(c.abs.slice(0, c.abs.indexOf('/.claude/rules/') + '/.claude'.length))
        : nestedFolder(folder);
    const read = await readText(env, c.abs);
    const body = read.ok ? stripBlockComments(read.text.slice(readFrontMatter(read.text).bodyStart)) : '';
    const sent = read.ok
      ? FORMAT.entry
          .replace('{path}', agentPath(env, c.abs))
          .replace('{description}', FORMAT.descriptions[kind === 'claude-local-md' ? 'local' : 'project'])
          .replace('{content}', body)
      : '';
    const reason: LoadReason = read.ok ? { why: 'below-cwd', folder: nf } : { why: 'unreadable', warning: read.code };
    push(
      fileEntry(
        { abs: c.abs, scope: 'project', kind, reason },
        read.ok ? 'on-match' : 'never',
        read.ok ? read.size : 0,
        utf8Length(sent),
        0,
        sent,
        reason,
      ),
    );
  }

  const text = entries.length
    ? [
        FORMAT.header,
        ...entries.map((e) =>
          FORMAT.entry
            .replace('{path}', e.label)
            .replace('{description}', FORMAT.descriptions[e.scope])
            .replace('{content}', e.content),
        ),
      ].join(FORMAT.separator)
    : null;
  return { files, instructions: text === null ? null : { role: 'user', text, exact: false }, warnings };
}

function fileEntry(
  e: Entry,
  loaded: DraftFile['loaded'],
  bytes: number,
  bytesSent: number,
  bytesLost: number,
  sent: string,
  reason: LoadReason,
  order: number | null = null,
): Omit<DraftFile, 'takesEffect'> {
  return {
    abs: e.abs,
    kind: e.kind,
    loaded,
    role: loaded === 'never' ? null : 'user',
    reason,
    order,
    bytes,
    bytesSent,
    bytesLost,
    sent,
  };
}

/** An import's absolute path, or undefined when it points outside DIR (and the user's global folder). */
function resolveImport(env: HarnessEnv, from: string, p: string): string | undefined {
  let abs: string;
  if (p.startsWith('~/')) {
    if (!env.globals.home) return undefined;
    abs = joinPath(env.globals.home, p.slice(2));
  } else abs = joinPath(dirnameOf(from), p);
  const allowed = [env.dir, env.globals.claudeConfigDir].filter((x): x is string => !!x);
  return allowed.some((d) => isWithin(d, abs)) && (env.trusted || isWithin(env.dir, abs)) ? abs : undefined;
}
