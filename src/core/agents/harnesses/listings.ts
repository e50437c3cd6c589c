// Files the main loop sees only as a line in a listing (skills, commands) and sub-agents that run in a context of
// their own: shared by the harnesses that have them.
import { lineAt, readFrontMatter, stringValue, utf8Length } from '../fileText';
import { basenameOf, dirnameOf, readText, unreadableDraft, warn, type DraftFile, type HarnessEnv } from '../harnessEnv';
import type { AgentWarning, FileKind, HarnessId } from '../types';

/** A skill's or command's listing line ("- name: description", the description cut at the harness's cap). */
export async function listingEntry(
  env: HarnessEnv,
  harness: HarnessId,
  abs: string,
  kind: FileKind,
  maxChars: number,
  warnings: AgentWarning[],
): Promise<Omit<DraftFile, 'takesEffect'>> {
  const read = await readText(env, abs);
  if (!read.ok) return unreadableDraft(abs, kind, read.code);
  const fm = readFrontMatter(read.text);
  if (fm.problem)
    warnings.push(warn(env, harness, 'front-matter-malformed', abs, fm.problem.line, { problem: fm.problem.message }));
  const fallbackName = kind === 'skill' ? basenameOf(dirnameOf(abs)) : basenameOf(abs).replace(/\.md$/, '');
  const name = stringValue(fm.data?.name) ?? fallbackName;
  const description = [stringValue(fm.data?.description), stringValue(fm.data?.when_to_use)].filter(Boolean).join(' ');
  const chars = [...description];
  if (chars.length > maxChars) {
    const at = read.text.indexOf('description');
    warnings.push(
      warn(env, harness, 'skill-description-truncated', abs, at >= 0 ? lineAt(read.text, at) : 1, {
        chars: chars.length,
        maxChars,
        lost: chars.slice(maxChars).join('').slice(0, 120),
      }),
    );
  }
  const kept = chars.length > maxChars ? `${chars.slice(0, maxChars - 1).join('')}…` : description;
  const sent = `- ${name}: ${kept}`;
  return {
    abs,
    kind,
    loaded: 'listing',
    role: null,
    reason: { why: 'skill-listing', name, description: kept },
    order: null,
    bytes: read.size,
    bytesSent: utf8Length(sent),
    bytesLost: 0,
    sent,
    body: read.text.slice(fm.bodyStart),
  };
}

const ALIASES = new Set(['sonnet', 'opus', 'haiku', 'fable', 'mythos']);

/** A model's family word: Claude aliases and ids by their tier, others by their id without a date. */
export function modelFamily(id: string): string {
  const s = id.toLowerCase().replace(/^[a-z-]+\//, '');
  for (const a of ALIASES) if (s === a || s.includes(`-${a}`) || s.startsWith(`${a}-`) || s.includes(`${a}[`)) return a;
  return s.replace(/-\d{8}$|-\d{4}-\d{2}-\d{2}$/, '');
}

/**
 * Whether a sub-agent's `model` runs on another model than the main loop's: an alias is compared by family (the alias
 * follows the catalog's newest of that tier), a full id by id. `inherit`, or no model, runs on the main loop's.
 */
export function modelDiffers(subModel: string | null, mainModel: string): boolean {
  if (!subModel || subModel.toLowerCase() === 'inherit') return false;
  const s = subModel.toLowerCase();
  if (ALIASES.has(s)) return modelFamily(mainModel) !== s;
  return modelFamily(s) !== modelFamily(mainModel);
}

/** A sub-agent definition: its description is listed to the main loop; its body starts a request of its own. */
export async function subAgentFile(
  env: HarnessEnv,
  harness: HarnessId,
  abs: string,
  mainModel: string,
  warnings: AgentWarning[],
): Promise<Omit<DraftFile, 'takesEffect'>> {
  const read = await readText(env, abs);
  if (!read.ok) return unreadableDraft(abs, 'sub-agent', read.code);
  const fm = readFrontMatter(read.text);
  if (fm.problem)
    warnings.push(warn(env, harness, 'front-matter-malformed', abs, fm.problem.line, { problem: fm.problem.message }));
  const name = stringValue(fm.data?.name) ?? basenameOf(abs).replace(/\.md$/, '');
  const model = stringValue(fm.data?.model) ?? null;
  if (modelDiffers(model, mainModel)) {
    const at = read.text.search(/^model\s*:/m);
    warnings.push(
      warn(env, harness, 'sub-agent-model-differs', abs, at >= 0 ? lineAt(read.text, at) : 1, {
        model,
        mainModel,
        agent: name,
      }),
    );
  }
  const description = stringValue(fm.data?.description) ?? '';
  const sent = `- ${name}: ${description}`;
  return {
    abs,
    kind: 'sub-agent',
    loaded: 'own-context',
    role: 'system',
    reason: { why: 'sub-agent', name, model },
    order: null,
    bytes: read.size,
    bytesSent: utf8Length(sent),
    bytesLost: 0,
    sent,
    body: read.text.slice(fm.bodyStart),
  };
}
