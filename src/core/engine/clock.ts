/**
 * Time as the engine sees it. The real clock is the default; the benchmark and tests pass a
 * VirtualClock so the real scheduler policy runs in simulated time.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms)),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Sleeps on a clock; rejects with the signal's reason when aborted. */
export function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(signal?.reason ?? new Error('aborted'));
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface VirtualTimer {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * A clock whose time only moves when told to. `run()` fires timers in order, letting promise
 * chains settle between them, so async code driven by timers behaves as it would in real time.
 */
export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: VirtualTimer[] = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: ++this.seq, at: this.time + Math.max(0, ms), fn };
    // Keep the list sorted by (at, id): binary search for the insertion point.
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = this.timers[mid];
      if (t.at < timer.at || (t.at === timer.at && t.id < timer.id)) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    const i = this.timers.findIndex((t) => t.id === handle);
    if (i >= 0) this.timers.splice(i, 1);
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Lets pending promise callbacks run (a macrotask turn). */
  static settle(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  /** Fires every timer due up to `until` (or until none is left), in time order. */
  async run(until = Infinity): Promise<void> {
    await VirtualClock.settle();
    while (this.timers.length && this.timers[0].at <= until) {
      const timer = this.timers.shift() as VirtualTimer;
      this.time = Math.max(this.time, timer.at);
      timer.fn();
      await VirtualClock.settle();
    }
    if (until !== Infinity) this.time = Math.max(this.time, until);
  }
}
