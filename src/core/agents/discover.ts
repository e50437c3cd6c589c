// discoverAgentContext: every coding agent's view of DIR's instruction files, through an injected file system.
import { loadCatalog, type Catalog } from '../pricing/catalog';
import { tokenizerForModel } from '../pricing/modelTokenizer';
import type { ModelInfo } from '../pricing/types';
import { ancestorsOf, joinPath, normalizePath, type AgentFs } from './agentFs';
import { duplicatesAmong, dynamicContentIn } from './contentChecks';
import { decodeUtf8, stringList } from './fileText';
import { displayPath, readText, warn, type GlobalDirs, type HarnessDraft, type HarnessEnv } from './harnessEnv';
import { claudeCodeData, discoverClaudeCode } from './harnesses/claudeCode';
import { codexData, CODEX_DEFAULT_MAX_BYTES, discoverCodex } from './harnesses/codex';
import { copilotData, discoverCopilot } from './harnesses/copilot';
import { cursorData, discoverCursor } from './harnesses/cursor';
import { discoverGemini, geminiData } from './harnesses/geminiCli';
import { sessionCost } from './sessionCost';
import {
  HARNESS_IDS,
  type AgentContext,
  type AgentFile,
  type AgentWarning,
  type HarnessData,
  type HarnessId,
  type HarnessReport,
  type SessionStats,
} from './types';
import { Workspace } from './workspace';

export const HARNESS_DATA: Readonly<Record<HarnessId, HarnessData>> = {
  'claude-code': claudeCodeData,
  codex: codexData,
  copilot: copilotData,
  cursor: cursorData,
  'gemini-cli': geminiData,
};

export interface DiscoverOptions {
  /** The folder the agent says it runs in: Codex's header, Claude Code's and Gemini's paths (default: DIR). */
  readonly cwd?: string;
  /** Only these harnesses (default: all five). */
  readonly harnesses?: readonly HarnessId[];
  /** The model for every harness (default: the newest session's, else the harness's default). */
  readonly model?: string;
  readonly catalog?: Catalog;
  /** Global folders ($CODEX_HOME, $CLAUDE_CONFIG_DIR, ~/.gemini); none in the web host. */
  readonly globals?: GlobalDirs;
  /**
   * The highest folder read above DIR (default: the filesystem root, as Claude Code walks): a test's or an editor's
   * boundary. Folders above it are neither listed nor read.
   */
  readonly walkUpTo?: string;
  /** Restricted Mode when false: nothing outside DIR is read. Default true. */
  readonly trusted?: boolean;
  /** Workspace-relative globs never scanned (files.exclude). */
  readonly exclude?: readonly string[];
  /** Session counts per harness, from the logs the Agent Sessions view reads (Node only). */
  readonly sessions?: Partial<Record<HarnessId, SessionStats>>;
  /** Codex's project_doc_fallback_filenames and project_doc_max_bytes (config.toml). */
  readonly codexFallbackNames?: readonly string[];
  readonly codexMaxBytes?: number;
  /** Largest file read whole (default 4 MiB). */
  readonly maxFileBytes?: number;
  /** For dated checks (dynamic content): the time of the analysis. */
  readonly now?: number;
  /**
   * Only scan the folders on the way to these DIR-relative paths (and DIR's agent folders), not the whole tree: the
   * editor's placement of one open file. Files elsewhere are not listed.
   */
  readonly onlyPaths?: readonly string[];
}

const MODULES: Record<HarnessId, (env: HarnessEnv, model: string) => Promise<HarnessDraft>> = {
  'claude-code': discoverClaudeCode,
  codex: (env) => discoverCodex(env),
  copilot: discoverCopilot,
  cursor: (env) => discoverCursor(env),
  'gemini-cli': discoverGemini,
};

/**
 * Reads DIR's agent instruction files as each coding agent started in DIR would (its parents and the global files
 * too, unless untrusted), and returns, per harness that recognises any file, the files and how they load, the text
 * sent for the always-loaded ones, tokens, the cost per session and typed warnings. Never throws for the workspace's
 * content: every problem is a warning naming the file.
 */
