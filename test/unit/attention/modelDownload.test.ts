import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { DownloadError, downloadFile } from '../../../src/node/modelDownload';
import { demoWeights, DEMO_CONFIG } from '../../../src/core/attention/demoWeights';
import { buildGpt2Onnx } from '../../../src/core/attention/onnxBuild';

// A hub on 127.0.0.1 serving a generated model the way huggingface.co serves LFS files (x-linked-size, x-linked-etag).
describe('model download (against a server on 127.0.0.1)', function () {
  this.timeout(30000);
  const body = Buffer.from(
    buildGpt2Onnx(demoWeights({ ...DEMO_CONFIG, vocab: 2000, nCtx: 64 }), { attentionOutputs: false }),
  );
  const sha = createHash('sha256').update(body).digest('hex');
  let server: http.Server, base: string, dir: string;
  const hits: Record<string, number> = {};
  let truncateNext = 0;

  before(async () => {
    server = http.createServer((req, res) => {
      const u = req.url ?? '';
      hits[u] = (hits[u] ?? 0) + 1;
      const lfs = {
        'content-type': 'application/octet-stream',
        'x-linked-size': String(body.length),
        'x-linked-etag': `"${sha}"`,
        'content-length': String(body.length),
      };
      if (u.startsWith('/ok/')) {
        res.writeHead(200, lfs);
        res.end(body);
        return;
      }
      if (u.startsWith('/wrong-hash/')) {
        res.writeHead(200, { ...lfs, 'x-linked-etag': `"${'0'.repeat(64)}"` });
        res.end(body);
        return;
      }
      if (u.startsWith('/flaky/')) {
        res.writeHead(200, lfs);
        if (truncateNext > 0) {
          truncateNext--;
          res.write(body.subarray(0, 1000));
          setTimeout(() => res.destroy(), 20);
          return;
        }
        res.end(body);
        return;
      }
      if (u.startsWith('/slow/')) {
        res.writeHead(200, lfs);
        let at = 0;
        const t = setInterval(() => {
          if (at >= body.length || res.destroyed) {
            clearInterval(t);
            res.end();
            return;
          }
          res.write(body.subarray(at, (at += 4096)));
        }, 10);
        res.on('close', () => clearInterval(t));
        return;
      }
      if (u.startsWith('/silent/')) {
        res.writeHead(200, lfs);
        res.flushHeaders();
        return;
      }
      if (u.startsWith('/giant/')) {
        res.writeHead(200, { ...lfs, 'x-linked-size': String(5 * 1024 ** 3), 'content-length': String(5 * 1024 ** 3) });
        res.flushHeaders();
        return;
      }
      if (u.startsWith('/unannounced/')) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(body);
        return;
      }
      if (u.startsWith('/drip/')) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const t = setInterval(() => res.write(Buffer.alloc(1)), 50);
        res.on('close', () => clearInterval(t));
        return;
      }
      res.writeHead(404).end('not found');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvlens-dl-'));
  });
  after(() => {
    server.closeAllConnections();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const leftovers = (f: string) => fs.readdirSync(path.dirname(f)).filter((n) => n.startsWith(path.basename(f)));

  it("streams with progress, checks size and sha256 from the hub's headers, writes atomically, and reuses the file", async () => {
    const dest = path.join(dir, 'ok', 'model.onnx'),
      seen: [number, number | undefined][] = [];
    const r = await downloadFile({ url: `${base}/ok/model.onnx`, dest, onProgress: (a, b) => seen.push([a, b]) });
    assert.equal(r.sha256, sha);
    assert.equal(r.reused, false);
    assert.deepEqual(fs.readFileSync(dest), body);
    assert.ok(seen.length >= 1 && seen.at(-1)![0] === body.length && seen.every(([, t]) => t === body.length));
    assert.deepEqual(leftovers(dest).sort(), ['model.onnx', 'model.onnx.sha256']);
    const again = await downloadFile({ url: `${base}/ok/model.onnx`, dest });
    assert.equal(again.reused, true);
    assert.equal(hits['/ok/model.onnx'], 1, 'not fetched again');
  });

  it('a checksum mismatch discards the file with a message naming it', async () => {
    const dest = path.join(dir, 'bad', 'model.onnx');
    await assert.rejects(
      downloadFile({ url: `${base}/wrong-hash/model.onnx`, dest }),
      (e: DownloadError) =>
        e.kind === 'checksum' &&
        /model\.onnx: checksum mismatch \(expected sha256 000000000000…, got [0-9a-f]{12}…\); the file was discarded/.test(
          e.message,
        ),
    );
    assert.deepEqual(leftovers(dest), []);
    assert.equal(hits['/wrong-hash/model.onnx'], 1, 'a wrong file is not fetched again');
    await assert.rejects(
      downloadFile({
        url: `${base}/ok/model.onnx`,
        dest: path.join(dir, 'pinned', 'model.onnx'),
        sha256: 'f'.repeat(64),
      }),
      /checksum mismatch/,
      "a hash the user pinned wins over the server's",
    );
  });

  it('a truncated response is retried; one that keeps breaking off fails after the retries', async () => {
    truncateNext = 1;
    const r = await downloadFile({ url: `${base}/flaky/a.onnx`, dest: path.join(dir, 'flaky', 'a.onnx') });
    assert.equal(r.attempts, 2);
    assert.equal(r.sha256, sha);
    truncateNext = 3;
    const dest = path.join(dir, 'flaky', 'b.onnx');
    await assert.rejects(
      downloadFile({ url: `${base}/flaky/b.onnx`, dest, retries: 2 }),
      (e: DownloadError) => e.kind === 'truncated' && /after 3 attempts/.test(e.message),
    );
    assert.deepEqual(leftovers(dest), []);
  });

  it('cancel stops the transfer and keeps nothing', async () => {
    const ac = new AbortController(),
      dest = path.join(dir, 'slow', 'model.onnx');
    const p = downloadFile({
      url: `${base}/slow/model.onnx`,
      dest,
      signal: ac.signal,
      onProgress: (n) => {
        if (n > 20000) ac.abort();
      },
    });
    await assert.rejects(
      p,
      (e: DownloadError) => e.kind === 'cancelled' && /cancelled; nothing was kept/.test(e.message),
    );
    assert.deepEqual(leftovers(dest), []);
  });

  it('no network, a server that stops sending, and a missing file each get a clear message', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    closed.close();
    await assert.rejects(
      downloadFile({ url: `http://127.0.0.1:${port}/m.onnx`, dest: path.join(dir, 'none', 'm.onnx'), retries: 1 }),
      (e: DownloadError) =>
        e.kind === 'network' &&
        /cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\).*kvlens\.attention\.modelPath.*after 2 attempts/.test(
          e.message,
        ),
    );
    await assert.rejects(
      downloadFile({
        url: `${base}/silent/m.onnx`,
        dest: path.join(dir, 'silent', 'm.onnx'),
        stallMs: 300,
        retries: 0,
      }),
      (e: DownloadError) => e.kind === 'stalled' && /no data from 127\.0\.0\.1:\d+ for 0\.3 s/.test(e.message),
    );
    await assert.rejects(
      downloadFile({ url: `${base}/missing.onnx`, dest: path.join(dir, 'missing', 'm.onnx') }),
      (e: DownloadError) => e.kind === 'http' && /HTTP 404/.test(e.message),
    );
    assert.equal(hits['/missing.onnx'], 1, 'a 404 is not retried');
  });

  it('a file over the size cap (announced or not) and a transfer past its deadline are refused, and nothing is kept', async () => {
    const giant = path.join(dir, 'giant', 'm.onnx');
    await assert.rejects(
      downloadFile({ url: `${base}/giant/m.onnx`, dest: giant }),
      (e: DownloadError) =>
        e.kind === 'too-big' &&
        /m\.onnx: the server announces 5\.0 GB, over the 4\.0 GB a model file may be; not downloaded/.test(e.message),
    );
    assert.deepEqual(leftovers(giant), []);
    const quiet = path.join(dir, 'unannounced', 'm.onnx');
    await assert.rejects(
      downloadFile({ url: `${base}/unannounced/m.onnx`, dest: quiet, maxBytes: 1000 }),
      (e: DownloadError) =>
        e.kind === 'too-big' && /larger than the 1000 bytes a model file may be; nothing was kept/.test(e.message),
    );
    assert.deepEqual(leftovers(quiet), []);
    const drip = path.join(dir, 'drip', 'm.onnx');
    const t0 = Date.now();
    await assert.rejects(
      downloadFile({ url: `${base}/drip/m.onnx`, dest: drip, deadlineMs: 400, retries: 2 }),
      (e: DownloadError) => e.kind === 'deadline' && /did not finish within 0\.4 s; nothing was kept/.test(e.message),
    );
    assert.ok(Date.now() - t0 < 3000, 'a deadline is not retried');
    assert.deepEqual(leftovers(drip), []);
  });
});
