// GitHub Copilot in VS Code (agent mode): .github/copilot-instructions.md, AGENTS.md and CLAUDE.md at the workspace
// root and *.instructions.md whose applyTo matches, each as <attachment filePath=…> inside <instructions>, in a system
// message after the system prompt, rendered again for every request (vscode-copilot-chat agentPrompt.tsx).
import data from './copilot.json';
import { lineAt, matchesEverything, readFrontMatter, stringList, stringValue, utf8Length } from '../fileText';
import {
  agentPath,
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
import type { AgentWarning, FileKind, LoadReason, HarnessData } from '../types';
import { listingEntry, subAgentFile } from './listings';

export const copilotData = data as unknown as HarnessData;
const R = data.rules;
const EFFECT = copilotData.rules.takesEffect.value;
const ROLE = copilotData.rules.instructionRole.value;

export async function discoverCopilot(env: HarnessEnv, mainModel: string): Promise<HarnessDraft> {
  const warnings: AgentWarning[] = [];
  const drafts = new DraftFiles(EFFECT);
  const { files, listed } = drafts;
  const push = drafts.push.bind(drafts);
  const attached: { label: string; content: string; abs: string }[] = [];
  const seenContent = new Map<string, string>();
  let order = 0;

  const attach = async (abs: string, kind: FileKind, reason: LoadReason) => {
    const r = await readText(env, abs);
    if (!r.ok) return push(unreadableDraft(abs, kind, r.code));
    const fm = readFrontMatter(r.text);
    const content = r.text.slice(kind === 'instructions' ? fm.bodyStart : 0).trim();
    if (!content) return push(draft(abs, kind, 'never', r.size, '', { why: 'empty' }));
    const label = agentPath(env, abs);
    const sent = `<attachment filePath="${label}">\n${content}\n</attachment>`;
    if (seenContent.has(content)) {
      warnings.push(warn(env, 'copilot', 'duplicate-text', abs, 1, { same: seenContent.get(content)!, dropped: true }));
      return push(draft(abs, kind, 'never', r.size, '', { why: 'shadowed', by: seenContent.get(content)! }));
    }
    seenContent.set(content, label);
    attached.push({ label, content, abs });
    push({ ...draft(abs, kind, 'always', r.size, sent, reason), order: order++ });
  };

  const at = (rel: string) => env.ws.candidates.find((c) => c.rel === rel);
  for (const [rel, kind] of [
    ['AGENTS.md', 'agents-md'],
    ['CLAUDE.md', 'claude-md'],
    ['.claude/CLAUDE.md', 'claude-md'],
  ] as const) {
    const c = at(rel);
    if (c) await attach(c.abs, kind, { why: 'root-to-cwd' });
  }

  for (const c of env.ws.candidates) {
    if (listed.has(c.abs)) continue;
    const name = basenameOf(c.rel);
    if (/^\.github\/instructions\/.+\.instructions\.md$/.test(c.rel)) {
      const r = await readText(env, c.abs);
      if (!r.ok) {
        push(unreadableDraft(c.abs, 'instructions', r.code));
        continue;
      }
      const fm = readFrontMatter(r.text);
      if (fm.problem)
        warnings.push(
          warn(env, 'copilot', 'front-matter-malformed', c.abs, fm.problem.line, { problem: fm.problem.message }),
        );
      const globs = stringList(fm.data?.applyTo);
      const everything = globs.some(matchesEverything);
      if (globs.length && !everything && globs.length) {
        const body = r.text.slice(fm.bodyStart).trim();
        const sent = `<attachment filePath="${agentPath(env, c.abs)}">\n${body}\n</attachment>`;
        push(draft(c.abs, 'instructions', 'on-match', r.size, sent, { why: 'globs', globs, matchesEverything: false }));
      } else if (everything) {
        const line = lineAt(r.text, Math.max(0, r.text.indexOf('applyTo')));
        if (globs.length > 1 || !globs.every((g) => g.trim() === '**'))
          warnings.push(warn(env, 'copilot', 'globs-match-everything', c.abs, line, { key: 'applyTo', globs }));
        await attach(c.abs, 'instructions', { why: 'globs', globs, matchesEverything: true });
      } else if (stringValue(fm.data?.description)) {
        const f = await listingEntry(
          env,
          'copilot',
          c.abs,
          'instructions',
          R.skills.value.descriptionMaxChars,
          warnings,
        );
        push({ ...f, role: ROLE });
      } else
        push(draft(c.abs, 'instructions', 'manual', r.size, '', { why: 'front-matter', key: 'applyTo', value: null }));
      continue;
    }
    if (/^\.github\/(?:agents\/[^/]+\.md|chatmodes\/[^/]+\.chatmode\.md)$/.test(c.rel)) {
      const kind: FileKind = c.rel.includes('/chatmodes/') ? 'chatmode' : 'agent';
      const r = await readText(env, c.abs);
      const body = r.ok ? r.text.slice(readFrontMatter(r.text).bodyStart) : '';
      push({
        ...draft(
          c.abs,
          kind,
          r.ok ? 'on-invoke' : 'never',
          r.ok ? r.size : 0,
          body,
          r.ok ? { why: 'invoked' } : { why: 'unreadable', warning: r.code },
        ),
      });
      continue;
    }
    if (/^\.github\/prompts\/[^/]+\.prompt\.md$/.test(c.rel)) {
      push(draft(c.abs, 'prompt', 'manual', 0, '', { why: 'invoked' }));
      continue;
    }
    if (/^\.(?:github|claude|agents)\/skills\/[^/]+\/SKILL\.md$/.test(c.rel)) {
      const f = await listingEntry(env, 'copilot', c.abs, 'skill', R.skills.value.descriptionMaxChars, warnings);
      push({ ...f, role: f.loaded === 'listing' ? ROLE : null });
      continue;
    }
    if (/^\.claude\/agents\/[^/]+\.md$/.test(c.rel)) {
      push(await subAgentFile(env, 'copilot', c.abs, mainModel, warnings));
      continue;
    }
    if (name === 'AGENTS.md' && !c.rel.includes('/.')) {
      push(
        draft(c.abs, 'agents-md', 'never', 0, '', {
          why: 'setting',
          setting: 'chat.useNestedAgentsMdFiles',
          defaultValue: false,
        }),
      );
      continue;
    }
    if (name === 'CLAUDE.md' && !c.rel.startsWith('.')) {
      push(draft(c.abs, 'claude-md', 'never', 0, '', { why: 'below-cwd', folder: dirnameOf(c.abs) }));
    }
  }

  // The repository-wide file comes after the instruction files VS Code attached (getAgentInstructions).
  const main = at('.github/copilot-instructions.md');
  if (main) await attach(main.abs, 'copilot-instructions', { why: 'root-to-cwd' });

  const wrapper = R.wrapper.value;
  const text = attached.length
    ? `<${wrapper.tag}>\n${attached.map((a) => `<${wrapper.fileTag} ${wrapper.fileAttr}="${a.label}">\n${a.content}\n</${wrapper.fileTag}>`).join('\n')}\n</${wrapper.tag}>`
    : null;
  return { files, instructions: text === null ? null : { role: ROLE, text, exact: false }, warnings };
}

function draft(
  abs: string,
  kind: FileKind,
  loaded: DraftFile['loaded'],
  bytes: number,
  sent: string,
  reason: LoadReason,
): Omit<DraftFile, 'takesEffect'> {
  const sending = loaded === 'always' || loaded === 'on-match';
  return {
    abs,
    kind,
    loaded,
    role: loaded === 'never' || loaded === 'manual' ? null : ROLE,
    reason,
    order: null,
    bytes,
    bytesSent: sending ? utf8Length(sent) : 0,
    bytesLost: 0,
    sent,
  };
}
