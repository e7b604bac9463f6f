import type { ApiFamily, OutputKind } from '../catalog/types';

export type TaskState = 'queued' | 'running' | 'succeeded' | 'failed';

export interface TaskOutput {
  /** Where to download it; empty for text results carried inline. */
  url: string;
  kind: OutputKind;
  index: number;
  /** Suno: one track. */
  trackId?: string;
  title?: string;
  durationSec?: number;
  coverUrl?: string;
  streamUrl?: string;
  /** Text results (e.g. a transcript) as JSON text. */
  text?: string;
}

export interface TaskStatus {
  taskId: string;
  state: TaskState;
  /** 0..1 where Kie reports it. */
  progress?: number;
  /** Kie's own stage name (e.g. Suno's TEXT_SUCCESS), for display. */
  stage?: string;
  outputs: TaskOutput[];
  error?: { code: string; message: string };
  /** Runway marks results whose links have expired. */
  expired?: boolean;
  raw: unknown;
}

type Rec = Record<string, unknown>;

const obj = (v: unknown): Rec => (v && typeof v === 'object' ? (v as Rec) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);

function jsonField(v: unknown): Rec {
  if (typeof v !== 'string' || !v.trim()) return obj(v);
  try {
    return obj(JSON.parse(v));
  } catch {
    return {};
  }
}

function urlsToOutputs(urls: string[], kind: OutputKind): TaskOutput[] {
  return urls.map((url, index) => ({ url, kind, index }));
}

function failure(code: unknown, message: unknown, fallback: string): TaskStatus['error'] {
  return { code: code === undefined || code === null || code === '' ? 'failed' : String(code), message: str(message) ?? fallback };
}

export function parseMarket(taskId: string, data: unknown, kind: OutputKind): TaskStatus {
  const d = obj(data);
  const state = String(d.state ?? '');
  const raw = data;
  const progress = typeof d.progress === 'number' ? Math.min(1, Math.max(0, d.progress / 100)) : undefined;
  switch (state) {
    case 'success': {
      const result = jsonField(d.resultJson);
      const urls = strings(result.resultUrls);
      if (urls.length) return { taskId, state: 'succeeded', progress: 1, outputs: urlsToOutputs(urls, kind), raw };
      if (result.resultObject !== undefined) {
        return { taskId, state: 'succeeded', progress: 1, outputs: [{ url: '', kind: 'text', index: 0, text: JSON.stringify(result.resultObject, null, 2) }], raw };
      }
      return { taskId, state: 'failed', outputs: [], error: { code: 'no-output', message: 'Kie.ai reported success but sent no result.' }, raw };
    }
    case 'fail':
      return { taskId, state: 'failed', outputs: [], error: failure(d.failCode, d.failMsg, 'Generation failed (no reason given).'), raw };
    case 'generating':
      return { taskId, state: 'running', progress, stage: state, outputs: [], raw };
    default:
      return { taskId, state: 'queued', progress, stage: state || undefined, outputs: [], raw };
  }
}

/** Veo, Luma, Aleph and Flux report `successFlag` (0 running, 1 done, 2+ failed) and a `response`. */
function parseFlagged(taskId: string, data: unknown, urls: (response: Rec) => string[], kind: OutputKind): TaskStatus {
  const d = obj(data);
  const flag = Number(d.successFlag ?? 0);
  const raw = data;
  if (flag === 1) {
    const found = urls(obj(d.response));
    if (found.length) return { taskId, state: 'succeeded', progress: 1, outputs: urlsToOutputs(found, kind), raw };
    return { taskId, state: 'running', outputs: [], stage: 'finishing', raw };
  }
  if (flag >= 2 || (d.errorCode !== undefined && d.errorCode !== null && d.errorCode !== 0 && d.errorCode !== 200)) {
    return { taskId, state: 'failed', outputs: [], error: failure(d.errorCode, d.errorMessage, 'Generation failed (no reason given).'), raw };
  }
  const progress = typeof d.progress === 'string' || typeof d.progress === 'number' ? Number(d.progress) : undefined;
  return { taskId, state: 'running', progress: Number.isFinite(progress) ? progress : undefined, outputs: [], raw };
}

export const parseVeo = (taskId: string, data: unknown) =>
  parseFlagged(taskId, data, (r) => (strings(r.resultUrls).length ? strings(r.resultUrls) : strings(r.originUrls)), 'video');
export const parseLuma = (taskId: string, data: unknown) => parseFlagged(taskId, data, (r) => strings(r.resultUrls), 'video');
export const parseAleph = (taskId: string, data: unknown) =>
  parseFlagged(taskId, data, (r) => [str(r.resultVideoUrl)].filter((u): u is string => !!u), 'video');
