// Kie's limits, counted where they matter: at the (simulated) server. The simulator enforces them
// too (it answers 429 past them), so a single 429 would show up as a slowed or failed task.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index';
import { byState, catalog, creates, engineFor, peakPerWindow, sim, statuses, tempDir } from './helpers';

const SPEED = 0.02;
let s: Simulator;
before(async () => {
  s = await sim({ speed: SPEED, rateLimits: { statusPerSecond: 10, createsPer10s: 20 } });
});
after(() => s.stop());

describe('request budget', () => {
  it('keeps status calls at or under 10/s and creates at or under 20 per 10 s however many tasks are live, then stops', async () => {
    const root = tempDir('budget');
    const logs: string[] = [];
    // Kie's default limits, but a policy that would like to poll every 20 ms: the budget must hold it back.
    // The simulator runs in this process and timestamps requests when its event loop gets to them:
    // on a busy machine that squeezes calls together, so the engine keeps a wider margin here.
    const engine = engineFor(s, join(root, '.state'), {
      statusPerSecond: 10, createsPer10s: 20, windowSlackMs: 300, durationScale: SPEED, policy: { minIntervalMs: 20, targetLagMs: 20 },
    }, (m) => logs.push(m));
    await engine.start();
    const n = 23;
    const started = Date.now();
    const tasks = await Promise.all(Array.from({ length: n }, (_, i) => engine.submit({
      model: i % 2 ? 'bytedance/v1-lite-text-to-video' : 'veo3_fast',
      input: { ...catalog.require(i % 2 ? 'bytedance/v1-lite-text-to-video' : 'veo3_fast').example, prompt: `clip ${i}` },
      destination: { root },
    })));
    await engine.idle();
    assert.deepEqual(byState(engine.list()), { succeeded: n }, JSON.stringify(engine.list().map((t) => t.error)));
    const statusTimes = statuses(s).map((r) => r.at);
    const createTimes = creates(s).map((r) => r.at);
    assert.equal(createTimes.length, n);
    assert.ok(peakPerWindow(statusTimes, 1000) <= 10, `peak ${peakPerWindow(statusTimes, 1000)} status calls in 1 s`);
    assert.ok(peakPerWindow(createTimes, 10_000) <= 20, `peak ${peakPerWindow(createTimes, 10_000)} creates in 10 s`);
    assert.ok(statusTimes.length >= 30, `${statusTimes.length} status calls`);
    assert.ok(Math.max(...createTimes) - started >= 9_000, 'the creates past 20 waited for the window');
    assert.ok(!logs.some((l) => /rate limited/.test(l)), 'the simulator never had to refuse a call');
    assert.equal(tasks.length, n);
    // Nothing live: no timer, no more calls.
    assert.equal(engine.scheduler.size, 0);
    assert.equal(engine.scheduler.armed, false);
    const before = statuses(s).length;
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(statuses(s).length, before);
    await engine.dispose();
  });
});
