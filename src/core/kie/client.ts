import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { ModelEntry } from '../catalog/types';
import { KieError } from './errors';
import { createBody, createPath, ENDPOINTS } from './endpoints';
import { KieHttp, type HttpLogEvent } from './http';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry';
import { parseStatus, type TaskStatus } from './status';

export const DEFAULT_API_URL = 'https://api.kie.ai';
export const DEFAULT_UPLOAD_URL = 'https://kieai.redpandaai.co';
/**
 * Suno refuses a create without a callback URL. When the user has no relay of their own we give
 * an address under the reserved `.invalid` domain: it can never resolve, so no task data leaves.
 */
export const PLACEHOLDER_CALLBACK_URL = 'https://callback.invalid/kie-studio';

export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

export interface KieClientOptions {
  apiKey: string;
  apiBaseUrl?: string;
  uploadBaseUrl?: string;
  callBackUrl?: string;
  timeoutMs?: number;
  retry?: RetryPolicy;
  log?: (event: HttpLogEvent) => void;
}

export interface CallOpts {
  signal?: AbortSignal;
  /** `false` for one attempt only, when the caller runs its own retries and request budget. */
  retry?: RetryPolicy | false;
}

export interface StatusOpts extends CallOpts {
  /** When the task was created (epoch ms): an early "not found" within the grace period means still queued. */
  createdAt?: number;
  graceMs?: number;
  /** The caller's clock (epoch ms), default Date.now(). */
  now?: number;
}

const ONE_ATTEMPT: RetryPolicy = { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 };

export interface UploadResult {
  url: string;
  fileName: string;
  size: number;
  mimeType?: string;
}

const UPLOAD_PATH = 'kie-studio';

