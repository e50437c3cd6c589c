// Agent-context facts in words: the one place warnings become sentences (the CLI's JSON `message` and table, the
// editor's diagnostics), each saying what to do.
import type { AgentWarning, HarnessId, Loaded } from './types';

export const HARNESS_NAMES: Readonly<Record<HarnessId, string>> = {
  'claude-code': 'Claude Code',
  codex: 'Codex',
  copilot: 'Copilot',
  cursor: 'Cursor',
  'gemini-cli': 'Gemini CLI',
};

const str = (v: unknown) => (Array.isArray(v) ? v.join(', ') : String(v));
const kb = (n: unknown) => `${(Number(n) / 1024).toFixed(1)} KiB`;

/** One line saying what is wrong and what to do. */
export function warningMessage(w: AgentWarning): string {
  const f = w.facts;
  const who = w.harness ? HARNESS_NAMES[w.harness] : 'the agents';
  switch (w.code) {
    case 'budget-truncated':
      return `${who} sends only the first ${f.bytesSent} bytes of this file: the instruction chain reaches project_doc_max_bytes (${kb(f.budget)}) here, so ${f.bytesLost} bytes from line ${w.line} on are never sent — shorten the files above or raise project_doc_max_bytes`;
    case 'budget-skipped':
      return `${who} never sends this file: the ${kb(f.budget)} project_doc_max_bytes budget is spent by the files above it`;
    case 'dynamic-content':
      return `${str(f.kind)} "${str(f.text)}" in a file ${who} loads in every session: each change re-writes the cached prefix of every session after it — keep it out of always-loaded instructions`;
    case 'cursor-rule-no-front-matter':
      return 'Cursor rule without front matter: never applied automatically, only when @-mentioned — add description, globs or alwaysApply';
    case 'globs-match-everything':
      return `${str(f.key)} "${str(f.globs)}" matches every file, so ${who} loads this file in every request — use alwaysApply/always-on instructions for that, or narrow the pattern`;
    case 'skill-description-truncated':
      return `description is ${f.chars} characters; ${who}'s listing keeps ${f.maxChars}, so "${str(f.lost)}…" never reaches the model — put the trigger words first and shorten it`;
    case 'sub-agent-model-differs':
      return `sub-agent "${str(f.agent)}" runs on ${str(f.model)}, the main loop on ${str(f.mainModel)}: it starts from a cold cache every time — use model: inherit to share the main loop's cache`;
    case 'import-missing':
      return `@${str(f.import)}: no such file; ${who} skips it silently`;
    case 'import-cycle':
      return `@${str(f.import)} imports a file already being imported (a cycle); ${who} loads it once`;
    case 'import-too-deep':
      return `@${str(f.import ?? '')} is past ${who}'s import depth of ${f.maxDepth} hops and is not loaded`;
    case 'import-outside':
      return `@${str(f.import)} points outside the workspace: not read here (${who} asks before loading it, or refuses it)`;
    case 'duplicate-text':
      return f.dropped
        ? `same text as ${str(f.same)}: ${who} sends it once and drops this file`
        : `${f.whole ? 'the same text as' : `a ${f.chars}-character paragraph also in`} ${str(f.other)}${f.otherLine && f.otherLine !== 1 ? `:${f.otherLine}` : ''}: ${who} sends it twice in every request — keep one and import or link the other`;
    case 'file-too-big':
      return `${kb(f.bytes)} file, over the ${kb(f.limit)} limit: not read`;
    case 'not-regular':
      return `is a ${str(f.type)}, not a regular file: not read`;
    case 'link-outside':
      return `is a link to ${str(f.target)}, outside the workspace: not read`;
    case 'unreadable':
      return `cannot be read (${str(f.problem)})`;
    case 'front-matter-malformed':
      return `front matter: ${str(f.problem)} — ${who} may ignore the file's settings`;
    case 'invalid-utf8':
      return 'not valid UTF-8: the agents replace the bad bytes with U+FFFD';
    case 'date-before-instructions':
      return `${who} puts "Today's date is …" before the project's context files in the same message: the cached prefix ends there when the date changes`;
    case 'untrusted-skipped':
      return 'Restricted Mode: parent folders and global instruction files are not read';
    case 'scan-limit':
      return `stopped after ${f.entries} entries: files further on are not listed`;
  }
}

/** "always", "when a matching file is touched", … */
export function loadedText(l: Loaded): string {
  switch (l) {
    case 'always':
      return 'in every request';
    case 'on-match':
      return 'when a matching file is touched';
    case 'on-invoke':
      return 'when invoked';
    case 'listing':
      return 'name and description listed';
    case 'own-context':
      return "in a sub-agent's own context";
    case 'manual':
      return 'only when attached by hand';
    case 'never':
      return 'not loaded';
  }
}
