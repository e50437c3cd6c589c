#!/usr/bin/env node
// Extracts real recorded API calls (request body + the usage the provider billed) from public SDK test suites' VCR
// cassettes, read straight from fetched bare git snapshots (`git --git-dir=… show COMMIT:path`), into JSONL files
// the oracle test reads (test/unit/oracle/providerCounts.test.ts). Nothing is transcribed by hand.
//
//   node scripts/oracle/extract-cassettes.mjs --out DIR  OWNER/NAME=GIT_DIR [OWNER/NAME=GIT_DIR …]
//
// Reads every cassette (pytest-recording / vcrpy YAML, Polly.js HAR) whose path has "cassette" in it, keeps the
// interactions with OpenAI Chat Completions / Responses, Anthropic Messages / count_tokens and Gemini
// generateContent / countTokens that were answered 200 with usage, and writes DIR/{openai,anthropic,gemini}.jsonl,
// DIR/SOURCES.md and DIR/licences/<owner>+<name>.txt (each repository's own licence text, kept with its data).
// Each body is checked against the request's recorded Content-Length: `verified` says how (or why not). Identical
// requests (same endpoint, model and body) are kept once; `duplicates` counts the other recordings, and
// `usageAgrees` says whether they were billed alike.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import YAML from 'yaml';

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
if (outAt < 0 || !args[outAt + 1]) {
  console.error('usage: extract-cassettes.mjs --out DIR OWNER/NAME=GIT_DIR …');
  process.exit(2);
}
const outDir = path.resolve(args[outAt + 1]);
const sources = args
  .filter((_, i) => i !== outAt && i !== outAt + 1)
  .map((a) => {
    const [repo, gitDir] = a.split('=');
    return { repo, gitDir };
  });
/** A request body larger than this (an inline video, a long audio file) is left out: its size is media, not text. */
const MAX_BODY_BYTES = 400_000;

const git = (gitDir, ...a) =>
  execFileSync('git', ['--git-dir', gitDir, ...a], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    stdio: ['ignore', 'pipe', 'ignore'],
  });

// ---- which endpoint a URL is ------------------------------------------------------------------------------------
function endpointOf(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const p = u.pathname;
  if (u.host === 'api.openai.com') {
    if (/\/v1\/chat\/completions$/.test(p)) return { endpoint: 'openai-chat' };
    if (/\/v1\/responses\/input_tokens$/.test(p)) return { endpoint: 'openai-input-tokens' };
    if (/\/v1\/responses$/.test(p)) return { endpoint: 'openai-responses' };
  }
  if (u.host === 'api.anthropic.com') {
    if (/\/v1\/messages\/count_tokens$/.test(p)) return { endpoint: 'anthropic-count-tokens' };
    if (/\/v1\/messages$/.test(p)) return { endpoint: 'anthropic-messages' };
  }
  if (u.host === 'generativelanguage.googleapis.com' || u.host.endsWith('aiplatform.googleapis.com')) {
    const m = /\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/.exec(p);
    if (m) return { endpoint: m[2] === 'countTokens' ? 'gemini-count-tokens' : 'gemini-generate', model: m[1] };
  }
  return undefined;
}

// ---- bodies -----------------------------------------------------------------------------------------------------
const bytesOf = (v) => (v instanceof Uint8Array ? Buffer.from(v) : Buffer.from(String(v), 'utf8'));
function decode(buf, encoding) {
  if (/br/.test(encoding ?? '')) return zlib.brotliDecompressSync(buf);
  if (/gzip/.test(encoding ?? '') || (buf[0] === 0x1f && buf[1] === 0x8b)) {
    try {
      return zlib.gunzipSync(buf);
    } catch {
      return buf;
    }
  }
  if (/deflate/.test(encoding ?? '')) return zlib.inflateSync(buf);
  return buf;
}
const tryJson = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** The server-sent events of a streamed response, as parsed JSON objects. */
function sseEvents(text) {
  const events = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^data:\s?(.*)$/.exec(line);
    if (!m || m[1] === '[DONE]') continue;
    const j = tryJson(m[1]);
    if (j) events.push(j);
  }
  // Gemini's streamGenerateContent without alt=sse answers one JSON array.
  if (!events.length) {
    const j = tryJson(text.trim());
    if (Array.isArray(j)) return j;
  }
  return events;
}

