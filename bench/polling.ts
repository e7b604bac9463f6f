// Runs the engine's real scheduler (PollScheduler + TokenBucket + policy) on the workload in
// virtual time, and fixed-interval pollers on the same workload, and measures them.
import { Catalog } from '../src/core/catalog/catalog';
import { DurationStats, PollScheduler, sleepOn, TokenBucket, VirtualClock, type PollPolicyOptions } from '../src/core/engine/index';
import { interpolate, peakPerWindow, quantile } from './stats';
import { progressAt, type WorkTask } from './workload';

/** Round trip of one status call (the answer describes the task when the request arrived). */
export const LATENCY_MS = 120;

export interface PollerResult {
  name: string;
  requests: number;
  p50LagMs: number;
  p95LagMs: number;
  peakPerSecond: number;
  imageP95LagMs: number;
  lagByCategory: Record<string, { p50: number; p95: number; n: number }>;
}

function summarise(name: string, tasks: WorkTask[], lags: Map<string, number>, callTimes: number[]): PollerResult {
  const all = tasks.map((t) => lags.get(t.id) as number);
  const byCategory: PollerResult['lagByCategory'] = {};
  for (const c of ['image', 'video', 'audio']) {
    const l = tasks.filter((t) => t.spec.category === c).map((t) => lags.get(t.id) as number);
    byCategory[c] = { p50: quantile(l, 0.5), p95: quantile(l, 0.95), n: l.length };
  }
  return {
    name, requests: callTimes.length, p50LagMs: quantile(all, 0.5), p95LagMs: quantile(all, 0.95), peakPerSecond: peakPerWindow(callTimes, 1000),
    imageP95LagMs: byCategory.image.p95, lagByCategory: byCategory,
  };
}

/** A poller that looks at every task every `intervalMs` from its create, without any limit. */
export function fixedPoller(tasks: WorkTask[], intervalMs: number): PollerResult {
  const calls: number[] = [];
  const lags = new Map<string, number>();
  for (const t of tasks) {
    for (let at = t.start + intervalMs; ; at += intervalMs) {
      calls.push(at);
      if (at >= t.end) {
        lags.set(t.id, at + LATENCY_MS - t.end);
        break;
      }
    }
  }
  return summarise(`fixed ${intervalMs / 1000} s`, tasks, lags, calls);
}

export interface AdaptiveOptions {
  name?: string;
  statusPerSecond?: number;
  policy?: Partial<PollPolicyOptions>;
  /** Turn learning from finished tasks off (to show what it is worth). */
  noLearning?: boolean;
}

/** The engine's scheduler, in virtual time. */
export async function adaptivePoller(tasks: WorkTask[], opts: AdaptiveOptions = {}): Promise<PollerResult> {
  const catalog = new Catalog();
  const clock = new VirtualClock(0);
  const budget = new TokenBucket({ limit: opts.statusPerSecond ?? 10, windowMs: 1000 + 100, clock });
  const calls: number[] = [];
  const lags = new Map<string, number>();
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const stats = new DurationStats();
  if (opts.noLearning) stats.learn = () => undefined;
  const scheduler = new PollScheduler({
    clock, budget, stats, policy: opts.policy,
    poll: async (id) => {
      const t = byId.get(id) as WorkTask;
      const at = clock.now();
      calls.push(at);
      await sleepOn(clock, LATENCY_MS);
      if (at >= t.end) {
        lags.set(id, clock.now() - t.end);
        return { done: true, durationMs: clock.now() - t.start };
      }
      return { progress: progressAt(t, at) };
    },
  });
  for (const t of tasks) {
    const entry = catalog.require(t.spec.model);
    clock.setTimeout(() => scheduler.add({ id: t.id, model: t.spec.model, prior: entry.duration, submittedAt: clock.now() }), t.start);
  }
  await clock.run();
  if (lags.size !== tasks.length) throw new Error(`Only ${lags.size} of ${tasks.length} tasks were noticed.`);
  if (clock.pending !== 0 || scheduler.armed) throw new Error('The scheduler left timers behind.');
  return summarise(opts.name ?? 'adaptive (engine)', tasks, lags, calls);
}

export interface PollingComparison {
  ours: PollerResult;
  fixed: PollerResult[];
  extra: PollerResult[];
  fixedP95AtOurRequests: number;
  extrapolated: boolean;
  lagReduction: number;
}

export async function comparePollers(tasks: WorkTask[]): Promise<PollingComparison> {
  const ours = await adaptivePoller(tasks);
  const extra = [await adaptivePoller(tasks, { name: 'adaptive, no learning', noLearning: true })];
  const fixed = [2000, 5000, 15_000].map((ms) => fixedPoller(tasks, ms));
  const { y, extrapolated } = interpolate(fixed.map((f) => ({ x: f.requests, y: f.p95LagMs })), ours.requests);
  return { ours, fixed, extra, fixedP95AtOurRequests: y, extrapolated, lagReduction: 1 - ours.p95LagMs / y };
}
