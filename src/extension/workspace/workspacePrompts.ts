import * as vscode from 'vscode';
import { minimatch } from 'minimatch';
import { isPromptFile, REQUEST_BODY_SNIFF_CHARS, type PromptFileRules } from '../../core/prompt/promptFiles';
import type { KvLensSettings } from '../settings/settings';
import { readWorkspaceText } from './workspaceFiles';

const MAX_FILES = 200;
const MAX_BYTES = 2 * 1024 * 1024;
/** Text files a scan reads (an include glob such as prompts/** also matches the images beside the prompts). */
const CANDIDATE = /\.(md|prompty|prompt|txt|json|jsonl|ya?ml)$/i;
/** Files whose content, not their name, can make them prompts (request bodies, GitHub Models YAML). */
const BY_CONTENT = ['**/*.json', '**/*.jsonl', '**/*.yml', '**/*.yaml'];
/** Never prompts of this workspace, whatever files.exclude says. */
const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**', '**/.vscode-test/**'];

/**
 * The head of a file, where the host can read one without reading the file whole (the Node host: a file on disk);
 * undefined elsewhere (the web host reads whole files, at most 2 MB).
 */
export type HeadReader = (uri: vscode.Uri, chars: number) => Promise<string | undefined>;

export interface WorkspacePrompt {
  readonly uri: vscode.Uri;
  /** Workspace-relative path. */
  readonly label: string;
  /** The open editor's text when the file is open (unsaved edits count), else the file's. */
  readonly text: string;
}

/**
 * What to search for: the include globs of kvlens.promptFiles.include (and, with request-body detection on, the
 * JSON and YAML files whose content may say they are prompts), minus files.exclude and the folders no prompt lives
 * in. findFiles then lists candidates only, instead of every file of the workspace.
 */
export function promptSearch(
  rules: PromptFileRules,
  filesExclude: Record<string, unknown> = {},
): { include: string; exclude: string } {
  const globs = rules.globs.filter((g) => !g.startsWith('!'));
  const include = [...globs, ...(rules.detectRequestBodies ? BY_CONTENT : [])];
  const exclude = [
    ...ALWAYS_EXCLUDED,
    ...Object.entries(filesExclude)
      .filter(([, on]) => on === true)
      .map(([g]) => g),
  ];
  return { include: `{${[...new Set(include)].join(',')}}`, exclude: `{${[...new Set(exclude)].join(',')}}` };
}

/** True when a workspace-relative path is excluded from scans (files.exclude, node_modules, .git). */
export function isExcluded(label: string, settings: KvLensSettings): boolean {
  const { exclude } = searchFor(settings);
  return minimatch(label.replace(/\\/g, '/'), exclude, { dot: true });
}

/** promptSearch() for the current settings and files.exclude. */
export function searchFor(settings: KvLensSettings): { include: string; exclude: string } {
  return promptSearch(
    settings.promptFiles,
    vscode.workspace.getConfiguration('files').get<Record<string, unknown>>('exclude', {}),
  );
}

/**
 * One file, if it is a prompt by the editor's rules: by name without reading it; by content from its text (read only
 * when the name does not decide, at most 2 MB, regular files only). `skipped` hears why a candidate was not read.
 */
export async function readWorkspacePrompt(
  uri: vscode.Uri,
  settings: KvLensSettings,
  skipped?: (file: string, why: string) => void,
  readHead?: HeadReader,
): Promise<WorkspacePrompt | undefined> {
  const label = vscode.workspace.asRelativePath(uri, false);
  if (!CANDIDATE.test(label)) return undefined;
  const byName = isPromptFile(label, undefined, settings.promptFiles);
  if (!byName && !settings.promptFiles.detectRequestBodies) return undefined;
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open)
    return isPromptFile(label, open.getText(), settings.promptFiles) ? { uri, label, text: open.getText() } : undefined;
  // By content: the head decides (as the editor sniffs it), so a large JSON file that is no request is never read whole.
  if (!byName && readHead) {
    const head = await readHead(uri, REQUEST_BODY_SNIFF_CHARS).catch(() => undefined);
    if (head !== undefined && !isPromptFile(label, head, settings.promptFiles)) return undefined;
  }
  const read = await readWorkspaceText(uri, { maxBytes: MAX_BYTES, followLinks: false });
  if (!read.ok) {
    if (byName || /\.jsonl?$/i.test(label)) skipped?.(label, read.message);
    return undefined;
  }
  return byName || isPromptFile(label, read.text, settings.promptFiles) ? { uri, label, text: read.text } : undefined;
}

/**
 * The workspace's prompt files by the same rules as the editor's (globs, request-body sniffing), at most 200 files
 * of at most 2 MB each, read one at a time so the extension host stays responsive.
 */
export async function workspacePrompts(
  settings: KvLensSettings,
  skipped?: (file: string, why: string) => void,
  readHead?: HeadReader,
): Promise<WorkspacePrompt[]> {
  const { include, exclude } = searchFor(settings);
  const found = await vscode.workspace.findFiles(include, exclude, 5000);
  const out: WorkspacePrompt[] = [];
  for (const uri of found.sort((a, b) => a.path.localeCompare(b.path))) {
    if (out.length >= MAX_FILES) break;
    const p = await readWorkspacePrompt(uri, settings, skipped, readHead);
    if (p) out.push(p);
    await new Promise((r) => setTimeout(r, 0));
  }
  return out;
}