/** What the provider billed, its response id, as the response (plain JSON or a stream) says. */
function usageOf(endpoint, text) {
  const whole = tryJson(text);
  if (whole && !Array.isArray(whole)) {
    switch (endpoint) {
      case 'openai-chat':
      case 'openai-responses':
      case 'anthropic-messages':
        return whole.usage ? { usage: whole.usage, id: whole.id, model: whole.model } : undefined;
      case 'anthropic-count-tokens':
      case 'openai-input-tokens':
        return typeof whole.input_tokens === 'number' ? { usage: { input_tokens: whole.input_tokens } } : undefined;
      case 'gemini-generate':
        return whole.usageMetadata
          ? { usage: whole.usageMetadata, id: whole.responseId, model: whole.modelVersion }
          : undefined;
      case 'gemini-count-tokens':
        return typeof whole.totalTokens === 'number' ? { usage: whole } : undefined;
    }
    return undefined;
  }
  const events = sseEvents(text);
  if (!events.length) return undefined;
  switch (endpoint) {
    case 'openai-chat': {
      const last = events.filter((e) => e.usage).at(-1);
      return last ? { usage: last.usage, id: last.id, model: last.model } : undefined;
    }
    case 'openai-responses': {
      const done = events.find((e) => e.type === 'response.completed' || e.type === 'response.incomplete');
      return done?.response?.usage
        ? { usage: done.response.usage, id: done.response.id, model: done.response.model }
        : undefined;
    }
    case 'anthropic-messages': {
      const start = events.find((e) => e.type === 'message_start');
      if (!start?.message?.usage) return undefined;
      // message_delta repeats the input figures in newer API versions; those are final.
      const delta = events.filter((e) => e.type === 'message_delta' && e.usage).at(-1);
      const usage = { ...start.message.usage };
      for (const k of ['input_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'])
        if (typeof delta?.usage?.[k] === 'number') usage[k] = delta.usage[k];
      return { usage, id: start.message.id, model: start.message.model };
    }
    case 'gemini-generate': {
      const last = events.filter((e) => e.usageMetadata).at(-1);
      return last ? { usage: last.usageMetadata, id: last.responseId, model: last.modelVersion } : undefined;
    }
  }
  return undefined;
}

// Python's json.dumps escapes every non-ASCII character unless told not to.
const asciiEscaped = (s) => s.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
/** Python's default separators (", " and ": ") outside strings. */
const spaced = (compact) =>
  compact.replace(/("(?:[^"\\]|\\.)*")|([,:])/g, (m, str) => (str !== undefined ? str : `${m} `));

/** How the stored body agrees with the request's recorded Content-Length. */
function verify(raw, parsed, contentLength) {
  if (contentLength === undefined) return 'no-length';
  if (raw !== undefined) return raw.length === contentLength ? 'content-length' : 'length-differs';
  const compact = JSON.stringify(parsed);
  for (const s of [compact, spaced(compact), asciiEscaped(compact), asciiEscaped(spaced(compact))])
    if (Buffer.byteLength(s, 'utf8') === contentLength) return 'content-length';
  return 'length-differs';
}

// ---- cassette formats -------------------------------------------------------------------------------------------
const header = (headers, name) => {
  if (!headers) return undefined;
  if (Array.isArray(headers)) return headers.find((h) => h.name?.toLowerCase() === name)?.value;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  return undefined;
};

/** vcrpy YAML: interactions[].request {uri, body | parsed_body, headers}, response {status, body.string | parsed_body}. */
function* yamlInteractions(text) {
  let doc;
  try {
    doc = YAML.parse(text, { schema: 'yaml-1.1', maxAliasCount: -1, logLevel: 'silent' });
  } catch {
    return;
  }
  for (const [index, it] of (doc?.interactions ?? []).entries()) {
    const rq = it.request ?? {},
      rs = it.response ?? {};
    const rqHeaders = rq.headers ?? {};
    let reqRaw, request;
    if (rq.parsed_body !== undefined) request = rq.parsed_body;
    else if (rq.body != null) {
      const b = typeof rq.body === 'object' && !(rq.body instanceof Uint8Array) ? rq.body.string : rq.body;
      if (b == null) continue;
      reqRaw = decode(bytesOf(b), header(rqHeaders, 'content-encoding'));
      request = tryJson(reqRaw.toString('utf8'));
    }
    let respText;
    if (rs.parsed_body !== undefined) respText = JSON.stringify(rs.parsed_body);
    else if (rs.body != null) {
      const b = typeof rs.body === 'object' && !(rs.body instanceof Uint8Array) ? rs.body.string : rs.body;
      if (b == null) continue;
      respText = decode(bytesOf(b), header(rs.headers, 'content-encoding')).toString('utf8');
    }
    yield {
      index,
      url: rq.uri,
      status: rs.status?.code ?? 200,
      request,
      reqRaw,
      contentLength: Number(header(rqHeaders, 'content-length')) || undefined,
      respText,
      at: header(rs.headers, 'date'),
    };
  }
}

