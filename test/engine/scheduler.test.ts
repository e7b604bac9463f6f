import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DurationStats, nextPollDelay, PollScheduler, quantileSeconds, blendedDistribution, TokenBucket, VirtualClock, type PollOutcome,
} from '../../src/core/engine/index';
import { KieError } from '../../src/core/kie/errors';
import { peakPerWindow as peak } from '../../bench/stats';


describe('token bucket', () => {
  it('never grants more than its limit in any window, first come first served', async () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket({ limit: 10, windowMs: 1000, clock });
    const grants: number[] = [];
    const order: number[] = [];
    for (let i = 0; i < 95; i++) void bucket.take().then(() => { grants.push(clock.now()); order.push(i); });
    await clock.run();
    assert.equal(grants.length, 95);
    assert.equal(peak(grants, 1000), 10);
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
    assert.equal(clock.pending, 0, 'no timer left');
  });

  it('counts a restamped grant from when the call really left', async () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket({ limit: 2, windowMs: 1000, clock });
    const a = await bucket.take();
    await bucket.take();
    await clock.run(400);
    bucket.restamp(a); // a's request left only now (400)
    const times: number[] = [];
    void bucket.take().then(() => times.push(clock.now()));
    void bucket.take().then(() => times.push(clock.now()));
    await clock.run();
    assert.deepEqual(times, [1000, 1400], "a's slot frees one window after its request left, not after the grant");
  });

  it('pauses for Retry-After', async () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket({ limit: 5, windowMs: 1000, clock });
    bucket.pauseUntil(2500);
    let at = -1;
    void bucket.take().then(() => { at = clock.now(); });
    await clock.run();
    assert.equal(at, 2500);
  });
});

describe('poll policy', () => {
  const prior = { median: 20, p90: 60 };
  it('waits for the likely window, then polls at the target lag, then backs off in the tail', () => {
    const first = nextPollDelay({ elapsedMs: 0, prior });
    const start = quantileSeconds(blendedDistribution(prior, undefined, 3), 0.03) * 1000;
    assert.ok(Math.abs(first - start) < 5, `first look at ${first} ms, window opens at ${start}`);
    assert.equal(nextPollDelay({ elapsedMs: 20_000, prior }), 1500);
    const tail = nextPollDelay({ elapsedMs: 400_000, prior });
    assert.ok(tail > 10_000 && tail <= 30_000, `tail interval ${tail}`);
  });

  it('learns from finished tasks: a fast model is looked at sooner', () => {
    const stats = new DurationStats();
    for (let i = 0; i < 20; i++) stats.learn('m', 6 + (i % 5) * 0.2);
    const learnt = stats.get('m');
    assert.equal(learnt?.n, 20);
    const withPrior = nextPollDelay({ elapsedMs: 0, prior: { median: 60, p90: 180 } });
    const withLearnt = nextPollDelay({ elapsedMs: 0, prior: { median: 60, p90: 180 }, learnt });
    assert.ok(withLearnt < withPrior / 2, `${withLearnt} vs ${withPrior}`);
    // Past where this model finishes, it backs off more quickly than the prior alone would.
    assert.ok(nextPollDelay({ elapsedMs: 30_000, prior: { median: 60, p90: 180 }, learnt }) > 1500);
  });

  it('uses reported progress: far from done means a longer wait', () => {
    const prior = { median: 120, p90: 360 };
    const early = nextPollDelay({ elapsedMs: 30_000, prior, progress: 0.1, progressAtMs: 30_000 });
    const late = nextPollDelay({ elapsedMs: 90_000, prior, progress: 0.9, progressAtMs: 90_000 });
    assert.equal(early, 30_000, 'predicted finish far away: one look at the longest interval');
    assert.equal(late, 1500);
  });
});

describe('poll scheduler', () => {
  it('keeps every status call within the budget however many tasks are live, and leaves no timer', async () => {
    const clock = new VirtualClock();
    const budget = new TokenBucket({ limit: 10, windowMs: 1000, clock });
    const calls: number[] = [];
    const finishAt = new Map<string, number>();
    const noticed = new Map<string, number>();
    const scheduler = new PollScheduler({
      clock, budget,
      poll: async (id): Promise<PollOutcome> => {
        calls.push(clock.now());
        if (clock.now() >= (finishAt.get(id) as number)) {
          noticed.set(id, clock.now());
          return { done: true, durationMs: clock.now() };
        }
        return {};
      },
    });
    for (let i = 0; i < 300; i++) {
      finishAt.set(`t${i}`, 5000 + (i % 30) * 1000);
      scheduler.add({ id: `t${i}`, model: 'm', prior: { median: 20, p90: 60 }, submittedAt: 0 });
    }
    await clock.run();
    assert.equal(noticed.size, 300);
    assert.equal(scheduler.size, 0);
    assert.ok(peak(calls, 1000) <= 10, `peak ${peak(calls, 1000)}`);
    assert.equal(clock.pending, 0, 'no timers when nothing is live');
    assert.equal(scheduler.armed, false);
  });

  it('backs off on 429 (honouring Retry-After) and on server errors', async () => {
    const clock = new VirtualClock();
    const budget = new TokenBucket({ limit: 10, windowMs: 1000, clock });
    const calls: number[] = [];
    let n = 0;
    const scheduler = new PollScheduler({
      clock, budget, policy: { minIntervalMs: 100, targetLagMs: 100 },
      poll: async () => {
        calls.push(clock.now());
        n++;
        if (n === 1) return { error: new KieError({ kind: 'rate-limit', message: 'slow down', retryAfterMs: 7000 }) };
        if (n <= 4) return { error: new KieError({ kind: 'server', message: 'boom' }) };
        return { done: true };
      },
    });
    scheduler.add({ id: 'a', model: 'm', prior: { median: 1, p90: 2 }, submittedAt: 0 }, 0);
    await clock.run();
    assert.equal(calls.length, 5);
    assert.ok(calls[1] - calls[0] >= 7000, `second call ${calls[1] - calls[0]} ms after the 429`);
    const gaps = calls.slice(2).map((t, i) => t - calls[i + 1]);
    assert.ok(gaps[0] >= 700 && gaps[1] >= 1400 && gaps[2] >= 2800, `gaps ${gaps}`);
  });

  it('drops its wait for a token (and the timer) when the last task goes during a long pause', async () => {
    const clock = new VirtualClock();
    const budget = new TokenBucket({ limit: 10, windowMs: 1000, clock });
    const scheduler = new PollScheduler({ clock, budget, poll: async () => ({}) });
    budget.pauseUntil(60_000);
    scheduler.add({ id: 'a', model: 'm', prior: { median: 1, p90: 2 }, submittedAt: 0 }, 0);
    await clock.run(10);
    assert.equal(budget.queued, 1);
    scheduler.remove('a');
    await clock.run(20);
    assert.equal(budget.queued, 0);
    assert.equal(clock.pending, 0);
  });

  it('stops polling a removed task at once', async () => {
    const clock = new VirtualClock();
    const budget = new TokenBucket({ limit: 10, windowMs: 1000, clock });
    let calls = 0;
    const scheduler = new PollScheduler({ clock, budget, poll: async () => { calls++; return {}; } });
    scheduler.add({ id: 'a', model: 'm', prior: { median: 20, p90: 60 }, submittedAt: 0 });
    await clock.run(30_000);
    const before = calls;
    assert.ok(before > 3);
    scheduler.remove('a');
    await clock.run(120_000);
    assert.equal(calls, before);
    assert.equal(clock.pending, 0);
  });
});
