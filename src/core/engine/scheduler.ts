import { KieError } from '../kie/errors';
import type { Clock } from './clock';
import type { Grant, TokenBucket } from './budget';
import { DEFAULT_POLICY, DurationStats, nextPollDelay, type DurationPrior, type PollPolicyOptions } from './policy';

export interface PollOutcome {
  /** The task left the live states (succeeded or failed): poll it no more. */
  done?: boolean;
  /** For learning: how long the task took (create answered → finish noticed). */
  durationMs?: number;
  /** Progress Kie reported (0..1). */
  progress?: number;
  /** The status call failed; the scheduler backs off. */
  error?: unknown;
}

export interface ScheduledTask {
  id: string;
  model: string;
  prior: DurationPrior;
  /** When the create was answered, on the scheduler's clock. */
  submittedAt: number;
  /** A floor for this task's interval (Kie allows Suno and 4o Image 3 status calls per second per task). */
  minIntervalMs?: number;
}

export interface SchedulerOptions {
  clock: Clock;
  /** The global status-call budget, shared with other status-like calls. */
  budget: TokenBucket;
  /** One status call for a task. Must not throw; report failures as `error`. */
  poll: (id: string) => Promise<PollOutcome>;
  policy?: Partial<PollPolicyOptions>;
  stats?: DurationStats;
  /** Status calls in flight at once (default 16). */
  maxInFlight?: number;
  log?: (message: string) => void;
}

interface Entry {
  task: ScheduledTask;
  dueAt: number;
  inFlight: boolean;
  progress?: number;
  progressAt?: number;
  failures: number;
  polls: number;
}

const TRANSIENT = new Set(['server', 'network', 'timeout', 'malformed', 'maintenance']);

/**
 * Polls live tasks only, each when the policy says, within one global budget. When the budget is
 * short, the most overdue task goes first. No timer is left when nothing is live.
 */