export const parseFlux = (taskId: string, data: unknown) =>
  parseFlagged(taskId, data, (r) => [str(r.resultImageUrl) ?? str(r.originImageUrl)].filter((u): u is string => !!u), 'image');

export function parseRunway(taskId: string, data: unknown): TaskStatus {
  const d = obj(data);
  const state = String(d.state ?? '');
  const raw = data;
  const expired = Number(d.expireFlag) === 1;
  if (state === 'success') {
    const info = obj(d.videoInfo);
    const url = str(info.videoUrl);
    if (!url) return { taskId, state: 'failed', outputs: [], error: { code: 'no-output', message: 'Kie.ai reported success but sent no video.' }, raw };
    return { taskId, state: 'succeeded', progress: 1, outputs: [{ url, kind: 'video', index: 0, coverUrl: str(info.imageUrl) }], expired, raw };
  }
  if (state === 'fail') return { taskId, state: 'failed', outputs: [], error: failure(d.failCode, d.failMsg, 'Generation failed (no reason given).'), raw };
  if (state === 'generating') return { taskId, state: 'running', stage: state, outputs: [], raw };
  return { taskId, state: 'queued', stage: state || undefined, outputs: [], raw };
}

const SUNO_FAILED = new Set(['CREATE_TASK_FAILED', 'GENERATE_AUDIO_FAILED', 'CALLBACK_EXCEPTION', 'SENSITIVE_WORD_ERROR']);
const SUNO_PROGRESS: Record<string, number> = { PENDING: 0, TEXT_SUCCESS: 0.35, FIRST_SUCCESS: 0.7, SUCCESS: 0.95 };

export function parseSuno(taskId: string, data: unknown): TaskStatus {
  const d = obj(data);
  const status = String(d.status ?? 'PENDING');
  const raw = data;
  if (SUNO_FAILED.has(status)) {
    return { taskId, state: 'failed', stage: status, outputs: [], error: failure(d.errorCode ?? status, d.errorMessage, status.replace(/_/g, ' ').toLowerCase()), raw };
  }
  const tracks = Array.isArray(obj(d.response).sunoData) ? (obj(d.response).sunoData as unknown[]).map(obj) : [];
  const outputs: TaskOutput[] = tracks.map((t, index) => ({
    url: str(t.audioUrl) ?? '',
    kind: 'audio',
    index,
    trackId: str(t.id),
    title: str(t.title),
    durationSec: typeof t.duration === 'number' ? t.duration : undefined,
    coverUrl: str(t.imageUrl),
    streamUrl: str(t.streamAudioUrl),
  }));
  // Suno says SUCCESS a moment before every track has its final audioUrl.
  const complete = status === 'SUCCESS' && outputs.length > 0 && outputs.every((o) => o.url);
  if (complete) return { taskId, state: 'succeeded', progress: 1, stage: status, outputs, raw };
  return { taskId, state: status === 'PENDING' ? 'queued' : 'running', progress: SUNO_PROGRESS[status], stage: status, outputs: [], raw };
}

export function parseGpt4o(taskId: string, data: unknown): TaskStatus {
  const d = obj(data);
  const status = String(d.status ?? '');
  const raw = data;
  const progress = Number.parseFloat(String(d.progress ?? ''));
  if (status === 'SUCCESS' || Number(d.successFlag) === 1) {
    const urls = strings(obj(d.response).resultUrls);
    if (urls.length) return { taskId, state: 'succeeded', progress: 1, outputs: urlsToOutputs(urls, 'image'), raw };
    return { taskId, state: 'running', progress: Number.isFinite(progress) ? progress : undefined, outputs: [], raw };
  }
  if (status === 'CREATE_TASK_FAILED' || status === 'GENERATE_FAILED' || Number(d.successFlag) === 2) {
    return { taskId, state: 'failed', outputs: [], error: failure(d.errorCode ?? status, d.errorMessage, 'Generation failed (no reason given).'), raw };
  }
  return { taskId, state: 'running', progress: Number.isFinite(progress) ? Math.min(1, Math.max(0, progress)) : undefined, stage: status || undefined, outputs: [], raw };
}

export function parseStatus(family: ApiFamily, taskId: string, data: unknown, outputKind: OutputKind): TaskStatus {
  switch (family) {
    case 'market': return parseMarket(taskId, data, outputKind);
    case 'veo': return parseVeo(taskId, data);
    case 'runway': return parseRunway(taskId, data);
    case 'aleph': return parseAleph(taskId, data);
    case 'luma': return parseLuma(taskId, data);
    case 'suno': return parseSuno(taskId, data);
    case 'gpt4o-image': return parseGpt4o(taskId, data);
    case 'flux-kontext': return parseFlux(taskId, data);
  }
}
