// What Kie checks: key, input, credits, rate limits; and how result links behave.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { request } from 'undici';
import { Catalog } from '../../src/core/catalog/catalog';
import { KieClient } from '../../src/core/kie/client';
import { KieError } from '../../src/core/kie/errors';
import { sniffMediaType } from '../../src/core/media/sniff';
import { download, FAST_RETRY, manualClock, simulatorAndClient, sleep, waitForTask } from './helpers';

const catalog = new Catalog();
const nanoBanana = catalog.require('google/nano-banana');
const veo = catalog.require('veo3');
const suno = catalog.require('suno/generate');
const gpt4o = catalog.require('gpt4o-image');

async function rejects(promise: Promise<unknown>, kind: string, message?: RegExp): Promise<KieError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof KieError, `a KieError, got ${err}`);
    assert.equal(err.kind, kind, `${err.kind}: ${err.message}`);
    if (message) assert.match(err.kieMessage ?? err.message, message);
    return err;
  }
  assert.fail(`expected a ${kind} error`);
}

describe('account checks', () => {
  test('credits: each create is charged, the balance shows it, 402 when short, failures refunded', async () => {
    const clock = manualClock();
    const { sim, client } = await simulatorAndClient({ credits: 300, speed: 1, now: clock.now });
    try {
      assert.equal(await client.credits(), 300);
      await client.createTask(nanoBanana, { prompt: 'fox' });
      assert.equal(await client.credits(), 296, 'nano-banana costs 4');
      await client.createTask(veo, { prompt: 'boat', aspectRatio: '16:9' });
      assert.equal(await client.credits(), 46, 'veo3 costs 250');
      const err = await rejects(client.createTask(veo, { prompt: 'another boat' }), 'credits');
      assert.equal(err.code, 402);
      assert.equal(await client.credits(), 46, 'a refused create costs nothing');
      assert.equal(sim.state.spent, 254);
      // A task that fails is refunded once it has failed.
      sim.faults.add({ endpoint: 'createTask', kind: 'task-fail', times: 1 });
      const id = await client.createTask(nanoBanana, { prompt: 'flagged' });
      assert.equal(await client.credits(), 42, 'charged while it runs');
      clock.advance(3600_000);
      const status = await client.getStatus(nanoBanana, id);
      assert.equal(status.state, 'failed');
      assert.equal(await client.credits(), 46, 'refunded once failed');
    } finally {
      await sim.stop();
    }
  });

  test('401 for a wrong key on the API and upload origins; acceptAnyKey takes any', async () => {
    const { sim } = await simulatorAndClient();
    try {
      const bad = new KieClient({ apiKey: 'wrong', apiBaseUrl: sim.apiUrl, uploadBaseUrl: sim.uploadUrl, retry: FAST_RETRY });
      const err = await rejects(bad.credits(), 'auth');
      assert.equal(err.kieMessage, 'You do not have access permissions');
      await rejects(bad.uploadBuffer(new Uint8Array([1, 2, 3]), 'x.bin'), 'auth');
      const none = await request(`${sim.apiUrl}/api/v1/chat/credit`);
      assert.deepEqual(await none.body.json(), { code: 401, msg: 'You do not have access permissions', data: null });
    } finally {
      await sim.stop();
    }
    const { sim: open } = await simulatorAndClient({ acceptAnyKey: true });
    try {
      const any = new KieClient({ apiKey: 'anything-at-all', apiBaseUrl: open.apiUrl, uploadBaseUrl: open.uploadUrl });
      assert.equal(await any.credits(), 1000);
    } finally {
      await open.stop();
    }
  });

  test('422 naming the field; Suno without callBackUrl; unknown tasks', async () => {
    const { sim, client } = await simulatorAndClient();
    try {
      await rejects(client.createTask(nanoBanana, { aspect_ratio: '1:1' }), 'invalid', /prompt is required/);
      await rejects(client.createTask(nanoBanana, { prompt: 'x', aspect_ratio: '7:3' }), 'invalid', /aspect_ratio/);
      await rejects(client.createTask(nanoBanana, { prompt: 'x', colour: 'red' }), 'invalid', /colour/);
      const raw = await request(`${sim.apiUrl}/api/v1/generate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'song', customMode: false, instrumental: true, model: 'V4_5' }),
      });
      assert.equal(raw.statusCode, 200, 'business errors come with HTTP 200');
      assert.deepEqual(await raw.body.json(), { code: 422, msg: 'Please enter callBackUrl.', data: null });
      // The client adds a placeholder callback for Suno, so its create goes through.
      assert.match(await client.createTask(suno, suno.example), /^[0-9a-f]{32}$/);
      await rejects(client.getStatus(nanoBanana, 'f'.repeat(32)), 'not-found', /Record does not exist/);
      await rejects(client.getStatus(suno, 'f'.repeat(32)), 'not-found');
      assert.equal(sim.received.filter((r) => r.path === '/api/v1/jobs/createTask').length, 3);
    } finally {
      await sim.stop();
    }
  });

  test('"recordInfo is null" right after a Market create: pending within the grace period', async () => {
    const { sim, client } = await simulatorAndClient({ nullRecordMs: 300 });
    try {
      const createdAt = Date.now();
      const id = await client.createTask(nanoBanana, { prompt: 'fox' });
      await rejects(client.getStatus(nanoBanana, id), 'not-found', /recordInfo is null/);
      const young = await client.getStatus(nanoBanana, id, { createdAt });
      assert.equal(young.state, 'queued');
      await sleep(320);
      assert.notEqual((await client.getStatus(nanoBanana, id, { createdAt })).raw, null, 'a record after the grace period');
    } finally {
      await sim.stop();
    }
  });

  test('429 past 20 creates in 10 s, and past the status rate', async () => {
    const { sim, client } = await simulatorAndClient({ rateLimits: { statusPerSecond: 3 } });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) ids.push(await client.createTask(nanoBanana, { prompt: `fox ${i}` }));
      const err = await rejects(client.createTask(nanoBanana, { prompt: 'one too many' }), 'rate-limit');
      assert.ok((err.retryAfterMs ?? 0) > 0, 'Retry-After is given');
      assert.equal(await client.credits(), 1000 - 20 * 4, 'the refused create is not charged');

      const noRetry = new KieClient({ apiKey: sim.apiKey, apiBaseUrl: sim.apiUrl, uploadBaseUrl: sim.uploadUrl, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
      const started = Date.now();
      const results = await Promise.allSettled(ids.slice(0, 15).map((id) => noRetry.getStatus(nanoBanana, id, { createdAt: Date.now() })));
      const seconds = Math.ceil((Date.now() - started) / 1000);
      const limited = results.filter((r) => r.status === 'rejected' && (r.reason as KieError).kind === 'rate-limit');
      assert.ok(limited.length >= 1, 'status calls past 3 per second were refused');
      assert.ok(15 - limited.length <= 3 * (seconds + 1), `${15 - limited.length} answered in ${seconds} s`);
    } finally {
      await sim.stop();
    }
  });
});

describe('result links', () => {
  test('an expired link answers 404; download-url gives a working one', async () => {
    const clock = manualClock();
    const { sim, client } = await simulatorAndClient({ linkTtlMs: 60_000, speed: 1, nullRecordMs: 0, now: clock.now });
    try {
      const id = await client.createTask(nanoBanana, { prompt: 'fox' });
      clock.set(sim.state.tasks.get(id)!.completeAt);
      const status = await client.getStatus(nanoBanana, id);
      const url = status.outputs[0].url;
      assert.equal((await download(url)).status, 200);
      clock.advance(59_000);
      assert.equal((await download(url)).status, 200, 'still live');
      clock.advance(1_000);
      assert.equal((await download(url)).status, 404, 'expired');
      const fresh = await client.freshDownloadUrl(nanoBanana, id, url);
      assert.notEqual(fresh, url);
      const again = await download(fresh);
      assert.equal(again.status, 200);
      assert.equal(sniffMediaType(again.bytes), 'png');
      // 4o Image has its own download-url endpoint, taking the task id.
      const id4o = await client.createTask(gpt4o, { prompt: 'lighthouse', size: '1:1' });
      clock.set(sim.state.tasks.get(id4o)!.completeAt);
      const s4o = await client.getStatus(gpt4o, id4o);
      sim.state.expireLinks(id4o);
      assert.equal((await download(s4o.outputs[0].url)).status, 404);
      const fresh4o = await client.freshDownloadUrl(gpt4o, id4o, s4o.outputs[0].url);
      assert.equal((await download(fresh4o)).status, 200);
    } finally {
      await sim.stop();
    }
  });

  test('Range requests answer 206 with Content-Range; HEAD gives the length', async () => {
    const { sim, client } = await simulatorAndClient();
    try {
      const createdAt = Date.now();
      const id = await client.createTask(nanoBanana, { prompt: 'fox' });
      const url = (await waitForTask(client, nanoBanana, id, createdAt)).outputs[0].url;
      const whole = await download(url);
      const part = await download(url, { range: 'bytes=10-109' });
      assert.equal(part.status, 206);
      assert.equal(part.headers['content-range'], `bytes 10-109/${whole.bytes.length}`);
      assert.equal(part.headers['content-length'], '100');
      assert.deepEqual(part.bytes, whole.bytes.subarray(10, 110));
      const tail = await download(url, { range: 'bytes=-16' });
      assert.deepEqual(tail.bytes, whole.bytes.subarray(whole.bytes.length - 16));
      const beyond = await download(url, { range: `bytes=${whole.bytes.length}-` });
      assert.equal(beyond.status, 416);
      const head = await request(url, { method: 'HEAD' });
      assert.equal(head.headers['content-length'], String(whole.bytes.length));
      assert.equal(head.headers['accept-ranges'], 'bytes');
      await head.body.dump();
    } finally {
      await sim.stop();
    }
  });

  test('the file origin refuses a request carrying Authorization, and says so', async () => {
    const { sim, client } = await simulatorAndClient();
    try {
      const up = await client.uploadBuffer(new TextEncoder().encode('hello'), 'hello.txt');
      assert.equal((await download(up.url)).status, 200);
      const leaked = await download(up.url, { authorization: `Bearer ${sim.apiKey}` });
      assert.equal(leaked.status, 403);
      assert.equal(sim.state.fileAuthorizationSeen, 1);
      assert.ok(sim.received.some((r) => r.origin === 'file' && r.hadAuthorization));
      // The client itself refuses to send the key to a host that is not the API or upload origin.
      await assert.rejects(client.http.call({ method: 'GET', url: up.url }), (e: KieError) => e.kind === 'forbidden-host');
    } finally {
      await sim.stop();
    }
  });

  test('a large synthetic file, whole and by range', async () => {
    const { sim } = await simulatorAndClient();
    try {
      const size = 3 * 1024 * 1024 + 17;
      const res = await request(sim.bigFileUrl(size));
      let total = 0;
      for await (const chunk of res.body) total += (chunk as Buffer).length;
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-length'], String(size));
      assert.equal(total, size);
      const part = await download(sim.bigFileUrl(size), { range: `bytes=${size - 1000}-` });
      assert.equal(part.status, 206);
      assert.equal(part.bytes.length, 1000);
    } finally {
      await sim.stop();
    }
  });
});
