import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { builtInModels, Catalog } from '../../src/core/catalog/catalog';
import { KieClient, PLACEHOLDER_CALLBACK_URL } from '../../src/core/kie/client';
import { KieError } from '../../src/core/kie/errors';
import type { HttpLogEvent } from '../../src/core/kie/http';
import { loopback, sendJson, type SeenRequest } from '../helpers/loopback';

const catalog = new Catalog(builtInModels());
const nano = catalog.require('nano-banana-2');
const fast = { attempts: 4, baseDelayMs: 5, maxDelayMs: 20 };
const closers: (() => Promise<void>)[] = [];
after(() => Promise.all(closers.map((c) => c())));

async function server(handler: Parameters<typeof loopback>[0]) {
  const s = await loopback(handler);
  closers.push(s.close);
  return s;
}

function clientFor(url: string, extra: Partial<ConstructorParameters<typeof KieClient>[0]> = {}) {
  return new KieClient({ apiKey: 'secret-key-123', apiBaseUrl: url, uploadBaseUrl: url, retry: fast, ...extra });
}

async function kieError(p: Promise<unknown>): Promise<KieError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof KieError, `not a KieError: ${err}`);
    return err;
  }
  assert.fail('expected a KieError');
}

describe('Kie client errors', () => {
  const cases: [string, number, unknown, string, RegExp][] = [
    ['401 in a 200 body', 200, { code: 401, msg: 'You do not have access permissions', data: null }, 'auth', /rejected the API key/],
    ['402 in a 200 body', 200, { code: 402, msg: 'Credits insufficient', data: null }, 'credits', /Not enough Kie\.ai credits/],
    ['422 naming a field', 200, { code: 422, msg: 'prompt is required', data: null }, 'invalid', /prompt is required/],
    ['455 maintenance', 200, { code: 455, msg: 'Service unavailable', data: null }, 'maintenance', /maintenance/],
    ['501 generation failed', 200, { code: 501, msg: 'Content policy violation', data: null }, 'generation', /Generation failed: Content policy violation/],
    ['a real HTTP 401', 401, { code: 401, msg: 'Unauthorized', data: null }, 'auth', /rejected/],
    ['HTTP 404 without envelope', 404, 'Not Found', 'not-found', /no such task/],
    ['malformed JSON', 200, '{"code":200,"data":', 'malformed', /not the expected JSON/],
    ['an HTML error page', 200, '<html>oops</html>', 'malformed', /not the expected JSON/],
  ];
  for (const [name, status, body, kind, message] of cases) {
    it(`maps ${name}`, async () => {
      const s = await server((_r, res) => sendJson(res, body as object, status));
      const err = await kieError(clientFor(s.url, { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }).getStatus(nano, 'abc'));
      assert.equal(err.kind, kind);
      assert.match(err.message, message);
    });
  }

  it('times out a call that never answers', async () => {
    const s = await server(() => undefined);
    const err = await kieError(clientFor(s.url, { timeoutMs: 200, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }).credits());
    assert.equal(err.kind, 'timeout');
  });

  it('cancels with an AbortSignal', async () => {
    const s = await server(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const err = await kieError(clientFor(s.url).credits({ signal: controller.signal }));
    assert.equal(err.kind, 'aborted');
  });
});

describe('Kie client retries', () => {
  it('never retries a create, whatever the failure, and flags a lost answer as unknown', async () => {
    for (const failure of ['500', 'reset', 'malformed', '429'] as const) {
      const s = await server((_r, res) => {
        if (failure === 'reset') res.socket?.destroy();
        else if (failure === 'malformed') sendJson(res, '{"code":200,');
        else sendJson(res, failure === '429' ? { code: 429, msg: 'Too many requests', data: null } : 'Bad gateway', Number(failure));
      });
      const err = await kieError(clientFor(s.url).createTask(nano, { prompt: 'x' }));
      assert.equal(s.seen.filter((r) => r.path === '/api/v1/jobs/createTask').length, 1, `${failure}: create sent once`);
      assert.equal(err.outcomeUnknown, failure === 'reset' || failure === 'malformed' || failure === '500', `${failure}: outcomeUnknown`);
    }
  });

  it('retries status on 429 (honouring Retry-After) and 5xx, then succeeds', async () => {
    let n = 0;
    const times: number[] = [];
    const s = await server((_r, res) => {
      times.push(Date.now());
      n++;
      if (n === 1) sendJson(res, { code: 429, msg: 'slow down', data: null }, 429, { 'retry-after': '0.2' });
      else if (n === 2) sendJson(res, 'oops', 503);
      else sendJson(res, { code: 200, msg: 'success', data: { taskId: 't', state: 'generating', resultJson: '' } });
    });
    const status = await clientFor(s.url).getStatus(nano, 't');
    assert.equal(status.state, 'running');
    assert.equal(n, 3);
    assert.ok(times[1] - times[0] >= 190, `waited ${times[1] - times[0]} ms for Retry-After`);
  });

  it('retries credits on a dropped connection', async () => {
    let n = 0;
    const s = await server((_r, res) => (++n === 1 ? res.socket?.destroy() : sendJson(res, { code: 200, msg: 'success', data: 12.5 })));
    assert.equal(await clientFor(s.url).credits(), 12.5);
    assert.equal(n, 2);
  });

  it('gives up after the attempts of its policy', async () => {
    const s = await server((_r, res) => sendJson(res, 'down', 502));
    const err = await kieError(clientFor(s.url).credits());
    assert.equal(err.kind, 'server');
    assert.equal(s.seen.length, 4);
  });

  it('treats an early "recordInfo is null" as still queued, and later as an error', async () => {
    const s = await server((_r, res) => sendJson(res, { code: 422, msg: 'recordInfo is null', data: null }));
    const client = clientFor(s.url);
    assert.equal((await client.getStatus(nano, 't', { createdAt: Date.now() })).state, 'queued');
    const err = await kieError(client.getStatus(nano, 't', { createdAt: Date.now() - 10 * 60_000 }));
    assert.equal(err.kind, 'not-found');
  });
});

describe('the API key', () => {
  it('goes to the API and upload hosts only, and is never logged', async () => {
    const api = await server((r, res) => sendJson(res, r.path.includes('credit') ? { code: 200, msg: 'success', data: 5 } : { code: 200, msg: 'success', data: 'http://third.invalid/x' }));
    const upload = await server((_r, res) => sendJson(res, { success: true, code: 200, msg: 'ok', data: { downloadUrl: 'http://files/x.png', fileName: 'x.png', fileSize: 3 } }));
    const third = await server((_r, res) => sendJson(res, { code: 200, msg: 'success', data: 1 }));
    const logs: HttpLogEvent[] = [];
    const client = new KieClient({ apiKey: 'secret-key-123', apiBaseUrl: api.url, uploadBaseUrl: upload.url, retry: fast, log: (e) => logs.push(e) });
    await client.credits();
    await client.uploadBuffer(new Uint8Array([1, 2, 3]), 'x.png');
    const err = await kieError(client.http.call({ method: 'GET', url: `${third.url}/api/v1/chat/credit` }));
    assert.equal(err.kind, 'forbidden-host');
    assert.equal(third.seen.length, 0);
    const withKey = (seen: SeenRequest[]) => seen.every((r) => r.headers.authorization === 'Bearer secret-key-123');
    assert.ok(withKey(api.seen) && withKey(upload.seen));
    assert.ok(logs.length >= 2);
    assert.doesNotMatch(JSON.stringify(logs), /secret-key-123/);
  });

  it('refuses to build a client without a key', () => {
    assert.throws(() => new KieClient({ apiKey: '' }), /No Kie\.ai API key/);
  });
});

describe('create bodies and uploads', () => {
  it('sends each family to its endpoint with the right body', async () => {
    const s = await server((_r, res) => sendJson(res, { code: 200, msg: 'success', data: { taskId: 'task-1' } }));
    const client = clientFor(s.url);
    await client.createTask(nano, { prompt: 'p' });
    await client.createTask(catalog.require('veo3_fast'), { prompt: 'p' });
    await client.createTask(catalog.require('suno/generate'), { prompt: 'p', customMode: false, instrumental: true, model: 'V5' });
    await client.createTask(catalog.require('flux-kontext-max'), { prompt: 'p' });
    await client.createTask(catalog.require('runway/extend'), { taskId: 'r1', prompt: 'p', quality: '720p' });
    const bodies = s.seen.map((r) => [r.path, JSON.parse(r.body)]);
    assert.deepEqual(bodies[0], ['/api/v1/jobs/createTask', { model: 'nano-banana-2', input: { prompt: 'p' } }]);
    assert.deepEqual(bodies[1], ['/api/v1/veo/generate', { prompt: 'p', model: 'veo3_fast' }]);
    assert.deepEqual(bodies[2], ['/api/v1/generate', { prompt: 'p', customMode: false, instrumental: true, model: 'V5', callBackUrl: PLACEHOLDER_CALLBACK_URL }]);
    assert.deepEqual(bodies[3], ['/api/v1/flux/kontext/generate', { prompt: 'p', model: 'flux-kontext-max' }]);
    assert.deepEqual(bodies[4], ['/api/v1/runway/extend', { taskId: 'r1', prompt: 'p', quality: '720p' }]);
  });

  it('streams a file upload as multipart with a random upload path', async () => {
    const s = await server((_r, res) => sendJson(res, { success: true, code: 200, msg: 'ok', data: { downloadUrl: 'http://files/cat.png', fileName: 'cat.png', fileSize: 4 } }));
    const dir = mkdtempSync(join(tmpdir(), 'kie-up-'));
    writeFileSync(join(dir, 'cat.png'), 'meow');
    const progress: [number, number][] = [];
    const result = await clientFor(s.url).uploadFile(join(dir, 'cat.png'), { mimeType: 'image/png', onProgress: (sent, total) => progress.push([sent, total]) });
    assert.deepEqual(progress, [[0, 4], [4, 4]]);
    assert.equal(Number(s.seen[0].headers['content-length']), Buffer.byteLength(s.seen[0].body));
    assert.equal(result.url, 'http://files/cat.png');
    const req = s.seen[0];
    assert.equal(req.path, '/api/file-stream-upload');
    assert.match(String(req.headers['content-type']), /multipart\/form-data/);
    assert.match(req.body, /name="file"; filename="cat\.png"/);
    assert.match(req.body, /meow/);
    assert.match(req.body, /name="uploadPath"\r\n\r\nkie-studio\/[a-z0-9]+/);
  });
});
