// Shared by the simulator tests: a simulator plus a real KieClient over loopback HTTP.
import { request } from 'undici';
import { KieClient } from '../../src/core/kie/client';
import type { TaskStatus } from '../../src/core/kie/status';
import type { ModelEntry, ModelInput } from '../../src/core/catalog/types';
import { encodeImage, renderPrompt } from '../../src/simulator/media/image';
import { musicMp3 } from '../../src/simulator/media/audio';
import { sampleMp4 } from '../../src/simulator/media/video';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator';

export const FAST_RETRY = { attempts: 5, baseDelayMs: 5, maxDelayMs: 40 };

export async function simulatorAndClient(options: SimulatorOptions = {}, clientTimeoutMs = 10_000): Promise<{ sim: Simulator; client: KieClient }> {
  const sim = await startSimulator({ speed: 0.0005, imageLongSide: 128, ...options });
  const client = new KieClient({ apiKey: sim.apiKey, apiBaseUrl: sim.apiUrl, uploadBaseUrl: sim.uploadUrl, retry: FAST_RETRY, timeoutMs: clientTimeoutMs });
  return { sim, client };
}

/** A clock the test moves by hand (pass `now` to the simulator). */
export function manualClock(start = Date.now()) {
  let t = start;
  return {
    now: () => t,
    set: (ms: number) => void (t = ms),
    advance: (ms: number) => void (t += ms),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until the task has finished (or the deadline passes). */
export async function waitForTask(client: KieClient, entry: ModelEntry, taskId: string, createdAt: number, timeoutMs = 15_000, pollMs = 5): Promise<TaskStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await client.getStatus(entry, taskId, { createdAt });
    if (status.state === 'succeeded' || status.state === 'failed') return status;
    if (Date.now() > deadline) throw new Error(`Task ${taskId} (${entry.id}) still ${status.state} after ${timeoutMs} ms`);
    await sleep(pollMs);
  }
}

/** GET with plain undici: no Authorization header, as a download must be. */
export async function download(url: string, headers: Record<string, string> = {}): Promise<{ status: number; bytes: Uint8Array; headers: Record<string, string | string[] | undefined> }> {
  const res = await request(url, { method: 'GET', headers });
  const bytes = new Uint8Array(await res.body.arrayBuffer());
  return { status: res.statusCode, bytes, headers: res.headers };
}

export interface SampleFiles {
  image: string;
  video: string;
  audio: string;
}

/** Uploads a PNG (base64), an MP4 (multipart stream) and an MP3 (base64, then copied by URL upload). */
export async function uploadSamples(client: KieClient, tmpDir: string): Promise<SampleFiles> {
  const { writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const png = encodeImage(renderPrompt('a sample photo of a cat', 96, 64), 'png');
  const image = await client.uploadBuffer(png, 'cat.png');
  const videoPath = join(tmpDir, 'clip.mp4');
  await writeFile(videoPath, sampleMp4('16:9'));
  const video = await client.uploadFile(videoPath);
  const staged = await client.uploadBuffer(musicMp3(0), 'staged.mp3');
  const audio = await client.uploadFromUrl(staged.url, 'song.mp3');
  return { image: image.url, video: video.url, audio: audio.url };
}

/** The example input with its placeholder media URLs replaced by uploaded files. */
export function withUploadedMedia(example: ModelInput, files: SampleFiles): ModelInput {
  const swap = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const m = /^https?:\/\/example\.com\/[^?#]*\.(png|jpe?g|webp|mp4|mp3|wav)$/i.exec(v);
      if (!m) return v;
      const ext = m[1].toLowerCase();
      return ext === 'mp4' ? files.video : ext === 'mp3' || ext === 'wav' ? files.audio : files.image;
    }
    if (Array.isArray(v)) return v.map(swap);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)]));
    return v;
  };
  return swap(example) as ModelInput;
}

/** Key sets and value types, recursively (arrays by their first element). */
export function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length ? [shapeOf(value[0])] : [];
  if (typeof value === 'object') {
    return Object.fromEntries(Object.keys(value as object).sort().map((k) => [k, shapeOf((value as Record<string, unknown>)[k])]));
  }
  return typeof value;
}
