// One simulated task: what was asked, when it finishes, and the files it will produce.
import type { ModelEntry, ModelInput } from '../../core/catalog/types';
import type { ResultLink } from '../store/files';
import type { TaskTiming } from '../timing';

export type FileFormat = 'png' | 'jpeg' | 'mp4' | 'mp3' | 'wav' | 'json';

export const MIME: Record<FileFormat, string> = {
  png: 'image/png', jpeg: 'image/jpeg', mp4: 'video/mp4', mp3: 'audio/mpeg', wav: 'audio/wav', json: 'application/json',
};
export const EXT: Record<FileFormat, string> = { png: 'png', jpeg: 'jpg', mp4: 'mp4', mp3: 'mp3', wav: 'wav', json: 'json' };

export type ImageOp =
  | { op: 'render' }
  | { op: 'derive'; source?: string }
  | { op: 'upscale'; source?: string; factor: number }
  | { op: 'remove-background'; source?: string };

/** What to make for one file; bytes are produced when first needed. */
export type RenderSpec =
  | ({ type: 'image'; prompt: string; aspect?: string; seed: number } & ImageOp)
  | { type: 'video'; aspect: string; seed: number; sourceTaskId?: string }
  | { type: 'music'; seed: number }
  | { type: 'speech'; text: string }
  | { type: 'sound-effect'; text: string; seconds: number };

export type FileRole = 'main' | 'origin' | 'cover' | 'stream' | 'hd';

export interface ResultFile {
  /** Unique within the task, e.g. "main0", "stream1", "cover0". */
  key: string;
  role: FileRole;
  index: number;
  format: FileFormat;
  spec: RenderSpec;
}

export interface SunoTrack {
  id: string;
  title: string;
  tags: string;
  /** Seconds, reported once the track is complete. */
  duration: number;
}

export interface SimTask {
  id: string;
  entry: ModelEntry;
  /** The input as accepted (family bodies: every field except model and callBackUrl). */
  input: ModelInput;
  /** The body's `model` value, when the family sends one. */
  wireModel?: string;
  callBackUrl?: string;
  createdAt: number;
  timing: TaskTiming;
  /** Epoch ms at which the task finishes (success or failure). */
  completeAt: number;
  credits: number;
  failure?: { code: string; message: string };
  /** Result links are expired from the start (fault injection). */
  linksBornExpired: boolean;
  files: ResultFile[];
  /** The current link of each file (fileKey → link); made at completion. */
  links: Map<string, ResultLink>;
  /** Rendered bytes, per file key. */
  bytes: Map<string, Promise<Uint8Array>>;
  /** Text result (speech-to-text): the resultObject. */
  resultObject?: unknown;
  tracks?: SunoTrack[];
  refunded: boolean;
}

export type Phase = 'queued' | 'running' | 'succeeded' | 'failed';

export function phaseOf(task: SimTask, now: number): Phase {
  if (now >= task.completeAt) return task.failure ? 'failed' : 'succeeded';
  if (now < task.createdAt + task.timing.queueMs) return 'queued';
  return 'running';
}

/** 0..1 of the way from creation to completion. */
export function progressOf(task: SimTask, now: number): number {
  const total = task.completeAt - task.createdAt;
  if (total <= 0) return 1;
  return Math.min(1, Math.max(0, (now - task.createdAt) / total));
}

export function filesWithRole(task: SimTask, role: FileRole): ResultFile[] {
  return task.files.filter((f) => f.role === role);
}
