// Sliding-window rate limits, per API key: Kie rejects (does not queue) requests past the limit.

export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  /** `limit` requests per `windowMs`; a limit of Infinity (or ≤ 0) turns it off. */
  constructor(readonly limit: number, readonly windowMs: number) {}

  /** Counts a request at `now` if it is allowed; otherwise tells how long until one would be. */
  hit(key: string, now = Date.now()): { ok: true } | { ok: false; retryAfterMs: number } {
    if (!(this.limit > 0) || this.limit === Infinity) return { ok: true };
    const list = this.hits.get(key) ?? [];
    const since = now - this.windowMs;
    while (list.length && list[0] <= since) list.shift();
    if (list.length >= this.limit) return { ok: false, retryAfterMs: Math.max(1, list[0] + this.windowMs - now) };
    list.push(now);
    this.hits.set(key, list);
    return { ok: true };
  }

  reset(): void {
    this.hits.clear();
  }
}
