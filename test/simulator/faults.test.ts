// Injected faults, as the real client sees them: errors of the right kind, or retried away.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { request } from 'undici';
import { Catalog } from '../../src/core/catalog/catalog';
import { KieClient } from '../../src/core/kie/client';
import { KieError } from '../../src/core/kie/errors';
import { parseFaultSpec, type FaultInit } from '../../src/simulator';
import { download, FAST_RETRY, simulatorAndClient, waitForTask } from './helpers';

const catalog = new Catalog();
const nanoBanana = catalog.require('google/nano-banana');
const suno = catalog.require('suno/generate');
const runway = catalog.require('runway/generate');

const CREATE_PATH = '/api/v1/jobs/createTask';
const STATUS_PATH = '/api/v1/jobs/recordInfo';

describe('fault spec grammar', () => {
  test('parses endpoints, kinds and amounts', () => {
    assert.deepEqual(parseFaultSpec('recordInfo:500:0.1,createTask:reset:1'), [
      { endpoint: 'recordInfo', kind: 'http', status: 500, probability: 0.1 },
      { endpoint: 'createTask', kind: 'reset', times: 1 },
    ]);
    assert.deepEqual(parseFaultSpec(' file:truncate , *:455:3 , credit:429=0.5:2 , createTask:fail=501:1, upload:code=550, /api/v1/generate:stall:1.0 '), [
      { endpoint: 'file', kind: 'truncate' },
      { endpoint: '*', kind: 'maintenance', times: 3 },
      { endpoint: 'credit', kind: 'rate-limit', retryAfterSec: 0.5, times: 2 },
      { endpoint: 'createTask', kind: 'task-fail', failCode: '501', times: 1 },
      { endpoint: 'upload', kind: 'code', code: 550 },
      { endpoint: '/api/v1/generate', kind: 'stall', probability: 1 },
    ]);
    assert.deepEqual(parseFaultSpec('download-url:433'), [{ endpoint: 'download-url', kind: 'code', code: 433 }]);
    assert.throws(() => parseFaultSpec('recordInfo'), /endpoint:kind/);
    assert.throws(() => parseFaultSpec('recordInfo:explode'), /Unknown fault kind/);
    assert.throws(() => parseFaultSpec('recordInfo:500:0'), /amount/);
    assert.throws(() => parseFaultSpec('recordInfo:500:1.5'), /amount/);
  });

  test('a spec string given at start applies; probabilities are reproducible with a seed', async () => {
    const draws = async () => {
      const { sim, client } = await simulatorAndClient({ seed: 42, faults: 'credit:500:0.5' });
      const noRetry = new KieClient({ apiKey: sim.apiKey, apiBaseUrl: sim.apiUrl, uploadBaseUrl: sim.uploadUrl, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
      const outcomes: boolean[] = [];
      for (let i = 0; i < 40; i++) outcomes.push(await noRetry.credits().then(() => true, () => false));
      await sim.stop();
      void client;
      return outcomes;
    };
    const first = await draws();
    const failures = first.filter((ok) => !ok).length;
    assert.ok(failures > 5 && failures < 35, `${failures} of 40 failed at p = 0.5`);
    assert.deepEqual(await draws(), first, 'same seed, same draws');
  });
});

describe('faults on create: an error, and exactly one create received', () => {
  const cases: { name: string; fault: FaultInit; kind: string; outcomeUnknown: boolean }[] = [
    { name: 'connection reset', fault: { endpoint: 'createTask', kind: 'reset', times: 1 }, kind: 'network', outcomeUnknown: true },
    { name: 'HTTP 500 without envelope', fault: { endpoint: 'createTask', kind: 'http', status: 500, times: 1 }, kind: 'server', outcomeUnknown: true },
    { name: 'HTTP 502', fault: { endpoint: 'createTask', kind: 'http', status: 502, times: 1 }, kind: 'server', outcomeUnknown: true },
    { name: 'truncated body', fault: { endpoint: 'createTask', kind: 'truncate', times: 1 }, kind: 'network', outcomeUnknown: true },
    { name: 'malformed JSON', fault: { endpoint: 'createTask', kind: 'malformed', times: 1 }, kind: 'malformed', outcomeUnknown: true },
    { name: 'stalled answer', fault: { endpoint: 'createTask', kind: 'stall', times: 1 }, kind: 'timeout', outcomeUnknown: true },
    { name: 'maintenance (455)', fault: { endpoint: 'createTask', kind: 'maintenance', times: 1 }, kind: 'maintenance', outcomeUnknown: false },
    { name: '429 with Retry-After', fault: { endpoint: 'createTask', kind: 'rate-limit', retryAfterSec: 2, times: 1 }, kind: 'rate-limit', outcomeUnknown: false },
    { name: 'queue full (550 in the envelope)', fault: { endpoint: '*', kind: 'code', code: 550, times: 1 }, kind: 'server', outcomeUnknown: false },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      // Only the stall needs a short client timeout; the others must not time out on a busy machine.
      const { sim, client } = await simulatorAndClient({}, c.fault.kind === 'stall' ? 400 : 10_000);
      try {
        sim.faults.add(c.fault);
        const err = await client.createTask(nanoBanana, { prompt: 'fox' }).then(
          () => assert.fail('the create should fail'),
          (e: unknown) => e as KieError,
        );
        assert.ok(err instanceof KieError, String(err));
        assert.equal(err.kind, c.kind, err.message);
        assert.equal(err.outcomeUnknown, c.outcomeUnknown, 'outcomeUnknown');
        if (c.fault.kind === 'rate-limit') assert.equal(err.retryAfterMs, 2000);
        assert.equal(sim.received.filter((r) => r.path === CREATE_PATH).length, 1, 'no second create');
        assert.equal(sim.state.tasks.size, 0, 'no task was made');
        assert.equal(await client.credits(), 1000, 'nothing charged');
      } finally {
        await sim.stop();
      }
    });
  }
});

