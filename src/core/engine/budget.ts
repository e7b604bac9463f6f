import type { Clock } from './clock';

export interface TokenBucketOptions {
  /** Tokens in the bucket: at most this many grants in any window. */
  limit: number;
  /** A spent token comes back this long after it was spent. */
  windowMs: number;
  clock: Clock;
}

/** One spent token: counted in the window from `at`. */
export interface Grant {
  at: number;
}

interface Waiter {
  resolve: (grant: Grant) => void;
  reject: (err: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * A token bucket whose tokens return one window after they are spent (a sliding-window log).
 * It guarantees at most `limit` grants in ANY window of `windowMs`, which is how Kie counts
 * (it rejects, and does not queue, requests over the limit). Waiters are served first come,
 * first served. `pauseUntil` stops all grants for a while (429 with Retry-After, server trouble).
 */
export class TokenBucket {
  readonly limit: number;
  readonly windowMs: number;
  private readonly clock: Clock;
  /** Grants still inside the window, oldest first. */
  private grants: Grant[] = [];
  private waiters: Waiter[] = [];
  private timer: unknown;
  private timerAt = Infinity;
  private pausedUntil = 0;
  private disposed = false;
  /** Every grant ever made (for tests and the benchmark). */
  granted = 0;

  constructor(options: TokenBucketOptions) {
    if (!(options.limit >= 1)) throw new Error(`A token bucket needs a limit of at least 1, got ${options.limit}`);
    this.limit = Math.floor(options.limit);
    this.windowMs = options.windowMs;
    this.clock = options.clock;
  }

  private prune(now: number): void {
    let drop = 0;
    while (drop < this.grants.length && this.grants[drop].at + this.windowMs <= now) drop++;
    if (drop) this.grants.splice(0, drop);
  }

  /** When the next token can be granted (now if one is free). */
  nextFreeAt(now = this.clock.now()): number {
    this.prune(now);
    const byWindow = this.grants.length < this.limit ? now : this.grants[this.grants.length - this.limit].at + this.windowMs;
    return Math.max(byWindow, this.pausedUntil);
  }

  /** Takes a token now if one is free and nobody is queued before us. */
  tryTake(): Grant | undefined {
    const now = this.clock.now();
    if (this.disposed || this.waiters.length || this.nextFreeAt(now) > now) return undefined;
    return this.grant(now);
  }

  /** Resolves with a grant when a token is free. */
  take(signal?: AbortSignal): Promise<Grant> {
    const now = this.tryTake();
    if (now) return Promise.resolve(now);
    return new Promise<Grant>((resolve, reject) => {
      if (this.disposed) return reject(new Error('The request budget was disposed.'));
      if (signal?.aborted) return reject(signal.reason);
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(signal.reason);
          this.arm();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
      this.arm();
    });
  }

  /**
   * Counts a grant from now instead of from when it was granted: for a call that had to do
   * something first (a create waits for the journal), so the window starts when it really leaves.
   */
  restamp(grant: Grant): void {
    const i = this.grants.indexOf(grant);
    if (i < 0) return;
    this.grants.splice(i, 1);
    grant.at = Math.max(grant.at, this.clock.now());
    this.grants.push(grant); // now is the latest time: the list stays in order
  }

  /** Gives back a token taken but not used (the most recent one by default). */
  refund(grant?: Grant): void {
    const i = grant ? this.grants.indexOf(grant) : this.grants.length - 1;
    if (i >= 0) {
      this.grants.splice(i, 1);
      this.granted = Math.max(0, this.granted - 1);
    }
    this.pump();
  }

  /** No grants before `at` (e.g. Kie's Retry-After). Never shortens an earlier pause. */
  pauseUntil(at: number): void {
    if (at <= this.pausedUntil) return;
    this.pausedUntil = at;
    this.arm(true);
  }

  get paused(): boolean {
    return this.pausedUntil > this.clock.now();
  }

  get queued(): number {
    return this.waiters.length;
  }

  /** Grants in the current window. */
  inWindow(now = this.clock.now()): number {
    this.prune(now);
    return this.grants.length;
  }

  private grant(now: number): Grant {
    const g = { at: now };
    this.grants.push(g);
    this.granted++;
    return g;
  }

  private pump(): void {
    const now = this.clock.now();
    while (this.waiters.length && this.nextFreeAt(now) <= now) {
      const w = this.waiters.shift() as Waiter;
      if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
      w.resolve(this.grant(now));
    }
    this.arm();
  }

  private arm(force = false): void {
    if (this.disposed) return;
    if (!this.waiters.length) {
      if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = Infinity;
      return;
    }
    const at = this.nextFreeAt();
    if (this.timer !== undefined && !force && this.timerAt <= at) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pump();
    }, Math.max(0, at - this.clock.now()));
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const err = new Error('The request budget was disposed.');
    for (const w of this.waiters.splice(0)) {
      if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
      w.reject(err);
    }
  }
}
