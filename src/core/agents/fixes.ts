// The mechanical fixes of instruction-file warnings, as text edits the editor offers as code actions (one undoable
// edit each, applied only when chosen). Only rewrites whose effect is known: front matter a Cursor rule lacks, a
// match-everything pattern said as what it means, a sub-agent put on the main loop's model, a boolean written as a
// string. Titles are made by the editor (they name tokens and agents); each fix says what it does in `does`.
import type { Edit } from '../analysis/fixes';
import { readFrontMatter } from './fileText';

export interface AgentFix {
  readonly does:
    | 'front-matter-description'
    | 'front-matter-always'
    | 'always-apply-instead-of-globs'
    | 'description-instead-of-globs'
    | 'apply-to-everything'
    | 'model-inherit'
    | 'always-apply-boolean';
  readonly edits: readonly Edit[];
  /** The description written (a Cursor rule's first heading or line), when the fix writes one. */
  readonly description?: string;
}

const eolOf = (text: string) => (text.includes('\r\n') ? '\r\n' : '\n');

/** The rule's own words for a description: its first heading, else its first non-empty line, without Markdown marks. */
export function firstLineOf(body: string): string {
  const lines = body.split(/\r?\n/).map((l) => l.trim());
  const heading = lines.find((l) => /^#{1,6}\s+\S/.test(l));
  const line = heading ?? lines.find((l) => l && !/^(?:---|```|<!--)/.test(l)) ?? '';
  const plain = line
    .replace(/^#{1,6}\s+/, '')
    .replace(/^[-*+]\s+/, '')
    .replace(/[`*_]/g, '')
    .trim();
  return plain.length > 120 ? `${plain.slice(0, 117).trimEnd()}…` : plain;
}

/** YAML scalar: plain when it is safe as one, else double-quoted. */
function scalar(s: string): string {
  return /^[\w][\w .,()/-]*$/.test(s) && !/:\s|\s#/.test(s) ? s : JSON.stringify(s);
}

/** A Cursor rule without front matter: one that makes it applied when relevant (a description), or always. */
export function cursorFrontMatter(text: string, mode: 'description' | 'always'): AgentFix | undefined {
  if (readFrontMatter(text).bodyStart > 0) return undefined;
  const eol = eolOf(text);
  const start = text.startsWith('\uFEFF') ? 1 : 0;
  if (mode === 'always')
    return {
      does: 'front-matter-always',
      edits: [{ offset: start, length: 0, content: `---${eol}alwaysApply: true${eol}---${eol}` }],
    };
  const description = firstLineOf(text);
  if (!description) return undefined;
  return {
    does: 'front-matter-description',
    description,
    edits: [
      {
        offset: start,
        length: 0,
        content: `---${eol}description: ${scalar(description)}${eol}alwaysApply: false${eol}---${eol}`,
      },
    ],
  };
}

/** The span of a front-matter key's line (with its line break) and of its value, or undefined. */
function keyLine(text: string, key: string): { start: number; end: number; valueStart: number } | undefined {
  const fm = readFrontMatter(text);
  if (fm.bodyStart === 0) return undefined;
  const head = text.slice(0, fm.bodyStart);
  const re = new RegExp(`^${key}[ \\t]*:[ \\t]*`, 'm');
  const m = re.exec(head);
  if (!m) return undefined;
  let end = head.indexOf('\n', m.index);
  end = end < 0 ? head.length : end + 1;
  // A YAML list written on the lines below the key (`globs:\n  - "**"`) belongs to it.
  for (let next = /^[ \t]+-/.exec(head.slice(end)); next; next = /^[ \t]+-/.exec(head.slice(end))) {
    const nl = head.indexOf('\n', end);
    end = nl < 0 ? head.length : nl + 1;
  }
  return { start: m.index, end, valueStart: m.index + m[0].length };
}

/** Cursor: `globs: "**"` loads the rule in every request; `alwaysApply: true` says so (the same rule, plainly). */
export function alwaysApplyInsteadOfGlobs(text: string): AgentFix | undefined {
  const g = keyLine(text, 'globs');
  if (!g) return undefined;
  const eol = eolOf(text);
  const a = keyLine(text, 'alwaysApply');
  const edits: Edit[] = [{ offset: g.start, length: g.end - g.start, content: a ? '' : `alwaysApply: true${eol}` }];
  if (a) edits.push({ offset: a.valueStart, length: lineValueEnd(text, a.valueStart) - a.valueStart, content: 'true' });
  return { does: 'always-apply-instead-of-globs', edits: sortEdits(edits) };
}

/**
 * Cursor: instead of a pattern that matches every file, a description, so the rule is applied when the agent finds it
 * relevant and only its description is in every request.
 */
export function descriptionInsteadOfGlobs(text: string): AgentFix | undefined {
  const g = keyLine(text, 'globs');
  if (!g) return undefined;
  const eol = eolOf(text);
  const fm = readFrontMatter(text);
  const has = typeof fm.data?.description === 'string' && (fm.data.description as string).trim() !== '';
  const description = has ? undefined : firstLineOf(text.slice(fm.bodyStart));
  if (!has && !description) return undefined;
  return {
    does: 'description-instead-of-globs',
    ...(description ? { description } : {}),
    edits: [
      {
        offset: g.start,
        length: g.end - g.start,
        content: description ? `description: ${scalar(description)}${eol}` : '',
      },
    ],
  };
}

/** Copilot: an applyTo that matches every file written as `"**"`, the documented always-on form (same files). */
export function applyToEverything(text: string): AgentFix | undefined {
  const a = keyLine(text, 'applyTo');
  if (!a) return undefined;
  const eol = eolOf(text);
  return {
    does: 'apply-to-everything',
    edits: [{ offset: a.start, length: a.end - a.start, content: `applyTo: "**"${eol}` }],
  };
}

/** A sub-agent on another model than the main loop: `model: inherit` (it then shares the main loop's model). */
export function inheritModel(text: string): AgentFix | undefined {
  const m = keyLine(text, 'model');
  if (!m) return undefined;
  return {
    does: 'model-inherit',
    edits: [{ offset: m.valueStart, length: lineValueEnd(text, m.valueStart) - m.valueStart, content: 'inherit' }],
  };
}

/** Cursor: `alwaysApply: "true"` is a string, not the boolean; written as `true`. */
export function alwaysApplyBoolean(text: string): AgentFix | undefined {
  const a = keyLine(text, 'alwaysApply');
  if (!a) return undefined;
  const end = lineValueEnd(text, a.valueStart);
  if (!/^(["'])true\1$/.test(text.slice(a.valueStart, end).trim())) return undefined;
  return {
    does: 'always-apply-boolean',
    edits: [{ offset: a.valueStart, length: end - a.valueStart, content: 'true' }],
  };
}

/** Where a one-line value ends: before a comment, trailing blanks and the line break. */
function lineValueEnd(text: string, from: number): number {
  let end = text.indexOf('\n', from);
  if (end < 0) end = text.length;
  let line = text.slice(from, end).replace(/\r$/, '');
  const comment = /\s#/.exec(line);
  if (comment) line = line.slice(0, comment.index);
  return from + line.trimEnd().length;
}

function sortEdits(edits: Edit[]): Edit[] {
  return edits.sort((a, b) => a.offset - b.offset);
}
