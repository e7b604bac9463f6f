import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtInModels, Catalog } from '../../src/core/catalog/catalog';
import { KieClient } from '../../src/core/kie/client';
import { KieError } from '../../src/core/kie/errors';
import { parseMarket, parseSuno } from '../../src/core/kie/status';
import { loopback, sendJson } from '../helpers/loopback';
import { sharedJson, type Recording } from '../helpers/shared';

const recordings = sharedJson<{ entries: Recording[] }>('kie-api/recordings.json')?.entries;
const skip = !recordings && 'recordings.json is absent';
const catalog = new Catalog(builtInModels());

describe('recorded Kie.ai traffic', { skip }, () => {
  const statusPolls = (recordings ?? []).filter((r) => r.url.includes('/api/v1/jobs/recordInfo'));

  it('parses every recorded Market status into the normalised shape', () => {
    assert.ok(statusPolls.length >= 50);
    const seen = new Set<string>();
    for (const r of statusPolls) {
      const body = JSON.parse(r.response_body!);
      const data = body.data;
      const taskId = new URL(r.url).searchParams.get('taskId')!;
      const s = parseMarket(taskId, data, 'image');
      seen.add(s.state);
      if (data.state === 'success') {
        const urls = JSON.parse(data.resultJson).resultUrls as string[];
        assert.equal(s.state, 'succeeded', r.recording);
        assert.deepEqual(s.outputs.map((o) => o.url), urls, r.recording);
      } else if (data.state === 'generating') {
        assert.equal(s.state, 'running', r.recording);
      } else {
        assert.equal(s.state, 'queued', `${r.recording}: ${data.state}`);
      }
      assert.equal(s.error, undefined);
    }
    assert.deepEqual([...seen].sort(), ['queued', 'running', 'succeeded']);
  });

  it('reads the six images of a Grok text-to-image task', () => {
    const grok = statusPolls.find((r) => r.recording.startsWith('grok-imagine-lifecycle__step-1') && r.response_body!.includes('"state":"success"'))!;
    const s = parseMarket('x', JSON.parse(grok.response_body!).data, 'image');
    assert.equal(s.outputs.length, 6);
    assert.ok(s.outputs.every((o, i) => o.index === i && o.kind === 'image' && o.url.endsWith('.jpg')));
  });

  it('treats Suno "data: null" for an unknown task as not found once the grace period is over', async () => {
    const rec = recordings!.find((r) => r.recording === 'suno__record-info-not-found')!;
    const server = await loopback((_req, res) => sendJson(res, rec.response_body!));
    try {
      const client = new KieClient({ apiKey: 'k', apiBaseUrl: server.url, uploadBaseUrl: server.url });
      const suno = catalog.require('suno/generate');
      await assert.rejects(client.getStatus(suno, 'nope'), (e: unknown) => e instanceof KieError && e.kind === 'not-found');
      const young = await client.getStatus(suno, 'nope', { createdAt: Date.now() });
      assert.equal(young.state, 'queued');
    } finally {
      await server.close();
    }
  });

  it('replays every recorded answer the client handles through the client', async () => {
    let current: Recording | undefined;
    const server = await loopback((_req, res) => sendJson(res, current!.response_body!, current!.status));
    const client = new KieClient({ apiKey: 'k', apiBaseUrl: server.url, uploadBaseUrl: server.url, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const checked: string[] = [];
    try {
      for (const r of recordings!) {
        current = r;
        const path = new URL(r.url).pathname;
        const body = JSON.parse(r.response_body!);
        if (path === '/api/v1/chat/credit') {
          assert.equal(await client.credits(), body.data);
        } else if (path === '/api/v1/jobs/createTask') {
          const req = JSON.parse(r.request_body!);
          const entry = catalog.get(req.model) ?? catalog.require('nano-banana-2');
          assert.equal(await client.createTask(entry, req.input), body.data.taskId, r.recording);
        } else if (path === '/api/v1/generate' || path === '/api/v1/generate/extend') {
          const entry = catalog.require(path.endsWith('extend') ? 'suno/extend' : 'suno/generate');
          const outcome = client.createTask(entry, {});
          if (body.code === 200) assert.equal(await outcome, body.data.taskId);
          else await assert.rejects(outcome, (e: unknown) => e instanceof KieError && e.kind === 'invalid' && /callBackUrl/.test(e.message));
        } else if (path === '/api/v1/common/download-url') {
          await assert.rejects(client.freshDownloadUrl(catalog.require('nano-banana-2'), 't', 'https://cdn.kie.ai/x.mp4'),
            (e: unknown) => e instanceof KieError && e.code === 422 && /url is wrong/.test(e.message));
        } else if (path === '/api/file-stream-upload' || path === '/api/file-base64-upload') {
          const result = await client.uploadBuffer(new Uint8Array([1, 2, 3]), 'x.bin');
          assert.equal(result.url, body.data.downloadUrl);
        } else if (path === '/api/v1/jobs/recordInfo') {
          const entry = catalog.get(body.data.model) ?? catalog.require('nano-banana-2');
          const s = await client.getStatus(entry, body.data.taskId);
          assert.ok(['queued', 'running', 'succeeded'].includes(s.state));
        } else {
          continue;
        }
        checked.push(r.recording);
      }
    } finally {
      await server.close();
    }
    assert.ok(checked.length >= 130, `only ${checked.length} recordings replayed`);
  });
});

describe('Suno stages', () => {
  const track = (audioUrl: string) => ({ id: 'a1', audioUrl, streamAudioUrl: 'https://s/x', imageUrl: 'https://i/x.jpg', title: 'T', duration: 120.5 });
  it('goes PENDING → TEXT_SUCCESS → FIRST_SUCCESS → SUCCESS and succeeds only with every audioUrl', () => {
    assert.equal(parseSuno('t', { status: 'PENDING' }).state, 'queued');
    assert.equal(parseSuno('t', { status: 'TEXT_SUCCESS', response: { sunoData: [track(''), track('')] } }).state, 'running');
    const first = parseSuno('t', { status: 'FIRST_SUCCESS', response: { sunoData: [track('https://a/1.mp3'), track('')] } });
    assert.equal(first.state, 'running');
    assert.ok(first.progress! > 0.5);
    assert.equal(parseSuno('t', { status: 'SUCCESS', response: { sunoData: [track('https://a/1.mp3'), track('')] } }).state, 'running');
    const done = parseSuno('t', { status: 'SUCCESS', response: { sunoData: [track('https://a/1.mp3'), { ...track('https://a/2.mp3'), id: 'a2' }] } });
    assert.equal(done.state, 'succeeded');
    assert.deepEqual(done.outputs.map((o) => [o.url, o.trackId, o.kind]), [['https://a/1.mp3', 'a1', 'audio'], ['https://a/2.mp3', 'a2', 'audio']]);
    assert.equal(done.outputs[0].streamUrl, 'https://s/x');
  });
  it('reports failures with Kie\'s reason', () => {
    const s = parseSuno('t', { status: 'SENSITIVE_WORD_ERROR', errorCode: 400, errorMessage: 'Lyrics contain sensitive words' });
    assert.equal(s.state, 'failed');
    assert.deepEqual(s.error, { code: '400', message: 'Lyrics contain sensitive words' });
  });
});
