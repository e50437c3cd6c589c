// Cursor: .cursor/rules/*.mdc activated by their front matter (alwaysApply, globs, description, or none: manual),
// AGENTS.md at the root (nested ones for their folder), the legacy .cursorrules. Where the rules go in the request is
// not documented: the role is null and the text is the rules joined by blank lines (exact: false).
import data from './cursor.json';
import { lineAt, matchesEverything, readFrontMatter, stringList, stringValue, utf8Length } from '../fileText';
import {
  basenameOf,
  dirnameOf,
  readText,
  warn,
  type DraftFile,
  type HarnessDraft,
  type HarnessEnv,
  DraftFiles,
  unreadableDraft,
} from '../harnessEnv';
import type { AgentWarning, FileKind, HarnessData, LoadReason } from '../types';

export const cursorData = data as unknown as HarnessData;
const EFFECT = cursorData.rules.takesEffect.value;

export async function discoverCursor(env: HarnessEnv): Promise<HarnessDraft> {
  const warnings: AgentWarning[] = [];
  const drafts = new DraftFiles(EFFECT);
  const { files } = drafts;
  const push = drafts.push.bind(drafts);
  const always: string[] = [];
  let order = 0;

  for (const c of env.ws.candidates) {
    const name = basenameOf(c.rel);
    const isRule = /(^|\/)\.cursor\/rules\/.+\.mdc?$/.test(c.rel);
    const nested = isRule ? !c.rel.startsWith('.cursor/') : c.rel.includes('/');
    if (!isRule && name !== 'AGENTS.md' && !(name === '.cursorrules' && !nested)) continue;
    if (!isRule && c.rel.split('/').some((s) => s.startsWith('.') && s !== name)) continue;
    const kind: FileKind = isRule ? 'cursor-rule' : name === 'AGENTS.md' ? 'agents-md' : 'cursorrules';
    const r = await readText(env, c.abs);
    if (!r.ok) {
      push(unreadableDraft(c.abs, kind, r.code));
      continue;
    }
    let loaded: DraftFile['loaded'] = 'always';
    let reason: LoadReason = { why: 'root-to-cwd' };
    let body = r.text;
    if (isRule) {
      const fm = readFrontMatter(r.text);
      body = r.text.slice(fm.bodyStart);
      if (fm.problem) {
        warnings.push(
          warn(env, 'cursor', 'front-matter-malformed', c.abs, fm.problem.line, { problem: fm.problem.message }),
        );
        loaded = 'manual';
        reason = { why: 'no-front-matter' };
      } else if (fm.data === null) {
        warnings.push(warn(env, 'cursor', 'cursor-rule-no-front-matter', c.abs, 1, {}));
        loaded = 'manual';
        reason = { why: 'no-front-matter' };
      } else {
        const globs = stringList(fm.data.globs);
        const everything = globs.some(matchesEverything);
        if (fm.data.alwaysApply === 'true')
          warnings.push(
            warn(env, 'cursor', 'front-matter-malformed', c.abs, lineAt(r.text, r.text.indexOf('alwaysApply')), {
              problem: 'alwaysApply is the string "true", not the boolean true: the rule is not always applied',
            }),
          );
        if (fm.data.alwaysApply === true) reason = { why: 'front-matter', key: 'alwaysApply', value: true };
        else if (globs.length) {
          if (everything)
            warnings.push(
              warn(
                env,
                'cursor',
                'globs-match-everything',
                c.abs,
                lineAt(r.text, Math.max(0, r.text.indexOf('globs'))),
                {
                  key: 'globs',
                  globs,
                },
              ),
            );
          loaded = everything ? 'always' : 'on-match';
          reason = { why: 'globs', globs, matchesEverything: everything };
        } else if (stringValue(fm.data.description)) {
          loaded = 'listing';
          reason = { why: 'front-matter', key: 'description', value: stringValue(fm.data.description)! };
          body = stringValue(fm.data.description)!;
        } else {
          loaded = 'manual';
          reason = { why: 'front-matter', key: 'alwaysApply', value: fm.data.alwaysApply ?? null };
        }
      }
      if (nested && (loaded === 'always' || loaded === 'listing')) {
        loaded = 'on-match';
        reason = { why: 'below-cwd', folder: dirnameOf(c.abs.slice(0, c.abs.indexOf('/.cursor/rules/'))) + '' };
      }
    } else if (nested) {
      loaded = 'on-match';
      reason = { why: 'below-cwd', folder: dirnameOf(c.abs) };
    }
    const sending = loaded === 'always' || loaded === 'on-match' || loaded === 'listing';
    const f = draft(c.abs, kind, loaded, r.size, sending ? body : '', reason);
    if (loaded === 'always' && body.trim()) {
      always.push(body.trim());
      push({ ...f, order: order++ });
    } else push(f);
  }
  return {
    files,
    instructions: always.length ? { role: null, text: always.join('\n\n'), exact: false } : null,
    warnings,
  };
}

function draft(
  abs: string,
  kind: FileKind,
  loaded: DraftFile['loaded'],
  bytes: number,
  sent: string,
  reason: LoadReason,
): Omit<DraftFile, 'takesEffect'> {
  return { abs, kind, loaded, role: null, reason, order: null, bytes, bytesSent: utf8Length(sent), bytesLost: 0, sent };
}
