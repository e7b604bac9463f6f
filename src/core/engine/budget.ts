import type { Clock } from './clock';

export interface TokenBucketOptions {
  /** Tokens in the bucket: at most this many grants in any window. */
  limit: number;
  /** A spent token comes back this long after it was spent. */
  windowMs: number;
  clock: Clock;
}

interface Waiter {
  resolve: () => void;
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
  /** Times of the grants still inside the window, oldest first. */
  private grants: number[] = [];
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
    while (drop < this.grants.length && this.grants[drop] + this.windowMs <= now) drop++;
    if (drop) this.grants.splice(0, drop);
  }

  /** When the next token can be granted (now if one is free). */
  nextFreeAt(now = this.clock.now()): number {
    this.prune(now);
    const byWindow = this.grants.length < this.limit ? now : this.grants[this.grants.length - this.limit] + this.windowMs;
    return Math.max(byWindow, this.pausedUntil);
  }

  /** Takes a token now if one is free and nobody is queued before us. */
  tryTake(): boolean {
    const now = this.clock.now();
    if (this.disposed || this.waiters.length || this.nextFreeAt(now) > now) return false;
    this.grant(now);
    return true;
  }

  /** Resolves when a token is granted. */
  take(signal?: AbortSignal): Promise<void> {
    if (this.tryTake()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
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

  /** Gives back the most recent token (taken but not used). */
  refund(): void {
    this.grants.pop();
    this.granted = Math.max(0, this.granted - 1);
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

  private grant(now: number): void {
    this.grants.push(now);
    this.granted++;
  }

  private pump(): void {
    const now = this.clock.now();
    while (this.waiters.length && this.nextFreeAt(now) <= now) {
      const w = this.waiters.shift() as Waiter;
      if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
      this.grant(now);
      w.resolve();
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
