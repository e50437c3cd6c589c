// What a webview posts is checked before the host acts on it. The webviews are ours, but they render text from the
// user's prompts and logs; a message is data from a less trusted side, and a host that opens files or moves the
// cursor on its word must not be led outside the workspace or past the end of a document. Pure: no 'vscode'.
import type {
  AgentsViewToHost,
  AttentionBackendChoice,
  AttentionFirstPaint,
  AttentionLoadStep,
  AttentionStatus,
  AttentionViewToHost,
  CostInputsView,
  CostViewToHost,
  ReplayViewToHost,
} from '../../protocol';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isNum = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
const isStr = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const LIMIT = 2 ** 31;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\x00-\x1f]/;

/** A workspace-relative path that stays inside: no absolute path, drive, scheme, '..' segment or control character. */
export function isRelativeInside(p: unknown): p is string {
  if (!isStr(p, 4096) || !p) return false;
  if (CONTROL.test(p) || p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:/.test(p) || /^[a-z][\w+.-]*:/i.test(p))
    return false;
  return !p.split(/[\\/]/).some((s) => s === '..');
}

function costInputs(v: unknown): v is CostInputsView {
  if (!isObj(v) || !isNum(v.callsPerHour, 0, 1e9) || !isInt(v.outputTokens, 0, 1e8)) return false;
  if (v.warmPercent !== undefined && !isNum(v.warmPercent, 0, 100)) return false;
  return isObj(v.ttl) && Object.keys(v.ttl).length <= 256 && Object.values(v.ttl).every((t) => isStr(t, 16));
}

export function costMessage(m: unknown): CostViewToHost | undefined {
  if (!isObj(m)) return undefined;
  switch (m.type) {
    case 'ready':
    case 'pickModels':
      return { type: m.type };
    case 'inputs':
      return costInputs(m.inputs) ? { type: 'inputs', inputs: m.inputs } : undefined;
    case 'copy':
      return (m.format === 'markdown' || m.format === 'csv') && isStr(m.text, 4 << 20)
        ? { type: 'copy', format: m.format, text: m.text }
        : undefined;
    case 'openSource':
      return isStr(m.url, 4096) && /^https:\/\/[^\s]+$/.test(m.url) ? { type: 'openSource', url: m.url } : undefined;
    case 'openFile':
      if (!isRelativeInside(m.file) || (m.line !== undefined && !isInt(m.line, 1, LIMIT))) return undefined;
      return { type: 'openFile', file: m.file, ...(m.line !== undefined ? { line: m.line } : {}) };
    default:
      return undefined;
  }
}

/** `lines`: how many lines the replayed document has (an index past it names no request). */
export function replayMessage(m: unknown, lines: number, requests = 0): ReplayViewToHost | undefined {
  if (!isObj(m)) return undefined;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'openLine':
      // With a position the host reads the request (and its own file) from its state: the index is that file's line.
      if (
        !isInt(m.index, 0, m.position !== undefined ? LIMIT : Math.max(0, lines - 1)) ||
        (m.column !== undefined && !isInt(m.column, 1, LIMIT))
      )
        return undefined;
      if (m.position !== undefined && !isInt(m.position, 0, Math.max(0, requests - 1))) return undefined;
      return {
        type: 'openLine',
        index: m.index,
        ...(m.column !== undefined ? { column: m.column } : {}),
        ...(m.position !== undefined ? { position: m.position } : {}),
      };
    default:
      return undefined;
  }
}

function attentionStatus(s: unknown): s is AttentionStatus {
  return (
    isObj(s) &&
    (s.backend === 'webgpu' || s.backend === 'wasm') &&
    isStr(s.model, 1024) &&
    isInt(s.tokens, 0, LIMIT) &&
    isInt(s.reused, 0, LIMIT) &&
    isInt(s.computed, 0, LIMIT) &&
    isNum(s.ms, 0, 1e9) &&
    isInt(s.layer, 0, 1024) &&
    (s.head === 'mean' || isInt(s.head, 0, 1024))
  );
}

const MS = 1e7;
const FIRST_PAINT_MS = [
  'elapsedMs',
  'scriptMs',
  'wasmFetchMs',
  'compileMs',
  'modelLoadMs',
  'sessionMs',
  'documentMs',
  'firstRunMs',
  'firstPaintMs',
] as const;

function firstPaint(t: unknown): t is AttentionFirstPaint {
  return (
    isObj(t) &&
    (t.backend === 'webgpu' || t.backend === 'wasm') &&
    FIRST_PAINT_MS.every((k) => isNum(t[k], 0, MS)) &&
    isInt(t.firstTokens, 0, LIMIT) &&
    typeof t.wasmCached === 'boolean' &&
    typeof t.modelCached === 'boolean' &&
    typeof t.modelBuilt === 'boolean' &&
    typeof t.rowsKept === 'boolean'
  );
}

function backendChoice(c: unknown): c is AttentionBackendChoice {
  return (
    isObj(c) &&
    (c.backend === 'webgpu' || c.backend === 'wasm') &&
    isInt(c.tokens, 0, LIMIT) &&
    isNum(c.wasmMs, 0, MS) &&
    (c.webgpuMs === null || isNum(c.webgpuMs, 0, MS)) &&
    (c.note === undefined || isStr(c.note, 2000)) &&
    (c.webgpu === undefined ||
      (isObj(c.webgpu) &&
        ['wasmFetchMs', 'compileMs', 'sessionMs', 'firstRunMs'].every((k) => isNum((c.webgpu as Obj)[k], 0, MS))))
  );
}

const LOAD_STEPS: readonly AttentionLoadStep[] = ['runtime', 'compile', 'build', 'model', 'session', 'text', 'run'];

/** `length`: the UTF-16 length of the text the panel shows (offsets past it name nothing). */
export function attentionMessage(m: unknown, length: number): AttentionViewToHost | undefined {
  if (!isObj(m)) return undefined;
  switch (m.type) {
    case 'ready':
      return isNum(m.at, 0, MS) ? { type: 'ready', at: m.at } : { type: 'ready' };
    case 'chooseModel':
      return { type: m.type };
    case 'reveal':
      return isInt(m.start, 0, length) && isInt(m.end, m.start, length)
        ? { type: 'reveal', start: m.start, end: m.end }
        : undefined;
    case 'status':
      return attentionStatus(m.status) ? { type: 'status', status: m.status } : undefined;
    case 'firstPaint':
      return firstPaint(m.timing) ? { type: 'firstPaint', timing: m.timing } : undefined;
    case 'backendMeasured':
      return isStr(m.model, 1024) && backendChoice(m.choice)
        ? { type: 'backendMeasured', model: m.model, choice: m.choice }
        : undefined;
    case 'error':
      return isStr(m.message, 10_000) ? { type: 'error', message: m.message } : undefined;
    case 'loading':
      return LOAD_STEPS.includes(m.step as AttentionLoadStep)
        ? { type: 'loading', step: m.step as AttentionLoadStep }
        : undefined;
    default:
      return undefined;
  }
}

export function agentsMessage(m: unknown): AgentsViewToHost | undefined {
  if (!isObj(m)) return undefined;
  switch (m.type) {
    case 'ready':
    case 'refresh':
      return { type: m.type };
    case 'openFile':
      return isRelativeInside(m.file) ? { type: 'openFile', file: m.file } : undefined;
    default:
      return undefined;
  }
}
