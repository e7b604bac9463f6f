import { createWriteStream, type WriteStream } from 'node:fs';
import { open, stat, unlink } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { Agent, interceptors, stream, type Dispatcher } from 'undici';
import type { OutputKind } from '../catalog/types';
import { NeedsGeneralClient, rawGet, type BodyDecision } from './rawget';
import { extensionFor, mediaKindOf, sniffMediaType, typeFromExtension, type MediaType } from '../media/sniff';

/**
 * Result files live on other hosts than Kie's API: this dispatcher never carries the API key
 * (nothing here adds an Authorization header, and redirects are followed without one).
 */
const downloadAgent: Dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 16 }).compose(interceptors.redirect({ maxRedirections: 5 }));

export class DownloadError extends Error {
  constructor(
    message: string,
    readonly reason: 'expired' | 'http' | 'network' | 'size' | 'empty' | 'kind' | 'aborted',
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'DownloadError';
  }

  /** 404/403/410 from a result host: the link has expired, ask Kie for a fresh one. */
  get expired(): boolean {
    return this.reason === 'expired';
  }
}

export interface DownloadRequest {
  url: string;
  /** The partial file (in the hidden partial folder); resumed with a Range request when it exists. */
  tempPath: string;
  /** The kind Kie promised; the sniffed bytes must match it. Undefined skips the check (benchmarks). */
  kind?: OutputKind;
  signal?: AbortSignal;
  /** Headers and idle-body timeout (default 60 s). */
  timeoutMs?: number;
  /** Use this undici dispatcher (and undici) for the request. */
  dispatcher?: Dispatcher;
  /** Extra trusted certificates (PEM) for result hosts, besides Node's. */
  ca?: string | Buffer;
  /** 'auto' (default): the raw reader, undici when the answer needs it; 'undici': undici only. */
  transport?: 'auto' | 'undici';
  onProgress?: (bytes: number, total: number | undefined) => void;
}

export interface DownloadResult {
  bytes: number;
  type?: MediaType;
  extension: string;
  contentType?: string;
  resumed: boolean;
  /** Which reader fetched the body. */
  via: 'raw' | 'undici';
}

/** A sink for bodies we do not keep (error pages, unwanted ranges). */
const discard = () => new Writable({ write: (_chunk, _enc, done) => done() });

