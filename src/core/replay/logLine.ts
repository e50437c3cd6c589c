import { parseTree, type Node } from 'jsonc-parser/lib/esm/main.js'; // the UMD entry does not bundle
import { readUsage, type Usage } from './usage';

/** One line of a usage log: where its request body is in the line, when it was sent, and what the provider billed. */
export interface LogLine {
  /** The request body's JSON value as [start, end) in the line text (parsed with its own offsets). */
  readonly request?: readonly [number, number];
  /** Milliseconds since the epoch; undefined when the line has no time. */
  readonly timestamp?: number;
  readonly usage?: Usage;
  readonly model?: string;
}

export type LogLineResult =
  { readonly ok: true; readonly line: LogLine } | { readonly ok: false; readonly message: string };

type Obj = Record<string, unknown>;

function member(n: Node | undefined, key: string): Node | undefined {
  if (n?.type !== 'object') return undefined;
  let found: Node | undefined;
  for (const p of n.children ?? []) if (p.children?.[0]?.value === key && p.children[1]) found = p.children[1];
  return found;
}

function value(n: Node | undefined): unknown {
  if (!n) return undefined;
  if (n.type === 'object')
    return Object.fromEntries(
      (n.children ?? []).filter((p) => p.children?.[1]).map((p) => [p.children![0].value, value(p.children![1])]),
    );
  if (n.type === 'array') return (n.children ?? []).map(value);
  return n.value;
}

// The range a JavaScript Date holds (±100 million days from 1970): a time past it cannot be shown or compared.
const MAX_TIME_MS = 8.64e15;

/** ISO-8601, unix seconds or milliseconds → milliseconds; undefined for what is not a time a Date can hold. */
export function readTime(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) {
    const ms = Math.abs(v) < 1e12 ? v * 1000 : v;
    return Math.abs(ms) <= MAX_TIME_MS ? ms : undefined;
  }
  if (typeof v === 'string' && v.trim()) {
    const t = Date.parse(v);
    if (Number.isFinite(t)) return t;
    if (/^\d+(\.\d+)?$/.test(v)) return readTime(Number(v));
  }
  return undefined;
}

const REQUEST_KEYS = ['request', 'input', 'body', 'params'];
const RESPONSE_KEYS = ['response', 'output', 'result'];

/**
 * Reads one log line. The generic shape is `{"timestamp", "request", "response": {"usage": …}}`; also accepted: the
 * request under `body`/`params` (batch input), the response under `output`/`result` or as OpenAI's batch output
 * (`response.body`), times as `time`/`created_at`/`created` or the response's own `created`, and lines that are a bare
 * response (usage only: predicted nothing, counted).
 */
export function readLogLine(text: string): LogLineResult {
  const root = parseTree(text, [], { disallowComments: true });
  if (!root || root.type !== 'object') return { ok: false, message: 'not a JSON object' };
  let request: Node | undefined;
  for (const k of REQUEST_KEYS) {
    const n = member(root, k);
    if (
      n?.type === 'object' &&
      (member(n, 'messages') || member(n, 'input') || member(n, 'contents') || member(n, 'system'))
    ) {
      request = n;
      break;
    }
  }
  if (!request && (member(root, 'messages') || member(root, 'contents'))) request = root;
  let response: unknown;
  for (const k of RESPONSE_KEYS) {
    const n = member(root, k);
    if (n?.type === 'object') {
      response = value(n);
      break;
    }
  }
  // Anthropic's Message Batches results hold the message under result.message.
  const message = (response as Obj | undefined)?.message;
  const usage =
    readUsage(response) ??
    (typeof message === 'object' && message ? readUsage(message) : undefined) ??
    readUsage(value(root));
  const r = response as Obj | undefined;
  const body = (r?.body ?? (typeof r?.message === 'object' ? r.message : undefined) ?? r) as Obj | undefined;
  const timestamp = readTime(
    value(member(root, 'timestamp')) ??
      value(member(root, 'time')) ??
      value(member(root, 'created_at')) ??
      value(member(root, 'created')) ??
      body?.created ??
      body?.created_at,
  );
  const model =
    (request && typeof member(request, 'model')?.value === 'string'
      ? (member(request, 'model')!.value as string)
      : undefined) ??
    (typeof body?.model === 'string'
      ? body.model
      : typeof body?.modelVersion === 'string'
        ? body.modelVersion
        : undefined);
  if (!request && !usage) return { ok: false, message: 'neither a request body nor usage figures' };
  return {
    ok: true,
    line: {
      ...(request ? { request: [request.offset, request.offset + request.length] as const } : {}),
      ...(timestamp !== undefined ? { timestamp } : {}),
      ...(usage ? { usage } : {}),
      ...(model ? { model } : {}),
    },
  };
}
