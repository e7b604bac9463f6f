// Every fault the simulator can inject, across 120 tasks: each task must end succeeded, failed
// with a reason, or "unknown" (a create whose answer was lost), and what was saved must be
// byte-identical to what the simulator served.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FaultInit, Simulator } from '../../src/simulator/index';
import { encodeWav } from '../../src/simulator/media/wav';
import { byState, catalog, creates, engineFor, servedBytes, sim, tempDir, visibleFiles } from './helpers';

const FAULTS: FaultInit[] = [
  { endpoint: 'createTask', kind: 'reset', probability: 0.04 },
  { endpoint: 'createTask', kind: 'http', status: 502, probability: 0.04 },
  { endpoint: 'createTask', kind: 'rate-limit', retryAfterSec: 0.2, probability: 0.04 },
  { endpoint: 'createTask', kind: 'maintenance', probability: 0.03 },
  { endpoint: 'createTask', kind: 'code', code: 550, probability: 0.03 },
  { endpoint: 'createTask', kind: 'malformed', probability: 0.03 },
  { endpoint: 'createTask', kind: 'truncate', probability: 0.02 },
  { endpoint: 'createTask', kind: 'stall', probability: 0.015 },
  { endpoint: 'createTask', kind: 'task-fail', probability: 0.08 },
  { endpoint: 'createTask', kind: 'expired', probability: 0.06 },
  { endpoint: 'recordInfo', kind: 'http', status: 500, probability: 0.06 },
  { endpoint: 'recordInfo', kind: 'rate-limit', retryAfterSec: 0.1, probability: 0.04 },
  { endpoint: 'recordInfo', kind: 'maintenance', probability: 0.03 },
  { endpoint: 'recordInfo', kind: 'code', code: 500, probability: 0.03 },
  { endpoint: 'recordInfo', kind: 'reset', probability: 0.04 },
  { endpoint: 'recordInfo', kind: 'truncate', probability: 0.03 },
  { endpoint: 'recordInfo', kind: 'malformed', probability: 0.03 },
  { endpoint: 'recordInfo', kind: 'stall', probability: 0.01 },
  { endpoint: 'download-url', kind: 'http', status: 503, probability: 0.1 },
  { endpoint: 'download-url', kind: 'reset', probability: 0.05 },
  { endpoint: 'file', kind: 'truncate', probability: 0.1 },
  { endpoint: 'file', kind: 'reset', probability: 0.05 },
  { endpoint: 'file', kind: 'http', status: 503, probability: 0.05 },
  { endpoint: 'file', kind: 'expired', probability: 0.05 },
  { endpoint: 'file', kind: 'stall', probability: 0.02 },
  { endpoint: 'upload', kind: 'reset', probability: 0.15 },
  { endpoint: 'upload', kind: 'http', status: 500, probability: 0.1 },
];

const MODELS = ['google/nano-banana', 'elevenlabs/text-to-speech-multilingual-v2', 'bytedance/v1-lite-text-to-video', 'suno/generate', 'grok-imagine/text-to-image'];

let s: Simulator;
before(async () => {
  s = await sim({ seed: 7, faults: FAULTS });
});
after(() => s.stop());

describe('engine under faults', () => {
  it('ends 130 tasks succeeded, failed with a reason, or reported unknown; never re-creates; saves exact bytes', async () => {
    const root = tempDir('faults');
    const engine = engineFor(s, join(root, '.state'), { downloadTimeoutMs: 800 });
    await engine.start();
    const wav = join(root, 'voice.wav');
    writeFileSync(wav, encodeWav(new Int16Array(4000).map((_, i) => Math.round(Math.sin(i / 7) * 5000)), 8000));
    const n = 130;
    const submitted = await Promise.all(Array.from({ length: n }, (_, i) => {
      // Ten tasks upload a local file first (and meet upload faults).
      if (i >= 120) return engine.submit({ model: 'elevenlabs/speech-to-text', input: { audio_url: wav, language_code: `l${i}` }, destination: { root } });
      const model = MODELS[i % MODELS.length];
      const example = catalog.require(model).example;
      const input = 'prompt' in example ? { ...example, prompt: `task ${i}: ${example.prompt}` } : { ...example, text: `task ${i}: ${example.text}` };
      return engine.submit({ model, input, destination: { root } });
    }));
    assert.equal(submitted.length, n);
    await engine.idle();
    const tasks = engine.list();
    const states = byState(tasks);
    if (process.env.KIE_DEBUG) console.log(states, tasks.filter((t) => t.error).map((t) => `${t.state} ${t.error?.code}: ${t.error?.message}`));
    assert.equal(tasks.length, n);
    assert.equal((states.succeeded ?? 0) + (states.failed ?? 0) + (states.unknown ?? 0), n, JSON.stringify(states));
    for (const t of tasks) {
      if (t.state === 'failed') assert.ok(t.error?.message && t.error.code, `${t.id} failed without a reason`);
      if (t.state === 'unknown') {
        assert.equal(t.error?.code, 'outcome-unknown');
        assert.ok(t.createSentAt && !t.taskId);
      }
    }
    // Some of everything happened (seeded): the faults really were exercised.
    assert.ok((states.succeeded ?? 0) >= n * 0.5, JSON.stringify(states));
    assert.ok((states.failed ?? 0) >= 5, JSON.stringify(states));
    assert.ok((states.unknown ?? 0) >= 2, JSON.stringify(states));
    assert.ok(tasks.some((t) => t.state === 'failed' && /content policies/i.test(t.error?.message ?? '')), 'task-fail reasons reach the record');
    // One create call per task, never more (none for tasks whose upload failed).
    const uploadFailed = tasks.filter((t) => t.error?.code === 'upload-failed').length;
    assert.ok(uploadFailed >= 1 && uploadFailed < 10, `${uploadFailed} uploads failed`);
    assert.equal(creates(s).length, n - uploadFailed);
    // Exact bytes for every saved output.
    let files = 0;
    for (const t of tasks.filter((x) => x.state === 'succeeded')) {
      for (const o of t.outputs) {
        if (o.text !== undefined) {
          assert.equal(readFileSync(o.savedPath as string, 'utf8'), o.text);
          files++;
          continue;
        }
        const served = await servedBytes(s, o.url);
        assert.ok(served && Buffer.from(served).equals(readFileSync(o.savedPath as string)), `${o.savedPath} differs from what was served`);
        files++;
      }
    }
    const assets = join(root, 'assets');
    assert.equal(visibleFiles(assets).length, files * 2, 'only finished files and their records are visible');
    assert.deepEqual(readdirSync(join(assets, '.kie-partial')), []);
    assert.equal(s.state.fileAuthorizationSeen, 0);
    await engine.dispose();
  });
});
