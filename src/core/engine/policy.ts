/**
 * When to look at a task again. The duration of a task is modelled as a log-normal distribution
 * (from the model's prior, sharpened by durations learnt from finished tasks, and re-centred on
 * the progress Kie reports). We poll every `targetLagMs` inside the window where the task most
 * likely finishes (between the `windowLow` and `windowHigh` quantiles) and sparsely outside it:
 * a single look at the window's start, and intervals that grow in the long tail.
 */

export interface DurationPrior {
  /** Seconds. */
  median: number;
  /** Seconds. */
  p90: number;
}

export interface LearntDuration extends DurationPrior {
  /** How many finished tasks it is learnt from. */
  n: number;
}

export interface PollPolicyOptions {
  /** Interval inside the likely window: the detection lag we aim for there. */
  targetLagMs: number;
  minIntervalMs: number;
  maxIntervalMs: number;
  /** Quantiles bounding the likely window. */
  windowLow: number;
  windowHigh: number;
  /** After the window, the interval grows by this fraction of the time spent past it. */
  tailGrowth: number;
  /** Weight of learnt durations: n / (n + learnWeight). */
  learnWeight: number;
  /** Spread (log-normal sigma) of the finish time predicted from reported progress. */
  progressSigma: number;
}

export const DEFAULT_POLICY: PollPolicyOptions = {
  targetLagMs: 1500,
  minIntervalMs: 1000,
  maxIntervalMs: 30_000,
  windowLow: 0.03,
  windowHigh: 0.96,
  tailGrowth: 0.2,
  learnWeight: 3,
  progressSigma: 0.3,
};

export interface PollState {
  /** Time since the create was answered. */
  elapsedMs: number;
  prior: DurationPrior;
  learnt?: LearntDuration;
  /** Last progress Kie reported (0..1) and when (elapsed ms). */
  progress?: number;
  progressAtMs?: number;
}

const Z90 = 1.2815515655446004;

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

export interface LogNormal {
  /** ln of the median (seconds). */
  mu: number;
  sigma: number;
}

export function logNormalOf(d: DurationPrior): LogNormal {
  const median = Math.max(0.1, d.median);
  const p90 = Math.max(median * 1.05, d.p90);
  return { mu: Math.log(median), sigma: clamp(Math.log(p90 / median) / Z90, 0.08, 1.5) };
}

export function quantileSeconds(dist: LogNormal, q: number): number {
  return Math.exp(dist.mu + dist.sigma * normalQuantile(q));
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** The prior sharpened by what finished tasks of the same model took. */
export function blendedDistribution(prior: DurationPrior, learnt: LearntDuration | undefined, learnWeight: number): LogNormal {
  const p = logNormalOf(prior);
  if (!learnt || learnt.n < 2) return p;
  const l = logNormalOf(learnt);
  // Few samples say little about the spread: keep it wide until there are more.
  l.sigma = Math.max(l.sigma, 0.12 + 0.6 / Math.sqrt(learnt.n));
  const w = learnt.n / (learnt.n + learnWeight);
  return { mu: (1 - w) * p.mu + w * l.mu, sigma: (1 - w) * p.sigma + w * l.sigma };
}

/** The distribution of the finish time, given everything known so far. */
export function finishDistribution(state: PollState, o: PollPolicyOptions): LogNormal {
  const base = blendedDistribution(state.prior, state.learnt, o.learnWeight);
  const p = state.progress;
  const at = state.progressAtMs;
  if (p === undefined || at === undefined || !(p >= 0.05 && p <= 0.98) || at <= 0) return base;
  // Progress is roughly linear in time since the create: predict the total from it.
  const predicted = Math.max(at / 1000 / p, state.elapsedMs / 1000 + o.targetLagMs / 1000);
  return { mu: Math.log(predicted), sigma: Math.min(base.sigma, o.progressSigma) };
}

/** Milliseconds from now until the next status call for a task. */
export function nextPollDelay(state: PollState, options: Partial<PollPolicyOptions> = {}): number {
  const o = { ...DEFAULT_POLICY, ...options };
  const dist = finishDistribution(state, o);
  const t = state.elapsedMs;
  const lag = clamp(o.targetLagMs, o.minIntervalMs, o.maxIntervalMs);
  const start = quantileSeconds(dist, o.windowLow) * 1000;
  const end = quantileSeconds(dist, o.windowHigh) * 1000;
  let delay: number;
  if (t < start - lag) delay = start - t; // one look where the window opens
  else if (t <= end) delay = lag;
  else delay = lag + o.tailGrowth * (t - end);
  return Math.round(clamp(delay, o.minIntervalMs, o.maxIntervalMs));
}

/** Durations of finished tasks, per model (the most recent ones count). */
export class DurationStats {
  private readonly byModel = new Map<string, number[]>();

  constructor(private readonly keep = 50) {}

  learn(model: string, seconds: number): void {
    if (!(seconds > 0) || !Number.isFinite(seconds)) return;
    const list = this.byModel.get(model) ?? [];
    list.push(seconds);
    if (list.length > this.keep) list.splice(0, list.length - this.keep);
    this.byModel.set(model, list);
  }

  get(model: string): LearntDuration | undefined {
    const list = this.byModel.get(model);
    if (!list?.length) return undefined;
    const sorted = [...list].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return { median: at(0.5), p90: at(0.9), n: sorted.length };
  }
}
