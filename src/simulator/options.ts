// Options of the simulator and their defaults.
import type { Catalog } from '../core/catalog/catalog';
import type { FaultInit } from './faults';

export interface RateLimits {
  /** Create calls per 10 s per key (Kie: about 20). Infinity turns the limit off. */
  createsPer10s?: number;
  /** Status calls per second per key (Kie: about 10). Default 1000, so tests are not throttled. */
  statusPerSecond?: number;
  /** Suno and 4o Image record-info calls per second per task (Kie: 3). Default off (Infinity). */
  perTaskStatusPerSecond?: number;
}

export interface SimulatorOptions {
  /** API origin port; 0 (default) picks a free one. */
  port?: number;
  /** Upload origin port (default 0). */
  uploadPort?: number;
  /** File (results) origin port (default 0). */
  filePort?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** The key the API and upload origins accept (default 'sim-key'). */
  apiKey?: string;
  /** Accept any non-empty bearer key. */
  acceptAnyKey?: boolean;
  /** Starting balance in credits (default 1000). */
  credits?: number;
  /** Factor on task durations: 1 = realistic seconds, 0.001 = milliseconds (default 1). */
  speed?: number;
  /** Seed for durations and random faults (default 1). */
  seed?: number;
  /** Fault rules, or a spec string (see faults.ts for the grammar). */
  faults?: string | FaultInit[];
  /** How long result links live after the task completes (default 24 h). */
  linkTtlMs?: number;
  /** How long a link from download-url lives (default 20 min, as Kie documents). */
  freshLinkTtlMs?: number;
  /**
   * For this long after a Market create, recordInfo answers 422 "recordInfo is null" as Kie does
   * before the task is registered (default 1500 ms × speed).
   */
  nullRecordMs?: number;
  rateLimits?: RateLimits;
  /** Models the simulator knows (default: the built-in catalog). */
  catalog?: Catalog;
  /** Long side of generated images in pixels (default 512). */
  imageLongSide?: number;
  /** Received requests kept for inspection (default 50,000; older ones are dropped). */
  maxReceived?: number;
  /**
   * The clock behind task progress, link expiry, the "recordInfo is null" window and refunds
   * (default Date.now). Tests pass a manual clock to step tasks deterministically; rate limits and
   * the received log always use real time.
   */
  now?: () => number;
  /** Called with unexpected handler errors (default: ignored; the request gets a 500). */
  onError?: (err: unknown) => void;
}

export interface ResolvedOptions {
  host: string;
  port: number;
  uploadPort: number;
  filePort: number;
  apiKey: string;
  acceptAnyKey: boolean;
  credits: number;
  speed: number;
  seed: number;
  linkTtlMs: number;
  freshLinkTtlMs: number;
  nullRecordMs: number;
  createsPer10s: number;
  statusPerSecond: number;
  perTaskStatusPerSecond: number;
  imageLongSide: number;
  maxReceived: number;
  now: () => number;
}

export function resolveOptions(o: SimulatorOptions): ResolvedOptions {
  const speed = o.speed ?? 1;
  if (!(speed >= 0) || !Number.isFinite(speed)) throw new Error(`speed must be a non-negative number, got ${o.speed}`);
  return {
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 0,
    uploadPort: o.uploadPort ?? 0,
    filePort: o.filePort ?? 0,
    apiKey: o.apiKey ?? 'sim-key',
    acceptAnyKey: o.acceptAnyKey ?? false,
    credits: o.credits ?? 1000,
    speed,
    seed: o.seed ?? 1,
    linkTtlMs: o.linkTtlMs ?? 24 * 3600_000,
    freshLinkTtlMs: o.freshLinkTtlMs ?? 20 * 60_000,
    nullRecordMs: o.nullRecordMs ?? 1500 * speed,
    createsPer10s: o.rateLimits?.createsPer10s ?? 20,
    statusPerSecond: o.rateLimits?.statusPerSecond ?? 1000,
    perTaskStatusPerSecond: o.rateLimits?.perTaskStatusPerSecond ?? Infinity,
    imageLongSide: o.imageLongSide ?? 512,
    maxReceived: o.maxReceived ?? 50_000,
    now: o.now ?? Date.now,
  };
}
