import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DownloadError, downloadToTemp } from '../../src/core/engine/index';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(3_000_000, 7)]);
const seen: IncomingMessage['headers'][] = [];
let truncateNext = 0;

const handler: RequestListener = (req, res: ServerResponse) => {
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
      res.write(body.subarray(0, 100_000));
      setTimeout(() => res.socket?.destroy(), 30);
      return;
    }
    return res.end(body);
  }
  if (url === '/chunked.png') {
    res.writeHead(200, { 'content-type': 'image/png' }); // no length: Node sends it chunked
    res.write(PNG.subarray(0, 1000));
    return setTimeout(() => res.end(PNG.subarray(1000)), 5);
  }
  if (url === '/stall.png') {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(PNG.length) });
    res.write(PNG.subarray(0, 5000));
    return; // and nothing more
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
};

const server = createServer(handler);
let base = '';
let tlsServer: ReturnType<typeof createTlsServer> | undefined;
let tlsBase = '';
let ca: Buffer | undefined;

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A self-signed certificate for localhost, when openssl is around.
  try {
    const dir = mkdtempSync(join(tmpdir(), 'kie-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    ca = readFileSync(join(dir, 'cert.pem'));
    tlsServer = createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert: ca }, handler);
    await new Promise<void>((r) => tlsServer?.listen(0, '127.0.0.1', r));
    tlsBase = `https://localhost:${(tlsServer.address() as AddressInfo).port}`;
  } catch {
    tlsServer = undefined;
  }
});
after(async () => {
  server.closeAllConnections();
  tlsServer?.closeAllConnections();
  await Promise.all([new Promise((r) => server.close(r)), tlsServer ? new Promise((r) => tlsServer?.close(r)) : undefined]);
});

for (const transport of ['auto', 'undici'] as const) {
  describe(`downloader (${transport})`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'kie-dl-'));
    const get = (path: string, temp: string, extra: Partial<Parameters<typeof downloadToTemp>[0]> = {}) =>
      downloadToTemp({ url: `${base}${path}`, tempPath: join(dir, temp), kind: 'image', transport, ...extra });

    it('streams to the temp file and checks it, never sending Authorization', async () => {
      const r = await get('/ok.png', 'a.part');
      assert.equal(r.bytes, PNG.length);
      assert.equal(r.extension, 'png');
      assert.equal(r.via, transport === 'auto' ? 'raw' : 'undici');
      assert.ok(readFileSync(join(dir, 'a.part')).equals(PNG));
      assert.ok(seen.every((h) => h.authorization === undefined));
    });

    it('follows redirects and reads chunked bodies (through undici)', async () => {
      const r = await get('/redirect.png', 'r.part');
      assert.equal(r.via, 'undici');
      assert.ok(readFileSync(join(dir, 'r.part')).equals(PNG));
      const c = await get('/chunked.png', 'c.part');
      assert.equal(c.via, 'undici');
      assert.ok(readFileSync(join(dir, 'c.part')).equals(PNG));
    });

    it('resumes a broken download with a Range request', async () => {
      truncateNext = 1;
      const err = await get('/ok.png', 'b.part').catch((e) => e);
      assert.ok(err instanceof DownloadError && err.reason === 'network', String(err));
      const partial = statSync(join(dir, 'b.part')).size;
      assert.ok(partial > 0 && partial < PNG.length, `${partial}`);
      const r = await get('/ok.png', 'b.part');
      assert.equal(r.resumed, true);
      assert.equal(seen.at(-1)?.range, `bytes=${partial}-`);
      assert.ok(readFileSync(join(dir, 'b.part')).equals(PNG));
    });

    it('gives up on a stalled body after the idle timeout, and can be cancelled', async () => {
      const stalled = await get('/stall.png', 's.part', { timeoutMs: 300 }).catch((e) => e);
      assert.ok(stalled instanceof DownloadError && stalled.reason === 'network', String(stalled));
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const cancelled = await get('/stall.png', 's2.part', { signal: controller.signal }).catch((e) => e);
      assert.ok(cancelled instanceof DownloadError && cancelled.reason === 'aborted', String(cancelled));
    });

    it('refuses an error page served as an image, an empty file, and reports expired links', async () => {
      const kind = await get('/page.png', 'c.part').catch((e) => e);
      assert.equal((kind as DownloadError).reason, 'kind');
      assert.equal(existsSync(join(dir, 'c.part')), false, 'a refused file is removed');
      assert.equal(((await get('/empty.png', 'c.part').catch((e) => e)) as DownloadError).reason, 'empty');
      assert.equal(((await get('/gone.png', 'c.part').catch((e) => e)) as DownloadError).expired, true);
      assert.equal(((await get('/nope.png', 'c.part').catch((e) => e)) as DownloadError).expired, true);
    });

    it('starts over when the partial file is longer than the file', async () => {
      writeFileSync(join(dir, 'd.part'), Buffer.alloc(PNG.length + 10));
      const r = await get('/ok.png', 'd.part');
      assert.equal(r.bytes, PNG.length);
      assert.ok(readFileSync(join(dir, 'd.part')).equals(PNG));
    });
  });
}

describe('downloader over TLS', () => {
  it('reads HTTPS with the raw reader (certificate checked)', async (t) => {
    if (!tlsServer || !ca) return t.skip('openssl is not available');
    const dir = mkdtempSync(join(tmpdir(), 'kie-dl-tls-'));
    // An untrusted certificate is refused...
    const refused = await downloadToTemp({ url: `${tlsBase}/ok.png`, tempPath: join(dir, 'x.part'), kind: 'image' }).catch((e) => e);
    assert.ok(refused instanceof DownloadError && refused.reason === 'network', String(refused));
    // ...and a trusted one works, through the raw reader; a redirect goes through undici with the same trust.
    const r = await downloadToTemp({ url: `${tlsBase}/ok.png`, tempPath: join(dir, 'y.part'), kind: 'image', ca });
    assert.equal(r.via, 'raw');
    assert.ok(readFileSync(join(dir, 'y.part')).equals(PNG));
    const redirected = await downloadToTemp({ url: `${tlsBase}/redirect.png`, tempPath: join(dir, 'z.part'), kind: 'image', ca });
    assert.equal(redirected.via, 'undici');
    assert.ok(readFileSync(join(dir, 'z.part')).equals(PNG));
  });
});
