// How long a simulated task takes: log-normal around the model's median, scaled by `speed`.
import type { ModelEntry } from '../core/catalog/types';
import { normal, type Random } from './random';

export interface TaskTiming {
  /** The simulated generation time in seconds, before `speed` (what Kie would report as costTime). */
  seconds: number;
  /** Wall-clock milliseconds the task takes in this simulator (seconds × 1000 × speed). */
  ms: number;
  /** Wall-clock milliseconds spent waiting in the queue before "generating". */
  queueMs: number;
}

const Z90 = 1.2816;

/**
 * Draws a duration whose median is `entry.duration.median` and whose 90th percentile is about
 * `entry.duration.p90`, clamped to [median / 5, 3 × p90] so a test never waits on a freak draw.
 */
export function sampleTiming(entry: ModelEntry, random: Random, speed: number): TaskTiming {
  const median = Math.max(1, entry.duration.median);
  const p90 = Math.max(median * 1.05, entry.duration.p90);
  const sigma = Math.log(p90 / median) / Z90;
  const raw = median * Math.exp(sigma * normal(random));
  const seconds = Math.min(3 * p90, Math.max(median / 5, raw));
  const ms = Math.max(0, seconds * 1000 * speed);
  return { seconds, ms, queueMs: ms * 0.15 };
}
