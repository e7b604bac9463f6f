// Family-specific endpoints and fields: Veo 1080p and extend, Flux origin links, Runway covers,
// Market text results, URL uploads, the CLI entry point.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { request } from 'undici';
import { Catalog } from '../../src/core/catalog/catalog';
import { KieError } from '../../src/core/kie/errors';
import { sniffMediaType } from '../../src/core/media/sniff';
import { runSimulate } from '../../src/cli/simulate';
import { download, simulatorAndClient, waitForTask } from './helpers';

const catalog = new Catalog();

describe('family endpoints', () => {
  test('Veo: 1080p for 16:9, originUrls and no 1080p otherwise, extend continues a task', async () => {
    const { sim, client } = await simulatorAndClient();
    try {
      const veo = catalog.require('veo3_fast');
      let createdAt = Date.now();
      const wide = await client.createTask(veo, { prompt: 'boat', aspectRatio: '16:9' });
      await waitForTask(client, veo, wide, createdAt);
      const hd = await client.veo1080p(wide);
      assert.ok(hd && sniffMediaType((await download(hd)).bytes) === 'mp4');

      createdAt = Date.now();
      const tall = await client.createTask(veo, { prompt: 'boat', aspectRatio: '9:16' });
      const status = await waitForTask(client, veo, tall, createdAt);
      const raw = status.raw as { response: { originUrls: string[] } };
      assert.equal(raw.response.originUrls.length, 1);
      await assert.rejects(client.veo1080p(tall), (e: KieError) => e.kind === 'invalid');

      const extend = await request(`${sim.apiUrl}/api/v1/veo/extend`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ taskId: wide, prompt: 'the boat sails on', callBackUrl: 'https://example.com/cb' }),
      });
      const body = (await extend.body.json()) as { code: number; data: { taskId: string } };
      assert.equal(body.code, 200);
      const extended = await waitForTask(client, veo, body.data.taskId, Date.now());
      assert.equal(extended.state, 'succeeded');
      assert.equal(sim.state.credits(), 1000 - 3 * 60, 'each Veo Fast call costs 60');
    } finally {
      await sim.stop();
    }
  });

  test('Flux Kontext reports origin and result images; Runway a cover; Aleph a video and image', async () => {
    const { sim, client } = await simulatorAndClient();
    try {
      const flux = catalog.require('flux-kontext-max');
      let createdAt = Date.now();
      const fluxStatus = await waitForTask(client, flux, await client.createTask(flux, { prompt: 'sign', aspectRatio: '1:1', outputFormat: 'png' }), createdAt);
      const response = (fluxStatus.raw as { response: { originImageUrl: string; resultImageUrl: string } }).response;
      assert.equal(sniffMediaType((await download(response.resultImageUrl)).bytes), 'png');
      assert.equal(sniffMediaType((await download(response.originImageUrl)).bytes), 'png');

      const runway = catalog.require('runway/generate');
      createdAt = Date.now();
      const rw = await waitForTask(client, runway, await client.createTask(runway, runway.example), createdAt);
      assert.equal(sniffMediaType((await download(rw.outputs[0].coverUrl!)).bytes), 'jpeg');
      assert.equal(rw.expired, false);
    } finally {
      await sim.stop();
    }
  });

  test('speech-to-text returns its transcript inline in resultJson.resultObject', async () => {
    const { sim, client } = await simulatorAndClient();
    try {
      const stt = catalog.require('elevenlabs/speech-to-text');
      const createdAt = Date.now();
      const status = await waitForTask(client, stt, await client.createTask(stt, { audio_url: 'https://example.com/talk.mp3' }), createdAt);
      const raw = status.raw as { resultJson: string };
      const result = JSON.parse(raw.resultJson);
      assert.equal(typeof result.resultObject.text, 'string');
      assert.ok(Array.isArray(result.resultObject.words));
      assert.equal(status.outputs[0].kind, 'text');
    } finally {
      await sim.stop();
    }
  });

  test('URL upload copies files from the simulator only; others get 422', async () => {
    const { sim, client } = await simulatorAndClient();
    try {
      const first = await client.uploadBuffer(new TextEncoder().encode('some text'), 'a.txt');
      const copy = await client.uploadFromUrl(first.url, 'b.txt');
      assert.notEqual(copy.url, first.url);
      assert.equal(new TextDecoder().decode((await download(copy.url)).bytes), 'some text');
      await assert.rejects(client.uploadFromUrl('https://example.com/cat.png', 'cat.png'), (e: KieError) => e.kind === 'invalid' && e.code === 422);
      const summary = sim.received.find((r) => r.path === '/api/file-url-upload')?.body as { fileUrl: string };
      assert.equal(summary.fileUrl, first.url, 'the request body is recorded');
    } finally {
      await sim.stop();
    }
  });

  test('per-task status limit for Suno and 4o record-info (3 per second) when enabled', async () => {
    const { sim, client } = await simulatorAndClient({ rateLimits: { perTaskStatusPerSecond: 3 } });
    try {
      const gpt4o = catalog.require('gpt4o-image');
      const id = await client.createTask(gpt4o, { prompt: 'x', size: '1:1' });
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await request(`${sim.apiUrl}/api/v1/gpt4o-image/record-info?taskId=${id}`, { headers: { authorization: `Bearer ${sim.apiKey}` } });
        codes.push(((await res.body.json()) as { code: number }).code);
      }
      assert.deepEqual(codes, [200, 200, 200, 429, 429]);
    } finally {
      await sim.stop();
    }
  });
});

describe('runSimulate (CLI)', () => {
  test('prints the URLs and how to use them, and stops', async () => {
    const lines: string[] = [];
    const handle = await runSimulate({ speed: 0.001, credits: 50, apiKey: 'k-123', faults: 'recordInfo:500:0.1' }, (l) => lines.push(l));
    try {
      const text = lines.join('\n');
      const api = /API:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
      assert.ok(api, text);
      assert.match(text, /Upload:\s+http:\/\/127\.0\.0\.1:\d+/);
      assert.match(text, /KIE_BASE_URL=http:\/\/127\.0\.0\.1:\d+ KIE_UPLOAD_URL=http:\/\/127\.0\.0\.1:\d+ KIE_API_KEY=k-123/);
      const res = await request(`${api}/api/v1/chat/credit`, { headers: { authorization: 'Bearer k-123' } });
      assert.deepEqual(await res.body.json(), { code: 200, msg: 'success', data: 50 });
    } finally {
      await handle.stop();
    }
  });
});