function uploadFolder(): string {
  // A random folder per upload avoids overwriting an earlier file of the same name.
  return `${UPLOAD_PATH}/${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

export class KieClient {
  readonly http: KieHttp;
  private readonly retry: RetryPolicy;
  private readonly callBackUrl?: string;

  constructor(options: KieClientOptions) {
    if (!options.apiKey) throw new KieError({ kind: 'auth', message: 'No Kie.ai API key is set.' });
    this.http = new KieHttp({
      apiKey: options.apiKey,
      apiBaseUrl: options.apiBaseUrl ?? DEFAULT_API_URL,
      uploadBaseUrl: options.uploadBaseUrl ?? DEFAULT_UPLOAD_URL,
      timeoutMs: options.timeoutMs,
      log: options.log,
    });
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.callBackUrl = options.callBackUrl;
  }

  private policy(opts: CallOpts): RetryPolicy {
    return opts.retry === false ? ONE_ATTEMPT : opts.retry ?? this.retry;
  }

  /** Starts a task. Never retried: each accepted create costs credits. */
  async createTask(entry: ModelEntry, input: Record<string, unknown>, opts: CallOpts = {}): Promise<string> {
    const callBackUrl = this.callBackUrl ?? (entry.family === 'suno' ? PLACEHOLDER_CALLBACK_URL : undefined);
    const env = await this.http.call({
      method: 'POST', url: this.http.api(createPath(entry)), json: createBody(entry, input, callBackUrl), signal: opts.signal, paid: true,
    });
    const taskId = (env.data as { taskId?: unknown } | null)?.taskId;
    if (typeof taskId !== 'string' || !taskId) {
      throw new KieError({ kind: 'malformed', outcomeUnknown: true, message: 'Kie.ai accepted the task but sent no task id.' });
    }
    return taskId;
  }

  /** One status look-up, normalised. Network errors, 5xx and 429 are retried with backoff. */
  async getStatus(entry: ModelEntry, taskId: string, opts: StatusOpts = {}): Promise<TaskStatus> {
    const url = `${this.http.api(ENDPOINTS[entry.family].status)}?taskId=${encodeURIComponent(taskId)}`;
    const grace = opts.graceMs ?? 90_000;
    const young = opts.createdAt !== undefined && (opts.now ?? Date.now()) - opts.createdAt < grace;
    try {
      const env = await withRetry(() => this.http.call({ method: 'GET', url, signal: opts.signal }), this.policy(opts), opts.signal);
      if (env.data === null || env.data === undefined) {
        if (young) return { taskId, state: 'queued', outputs: [], raw: null };
        throw new KieError({ kind: 'not-found', message: `Kie.ai has no record of task ${taskId}.` });
      }
      return parseStatus(entry.family, taskId, env.data, entry.output);
    } catch (err) {
      // Right after a create, Kie answers 422 "recordInfo is null" until the task is registered.
      if (err instanceof KieError && young && (err.kind === 'invalid' || err.kind === 'not-found') && /null|not exist|not found/i.test(err.kieMessage ?? '')) {
        return { taskId, state: 'queued', outputs: [], raw: null };
      }
      throw err;
    }
  }

  async credits(opts: CallOpts = {}): Promise<number> {
    const env = await withRetry(() => this.http.call({ method: 'GET', url: this.http.api('/api/v1/chat/credit'), signal: opts.signal }), this.policy(opts), opts.signal);
    if (typeof env.data !== 'number') throw new KieError({ kind: 'malformed', message: 'Kie.ai sent a balance that is not a number.' });
    return env.data;
  }

  /** A fresh link for an expired result URL (valid about 20 minutes). */
  async freshDownloadUrl(entry: ModelEntry, taskId: string, url: string, opts: CallOpts = {}): Promise<string> {
    const call = entry.family === 'gpt4o-image'
      ? { method: 'POST' as const, url: this.http.api('/api/v1/gpt4o-image/download-url'), json: { taskId, url } }
      : { method: 'POST' as const, url: this.http.api('/api/v1/common/download-url'), json: { url } };
    const env = await withRetry(() => this.http.call({ ...call, signal: opts.signal }), this.policy(opts), opts.signal);
    const fresh = typeof env.data === 'string' ? env.data : (env.data as { url?: string; downloadUrl?: string } | null)?.downloadUrl;
    if (!fresh) throw new KieError({ kind: 'malformed', message: 'Kie.ai sent no download link.' });
    return fresh;
  }

  /** Veo: the 1080p version of a finished 16:9 video. */
  async veo1080p(taskId: string, index = 0, opts: CallOpts = {}): Promise<string | undefined> {
    const url = `${this.http.api('/api/v1/veo/get-1080p-video')}?taskId=${encodeURIComponent(taskId)}&index=${index}`;
    const env = await withRetry(() => this.http.call({ method: 'GET', url, signal: opts.signal }), this.policy(opts), opts.signal);
    return (env.data as { resultUrl?: string } | null)?.resultUrl;
  }

  /** Streams a local file to the upload host as multipart, reporting bytes sent. */
  async uploadFile(
    path: string,
    opts: CallOpts & { fileName?: string; mimeType?: string; onProgress?: (sent: number, total: number) => void } = {},
  ): Promise<UploadResult> {
    const info = await stat(path);
    if (!info.isFile()) throw new KieError({ kind: 'invalid', message: `${path} is not a file.` });
    if (info.size > MAX_UPLOAD_BYTES) throw new KieError({ kind: 'invalid', message: `${basename(path)} is ${(info.size / 1048576).toFixed(0)} MB; Kie.ai takes files up to 100 MB.` });
    const fileName = opts.fileName ?? basename(path);
    const body = multipartFile(path, info.size, fileName, opts.mimeType ?? 'application/octet-stream', { uploadPath: uploadFolder(), fileName }, opts.onProgress);
    const env = await this.http.call({
      method: 'POST', url: this.http.upload('/api/file-stream-upload'), body: Readable.from(body.stream), signal: opts.signal, timeoutMs: 10 * 60_000,
      headers: { 'content-type': `multipart/form-data; boundary=${body.boundary}`, 'content-length': String(body.length) },
    });
    return uploadResult(env.data);
  }

  /** Small buffers (up to ~10 MB) as base64. */
  async uploadBuffer(bytes: Uint8Array, fileName: string, opts: CallOpts = {}): Promise<UploadResult> {
    const base64Data = Buffer.from(bytes).toString('base64');
    const env = await this.http.call({
      method: 'POST', url: this.http.upload('/api/file-base64-upload'), json: { base64Data, uploadPath: uploadFolder(), fileName }, signal: opts.signal, timeoutMs: 5 * 60_000,
    });
    return uploadResult(env.data);
  }

  /** Has Kie fetch a file from a public URL. */
  async uploadFromUrl(fileUrl: string, fileName: string, opts: CallOpts = {}): Promise<UploadResult> {
    const env = await this.http.call({
      method: 'POST', url: this.http.upload('/api/file-url-upload'), json: { fileUrl, uploadPath: uploadFolder(), fileName }, signal: opts.signal, timeoutMs: 5 * 60_000,
    });
    return uploadResult(env.data);
  }
}

function uploadResult(data: unknown): UploadResult {
  const d = (data ?? {}) as { downloadUrl?: unknown; fileName?: unknown; fileSize?: unknown; mimeType?: unknown };
  if (typeof d.downloadUrl !== 'string') throw new KieError({ kind: 'malformed', message: 'The upload host sent no file URL.' });
  return { url: d.downloadUrl, fileName: String(d.fileName ?? ''), size: Number(d.fileSize ?? 0), mimeType: typeof d.mimeType === 'string' ? d.mimeType : undefined };
}

/** A multipart/form-data body whose file part streams from disk, with its exact length. */
function multipartFile(
  path: string, size: number, fileName: string, mimeType: string, fields: Record<string, string>,
  onProgress?: (sent: number, total: number) => void,
): { boundary: string; length: number; stream: AsyncIterable<Buffer> } {
  const boundary = `----kie-studio-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const quoted = (v: string) => v.replace(/["\r\n]/g, '_');
  const head = Buffer.from(
    Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('')
    + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoted(fileName)}"\r\nContent-Type: ${mimeType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* stream(): AsyncIterable<Buffer> {
    yield head;
    let sent = 0;
    onProgress?.(0, size);
    for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
      sent += (chunk as Buffer).length;
      onProgress?.(sent, size);
      yield chunk as Buffer;
    }
    yield tail;
  }
  return { boundary, length: head.length + size + tail.length, stream: stream() };
}
