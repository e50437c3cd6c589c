// Downloads a model file once: streamed to `<dest>.part` while its SHA-256 is computed, checked against the size
// and hash the server (the Hugging Face hub's `x-linked-size` / `x-linked-etag` for LFS files) or the caller gave,
// then renamed into place, so a file at `dest` is always whole and checked. Cancellable, with progress, a stall
// timeout and retries for dropped connections; a checksum mismatch discards the file.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bodyChunks, brokenConnection, formatBytes, TransferLimits } from './transferLimits';

export interface DownloadRequest {
  readonly url: string;
  readonly dest: string;
  /** Hex SHA-256 the file must have; when absent, the server's (x-linked-etag) is used if it gives one. */
  readonly sha256?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (received: number, total: number | undefined) => void;
  /** Abort when no data arrives for this long (default 30 s). */
  readonly stallMs?: number;
  /** Further attempts after a dropped or truncated transfer (default 2). */
  readonly retries?: number;
  /** Largest file accepted, in bytes (default 4 GiB: GPT-2 XL's export is 3.2 GB). */
  readonly maxBytes?: number;
  /** Longest one attempt may take (default 2 hours: 650 MB at 100 KB/s). */
  readonly deadlineMs?: number;
}

export const MAX_MODEL_BYTES = 4 * 1024 ** 3;

export interface DownloadResult {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly reused: boolean;
  readonly attempts: number;
}

export class DownloadError extends Error {
  constructor(
    message: string,
    readonly kind:
      'cancelled' | 'checksum' | 'size' | 'http' | 'network' | 'truncated' | 'stalled' | 'deadline' | 'too-big',
  ) {
    super(message);
  }
}

const seconds = (ms: number) =>
  ms < 10_000 ? (ms / 1000).toFixed(1).replace(/\.0$/, '') : String(Math.round(ms / 1000));
const HEX64 = /^[0-9a-f]{64}$/i;
const sidecar = (dest: string) => `${dest}.sha256`;

/** A file already downloaded and checked (its hash recorded beside it), matching `sha256` when one is given. */
async function existing(dest: string, sha256: string | undefined): Promise<DownloadResult | undefined> {
  if (!fs.existsSync(dest) || !fs.existsSync(sidecar(dest))) return undefined;
  const recorded = fs.readFileSync(sidecar(dest), 'utf8').trim();
  if (sha256 && recorded.toLowerCase() !== sha256.toLowerCase()) return undefined;
  return { file: dest, bytes: fs.statSync(dest).size, sha256: recorded, reused: true, attempts: 0 };
}

function networkMessage(url: string, e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (e as { code?: string }).code;
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  return `cannot reach ${host}${code ? ` (${code})` : ''}: check the network, or point kvlens.attention.modelPath at a model folder on disk`;
}

export async function downloadFile(req: DownloadRequest): Promise<DownloadResult> {
  const have = await existing(req.dest, req.sha256);
  if (have) return have;
  const retries = req.retries ?? 2;
  let lastError: DownloadError | undefined;
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    try {
      return { ...(await attemptDownload(req)), attempts: attempt };
    } catch (e) {
      if (!(e instanceof DownloadError)) throw e;
      lastError = e;
      // Only transfers that broke off are worth another try; a wrong file or a refusal will be the same again.
      if (!['network', 'truncated', 'stalled'].includes(e.kind) || req.signal?.aborted) throw e;
      if (attempt <= retries) await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
  throw new DownloadError(`${lastError!.message} (after ${retries + 1} attempts)`, lastError!.kind);
}

async function attemptDownload(req: DownloadRequest): Promise<Omit<DownloadResult, 'attempts'>> {
  const part = `${req.dest}.part`;
  fs.mkdirSync(path.dirname(req.dest), { recursive: true });
  const maxBytes = req.maxBytes ?? MAX_MODEL_BYTES;
  const limits = new TransferLimits({
    stallMs: req.stallMs ?? 30_000,
    deadlineMs: req.deadlineMs ?? 2 * 3600_000,
    maxBytes,
  });
  const signal = req.signal ? AbortSignal.any([req.signal, limits.signal]) : limits.signal;
  const fail = (e: unknown): never => {
    limits.dispose();
    fs.rmSync(part, { force: true });
    if (e instanceof DownloadError) throw e;
    if (req.signal?.aborted) throw new DownloadError('the download was cancelled; nothing was kept', 'cancelled');
    if (limits.stopped === 'stalled')
      throw new DownloadError(
        `no data from ${new URL(req.url).host} for ${seconds(limits.limits.stallMs)} s`,
        'stalled',
      );
    if (limits.stopped === 'deadline')
      throw new DownloadError(
        `the download from ${new URL(req.url).host} did not finish within ${seconds(limits.limits.deadlineMs)} s; nothing was kept`,
        'deadline',
      );
    if (limits.stopped === 'too-big')
      throw new DownloadError(
        `${path.basename(req.dest)}: larger than the ${formatBytes(maxBytes)} a model file may be; nothing was kept`,
        'too-big',
      );
    if (brokenConnection(e)) throw new DownloadError('the connection broke off', 'truncated');
    throw new DownloadError(networkMessage(req.url, e), 'network');
  };
  let res: Response;
  try {
    res = await fetch(req.url, { signal, redirect: 'follow' });
  } catch (e) {
    return fail(e);
  }
  if (!res.ok || !res.body) {
    return fail(new DownloadError(`${req.url}: HTTP ${res.status} ${res.statusText}`.trim(), 'http'));
  }
  const sizeHeader = res.headers.get('x-linked-size') ?? res.headers.get('content-length');
  const total = sizeHeader && /^\d+$/.test(sizeHeader) ? Number(sizeHeader) : undefined;
  const served = (res.headers.get('x-linked-etag') ?? res.headers.get('etag') ?? '')
    .replace(/^W\//, '')
    .replace(/"/g, '');
  const expected = req.sha256 ?? (HEX64.test(served) ? served : undefined);
  if (!limits.announced(total))
    return fail(
      new DownloadError(
        `${path.basename(req.dest)}: the server announces ${formatBytes(total!)}, over the ${formatBytes(maxBytes)} a model file may be; not downloaded`,
        'too-big',
      ),
    );
  const hash = createHash('sha256');
  const out = fs.createWriteStream(part);
  let writeError: Error | undefined;
  out.on('error', (e) => {
    writeError = e;
  });
  let received = 0;
  try {
    for await (const value of bodyChunks(res.body, limits)) {
      hash.update(value);
      received += value.byteLength;
      if (writeError) throw writeError;
      if (!out.write(value)) await new Promise<void>((r) => out.once('drain', () => r()));
      req.onProgress?.(received, total);
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  } catch (e) {
    out.destroy();
    return fail(e);
  }
  limits.dispose();
  if (total !== undefined && received !== total)
    return fail(new DownloadError(`the connection closed after ${received} of ${total} bytes`, 'truncated'));
  const sha = hash.digest('hex');
  if (expected && sha.toLowerCase() !== expected.toLowerCase()) {
    return fail(
      new DownloadError(
        `${path.basename(req.dest)}: checksum mismatch (expected sha256 ${expected.slice(0, 12)}…, got ${sha.slice(0, 12)}…); the file was discarded`,
        'checksum',
      ),
    );
  }
  fs.renameSync(part, req.dest);
  fs.writeFileSync(sidecar(req.dest), `${sha}\n`);
  return { file: req.dest, bytes: received, sha256: sha, reused: false };
}
