// Shared pieces of the engine tests: a simulator, an engine wired to it with fast test limits,
// and views of what landed on disk.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Catalog } from '../../src/core/catalog/catalog';
import { TaskEngine, type EngineLimits, type TaskRecord } from '../../src/core/engine/index';
import { KieClient } from '../../src/core/kie/client';
import { sniffMediaType, mediaKindOf } from '../../src/core/media/sniff';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index';
import { LinkRegistry } from '../../src/simulator/store/files';

export const catalog = new Catalog();

/** Simulator speed for tests: an image takes ~0.1 s, Suno ~1 s. */
export const SPEED = 0.01;

/** Limits that fit the simulator's speed (policy and priors scaled the same way). */
export const FAST_LIMITS: EngineLimits = {
  statusPerSecond: 200,
  createsPer10s: 200,
  windowSlackMs: 0,
  durationScale: SPEED,
  downloadBackoffMs: 30,
  downloadTimeoutMs: 1500,
  notFoundGraceMs: 3000,
  maxConcurrentDownloads: 8,
  policy: { minIntervalMs: 20, targetLagMs: 40, maxIntervalMs: 400 },
};

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `kie-${prefix}-`));
}

export async function sim(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ speed: SPEED, imageLongSide: 96, rateLimits: { statusPerSecond: 100_000, createsPer10s: 100_000 }, ...options });
}

export function clientFor(s: Simulator, timeoutMs = 2000): KieClient {
  return new KieClient({ apiKey: s.apiKey, apiBaseUrl: s.apiUrl, uploadBaseUrl: s.uploadUrl, timeoutMs, retry: { attempts: 2, baseDelayMs: 20, maxDelayMs: 50 } });
}

export function engineFor(s: Simulator, storageDir: string, limits: EngineLimits = {}, log?: (m: string) => void): TaskEngine {
  return new TaskEngine({ catalog, client: clientFor(s), storageDir, limits: { ...FAST_LIMITS, ...limits, policy: { ...FAST_LIMITS.policy, ...limits.policy } }, log });
}

/** Every file under the assets folder except the hidden partial folder, relative to it. */
export function visibleFiles(assets: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name === '.kie-partial') continue;
      const full = join(dir, name);
      let st;
      try {
        st = statSync(full);
      } catch {
        continue; // removed meanwhile
      }
      if (st.isDirectory()) walk(full);
      else out.push(relative(assets, full));
    }
  };
  walk(assets);
  return out.sort();
}

/** The bytes the simulator serves for a result URL (even after its link expired). */
export async function servedBytes(s: Simulator, url: string): Promise<Uint8Array | undefined> {
  const path = s.state.localPath(url);
  const token = path ? LinkRegistry.tokenOf(path) : undefined;
  const link = token ? s.state.links.get(token) : undefined;
  const task = link ? s.state.tasks.get(link.taskId) : undefined;
  return link && task ? s.state.bytesOf(task, link.fileKey) : undefined;
}

export function kindOfFile(path: string): string | undefined {
  const type = sniffMediaType(readFileSync(path).subarray(0, 4096));
  return type ? mediaKindOf(type) : undefined;
}

export function creates(s: Simulator) {
  return s.received.filter((r) => r.origin === 'api' && r.method === 'POST' && /generate|createTask/.test(r.path) && !/download-url/.test(r.path));
}

export function statuses(s: Simulator) {
  return s.received.filter((r) => r.origin === 'api' && r.method === 'GET' && /record-info|recordInfo|record-detail/.test(r.path));
}

export function byState(tasks: TaskRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of tasks) out[t.state] = (out[t.state] ?? 0) + 1;
  return out;
}

export { peakPerWindow } from '../../bench/stats';