const header = (h: Record<string, string | string[] | undefined>, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function head(path: string, n = 4096): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await handle.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

const DEFAULT_EXT: Record<OutputKind, string> = { image: 'png', video: 'mp4', audio: 'mp3', text: 'txt' };

/** Does what the bytes are fit what Kie promised? An MP4 container may carry audio only (m4a). */
export function kindMatches(type: MediaType, kind: OutputKind): boolean {
  const k = mediaKindOf(type);
  return k === kind || (kind === 'audio' && type === 'mp4');
}

function extFromUrl(url: string): string | undefined {
  try {
    const last = new URL(url).pathname.split('/').pop() ?? '';
    const dot = last.lastIndexOf('.');
    const ext = dot > 0 ? last.slice(dot + 1).toLowerCase() : '';
    return /^[a-z0-9]{1,5}$/.test(ext) ? ext : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Streams one result file to `tempPath` (never holding it in memory), resuming a partial file
 * when the host honours Range, then checks it: the length the host announced, non-empty, and
 * sniffed bytes of the promised kind. The caller moves the checked file into place.
 *
 * The body is read by `rawGet` (pooled read buffers, positioned writes: close to curl's speed),
 * or by undici's stream() for anything that is not a plain HTTP/1.1 answer (redirects, chunked or
 * compressed bodies), or when `transport` is 'undici'.
 */
export async function downloadToTemp(req: DownloadRequest, allowResume = true): Promise<DownloadResult> {
  const timeoutMs = req.timeoutMs ?? 60_000;
  const existing = allowResume ? await sizeOf(req.tempPath) : 0;
  const headers: Record<string, string> = { accept: '*/*', 'user-agent': 'kie-studio' };
  if (existing > 0) headers.range = `bytes=${existing}-`;
  let status = 0;
  let contentType: string | undefined;
  let start = 0;
  let total: number | undefined;
  let verdict = 'refuse' as 'write' | 'restart' | 'refuse';
  let via: 'raw' | 'undici' = 'raw';

  /** Looks at the answer's head: write the body (from where), start over, or refuse. */
  const decide = (statusCode: number, h: (name: string) => string | undefined): BodyDecision => {
    status = statusCode;
    contentType = h('content-type');
    start = 0;
    total = undefined;
    verdict = 'refuse';
    if (statusCode === 200) {
      const len = h('content-length');
      total = len !== undefined && /^\d+$/.test(len) ? Number(len) : undefined;
      verdict = 'write';
    } else if (statusCode === 206) {
      const m = /bytes\s+(\d+)-(\d+)\/(\d+|\*)/i.exec(h('content-range') ?? '');
      if (m && Number(m[1]) === existing) {
        start = existing;
        total = m[3] === '*' ? undefined : Number(m[3]);
        verdict = 'write';
      } else {
        verdict = 'restart'; // not the part we asked for
      }
    } else if (statusCode === 416 && existing > 0) {
      verdict = 'restart';
    }
    return verdict === 'write' ? { write: true, path: req.tempPath, start } : { write: false };
  };

  const viaUndici = async () => {
    via = 'undici';
    let out: WriteStream | undefined;
    let ticker: ReturnType<typeof setInterval> | undefined;
    try {
      // undici's stream(): the body goes straight into the file stream, with backpressure.
      await stream(req.url, {
        method: 'GET', headers, signal: req.signal,
        dispatcher: req.dispatcher ?? (req.ca ? new Agent({ connect: { ca: [...rootCertificates, req.ca.toString()] } }).compose(interceptors.redirect({ maxRedirections: 5 })) : downloadAgent),
        headersTimeout: timeoutMs, bodyTimeout: timeoutMs, opaque: undefined,
      }, ({ statusCode, headers: h }) => {
        const d = decide(statusCode, (name) => header(h, name));
        if (!d.write) return discard();
        out = createWriteStream(req.tempPath, { flags: d.start > 0 ? 'a' : 'w', highWaterMark: 1 << 20 });
        if (req.onProgress) {
          const w = out;
          const onProgress = req.onProgress;
          ticker = setInterval(() => onProgress(d.start + w.bytesWritten, total), 250);
        }
        return out;
      });
    } finally {
      if (ticker) clearInterval(ticker);
      // Let the file stream finish its last writes and close before anyone reads or resumes the file.
      if (out && !out.closed) await new Promise<void>((resolve) => out?.once('close', () => resolve()));
    }
  };

  try {
    if (req.dispatcher || req.transport === 'undici') {
      await viaUndici();
    } else {
      try {
        let lastReport = 0;
        await rawGet(new URL(req.url), {
          headers, signal: req.signal, timeoutMs, ca: req.ca,
          decide: (h) => decide(h.status, (name) => h.headers[name]),
          onBytes: req.onProgress
            ? (written) => {
              const now = Date.now();
              if (now - lastReport >= 250) {
                lastReport = now;
                req.onProgress?.(start + written, total);
              }
            }
            : undefined,
        });
      } catch (err) {
        if (!(err instanceof NeedsGeneralClient)) throw err;
        await viaUndici();
      }
    }
  } catch (err) {
    if (req.signal?.aborted) throw new DownloadError('Download cancelled.', 'aborted');
    const what = status ? 'The download broke off' : 'Could not fetch the result';
    throw new DownloadError(`${what} (${(err as { code?: string }).code ?? (err as Error).message}).`, 'network');
  }
  if (verdict === 'restart') {
    await unlink(req.tempPath).catch(() => undefined);
    return downloadToTemp(req, false);
  }
  if (verdict === 'refuse') {
    const expired = status === 404 || status === 403 || status === 410;
    throw new DownloadError(`The result host answered HTTP ${status}${expired ? ' (the link has expired)' : ''}.`, expired ? 'expired' : 'http', status);
  }
  const bytes = await sizeOf(req.tempPath);
  req.onProgress?.(bytes, total);
  if (total !== undefined && bytes !== total) {
    // A longer file than announced cannot be resumed; a shorter one can.
    if (bytes > total) await unlink(req.tempPath).catch(() => undefined);
    throw new DownloadError(`The download is ${bytes} bytes; the host announced ${total}.`, 'size');
  }
  if (bytes === 0) {
    await unlink(req.tempPath).catch(() => undefined);
    throw new DownloadError('The result host sent an empty file.', 'empty');
  }
  const type = sniffMediaType(await head(req.tempPath));
  const urlExt = extFromUrl(req.url);
  let extension: string;
  if (req.kind === undefined) {
    extension = type ? extensionFor(type) : urlExt ?? 'bin';
  } else if (type) {
    if (!kindMatches(type, req.kind)) {
      await unlink(req.tempPath).catch(() => undefined);
      throw new DownloadError(`Expected ${req.kind === 'image' ? 'an' : 'a'} ${req.kind} file, but the host sent ${type} data.`, 'kind');
    }
    extension = req.kind === 'audio' && type === 'mp4' ? 'm4a' : extensionFor(type);
  } else {
    // Bytes we cannot name (e.g. WebM, FLAC): accept them only when the host says they are of the right kind.
    const major = (contentType ?? '').split('/')[0].trim().toLowerCase();
    if (req.kind !== 'text' && major !== req.kind) {
      await unlink(req.tempPath).catch(() => undefined);
      throw new DownloadError(`Expected ${req.kind === 'image' ? 'an' : 'a'} ${req.kind} file, but the bytes are not recognisable (${contentType ?? 'no type'}).`, 'kind');
    }
    const fromUrl = urlExt && typeFromExtension(urlExt);
    extension = fromUrl ? extensionFor(fromUrl) : urlExt ?? DEFAULT_EXT[req.kind];
  }
  return { bytes, type, extension, contentType, resumed: start > 0, via };
}
