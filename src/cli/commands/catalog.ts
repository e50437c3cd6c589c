import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { diffCatalog, entriesFromDiff, ImportError, parsePriceTable, type CatalogDiff } from '../../core/pricing/catalogImport';
import { bodyChunks, brokenConnection, StallTimer } from '../../node/stallTimer';
import { CliError, readTextFile, type Output } from '../io';
import { catalogFromOptions } from './catalogOption';

export const usage = 'kvlens catalog update --from FILE|URL [--catalog FILE] [--write] [--timeout S] [--json]';

/** Reads a URL with progress on stderr and a stall timeout; a cut-off body is reported, not parsed. */
async function download(url: string, timeoutS: number, io: Output): Promise<string> {
  const stall = new StallTimer(timeoutS * 1000);
  let got = 0, total: number | undefined;
  try {
    const res = await fetch(url, { signal: stall.signal });
    if (!res.ok || !res.body) throw new CliError(`${url}: HTTP ${res.status} ${res.statusText}`.trim());
    total = Number(res.headers.get('content-length') ?? 0) || undefined;
    const chunks: Uint8Array[] = [];
    let shown = 0;
    for await (const value of bodyChunks(res.body, stall)) {
      chunks.push(value);
      got += value.byteLength;
      if (got - shown > 256 * 1024) { shown = got; io.err(`downloading ${url}: ${(got / 1024).toFixed(0)} KB${total ? ` of ${(total / 1024).toFixed(0)} KB` : ''}`); }
    }
    if (total !== undefined && got < total) throw new CliError(`${url}: the connection closed after ${got} of ${total} bytes; try again`);
    return Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (stall.fired) throw new CliError(`${url}: no data for ${timeoutS} s (--timeout)`);
    if (got > 0 && brokenConnection(e)) throw new CliError(`${url}: the connection closed after ${got}${total ? ` of ${total}` : ''} bytes; try again`);
    const code = (e as { cause?: { code?: string } }).cause?.code;
    throw new CliError(`${url}: cannot download (${code ?? (e as Error).message})`);
  } finally {
    stall.stop();
  }
}

function report(diff: CatalogDiff, from: string): string {
  const lines = [`${from} (${diff.format}): ${diff.compared} catalog models found, ${diff.unchanged} agree, ${diff.changed.length} differ; ${diff.notInCatalog} other models in the table${diff.skipped ? `, ${diff.skipped} entries without prices skipped` : ''}.`];
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
    args: rest, allowPositionals: true, strict: true,
    options: { from: { type: 'string' }, catalog: { type: 'string', multiple: true }, write: { type: 'boolean', default: false }, timeout: { type: 'string', default: '30' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length) throw new CliError(`catalog update takes no FILE; name the table with --from (usage: ${usage})`);
  if (!values.from) throw new CliError(`--from FILE|URL is needed: LiteLLM's model_prices_and_context_window.json or models.dev's api.json (usage: ${usage})`);
  const timeout = Number(values.timeout);
  if (!(timeout > 0)) throw new CliError(`--timeout must be a number of seconds (got ${values.timeout})`);
  const target = values.catalog?.at(-1);
  if (values.write && !target) throw new CliError('--write needs --catalog FILE: the user catalog the figures are written into (the bundled catalog is never changed)');
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
  if (values.json) io.out(JSON.stringify(diff, null, 2)); else io.out(report(diff, values.from));
  if (values.write && target) {
    const prior = existing.length ? (JSON.parse(fs.readFileSync(target, 'utf8')) as { models?: Record<string, unknown>[] }) : {};
    const source = isUrl ? values.from : path.resolve(values.from);
    const models = entriesFromDiff(catalog, diff, source, new Date().toISOString().slice(0, 10), prior.models ?? []);
    fs.writeFileSync(`${target}.tmp`, `${JSON.stringify({ ...prior, models }, null, 2)}\n`);
    fs.renameSync(`${target}.tmp`, target);
    io.err(`wrote ${diff.changed.length} model${diff.changed.length === 1 ? '' : 's'} into ${target} (prices marked third-party, source ${source})`);
  } else if (diff.changed.length) io.err(`nothing written: add --write --catalog FILE to take these figures into a user catalog`);
  return 0;
}