export async function discoverAgentContext(dirIn: string, opts: DiscoverOptions, fs: AgentFs): Promise<AgentContext> {
  const dir = normalizePath(dirIn);
  const cwd = opts.cwd ?? dir;
  const trusted = opts.trusted ?? true;
  const catalog = opts.catalog ?? loadCatalog();
  const ws = new Workspace(fs, dir, {
    exclude: opts.exclude,
    maxFileBytes: opts.maxFileBytes,
    extraNames: opts.codexFallbackNames,
    only: opts.onlyPaths,
  });
  await ws.scan();

  // Gemini's context.fileName from the project's .gemini/settings.json (the user's settings are not read).
  const geminiFileNames = await geminiNames(ws);
  if (geminiFileNames.some((n) => n !== 'GEMINI.md')) {
    const again = new Workspace(fs, dir, {
      exclude: opts.exclude,
      maxFileBytes: opts.maxFileBytes,
      extraNames: [...(opts.codexFallbackNames ?? []), ...geminiFileNames],
      only: opts.onlyPaths,
    });
    await again.scan();
    Object.assign(ws, { candidates: again.candidates });
    ws.dirsListed += again.dirsListed;
  }

  const top = opts.walkUpTo ? normalizePath(opts.walkUpTo) : undefined;
  const chain = trusted
    ? ancestorsOf(dir)
        .filter((d) => !top || d === top || d.startsWith(`${top}/`) || top === '/')
        .reverse()
    : [dir];
  let gitRoot: string | undefined;
  for (const d of [...chain].reverse()) {
    if (await ws.exists(joinPath(d, '.git'))) {
      gitRoot = d;
      break;
    }
  }
  const env: HarnessEnv = {
    ws,
    dir,
    cwd,
    trusted,
    globals: trusted ? (opts.globals ?? {}) : {},
    gitRoot,
    chain,
    codexFallbackNames: opts.codexFallbackNames ?? [],
    codexMaxBytes: opts.codexMaxBytes ?? CODEX_DEFAULT_MAX_BYTES,
    geminiFileNames,
  };

  const year = new Date(opts.now ?? Date.now()).getUTCFullYear();
  const harnesses: HarnessReport[] = [];
  for (const id of HARNESS_IDS.filter((h) => !opts.harnesses || opts.harnesses.includes(h))) {
    const data = HARNESS_DATA[id];
    const sessions = opts.sessions?.[id] ?? null;
    const model = pickModel(catalog, [opts.model, sessions?.model, data.rules.defaultModel.value]);
    const draft = await MODULES[id](env, model.id);
    if (!draft.files.length) continue;
    const { tokenizer, exact } = tokenizerForModel(model);
    const count = (t: string) => (t ? tokenizer.count(t) : 0);
    const files: AgentFile[] = draft.files.map((f) => ({
      path: displayPath(env, f.abs),
      abs: f.abs,
      kind: f.kind,
      loaded: f.loaded,
      role: f.role,
      tokens: count(f.sent),
      bytesSent: f.bytesSent,
      bytesLost: f.bytesLost,
      takesEffect: f.takesEffect,
      reason: f.reason,
      order: f.order,
      bytes: f.bytes,
      ...(f.body !== undefined ? { bodyTokens: count(f.body) } : {}),
    }));
    const instructions = draft.instructions
      ? {
          role: draft.instructions.role,
          text: draft.instructions.text,
          tokens: count(draft.instructions.text),
          exact: draft.instructions.exact && exact,
        }
      : null;
    const warnings = [...draft.warnings, ...(await contentWarnings(env, id, draft, year))];
    harnesses.push({
      harness: id,
      displayName: data.displayName,
      version: data.version,
      model: model.id,
      files,
      instructions,
      sessions,
      warnings: warnings.sort((a, b) => a.path.localeCompare(b.path) || (a.line ?? 0) - (b.line ?? 0)),
      layers: data.rules.layers.value,
      fixedLayers: {
        ...data.rules.fixedLayers.value,
        source: data.rules.fixedLayers.source,
        confidence: data.rules.fixedLayers.confidence,
      },
      takesEffect: data.rules.takesEffect.value,
      cost: instructions ? sessionCost(model, instructions.tokens, data.rules.cacheTtl.value, sessions) : null,
    });
  }

  const warnings: AgentWarning[] = [...ws.warnings];
  for (const [abs, r] of ws.refusals) warnings.push(warn(env, null, r.code, abs, null, r.facts));
  for (const abs of ws.invalidUtf8) warnings.push(warn(env, null, 'invalid-utf8', abs, null, {}));
  if (!trusted) warnings.push(warn(env, null, 'untrusted-skipped', dir, null, { skipped: ['parents', 'globals'] }));
  return {
    dir,
    cwd,
    harnesses,
    warnings,
    stats: { dirsListed: ws.dirsListed, filesRead: ws.filesRead, bytesRead: ws.bytesRead },
  };
}

function pickModel(catalog: Catalog, ids: readonly (string | undefined)[]): ModelInfo {
  for (const id of ids) {
    if (!id) continue;
    const r = catalog.find(id);
    if (r.ok) return r.model;
  }
  const r = catalog.find('gpt-4.1');
  if (!r.ok) throw new Error('the bundled catalog has no gpt-4.1');
  return r.model;
}

async function geminiNames(ws: Workspace): Promise<string[]> {
  const settings = ws.candidates.find((c) => c.rel === '.gemini/settings.json');
  if (!settings) return ['GEMINI.md'];
  const r = await ws.read(settings.abs, 256 * 1024);
  if (!r.ok) return ['GEMINI.md'];
  try {
    const v = (JSON.parse(decodeUtf8(r.bytes)) as { context?: { fileName?: unknown } })?.context?.fileName;
    const names = stringList(v).filter((n) => !n.includes('/'));
    return names.length ? names : ['GEMINI.md'];
  } catch {
    ws.warnings.push({
      code: 'unreadable',
      path: '.gemini/settings.json',
      line: null,
      harness: 'gemini-cli',
      facts: { problem: 'not JSON' },
    });
    return ['GEMINI.md'];
  }
}

/** Dynamic content in always-loaded files, and text loaded twice, for one harness. */
async function contentWarnings(
  env: HarnessEnv,
  id: HarnessId,
  draft: HarnessDraft,
  year: number,
): Promise<AgentWarning[]> {
  const out: AgentWarning[] = [];
  const texts: { abs: string; text: string }[] = [];
  for (const f of draft.files) {
    if (f.loaded !== 'always') continue;
    const r = await readText(env, f.abs);
    if (!r.ok) continue;
    texts.push({ abs: f.abs, text: r.text });
    for (const h of dynamicContentIn(r.text, year))
      out.push(warn(env, id, 'dynamic-content', f.abs, h.line, { kind: h.kind, text: h.text }));
  }
  const already = new Set(draft.warnings.filter((w) => w.code === 'duplicate-text').map((w) => w.path));
  for (const d of duplicatesAmong(texts)) {
    const path = displayPath(env, d.b.abs);
    if (already.has(path)) continue;
    out.push(
      warn(env, id, 'duplicate-text', d.b.abs, d.b.line, {
        other: displayPath(env, d.a.abs),
        otherLine: d.a.line,
        chars: d.chars,
        whole: d.whole,
      }),
    );
  }
  return out;
}
