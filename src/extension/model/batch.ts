/** Timers that coalesce bursts: engine events into one tree refresh, finishes into one balance look-up. */

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Collects items and hands them over together, `delayMs` after the first one of a burst. */
export class Batcher<T> {
  private items: T[] = [];
  private handle: unknown;
  private disposed = false;

  constructor(private readonly delayMs: number, private readonly flush: (items: T[]) => void, private readonly timers: Timers = realTimers) {}

  push(item: T): void {
    if (this.disposed) return;
    this.items.push(item);
    if (this.handle === undefined) this.handle = this.timers.setTimeout(() => this.flushNow(), this.delayMs);
  }

  flushNow(): void {
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
    const items = this.items;
    this.items = [];
    if (items.length) this.flush(items);
  }

  dispose(): void {
    this.disposed = true;
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
    this.items = [];
  }
}

/** Runs `fn` once, `delayMs` after the last trigger of a burst. */
export class Debouncer {
  private handle: unknown;

  constructor(private readonly delayMs: number, private readonly fn: () => void, private readonly timers: Timers = realTimers) {}

  trigger(): void {
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = this.timers.setTimeout(() => {
      this.handle = undefined;
      this.fn();
    }, this.delayMs);
  }

  dispose(): void {
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
  }
}