/** Polly.js HAR: log.entries[].request {url, postData.text, headers}, response {status, content.text[, encoding]}. */
function* harInteractions(text) {
  const doc = tryJson(text);
  for (const [index, e] of (doc?.log?.entries ?? []).entries()) {
    const post = e.request?.postData?.text;
    if (post == null) continue;
    const c = e.response?.content ?? {};
    let resp = c.text ?? '';
    if (c.encoding === 'base64') resp = decode(Buffer.from(resp, 'base64'), '').toString('utf8');
    else if (Array.isArray(tryJson(resp)) && tryJson(resp).every((x) => typeof x === 'string'))
      // Polly stores a compressed body as a JSON array of base64 chunks.
      resp = decode(Buffer.concat(tryJson(resp).map((x) => Buffer.from(x, 'base64'))), 'gzip').toString('utf8');
    const raw = Buffer.from(post, 'utf8');
    yield {
      index,
      url: e.request.url,
      status: e.response?.status ?? 0,
      request: tryJson(post),
      reqRaw: raw,
      contentLength: Number(header(e.request.headers, 'content-length')) || undefined,
      respText: resp,
      at: e.startedDateTime,
    };
  }
}

// ---- the walk ---------------------------------------------------------------------------------------------------
const providerOf = (endpoint) => endpoint.split('-')[0];
const canonical = (v) =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : v && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
          .join(',')}}`
      : JSON.stringify(v);

const calls = [];
const byKey = new Map();
const repoSummaries = [];
let skipped = { noUsage: 0, notOk: 0, tooLarge: 0, notJson: 0 };
for (const { repo, gitDir } of sources) {
  const commit = git(gitDir, 'rev-parse', 'HEAD').trim();
  const files = git(gitDir, 'ls-tree', '-r', '--name-only', commit)
    .split('\n')
    .filter((f) => /cassette/i.test(f) && /\.(ya?ml|har)$/i.test(f));
  const licenceFile = git(gitDir, 'ls-tree', '--name-only', commit)
    .split('\n')
    .find((f) => /^(licen[cs]e|copying)(\.md|\.txt)?$/i.test(f));
  const licence = licenceFile ? git(gitDir, 'show', `${commit}:${licenceFile}`) : '';
  const summary = { repo, commit, licenceFile, licence: licence.split('\n')[0].trim(), files: 0, calls: 0 };
  repoSummaries.push(summary);
  fs.mkdirSync(path.join(outDir, 'licences'), { recursive: true });
  if (licence) fs.writeFileSync(path.join(outDir, 'licences', `${repo.replace('/', '+')}.txt`), licence);
  for (const file of files) {
    let text;
    try {
      text = git(gitDir, 'show', `${commit}:${file}`);
    } catch {
      continue; // a file the snapshot lacks (over its size limit)
    }
    if (!/api\.openai\.com|api\.anthropic\.com|googleapis\.com/.test(text)) continue;
    const interactions = /\.har$/i.test(file) ? harInteractions(text) : yamlInteractions(text);
    let used = false;
    for (const it of interactions) {
      const ep = it.url && endpointOf(it.url);
      if (!ep) continue;
      if (it.status !== 200) {
        skipped.notOk++;
        continue;
      }
      if (!it.request || typeof it.request !== 'object' || Array.isArray(it.request)) {
        skipped.notJson++;
        continue;
      }
      const size = it.reqRaw?.length ?? Buffer.byteLength(JSON.stringify(it.request));
      if (size > MAX_BODY_BYTES) {
        skipped.tooLarge++;
        continue;
      }
      const billed = it.respText && usageOf(ep.endpoint, it.respText);
      if (!billed) {
        skipped.noUsage++;
        continue;
      }
      const model = ep.model ?? it.request.model;
      if (typeof model !== 'string') continue;
      const key = `${ep.endpoint} ${model} ${canonical(it.request)}`;
      const seen = byKey.get(key);
      if (seen) {
        seen.duplicates++;
        if (canonical(seen.usage) !== canonical(billed.usage)) seen.usageAgrees = false;
        continue;
      }
      const call = {
        repo,
        commit,
        path: file,
        interaction: it.index,
        ...(billed.id ? { id: String(billed.id) } : {}),
        endpoint: ep.endpoint,
        model,
        ...(billed.model ? { servedBy: String(billed.model) } : {}),
        ...(it.at ? { at: new Date(it.at).toISOString() } : {}),
        ...(it.contentLength !== undefined ? { contentLength: it.contentLength } : {}),
        verified: verify(it.reqRaw, it.request, it.contentLength),
        request: it.request,
        usage: billed.usage,
        duplicates: 0,
        usageAgrees: true,
      };
      byKey.set(key, call);
      calls.push(call);
      summary.calls++;
      used = true;
    }
    if (used) summary.files++;
  }
}

// ---- output -----------------------------------------------------------------------------------------------------
fs.mkdirSync(outDir, { recursive: true });
const groups = { openai: [], anthropic: [], gemini: [] };
for (const c of calls) groups[providerOf(c.endpoint)].push(c);
for (const [p, list] of Object.entries(groups))
  fs.writeFileSync(path.join(outDir, `${p}.jsonl`), list.map((c) => JSON.stringify(c)).join('\n') + '\n');

const count = (pred) => calls.filter(pred).length;
const endpoints = [...new Set(calls.map((c) => c.endpoint))].sort();
const lines = [
  '# Sources of the recorded calls in this folder',
  '',
  'Generated by `scripts/oracle/extract-cassettes.mjs` from fetched snapshots of public SDK test suites (VCR',
  'cassettes: the request as sent and the response the provider returned). Each line of `openai.jsonl`,',
  '`anthropic.jsonl`, `gemini.jsonl` names its repository, commit, cassette path and interaction index, and keeps the',
  'request body, the recorded Content-Length, the provider-minted response id and the usage figures; nothing else.',
  '`verified`: `content-length` = the body as stored has the recorded length (pydantic-ai recomputes it when it',
  'stores a parsed body, after normalizing typographic quotes; keys were sorted by its YAML dump); `length-differs` =',
  'edited after recording (the oracle leaves those out); `no-length` = the cassette kept no length.',
  '',
  '| repository | commit | licence (file kept in licences/) | cassettes used | calls |',
  '| --- | --- | --- | --- | --- |',
  ...repoSummaries.map(
    (s) =>
      `| ${s.repo} | ${s.commit} | ${s.licence || 'none found'} (${s.licenceFile ?? '—'}) | ${s.files} | ${s.calls} |`,
  ),
  '',
  '| endpoint | calls | verified by Content-Length | length differs | no length |',
  '| --- | --- | --- | --- | --- |',
  ...endpoints.map(
    (e) =>
      `| ${e} | ${count((c) => c.endpoint === e)} | ${count((c) => c.endpoint === e && c.verified === 'content-length')} | ${count((c) => c.endpoint === e && c.verified === 'length-differs')} | ${count((c) => c.endpoint === e && c.verified === 'no-length')} |`,
  ),
  '',
  `Left out: ${skipped.notOk} not answered 200, ${skipped.noUsage} without usage, ${skipped.notJson} without a JSON body, ${skipped.tooLarge} bodies over ${MAX_BODY_BYTES} bytes; ${calls.reduce((n, c) => n + c.duplicates, 0)} repeated recordings of an identical request kept once.`,
  '',
];
fs.writeFileSync(path.join(outDir, 'SOURCES.md'), lines.join('\n'));
console.log(
  JSON.stringify({
    calls: calls.length,
    byEndpoint: Object.fromEntries(endpoints.map((e) => [e, count((c) => c.endpoint === e)])),
    verified: count((c) => c.verified === 'content-length'),
    skipped,
    repos: repoSummaries.map(({ repo, files, calls }) => ({ repo, files, calls })),
  }),
);
