// Codex CLI: one AGENTS.md (or AGENTS.override.md, or a fallback name) per folder from the project root (the nearest
// .git) down to the working folder, joined by blank lines after the user's global $CODEX_HOME/AGENTS.md, cut at
// project_doc_max_bytes (32 KiB) of project text, and sent as the user message
// "# AGENTS.md instructions for <cwd>\n\n<INSTRUCTIONS>\n…\n</INSTRUCTIONS>" (codex-rs/core/src/agents_md.rs).
import data from './codex.json';
import { decodeUtf8, lineAtByte } from '../fileText';
import {
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
import type { AgentWarning, FileKind, HarnessData } from '../types';
import { listingEntry } from './listings';

export const codexData = data as unknown as HarnessData;
const R = data.rules;
const EFFECT = codexData.rules.takesEffect.value;
export const CODEX_DEFAULT_MAX_BYTES = R.budget.value.bytes;

/** The Codex request text for the AGENTS.md message. */
export function renderCodexInstructions(cwd: string, text: string): string {
  return R.render.value.replace('{cwd}', cwd).replace('{text}', text);
}

export async function discoverCodex(env: HarnessEnv): Promise<HarnessDraft> {
  const warnings: AgentWarning[] = [];
  const drafts = new DraftFiles(EFFECT);
  const { files, listed } = drafts;
  const push = drafts.push.bind(drafts);
  const names = [...R.chain.value.perFolder];
  for (const n of env.codexFallbackNames) if (n && !names.includes(n)) names.push(n);
  const kindOf = (n: string): FileKind => (n === 'AGENTS.override.md' ? 'agents-override-md' : 'agents-md');

  // The user's global file: AGENTS.override.md, else AGENTS.md; the first that is not blank.
  let globalText: string | null = null;
  if (env.trusted && env.globals.codexHome) {
    for (const n of R.globals.value.names) {
      const abs = joinPath(env.globals.codexHome, n);
      if (!(await fileAt(env, abs))) continue;
      const r = await readText(env, abs);
      if (!r.ok) {
        push(unreadableDraft(abs, kindOf(n), r.code));
        continue;
      }
      if (globalText === null && r.text.trim()) {
        globalText = r.text;
        push(entry(abs, kindOf(n), 'always', r.size, r.bytes.length, 0, r.text, { why: 'global' }, 0));
      } else
        push(
          entry(
            abs,
            kindOf(n),
            'never',
            r.size,
            0,
            0,
            '',
            globalText === null ? { why: 'empty' } : { why: 'shadowed', by: `$CODEX_HOME/${R.globals.value.names[0]}` },
          ),
        );
    }
  }

  // The project chain: the project root (nearest .git at or above DIR) down to DIR; without one, DIR alone.
  const root = env.gitRoot;
  const dirs = root ? env.chain.filter((d) => isWithin(root, d)) : [env.dir];
  const budget = env.codexMaxBytes;
  let remaining = budget;
  const parts: string[] = [];
  let order = globalText === null ? 0 : 1;
  for (const d of dirs) {
    let chosen: string | undefined;
    for (const n of names) {
      const abs = joinPath(d, n);
      if (!(await fileAt(env, abs))) continue;
      if (chosen) {
        push(entry(abs, kindOf(n), 'never', 0, 0, 0, '', { why: 'shadowed', by: basenameOf(chosen) }));
        continue;
      }
      chosen = abs;
      if (budget === 0 || remaining === 0) {
        const st = await env.ws.fs.stat(abs);
        push(entry(abs, kindOf(n), 'never', st?.size ?? 0, 0, st?.size ?? 0, '', { why: 'over-budget' }));
        warnings.push(warn(env, 'codex', 'budget-skipped', abs, 1, { budget, bytes: st?.size ?? 0 }));
        continue;
      }
      // Codex reads the whole file and keeps the first `remaining` bytes; reading no more than that is the same.
      const r = await readText(env, abs, remaining + 1);
      if (!r.ok) {
        push(unreadableDraft(abs, kindOf(n), r.code));
        continue;
      }
      const kept = r.bytes.length > remaining ? r.bytes.subarray(0, remaining) : r.bytes;
      const text = kept === r.bytes ? r.text : decodeUtf8(kept);
      if (!text.trim()) {
        push(entry(abs, kindOf(n), 'never', r.size, 0, 0, '', { why: 'empty' }));
        continue;
      }
      const lost = r.size - kept.length;
      parts.push(text);
      push(entry(abs, kindOf(n), 'always', r.size, kept.length, lost, text, { why: 'root-to-cwd' }, order++));
      if (lost > 0)
        warnings.push(
          warn(env, 'codex', 'budget-truncated', abs, lineAtByte(r.bytes, kept.length), {
            budget,
            bytesSent: kept.length,
            bytesLost: lost,
            fromByte: kept.length,
          }),
        );
      remaining -= kept.length;
    }
  }

  // Everything else Codex recognises: AGENTS.md below DIR (a session started there loads it), skills.
  for (const c of env.ws.candidates) {
    if (listed.has(c.abs)) continue;
    const name = basenameOf(c.rel);
    if (/(^|\/)\.(?:codex|agents)\/skills\/[^/]+\/SKILL\.md$/.test(c.rel)) {
      const f = await listingEntry(env, 'codex', c.abs, 'skill', R.skills.value.descriptionMaxChars, warnings);
      push({ ...f, role: f.loaded === 'listing' ? 'user' : null });
      continue;
    }
    if (!names.includes(name) || /(^|\/)\.[^/]+\//.test(c.rel)) continue;
    const folder = dirnameOf(c.abs);
    push(
      entry(
        c.abs,
        kindOf(name),
        'never',
        0,
        0,
        0,
        '',
        folder === env.dir ? { why: 'outside-chain' } : { why: 'below-cwd', folder },
      ),
    );
  }

  const project = parts.join(R.combine.value.between);
  const body =
    globalText !== null && parts.length
      ? `${globalText}${R.combine.value.globalThenProject}${project}`
      : (globalText ?? (parts.length ? project : null));
  return {
    files,
    instructions: body === null ? null : { role: 'user', text: renderCodexInstructions(env.cwd, body), exact: true },
    warnings,
  };
}

function entry(
  abs: string,
  kind: FileKind,
  loaded: DraftFile['loaded'],
  bytes: number,
  bytesSent: number,
  bytesLost: number,
  sent: string,
  reason: DraftFile['reason'],
  order: number | null = null,
): Omit<DraftFile, 'takesEffect'> {
  return {
    abs,
    kind,
    loaded,
    role: loaded === 'always' ? 'user' : null,
    reason,
    order,
    bytes,
    bytesSent,
    bytesLost,
    sent,
  };
}