describe('faults on status, credits and uploads are retried by the client', () => {
  const kinds: FaultInit[] = [
    { endpoint: 'recordInfo', kind: 'http', status: 503, times: 2 },
    { endpoint: 'recordInfo', kind: 'reset', times: 2 },
    { endpoint: 'recordInfo', kind: 'truncate', times: 1 },
    { endpoint: 'recordInfo', kind: 'malformed', times: 1 },
    { endpoint: 'recordInfo', kind: 'rate-limit', retryAfterSec: 0.02, times: 2 },
    { endpoint: 'recordInfo', kind: 'maintenance', times: 1 },
    { endpoint: 'recordInfo', kind: 'stall', times: 1 },
  ];
  for (const fault of kinds) {
    test(`recordInfo: ${fault.kind}${fault.status ? ` ${fault.status}` : ''} × ${fault.times}`, async () => {
      const { sim, client } = await simulatorAndClient();
      try {
        const createdAt = Date.now();
        const id = await client.createTask(nanoBanana, { prompt: 'fox' });
        await waitForTask(client, nanoBanana, id, createdAt);
        const before = sim.received.filter((r) => r.path === STATUS_PATH).length;
        sim.faults.add(fault);
        const probe = fault.kind === 'stall'
          ? new KieClient({ apiKey: sim.apiKey, apiBaseUrl: sim.apiUrl, uploadBaseUrl: sim.uploadUrl, retry: FAST_RETRY, timeoutMs: 300 })
          : client;
        const status = await probe.getStatus(nanoBanana, id, { createdAt });
        assert.equal(status.state, 'succeeded');
        assert.equal(sim.received.filter((r) => r.path === STATUS_PATH).length - before, (fault.times ?? 0) + 1, 'retried once per fault');
      } finally {
        await sim.stop();
      }
    });
  }

  test('status retries give up after the policy and report the kind', async () => {
    const { sim, client } = await simulatorAndClient();
    try {
      const id = await client.createTask(nanoBanana, { prompt: 'fox' });
      sim.faults.add({ endpoint: 'recordInfo', kind: 'http', status: 500 });
      await assert.rejects(client.getStatus(nanoBanana, id), (e: KieError) => e.kind === 'server' && e.httpStatus === 500);
      assert.equal(sim.received.filter((r) => r.path === STATUS_PATH).length, FAST_RETRY.attempts);
      sim.faults.clear();
      assert.ok(await client.getStatus(nanoBanana, id));
    } finally {
      await sim.stop();
    }
  });

  test('credits and download-url are retried; uploads are not', async () => {
    const { sim, client } = await simulatorAndClient();
    try {
      sim.faults.add('credit:500:2');
      assert.equal(await client.credits(), 1000);
      assert.equal(sim.received.filter((r) => r.path === '/api/v1/chat/credit').length, 3);
      sim.faults.add({ endpoint: 'upload', kind: 'http', status: 500, times: 1 });
      await assert.rejects(client.uploadBuffer(new Uint8Array([1, 2, 3]), 'a.bin'), (e: KieError) => e.kind === 'server');
      sim.faults.add({ endpoint: 'upload', kind: 'reset', times: 1 });
      await assert.rejects(client.uploadBuffer(new Uint8Array([1, 2, 3]), 'a.bin'), (e: KieError) => e.kind === 'network');
      const up = await client.uploadBuffer(new Uint8Array([1, 2, 3]), 'a.bin');
      sim.faults.add({ endpoint: 'download-url', kind: 'http', status: 502, times: 1 });
      assert.equal(await client.freshDownloadUrl(nanoBanana, 'x', up.url), up.url);
    } finally {
      await sim.stop();
    }
  });
});

