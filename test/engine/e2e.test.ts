// The engine end to end against the offline simulator over real loopback HTTP.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, truncateSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InputError, type EngineEvent, type TaskRecord } from '../../src/core/engine/index';
import { encodePng } from '../../src/simulator/media/png';
import { encodeWav } from '../../src/simulator/media/wav';
import type { Simulator } from '../../src/simulator/index';
import { byState, catalog, creates, engineFor, kindOfFile, servedBytes, sim, statuses, tempDir, visibleFiles } from './helpers';

let s: Simulator;
before(async () => {
  s = await sim();
});
after(() => s.stop());

const NAME = /^\d{4}-\d{2}-\d{2}-[a-z0-9-]+-[0-9a-f]{6}-\d+(-\d+)?\.[a-z0-9]+$/;

function localPng(dir: string): string {
  const data = new Uint8Array(32 * 32 * 4).fill(200);
  const path = join(dir, 'photo.png');
  writeFileSync(path, encodePng({ width: 32, height: 32, data }));
  return path;
}

function localWav(dir: string): string {
  const samples = new Int16Array(8000).map((_, i) => Math.round(Math.sin(i / 10) * 8000));
  const path = join(dir, 'voice.wav');
  writeFileSync(path, encodeWav(samples, 8000));
  return path;
}

