// The simulator's answers have the recorded shapes: same key sets and value types as real Kie traffic.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import { FormData } from 'undici';
import type { Simulator } from '../../src/simulator';
import { encodeImage, renderPrompt } from '../../src/simulator/media/image';
import { sharedJson, type Recording } from '../helpers/shared';
import { manualClock, shapeOf, simulatorAndClient } from './helpers';

const entries = sharedJson<{ entries: Recording[] }>('kie-api/recordings.json')?.entries ?? [];
const present = entries.length > 0;

function recorded(pathPart: string, pick: (body: any, entry: Recording) => boolean = () => true): any {
  for (const e of entries) {
    if (!e.url.split('?')[0].endsWith(pathPart) || !e.response_body) continue;
    let body: any;
    try {
      body = JSON.parse(e.response_body);
    } catch {
      continue; // cut at 4000 characters
    }
    if (pick(body, e)) return body;
  }
  throw new Error(`No usable recording for ${pathPart}`);
}

describe('answers match the recorded shapes', { skip: present ? false : 'recordings.json is absent' }, () => {
  let sim: Simulator;
  // Tasks move only when the test moves this clock, so every stage is seen whatever the machine's load.
  const clock = manualClock();
  /** Moves the clock to a point of a task's life: 'running' (just past its queue), a fraction, or 'done'. */
  const moveTo = (taskId: string, at: 'running' | 'done' | number) => {
    const task = sim.state.tasks.get(taskId)!;
    const total = task.completeAt - task.createdAt;
    clock.set(at === 'done' ? task.completeAt : at === 'running' ? task.createdAt + task.timing.queueMs + 1 : task.createdAt + total * at);
  };
  const call = async (origin: string, method: 'GET' | 'POST', path: string, body?: unknown, key?: string) => {
    const res = await request(`${origin}${path}`, {
      method,
      headers: { authorization: `Bearer ${key ?? sim.apiKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.statusCode, body: (await res.body.json()) as any };
  };

  before(async () => {
    ({ sim } = await simulatorAndClient({ speed: 1, nullRecordMs: 0, now: clock.now }));
  });
  after(() => sim.stop());

  test('Market createTask and recordInfo: waiting, then success', async () => {
    const create = await call(sim.apiUrl, 'POST', '/api/v1/jobs/createTask', { model: 'grok-imagine/text-to-image', input: { prompt: 'A red panda', aspect_ratio: '1:1' } });
    assert.equal(create.status, 200);
    assert.deepEqual(shapeOf(create.body), shapeOf(recorded('/api/v1/jobs/createTask', (b) => b.code === 200)));
    const taskId = create.body.data.taskId;
    assert.equal(create.body.data.recordId, taskId);

    const waiting = await call(sim.apiUrl, 'GET', `/api/v1/jobs/recordInfo?taskId=${taskId}`);
    const recWaiting = recorded('/api/v1/jobs/recordInfo', (b) => b.data?.state === 'waiting');
    assert.equal(waiting.body.data.state, 'waiting');
    assert.deepEqual(shapeOf(waiting.body), shapeOf(recWaiting));
    // param is a JSON string whose input is itself a JSON string.
    const param = JSON.parse(waiting.body.data.param);
    assert.deepEqual(shapeOf(param), shapeOf(JSON.parse(recWaiting.data.param)));
    assert.deepEqual(JSON.parse(param.input), { prompt: 'A red panda', aspect_ratio: '1:1' });

    moveTo(taskId, 'running');
    const generating = await call(sim.apiUrl, 'GET', `/api/v1/jobs/recordInfo?taskId=${taskId}`);
    assert.equal(generating.body.data.state, 'generating');
    assert.deepEqual(shapeOf(generating.body), shapeOf(recorded('/api/v1/jobs/recordInfo', (b) => b.data?.state === 'generating')));

    moveTo(taskId, 'done');
    const done = (await call(sim.apiUrl, 'GET', `/api/v1/jobs/recordInfo?taskId=${taskId}`)).body;
    assert.equal(done.data.state, 'success');
    const recSuccess = recorded('/api/v1/jobs/recordInfo', (b) => b.data?.state === 'success');
    assert.deepEqual(shapeOf(done), shapeOf(recSuccess));
    assert.deepEqual(shapeOf(JSON.parse(done.data.resultJson)), shapeOf(JSON.parse(recSuccess.data.resultJson)));
    assert.equal(JSON.parse(done.data.resultJson).resultUrls.length, 6, 'Grok text-to-image returns 6 URLs');
    assert.ok(done.data.completeTime >= done.data.createTime, 'times are epoch ms');
    assert.ok(done.data.createTime > 1.7e12);
  });

  test('credits', async () => {
    const res = await call(sim.apiUrl, 'GET', '/api/v1/chat/credit');
    assert.deepEqual(shapeOf(res.body), shapeOf(recorded('/api/v1/chat/credit')));
  });

  test('uploads: stream (multipart) and base64', async () => {
    const png = encodeImage(renderPrompt('cat', 32, 32), 'png');
    const form = new FormData();
    form.set('file', new Blob([Buffer.from(png)], { type: 'image/png' }), 'cat1.png');
    form.set('uploadPath', 'images/test-uploads');
    const streamed = await request(`${sim.uploadUrl}/api/file-stream-upload`, { method: 'POST', headers: { authorization: `Bearer ${sim.apiKey}` }, body: form as never });
    const streamBody = (await streamed.body.json()) as any;
    assert.deepEqual(shapeOf(streamBody), shapeOf(recorded('/api/file-stream-upload')));
    assert.match(streamBody.data.fileName, /^\d+-[0-9a-z]+\.png$/, 'an unnamed stream upload is renamed like Kie does');
    assert.equal(streamBody.data.mimeType, 'image/png');
    assert.equal(streamBody.data.fileSize, png.length);

    const b64 = await call(sim.uploadUrl, 'POST', '/api/file-base64-upload', { base64Data: 'SGVsbG8gV29ybGQ=', uploadPath: 'documents/test-uploads', fileName: 'test.txt' });
    const recB64 = recorded('/api/file-base64-upload', (_b, e) => (e.request_body ?? '').includes('test.txt'));
    assert.deepEqual(shapeOf(b64.body), shapeOf(recB64));
    assert.equal(b64.body.data.fileName, 'test.txt');
    assert.equal(b64.body.data.fileSize, 11);
    assert.equal(b64.body.data.mimeType, 'text/plain');
    assert.match(b64.body.data.filePath, /^kieai\/\d+\/documents\/test-uploads\/test\.txt$/);
    const file = await request(b64.body.data.downloadUrl);
    assert.equal(await file.body.text(), 'Hello World');
  });

  test('download-url: "url is wrong" for a foreign URL, a string for ours', async () => {
    const foreign = await call(sim.apiUrl, 'POST', '/api/v1/common/download-url', { url: 'https://cdn.kie.ai/files/sample-test-file.mp4' });
    assert.deepEqual(foreign.body, recorded('/api/v1/common/download-url'));
    const up = await call(sim.uploadUrl, 'POST', '/api/file-base64-upload', { base64Data: 'AAAA', uploadPath: 'x', fileName: 'a.bin' });
    const ours = await call(sim.apiUrl, 'POST', '/api/v1/common/download-url', { url: up.body.data.downloadUrl });
    assert.equal(ours.body.code, 200);
    assert.equal(typeof ours.body.data, 'string');
  });

  test('Suno: 422 without callBackUrl, a task id with one, data null for an unknown task', async () => {
    const noCallback = await call(sim.apiUrl, 'POST', '/api/v1/generate', { prompt: 'An ambient soundscape', model: 'V5', instrumental: true, customMode: false });
    assert.deepEqual(noCallback.body, recorded('/api/v1/generate', (b) => b.code === 422));
    const ok = await call(sim.apiUrl, 'POST', '/api/v1/generate', { prompt: 'A lo-fi loop', model: 'V4_5', instrumental: true, customMode: false, callBackUrl: 'https://example.com/cb' });
    assert.deepEqual(shapeOf(ok.body), shapeOf(recorded('/api/v1/generate', (b) => b.code === 200)));
    const extend = await call(sim.apiUrl, 'POST', '/api/v1/generate/extend', { defaultParamFlag: true, audioId: 'bogus-audio-id', prompt: 'extend with a bridge', model: 'V5', callBackUrl: 'https://example.com/cb', style: 'Synthwave', title: 'Side B', continueAt: 30 });
    assert.deepEqual(shapeOf(extend.body), shapeOf(recorded('/api/v1/generate/extend')));
    const unknown = await call(sim.apiUrl, 'GET', '/api/v1/generate/record-info?taskId=apicity-test-nonexistent-task-id-do-not-record-real');
    assert.deepEqual(unknown.body, recorded('/api/v1/generate/record-info'));
  });

  test('Suno stages: stream links come before audio links, two tracks', async () => {
    const create = await call(sim.apiUrl, 'POST', '/api/v1/generate', { prompt: 'A lo-fi loop', model: 'V4_5', instrumental: true, customMode: false, callBackUrl: 'https://example.com/cb' });
    const taskId = create.body.data.taskId;
    const poll = async () => (await call(sim.apiUrl, 'GET', `/api/v1/generate/record-info?taskId=${taskId}`)).body.data;
    const seen = new Map<string, any>();
    for (const at of [0, 0.2, 0.5, 0.8, 'done'] as const) {
      moveTo(taskId, at);
      const rec = await poll();
      if (!seen.has(rec.status)) seen.set(rec.status, rec);
    }
    assert.deepEqual([...seen.keys()], ['PENDING', 'TEXT_SUCCESS', 'FIRST_SUCCESS', 'SUCCESS']);
    const text = seen.get('TEXT_SUCCESS').response.sunoData;
    assert.equal(text.length, 2);
    assert.ok(text.every((t: any) => t.streamAudioUrl && t.audioUrl === ''));
    const first = seen.get('FIRST_SUCCESS').response.sunoData;
    assert.ok(first[0].audioUrl && first[1].audioUrl === '');
    const done = seen.get('SUCCESS').response.sunoData;
    assert.ok(done.every((t: any) => t.audioUrl && typeof t.duration === 'number'));
    assert.equal(done[0].streamAudioUrl, text[0].streamAudioUrl, 'the stream link stays the same');
    assert.deepEqual(Object.keys(done[0]).sort(), Object.keys(text[0]).sort(), 'tracks keep their keys through the stages');
  });

  test('4o Image: progress is a string from "0.00" to "1.00"', async () => {
    const create = await call(sim.apiUrl, 'POST', '/api/v1/gpt4o-image/generate', { prompt: 'lighthouse', size: '1:1', nVariants: 2 });
    const taskId = create.body.data.taskId;
    const progress: string[] = [];
    let rec: any;
    for (const at of [0, 0.25, 0.5, 0.75, 'done'] as const) {
      moveTo(taskId, at);
      rec = (await call(sim.apiUrl, 'GET', `/api/v1/gpt4o-image/record-info?taskId=${taskId}`)).body.data;
      progress.push(rec.progress);
    }
    assert.deepEqual(progress, ['0.00', '0.25', '0.50', '0.75', '1.00']);
    assert.equal(rec.status, 'SUCCESS');
    assert.equal(rec.successFlag, 1);
    assert.equal(rec.response.resultUrls.length, 2);
  });
});
