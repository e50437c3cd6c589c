import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  diffCatalog,
  entriesFromDiff,
  ImportError,
  parsePriceTable,
  type CatalogDiff,
} from '../../core/pricing/catalogImport';
import { bodyChunks, brokenConnection, formatBytes, TransferLimits } from '../../node/transferLimits';
import { CliError, readTextFile, visible, writeFileOrFail, type Output } from '../io';
import { catalogFromOptions } from './catalogOption';

export const usage = 'kvlens catalog update --from FILE|URL [--catalog FILE] [--write] [--timeout S] [--json]';

// A price table is a few MB (LiteLLM's is about 1.5 MB, models.dev's about 2 MB); a body past this is not one.
const MAX_TABLE_BYTES = 64 * 1024 * 1024;

/**
 * Reads a URL with progress on stderr. `--timeout S` bounds the whole download (and a silence of S or 30 s,
 * whichever is shorter); the body is capped at 64 MB after decompression; a cut-off body is reported, not parsed.
 */
async function download(url: string, timeoutS: number, io: Output): Promise<string> {
  const limits = new TransferLimits({
    stallMs: Math.min(timeoutS, 30) * 1000,
    deadlineMs: timeoutS * 1000,
    maxBytes: MAX_TABLE_BYTES,
  });
  const shownUrl = visible(url);
  let total: number | undefined,
    compressed = false,
    shownAt = 0;
  try {
    const res = await fetch(url, { signal: limits.signal, redirect: 'follow' });
    if (!res.ok || !res.body) throw new CliError(`${shownUrl}: HTTP ${res.status} ${visible(res.statusText)}`.trim());
    total = Number(res.headers.get('content-length') ?? 0) || undefined;
    compressed = /gzip|br|deflate/i.test(res.headers.get('content-encoding') ?? '');
    if (!limits.announced(compressed ? undefined : total))
      throw new CliError(
        `${shownUrl}: the server announces ${formatBytes(total!)}, over the ${formatBytes(MAX_TABLE_BYTES)} a price table can be; not downloaded`,
      );
    const chunks: Uint8Array[] = [];
    for await (const value of bodyChunks(res.body, limits)) {
      chunks.push(value);
      // Progress at most twice a second: a fast download says little, a slow one is seen moving.
      if (Date.now() - shownAt > 500) {
        shownAt = Date.now();
        io.err(
          `downloading ${shownUrl}: ${formatBytes(limits.received)}${total && !compressed ? ` of ${formatBytes(total)}` : ''}`,
        );
      }
    }
    if (total !== undefined && !compressed && limits.received < total)
      throw new CliError(`${shownUrl}: the connection closed after ${limits.received} of ${total} bytes; try again`);
    return Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (limits.stopped === 'stalled') throw new CliError(`${shownUrl}: ${limits.describe()} (--timeout)`);
    if (limits.stopped === 'deadline') throw new CliError(`${shownUrl}: ${limits.describe()} (--timeout ${timeoutS})`);
    if (limits.stopped === 'too-big')
      throw new CliError(
        `${shownUrl}: ${limits.describe()} for a price table${compressed ? ' (counted after decompression)' : ''}; not used`,
      );
    if (limits.received > 0 && brokenConnection(e))
      throw new CliError(
        `${shownUrl}: the connection closed after ${limits.received}${total ? ` of ${total}` : ''} bytes; try again`,
      );
    const code = (e as { cause?: { code?: string } }).cause?.code;
    throw new CliError(`${shownUrl}: cannot download (${visible(code ?? (e as Error).message)})`);
  } finally {
    limits.dispose();
  }
}

function report(diff: CatalogDiff, from: string): string {
  const lines = [
    `${from} (${diff.format}): ${diff.compared} catalog models found, ${diff.unchanged} agree, ${diff.changed.length} differ; ${diff.notInCatalog} other models in the table${diff.skipped ? `, ${diff.skipped} entries without prices skipped` : ''}.`,
  ];
  for (const d of diff.changed) {
    lines.push(`  ${d.model}${d.matchedAs.toLowerCase() !== d.model ? ` (as ${d.matchedAs})` : ''}:`);
    for (const c of d.changes) lines.push(`    ${c.field}: ${c.from ?? '–'} → ${c.to}`);
  }
  return lines.join('\n');
}

/** `kvlens catalog update`: compares a community price table with the catalog in use; --write adopts it in a user catalog. */
export async function catalogCommand(argv: string[], io: Output): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'update') throw new CliError(`unknown catalog command "${sub ?? ''}" (usage: ${usage})`);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: {
      from: { type: 'string' },
      catalog: { type: 'string', multiple: true },
      write: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '60' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length)
    throw new CliError(`catalog update takes no FILE; name the table with --from (usage: ${usage})`);
  if (!values.from)
    throw new CliError(
      `--from FILE|URL is needed: LiteLLM's model_prices_and_context_window.json, models.dev's api.json or genai-prices' data.json (usage: ${usage})`,
    );
  const timeout = Number(values.timeout);
  if (!(timeout > 0) || timeout > 3600)
    throw new CliError(`--timeout must be a number of seconds (got ${values.timeout})`);
  const target = values.catalog?.at(-1);
  if (values.write && !target)
    throw new CliError(
      '--write needs --catalog FILE: the user catalog the figures are written into (the bundled catalog is never changed)',
    );
  const existing = target && fs.existsSync(target) ? [target] : [];
  const catalog = catalogFromOptions([...(values.catalog ?? []).filter((f) => f !== target), ...existing]);
  const isUrl = /^https?:\/\//.test(values.from);
  const text = isUrl ? await download(values.from, timeout, io) : readTextFile(values.from);
  let diff: CatalogDiff;
  try {
    diff = diffCatalog(catalog, parsePriceTable(text, values.from));
  } catch (e) {
    if (e instanceof ImportError) throw new CliError(e.message);
    throw e;
  }
  if (values.json) io.out(JSON.stringify(diff, null, 2));
  else io.out(report(diff, values.from));
  if (values.write && target) {
    let prior: { models?: Record<string, unknown>[] } = {};
    if (existing.length) {
      try {
        prior = JSON.parse(readTextFile(target)) as typeof prior;
      } catch (e) {
        if (e instanceof CliError) throw e;
        throw new CliError(`${visible(target)}: not JSON (${(e as Error).message})`);
      }
    }
    const source = isUrl ? values.from : path.resolve(values.from);
    const models = entriesFromDiff(catalog, diff, source, new Date().toISOString().slice(0, 10), prior.models ?? []);
    writeFileOrFail(target, `${JSON.stringify({ ...prior, models }, null, 2)}\n`);
    io.err(
      `wrote ${diff.changed.length} model${diff.changed.length === 1 ? '' : 's'} into ${target} (prices marked third-party, source ${source})`,
    );
  } else if (diff.changed.length)
    io.err(`nothing written: add --write --catalog FILE to take these figures into a user catalog`);
  return 0;
}
