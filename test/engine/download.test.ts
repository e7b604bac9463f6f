import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DownloadError, downloadToTemp } from '../../src/core/engine/index';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(20_000, 7)]);
const seen: IncomingMessage['headers'][] = [];
let base = '';
let truncateNext = 0;
const server = createServer((req, res) => {
  seen.push(req.headers);
  const url = req.url ?? '/';
  if (url.startsWith('/ok.png')) {
    const m = /bytes=(\d+)-/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    if (start >= PNG.length) return res.writeHead(416, { 'content-range': `bytes */${PNG.length}` }).end();
    const body = PNG.subarray(start);
    const headers: Record<string, string> = { 'content-type': 'image/png', 'content-length': String(body.length) };
    if (m) headers['content-range'] = `bytes ${start}-${PNG.length - 1}/${PNG.length}`;
    res.writeHead(m ? 206 : 200, headers);
    if (truncateNext > 0) {
      truncateNext--;
      res.write(body.subarray(0, 5000));
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    return res.end(body);
  }
  if (url === '/page.png') {
    const html = '<!doctype html><html><body>Login required</body></html>';
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(html.length) });
    return res.end(html);
  }
  if (url === '/gone.png') return res.writeHead(410).end();
  if (url === '/empty.png') return res.writeHead(200, { 'content-length': '0' }).end();
  if (url === '/redirect.png') return res.writeHead(302, { location: '/ok.png' }).end();
  res.writeHead(404).end();
});

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));

describe('downloader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kie-dl-'));

  it('streams to the temp file, checks length and kind, follows redirects, never sends Authorization', async () => {
    const temp = join(dir, 'a.part');
    const r = await downloadToTemp({ url: `${base}/redirect.png`, tempPath: temp, kind: 'image' });
    assert.equal(r.bytes, PNG.length);
    assert.equal(r.extension, 'png');
    assert.deepEqual(readFileSync(temp), PNG);
    assert.ok(seen.every((h) => h.authorization === undefined));
  });

  it('resumes a broken download with a Range request', async () => {
    const temp = join(dir, 'b.part');
    truncateNext = 1;
    const err = await downloadToTemp({ url: `${base}/ok.png`, tempPath: temp, kind: 'image' }).catch((e) => e);
    assert.ok(err instanceof DownloadError, String(err));
    const partial = statSync(temp).size;
    assert.ok(partial > 0 && partial < PNG.length);
    const r = await downloadToTemp({ url: `${base}/ok.png`, tempPath: temp, kind: 'image' });
    assert.equal(r.resumed, true);
    assert.equal(seen.at(-1)?.range, `bytes=${partial}-`);
    assert.deepEqual(readFileSync(temp), PNG);
  });

  it('refuses an error page served as an image, an empty file, and reports expired links', async () => {
    const temp = join(dir, 'c.part');
    const kind = await downloadToTemp({ url: `${base}/page.png`, tempPath: temp, kind: 'image' }).catch((e) => e);
    assert.equal((kind as DownloadError).reason, 'kind');
    assert.equal(existsSync(temp), false, 'a refused file is removed');
    const empty = await downloadToTemp({ url: `${base}/empty.png`, tempPath: temp, kind: 'image' }).catch((e) => e);
    assert.equal((empty as DownloadError).reason, 'empty');
    const gone = await downloadToTemp({ url: `${base}/gone.png`, tempPath: temp, kind: 'image' }).catch((e) => e);
    assert.equal((gone as DownloadError).expired, true);
    const missing = await downloadToTemp({ url: `${base}/nope.png`, tempPath: temp, kind: 'image' }).catch((e) => e);
    assert.equal((missing as DownloadError).expired, true);
  });

  it('starts over when the partial file is longer than the file', async () => {
    const temp = join(dir, 'd.part');
    writeFileSync(temp, Buffer.alloc(PNG.length + 10));
    const r = await downloadToTemp({ url: `${base}/ok.png`, tempPath: temp, kind: 'image' });
    assert.equal(r.bytes, PNG.length);
    assert.deepEqual(readFileSync(temp), PNG);
  });
});
