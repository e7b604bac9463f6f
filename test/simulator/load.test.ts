// 200 tasks at once against one simulator: all complete, and the API stays responsive meanwhile.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Agent, request } from 'undici';
import { Catalog } from '../../src/core/catalog/catalog';
import { mediaKindOf, sniffMediaType } from '../../src/core/media/sniff';
import { download, simulatorAndClient, sleep, waitForTask } from './helpers';

const catalog = new Catalog();
const MODELS = [
  { entry: catalog.require('google/nano-banana'), input: (i: number) => ({ prompt: `a fox, variation ${i % 10}` }) },
  { entry: catalog.require('grok-imagine/text-to-video'), input: (i: number) => ({ prompt: `waves ${i}`, aspect_ratio: i % 2 ? '16:9' : '9:16' }) },
  { entry: catalog.require('elevenlabs/text-to-speech-turbo-2-5'), input: (i: number) => ({ text: `Line number ${i}.` }) },
  { entry: catalog.require('suno/generate'), input: (i: number) => ({ prompt: `song ${i % 4}`, customMode: false, instrumental: true, model: 'V4_5' }) },
  { entry: catalog.require('flux-kontext-pro'), input: (i: number) => ({ prompt: `a sign ${i % 10}`, aspectRatio: '1:1' }) },
];

test('200 concurrent tasks complete (create, poll, download); credits answers meanwhile', async (t) => {
  const { sim, client } = await simulatorAndClient({ credits: 1_000_000, rateLimits: { createsPer10s: Infinity }, speed: 0.002 });
  try {
    const started = Date.now();
    let creditsMs = -1;
    let rawMs = -1;
    let creditsAnsweredAt = Infinity;
    const jobs = Array.from({ length: 200 }, async (_, i) => {
      const { entry, input } = MODELS[i % MODELS.length];
      const createdAt = Date.now();
      const id = await client.createTask(entry, input(i));
      // Poll every 50 ms: with speed 0.002 that is like polling every 25 s against the real API.
      const status = await waitForTask(client, entry, id, createdAt, 40_000, 50);
      assert.equal(status.state, 'succeeded', `${entry.id}: ${JSON.stringify(status.error)}`);
      for (const output of status.outputs) {
        const res = await download(output.url);
        assert.equal(res.status, 200);
        const type = sniffMediaType(res.bytes);
        assert.ok(type && mediaKindOf(type) === entry.output, `${entry.id} output is ${entry.output}`);
      }
      return status.outputs.length;
    });
    const probe = (async () => {
      await sleep(100); // while the tasks are being polled and downloaded
      const t0 = Date.now();
      const raw = await request(`${sim.apiUrl}/api/v1/chat/credit`, { headers: { authorization: `Bearer ${sim.apiKey}` }, dispatcher: new Agent() });
      await raw.body.json();
      rawMs = Date.now() - t0;
      const t = Date.now();
      const balance = await client.credits();
      creditsMs = Date.now() - t;
      creditsAnsweredAt = Date.now();
      assert.ok(balance < 1_000_000, 'the balance shows the spending');
    })();
    const counts = await Promise.all(jobs);
    const allDoneAt = Date.now();
    await probe;
    assert.equal(counts.length, 200);
    assert.equal(sim.state.tasks.size, 200);
    assert.equal(sim.received.filter((r) => r.path.endsWith('/createTask') || r.path === '/api/v1/generate' || r.path === '/api/v1/flux/kontext/generate').length, 200);
    // Not starved: it answers while the tasks are still running, within seconds even on a busy machine
    // (about 0.5 s on an idle one).
    assert.ok(creditsAnsweredAt < allDoneAt, 'credits answered before the 200 tasks were done');
    assert.ok(creditsMs >= 0 && creditsMs < 10_000, `credits answered in ${creditsMs} ms under load`);
    assert.equal(sim.received.filter((r) => r.origin === 'file' && r.hadAuthorization).length, 0);
    let spent = 0;
    for (let i = 0; i < 200; i++) spent += MODELS[i % MODELS.length].entry.cost(MODELS[i % MODELS.length].input(i)).credits;
    assert.equal(await client.credits(), Math.round((1_000_000 - spent) * 100) / 100);
    const total = Date.now() - started;
    t.diagnostic(`200 tasks in ${total} ms; credits answered in ${creditsMs} ms under load (${rawMs} ms on a fresh connection)`);
    assert.ok(total < 30_000, `took ${total} ms`);
  } finally {
    await sim.stop();
  }
});