export class PollScheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: Clock;
  private readonly budget: TokenBucket;
  private readonly policy: PollPolicyOptions;
  readonly stats: DurationStats;
  private readonly maxInFlight: number;
  private timer: unknown;
  private timerAt = Infinity;
  private pumping = false;
  private pumpWait: AbortController | undefined;
  private inFlight = 0;
  private consecutiveErrors = 0;
  private disposed = false;
  private idleWaiters: (() => void)[] = [];
  /** Status calls made (for tests and the benchmark). */
  calls = 0;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock;
    this.budget = options.budget;
    this.policy = { ...DEFAULT_POLICY, ...options.policy };
    this.stats = options.stats ?? new DurationStats();
    this.maxInFlight = options.maxInFlight ?? 16;
  }

  get size(): number {
    return this.entries.size;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** True while a timer is set (false once nothing is live). */
  get armed(): boolean {
    return this.timer !== undefined;
  }

  /** Starts polling a task. `firstPollAt` overrides the policy for the first look (e.g. at resume). */
  add(task: ScheduledTask, firstPollAt?: number): void {
    if (this.disposed) return;
    const existing = this.entries.get(task.id);
    if (existing) {
      if (firstPollAt !== undefined) existing.dueAt = Math.min(existing.dueAt, firstPollAt);
      this.kick();
      return;
    }
    const entry: Entry = { task, dueAt: 0, inFlight: false, failures: 0, polls: 0 };
    entry.dueAt = firstPollAt ?? this.nextDue(entry);
    this.entries.set(task.id, entry);
    this.kick();
  }

  remove(id: string): void {
    if (this.entries.delete(id)) this.kick();
  }

  /** Resolves once no task is scheduled. */
  whenEmpty(): Promise<void> {
    if (!this.entries.size) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private nextDue(entry: Entry): number {
    const now = this.clock.now();
    const elapsedMs = Math.max(0, now - entry.task.submittedAt);
    const delay = nextPollDelay({
      elapsedMs,
      prior: entry.task.prior,
      learnt: this.stats.get(entry.task.model),
      progress: entry.progress,
      progressAtMs: entry.progressAt !== undefined ? entry.progressAt - entry.task.submittedAt : undefined,
    }, this.policy);
    return now + Math.max(delay, entry.task.minIntervalMs ?? 0);
  }

  /** Re-evaluates what to do now: poll what is due, arm a timer for the rest. */
  private kick(): void {
    if (this.disposed) return;
    if (!this.entries.size) {
      this.disarm();
      this.pumpWait?.abort(); // do not hold a token wait (and its timer) for nobody
      for (const resolve of this.idleWaiters.splice(0)) resolve();
      return;
    }
    void this.pump();
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private mostOverdue(now: number): Entry | undefined {
    let best: Entry | undefined;
    for (const e of this.entries.values()) {
      if (e.inFlight || e.dueAt > now) continue;
      if (!best || e.dueAt < best.dueAt) best = e;
    }
    return best;
  }

  private earliestDue(): number {
    let at = Infinity;
    for (const e of this.entries.values()) if (!e.inFlight && e.dueAt < at) at = e.dueAt;
    return at;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.disposed && this.inFlight < this.maxInFlight && this.mostOverdue(this.clock.now())) {
        const waiting = new AbortController();
        this.pumpWait = waiting;
        let grant: Grant;
        try {
          grant = await this.budget.take(waiting.signal);
        } catch {
          break; // nothing left to poll, or disposed
        } finally {
          this.pumpWait = undefined;
        }
        const entry = this.mostOverdue(this.clock.now());
        if (!entry || this.disposed) {
          this.budget.refund(grant);
          break;
        }
        void this.run(entry);
      }
    } finally {
      this.pumping = false;
    }
    this.arm();
  }

  private arm(): void {
    if (this.disposed) return;
    if (this.inFlight >= this.maxInFlight) return this.disarm(); // a finishing poll re-kicks
    const at = this.earliestDue();
    if (at === Infinity) return this.disarm();
    if (this.timer !== undefined && this.timerAt === at) return;
    this.disarm();
    this.timerAt = at;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.kick();
    }, Math.max(0, at - this.clock.now()));
  }

  private async run(entry: Entry): Promise<void> {
    entry.inFlight = true;
    this.inFlight++;
    this.calls++;
    entry.polls++;
    let outcome: PollOutcome;
    try {
      outcome = await this.options.poll(entry.task.id);
    } catch (err) {
      outcome = { error: err };
    }
    entry.inFlight = false;
    this.inFlight--;
    if (this.disposed) return;
    const now = this.clock.now();
    if (this.entries.get(entry.task.id) !== entry) return this.kick(); // removed meanwhile
    if (outcome.done) {
      this.entries.delete(entry.task.id);
      this.consecutiveErrors = 0;
      if (outcome.durationMs !== undefined) this.stats.learn(entry.task.model, outcome.durationMs / 1000);
      return this.kick();
    }
    if (outcome.error !== undefined) {
      entry.dueAt = now + this.backoff(entry, outcome.error, now);
    } else {
      entry.failures = 0;
      this.consecutiveErrors = 0;
      if (outcome.progress !== undefined && outcome.progress !== entry.progress) {
        entry.progress = outcome.progress;
        entry.progressAt = now;
      }
      entry.dueAt = this.nextDue(entry);
    }
    this.kick();
  }

  /** Delay before a task that just failed is polled again; also slows every call on trouble. */
  private backoff(entry: Entry, error: unknown, now: number): number {
    entry.failures++;
    const kind = error instanceof KieError ? error.kind : 'network';
    const jitter = 0.75 + Math.random() * 0.5;
    if (kind === 'rate-limit') {
      this.consecutiveErrors++;
      const retryAfter = error instanceof KieError && error.retryAfterMs !== undefined ? error.retryAfterMs : 1000 * 2 ** Math.min(5, this.consecutiveErrors - 1);
      this.budget.pauseUntil(now + retryAfter);
      this.options.log?.(`rate limited: pausing status calls for ${retryAfter} ms`);
      return retryAfter + Math.round(200 * jitter);
    }
    if (TRANSIENT.has(kind)) {
      this.consecutiveErrors++;
      // Several failures in a row across tasks: Kie is in trouble, slow everything down.
      if (this.consecutiveErrors >= 3) {
        const pause = Math.min(30_000, 500 * 2 ** Math.min(6, this.consecutiveErrors - 3));
        this.budget.pauseUntil(now + pause);
      }
      return Math.round(Math.min(60_000, 1000 * 2 ** Math.min(6, entry.failures - 1)) * jitter);
    }
    // Anything else (auth, quota...) may need the user: look again rarely.
    return Math.round(Math.min(5 * 60_000, 5000 * 2 ** Math.min(6, entry.failures - 1)) * jitter);
  }

  dispose(): void {
    this.disposed = true;
    this.disarm();
    this.pumpWait?.abort();
    this.entries.clear();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
