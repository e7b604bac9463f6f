// Starts the offline Kie.ai simulator: three HTTP origins (API, upload, files) on loopback.
import type { ServerResponse } from 'node:http';
import { Catalog } from '../core/catalog/catalog';
import type { SimContext } from './context';
import { FaultInjector } from './faults';
import { startOrigin, type OriginServer } from './http/serve';
import { resolveOptions, type ResolvedOptions, type SimulatorOptions } from './options';
import { seededRandom } from './random';
import { SlidingWindowLimiter } from './rateLimit';
import { Recorder, type ReceivedRequest } from './recorder';
import { apiHandler } from './routes/api';
import { fileHandler } from './routes/files';
import { uploadHandler } from './routes/upload';
import { SimState } from './state';

export interface Simulator {
  /** Base URL of the API origin (use as KIE_BASE_URL / apiBaseUrl). */
  apiUrl: string;
  /** Base URL of the upload origin (KIE_UPLOAD_URL / uploadBaseUrl). */
  uploadUrl: string;
  /** Base URL of the file origin, where uploads and results are served. */
  fileUrl: string;
  /** A key the simulator accepts. */
  apiKey: string;
  options: ResolvedOptions;
  /** Balance, tasks, uploads, links; also `setCredits`, `expireLinks(taskId)`, `fileAuthorizationSeen`. */
  state: SimState;
  /** add(rule | spec), clear(), list(), remove(id). */
  faults: FaultInjector;
  /** Every request received, oldest first (a live array). */
  received: ReceivedRequest[];
  /** URL of a synthetic file of `bytes` bytes on the file origin (for download benchmarks). */
  bigFileUrl(bytes: number): string;
  /** Forgets the received requests and resets the rate-limit windows. */
  reset(): void;
  stop(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const resolved = resolveOptions(options);
  const catalog = options.catalog ?? new Catalog();
  const state = new SimState(resolved, catalog, seededRandom(resolved.seed));
  const faults = new FaultInjector(seededRandom(resolved.seed ^ 0x9e3779b9), options.faults ?? []);
  const recorder = new Recorder(resolved.maxReceived);
  const stalled = new Set<ServerResponse>();
  const ctx: SimContext = {
    options: resolved, state, faults, recorder, catalog, stalled,
    limits: {
      creates: new SlidingWindowLimiter(resolved.createsPer10s, 10_000),
      status: new SlidingWindowLimiter(resolved.statusPerSecond, 1_000),
      perTaskStatus: new SlidingWindowLimiter(resolved.perTaskStatusPerSecond, 1_000),
    },
  };
  const onError = options.onError ?? (() => {});
  const started: OriginServer[] = [];
  try {
    started.push(await startOrigin(fileHandler(ctx), resolved.host, resolved.filePort, onError));
    state.fileUrl = started[0].url;
    started.push(await startOrigin(uploadHandler(ctx), resolved.host, resolved.uploadPort, onError));
    started.push(await startOrigin(apiHandler(ctx), resolved.host, resolved.port, onError));
  } catch (err) {
    await Promise.all(started.map((s) => s.close()));
    throw err;
  }
  const [files, upload, api] = started;
  let stopped: Promise<void> | undefined;
  return {
    apiUrl: api.url,
    uploadUrl: upload.url,
    fileUrl: files.url,
    apiKey: resolved.apiKey,
    options: resolved,
    state,
    faults,
    received: recorder.list,
    bigFileUrl: (bytes) => `${files.url}/big/${Math.max(0, Math.floor(bytes))}.bin`,
    reset: () => {
      recorder.clear();
      ctx.limits.creates.reset();
      ctx.limits.status.reset();
      ctx.limits.perTaskStatus.reset();
    },
    stop: () => {
      stopped ??= (async () => {
        for (const res of stalled) res.destroy();
        stalled.clear();
        await Promise.all(started.map((s) => s.close()));
      })();
      return stopped;
    },
  };
}