describe('task-level faults', () => {
  test('a task that fails by content policy, per family', async () => {
    const { sim, client } = await simulatorAndClient();
    try {
      for (const entry of [nanoBanana, suno, runway]) {
        sim.faults.add({ endpoint: 'createTask', kind: 'task-fail', times: 1 });
        const createdAt = Date.now();
        const id = await client.createTask(entry, entry.example);
        const status = await waitForTask(client, entry, id, createdAt);
        assert.equal(status.state, 'failed', entry.id);
        assert.equal(status.error?.code, '400');
        assert.match(status.error?.message ?? '', /content polic/);
      }
      sim.faults.add({ endpoint: 'createTask', kind: 'task-fail', failCode: '501', failMsg: 'Generation failed, credits refunded', times: 1 });
      const createdAt = Date.now();
      const id = await client.createTask(nanoBanana, { prompt: 'x' });
      const status = await waitForTask(client, nanoBanana, id, createdAt);
      assert.deepEqual(status.error, { code: '501', message: 'Generation failed, credits refunded' });
    } finally {
      await sim.stop();
    }
  });

  test('expired result URL: born expired on create, or expiring when fetched; download-url fixes both', async () => {
    const { sim, client } = await simulatorAndClient();
    try {
      sim.faults.add('createTask:expired:1');
      let createdAt = Date.now();
      let id = await client.createTask(nanoBanana, { prompt: 'fox' });
      let url = (await waitForTask(client, nanoBanana, id, createdAt)).outputs[0].url;
      assert.equal((await download(url)).status, 404);
      assert.equal((await download(await client.freshDownloadUrl(nanoBanana, id, url))).status, 200);

      createdAt = Date.now();
      id = await client.createTask(nanoBanana, { prompt: 'fox two' });
      url = (await waitForTask(client, nanoBanana, id, createdAt)).outputs[0].url;
      sim.faults.add({ endpoint: 'file', kind: 'expired', times: 1 });
      assert.equal((await download(url)).status, 404);
      assert.equal((await download(url)).status, 404, 'stays expired');
      assert.equal((await download(await client.freshDownloadUrl(nanoBanana, id, url))).status, 200);

      // Runway reports expired links with expireFlag.
      createdAt = Date.now();
      id = await client.createTask(runway, runway.example);
      await waitForTask(client, runway, id, createdAt);
      sim.state.expireLinks(id);
      assert.equal((await client.getStatus(runway, id)).expired, true);
    } finally {
      await sim.stop();
    }
  });

  test('file origin: truncated download, 5xx, reset', async () => {
    const { sim, client } = await simulatorAndClient();
    try {
      const createdAt = Date.now();
      const id = await client.createTask(nanoBanana, { prompt: 'fox' });
      const url = (await waitForTask(client, nanoBanana, id, createdAt)).outputs[0].url;
      const whole = await download(url);
      sim.faults.add('file:truncate:1');
      const res = await request(url);
      assert.equal(res.headers['content-length'], String(whole.bytes.length));
      await assert.rejects(res.body.arrayBuffer(), 'the body ends early');
      sim.faults.add('file:503:1');
      assert.equal((await download(url)).status, 503);
      sim.faults.add('file:reset:1');
      await assert.rejects(download(url));
      assert.deepEqual((await download(url)).bytes, whole.bytes, 'fine again afterwards');
    } finally {
      await sim.stop();
    }
  });

  test('a stalled request is released when the simulator stops', async () => {
    const { sim } = await simulatorAndClient();
    sim.faults.add('credit:stall');
    const pending = request(`${sim.apiUrl}/api/v1/chat/credit`, { headers: { authorization: `Bearer ${sim.apiKey}` } });
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await sim.stop();
    await assert.rejects(pending.then((r) => r.body.text()));
    assert.ok(Date.now() - started < 2000);
  });
});