describe('engine end to end', () => {
  it('saves image, multi-image, video, Suno, speech and text results with readable names, right kinds and records', async () => {
    s.reset();
    const root = tempDir('e2e');
    const engine = engineFor(s, join(root, '.state'));
    const events: EngineEvent[] = [];
    engine.onEvent((e) => events.push(e));
    await engine.start();
    const wav = localWav(root);
    const jobs: { model: string; input: Record<string, unknown>; outputs: number; kind: string; short: string }[] = [
      { model: 'google/nano-banana', input: { ...catalog.require('google/nano-banana').example, prompt: 'A red fox in snow' }, outputs: 1, kind: 'image', short: 'nano-banana' },
      { model: 'grok-imagine/text-to-image', input: { prompt: 'Six lighthouses at dusk' }, outputs: 6, kind: 'image', short: 'grok-imagine-text-to-image' },
      { model: 'bytedance/v1-lite-text-to-video', input: catalog.require('bytedance/v1-lite-text-to-video').example, outputs: 1, kind: 'video', short: 'bytedance-v1-lite-text-to-video' },
      { model: 'suno/generate', input: catalog.require('suno/generate').example, outputs: 2, kind: 'audio', short: 'suno-generate' },
      { model: 'elevenlabs/text-to-speech-multilingual-v2', input: catalog.require('elevenlabs/text-to-speech-multilingual-v2').example, outputs: 1, kind: 'audio', short: 'elevenlabs-text-to-speech-multilingual' },
      // A local file in a media field is uploaded first (relative to the root), and the result is text.
      { model: 'elevenlabs/speech-to-text', input: { audio_url: basename(wav) }, outputs: 1, kind: 'text', short: 'elevenlabs-speech-to-text' },
    ];
    const started = await Promise.all(jobs.map((j) => engine.submit({ model: j.model, input: j.input, destination: { root } })));
    assert.deepEqual(started.map((r) => r.state).filter((st) => st !== 'queued' && st !== 'running'), [], JSON.stringify(started.map((r) => r.error)));
    await engine.idle();
    const done = engine.list();
    assert.deepEqual(byState(done), { succeeded: jobs.length }, JSON.stringify(done.map((t) => t.error)));
    const assets = join(root, 'assets');
    const expectedFiles: string[] = [];
    for (const [i, job] of jobs.entries()) {
      const t = done.find((r) => r.id === started[i].id) as TaskRecord;
      assert.equal(t.outputs.length, job.outputs, job.model);
      for (const o of t.outputs) {
        const saved = o.savedPath as string;
        assert.ok(saved.startsWith(join(assets, t.category) + '/'), saved);
        assert.match(basename(saved), NAME);
        assert.ok(basename(saved).includes(`-${job.short}-`), `${basename(saved)} names the model`);
        assert.ok(basename(saved).includes(`-${(t.taskId as string).slice(0, 6)}-${o.index + 1}`), basename(saved));
        if (job.kind === 'text') {
          assert.match(saved, /\.json$/);
          assert.deepEqual(JSON.parse(readFileSync(saved, 'utf8')), JSON.parse(o.text as string));
        } else {
          assert.equal(kindOfFile(saved), job.kind, saved);
          const served = await servedBytes(s, o.url);
          assert.ok(served, 'the simulator knows the file');
          assert.ok(Buffer.from(served).equals(readFileSync(saved)), `${saved} is byte-identical to what was served`);
        }
        assert.equal(o.recordPath, `${saved}.json`);
        const rec = JSON.parse(readFileSync(o.recordPath as string, 'utf8'));
        assert.equal(rec.model, job.model);
        assert.equal(rec.taskId, t.taskId);
        assert.deepEqual(rec.input, t.sentInput);
        assert.equal(rec.estimatedCredits, t.estimatedCredits);
        assert.equal(rec.output.index, o.index);
        assert.ok(rec.times.created && rec.times.submitted && rec.times.completed && rec.times.saved);
        if (job.kind !== 'text') assert.equal(rec.sourceUrl, o.url);
        expectedFiles.push(saved, `${saved}.json`);
      }
    }
    // The upload: sent first, its URL used in the create.
    const stt = done.find((r) => r.model === 'elevenlabs/speech-to-text') as TaskRecord;
    assert.equal(stt.uploads.length, 1);
    assert.equal(stt.uploads[0].path, wav);
    assert.equal(stt.sentInput?.audio_url, stt.uploads[0].url);
    assert.equal(s.received.filter((r) => r.origin === 'upload').length, 1);
    // Exactly the finished files are visible; nothing partial is left.
    assert.deepEqual(visibleFiles(assets), expectedFiles.map((f) => f.slice(assets.length + 1)).sort());
    assert.deepEqual(readdirSync(join(assets, '.kie-partial')), []);
    // The key never went to the file host.
    assert.equal(s.state.fileAuthorizationSeen, 0);
    assert.ok(s.received.filter((r) => r.origin === 'file').every((r) => !r.hadAuthorization));
    assert.equal(creates(s).length, jobs.length);
    // Events for hosts.
    const count = (type: string) => events.filter((e) => e.type === type).length;
    assert.equal(count('added'), jobs.length);
    assert.equal(count('finished'), jobs.length);
    assert.equal(count('output-saved'), jobs.reduce((n, j) => n + j.outputs, 0));
    assert.ok(count('changed') >= jobs.length);
    const saved = events.find((e) => e.type === 'output-saved');
    assert.ok(saved && saved.type === 'output-saved' && saved.output.savedPath && saved.task.id);
    await engine.dispose();
  });

  it('refuses invalid input before sending anything, with every problem per field', async () => {
    s.reset();
    const root = tempDir('invalid');
    const engine = engineFor(s, join(root, '.state'));
    await engine.start();
    const cases: { model: string; input: Record<string, unknown>; fields: string[] }[] = [
      { model: 'google/nano-banana', input: { prompt: 'x', aspect_ratio: 'nope', colour: 'red' }, fields: ['aspect_ratio', 'colour'] },
      { model: 'topaz/image-upscale', input: { upscale_factor: '2' }, fields: ['image_url'] },
      { model: 'topaz/image-upscale', input: { image_url: 'missing.png', upscale_factor: '2' }, fields: ['image_url'] },
      { model: 'no/such-model', input: {}, fields: ['model'] },
    ];
    const big = join(root, 'huge.png');
    writeFileSync(big, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    truncateSync(big, 101 * 1024 * 1024); // sparse: 101 MB without writing them
    cases.push({ model: 'topaz/image-upscale', input: { image_url: big, upscale_factor: '2' }, fields: ['image_url'] });
    const wav = localWav(root);
    cases.push({ model: 'topaz/image-upscale', input: { image_url: wav, upscale_factor: '2' }, fields: ['image_url'] });
    cases.push({ model: 'elevenlabs/speech-to-text', input: { audio_url: localPng(root) }, fields: ['audio_url'] });
    for (const c of cases) {
      const err = await engine.submit({ model: c.model, input: c.input, destination: { root } }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof InputError, `${c.model} ${JSON.stringify(c.input)}: ${err}`);
      for (const f of c.fields) assert.ok(err.issues.some((i) => i.field.includes(f)), `${f} in ${JSON.stringify(err.issues)}`);
    }
    const tooBig = await engine.submit({ model: 'topaz/image-upscale', input: { image_url: big, upscale_factor: '2' }, destination: { root } }).catch((e: InputError) => e);
    assert.match((tooBig as InputError).issues[0].message, /100 MB/);
    const wrongType = await engine.submit({ model: 'topaz/image-upscale', input: { image_url: wav, upscale_factor: '2' }, destination: { root } }).catch((e: InputError) => e);
    assert.match((wrongType as InputError).issues[0].message, /not a supported image file/);
    assert.equal(s.received.length, 0, 'no HTTP request at all');
    assert.equal(engine.list().length, 0, 'nothing journalled');
    await engine.dispose();
  });

  it('refreshes expired result links through Kie, without ever sending the key to the file host', async () => {
    s.reset();
    const root = tempDir('expired');
    const engine = engineFor(s, join(root, '.state'));
    s.faults.add({ endpoint: 'createTask', kind: 'expired', times: 1 });
    const a = await engine.submit({ model: 'google/nano-banana', input: { prompt: 'born expired' }, destination: { root } });
    await engine.idle();
    s.faults.add({ endpoint: 'file', kind: 'expired', times: 1 });
    const b = await engine.submit({ model: 'google/nano-banana', input: { prompt: 'expires on first fetch' }, destination: { root } });
    await engine.idle();
    for (const id of [a.id, b.id]) {
      const t = engine.get(id) as TaskRecord;
      assert.equal(t.state, 'succeeded', JSON.stringify(t.error));
      assert.ok(t.outputs[0].downloadUrl && t.outputs[0].downloadUrl !== t.outputs[0].url, 'a fresh link was used');
      assert.equal(kindOfFile(t.outputs[0].savedPath as string), 'image');
    }
    assert.ok(s.received.filter((r) => r.path === '/api/v1/common/download-url').length >= 2);
    assert.equal(s.state.fileAuthorizationSeen, 0);
    await engine.dispose();
  });

  it('keeps names inside the assets folder whatever prompt, pattern or folder say, and never overwrites', async () => {
    s.reset();
    const root = tempDir('names');
    const engine = engineFor(s, join(root, '.state'));
    const destination = { root, assetsFolder: '../../outside', pattern: '../../{prompt}' };
    const assets = join(root, 'outside');
    mkdirSync(join(assets, 'image'), { recursive: true });
    writeFileSync(join(assets, 'image', 'etc-passwd.png'), 'mine');
    const input = { ...catalog.require('google/nano-banana').example, prompt: '../../etc/passwd', output_format: 'png' };
    await Promise.all([1, 2, 3].map(() => engine.submit({ model: 'google/nano-banana', input, destination })));
    await engine.idle();
    assert.deepEqual(byState(engine.list()), { succeeded: 3 });
    assert.equal(readFileSync(join(assets, 'image', 'etc-passwd.png'), 'utf8'), 'mine', 'the existing file is untouched');
    assert.deepEqual(visibleFiles(assets), [
      'image/etc-passwd-2.png', 'image/etc-passwd-2.png.json', 'image/etc-passwd-3.png', 'image/etc-passwd-3.png.json',
      'image/etc-passwd-4.png', 'image/etc-passwd-4.png.json', 'image/etc-passwd.png',
    ]);
    assert.equal(existsSync(join(root, '..', 'etc')), false);
    await engine.dispose();
  });

  it('marks a create whose answer was lost as unknown, never sends it again, and retries only when asked', async () => {
    s.reset();
    const root = tempDir('unknown');
    const storage = join(root, '.state');
    const engine = engineFor(s, storage);
    s.faults.add({ endpoint: 'createTask', kind: 'reset', times: 1 });
    const t = await engine.submit({ model: 'google/nano-banana', input: { prompt: 'lost answer' }, destination: { root } });
    assert.equal(t.state, 'unknown');
    assert.equal(t.error?.code, 'outcome-unknown');
    assert.match(t.error?.message ?? '', /not sent again/);
    await engine.idle();
    await engine.dispose();
    const again = engineFor(s, storage);
    await again.start();
    await again.idle();
    assert.equal(again.get(t.id)?.state, 'unknown');
    assert.equal(creates(s).length, 1, 'not re-sent at restart');
    const retried = await again.retry(t.id);
    assert.equal(retried.retryOf, t.id);
    await again.idle();
    assert.equal(again.get(retried.id)?.state, 'succeeded');
    assert.equal(creates(s).length, 2);
    await again.dispose();
  });

  it('stops watching, removes, clears finished tasks and resumes unfinished ones at start', async () => {
    s.reset();
    const root = tempDir('manage');
    const storage = join(root, '.state');
    const engine = engineFor(s, storage);
    const events: EngineEvent[] = [];
    engine.onEvent((e) => events.push(e));
    const slow = await engine.submit({ model: 'veo3_fast', input: { prompt: 'a slow boat', aspectRatio: '16:9' }, destination: { root } });
    const quick = await engine.submit({ model: 'google/nano-banana', input: { prompt: 'quick' }, destination: { root } });
    engine.stopWatching(slow.id);
    assert.equal(engine.get(slow.id)?.state, 'stopped');
    await new Promise((r) => setTimeout(r, 100)); // a call already on the wire may still arrive
    const polledBefore = statuses(s).filter((r) => r.query.taskId === slow.taskId).length;
    await engine.idle();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(statuses(s).filter((r) => r.query.taskId === slow.taskId).length, polledBefore, 'no status call after stopWatching');
    engine.remove('no-such-id'); // a no-op
    engine.remove(quick.id);
    assert.ok(events.some((e) => e.type === 'removed' && e.id === quick.id));
    assert.equal(engine.get(quick.id), undefined);
    assert.equal(engine.clearFinished(), 1);
    assert.equal(engine.list().length, 0);

    // Resume: a task still running when the engine goes away is finished by the next one.
    const resumed = await engine.submit({ model: 'suno/generate', input: catalog.require('suno/generate').example, destination: { root } });
    assert.throws(() => engine.remove(resumed.id), /still running/);
    await engine.dispose();
    assert.equal(readFileSync(join(storage, 'journal.json'), 'utf8').includes(resumed.id), true);
    const next = engineFor(s, storage);
    await next.start();
    await next.idle();
    assert.equal(next.get(resumed.id)?.state, 'succeeded');
    assert.equal(creates(s).filter((c) => c.path === '/api/v1/generate').length, 1);
    await next.dispose();
  });

  it('starts from the previous good journal when the journal is damaged', async () => {
    s.reset();
    const root = tempDir('corrupt');
    const storage = join(root, '.state');
    const engine = engineFor(s, storage);
    const first = await engine.submit({ model: 'google/nano-banana', input: { prompt: 'one' }, destination: { root } });
    await engine.idle();
    await engine.dispose();
    writeFileSync(join(storage, 'journal.json'), '{"version":1,"tasks":[{"id":"x"'); // torn
    const logs: string[] = [];
    const next = engineFor(s, storage, {}, (m) => logs.push(m));
    await next.start();
    assert.ok(next.list().some((t) => t.id === first.id), 'tasks from the previous copy are there');
    assert.ok(logs.some((l) => /damaged/.test(l)));
    const second = await next.submit({ model: 'google/nano-banana', input: { prompt: 'two' }, destination: { root } });
    await next.idle();
    assert.equal(next.get(second.id)?.state, 'succeeded');
    await next.dispose();
  });
});
