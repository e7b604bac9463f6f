// The file origin: uploaded files, task results behind expiring links, and a large synthetic file.
// It refuses any request that carries an Authorization header: the API key must never reach it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { largeFileSlice, LARGE_FILE_BLOCK } from '../media/video';
import type { SimContext } from '../context';
import { query, respondWithFault, type Handler } from '../http/serve';
import { LinkRegistry } from '../store/files';
import { MIME, type SimTask } from '../tasks/task';

export type ByteRange = { start: number; end: number };

/** One "bytes=" range against a size: the range, 'unsatisfiable', or undefined (serve it all). */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined; // unsupported forms (multi-range): whole file
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

interface Source {
  size: number;
  type: string;
  etag: string;
  /** Bytes [start, end] as a stream. */
  open(start: number, end: number): Readable;
}

function bufferSource(bytes: Uint8Array, type: string, etag: string): Source {
  return { size: bytes.length, type, etag, open: (start, end) => Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start + 1)]) };
}

/** The synthetic file of /big/<bytes>.bin, generated as it is sent. */
function bigSource(size: number): Source {
  return {
    size, type: 'application/octet-stream', etag: `"big-${size}"`,
    open: (start, end) => {
      let position = start;
      return new Readable({
        highWaterMark: LARGE_FILE_BLOCK,
        read() {
          if (position > end) return void this.push(null);
          const length = Math.min(LARGE_FILE_BLOCK - (position % LARGE_FILE_BLOCK), end - position + 1);
          const chunk = largeFileSlice(position, length);
          position += length;
          this.push(chunk);
        },
      });
    },
  };
}

async function resolveSource(ctx: SimContext, path: string): Promise<Source | undefined> {
  const big = /^\/big\/(\d+)(?:\.bin)?$/.exec(path);
  if (big) {
    const size = Number(big[1]);
    return Number.isSafeInteger(size) ? bigSource(size) : undefined;
  }
  const token = LinkRegistry.tokenOf(path);
  if (token) {
    const link = ctx.state.liveLink(path);
    const task: SimTask | undefined = link ? ctx.state.tasks.get(link.taskId) : undefined;
    const file = task?.files.find((f) => f.key === link?.fileKey);
    if (!link || !task || !file) return undefined;
    return bufferSource(await ctx.state.bytesOf(task, file.key), MIME[file.format], `"${task.id}-${file.key}"`);
  }
  const upload = ctx.state.uploads.get(path);
  return upload ? bufferSource(upload.bytes, upload.mimeType, `"${upload.uploadedAt}-${upload.bytes.length}"`) : undefined;
}

export function fileHandler(ctx: SimContext): Handler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const { path, query: q } = query(req);
    const hadAuthorization = req.headers.authorization !== undefined;
    ctx.recorder.add({ origin: 'file', method: req.method ?? 'GET', path, query: q, body: undefined, hadAuthorization, at: Date.now() });
    req.resume();
    if (hadAuthorization) {
      // Result hosts are not Kie's API: a client that sends the key here leaks it.
      ctx.state.fileAuthorizationSeen++;
      return plain(res, 403, 'Forbidden: this host does not take an Authorization header');
    }
    const fault = ctx.faults.take('file', path);
    if (fault?.kind === 'expired') {
      const token = LinkRegistry.tokenOf(path);
      const link = token ? ctx.state.links.get(token) : undefined;
      if (link) link.revoked = true;
      return plain(res, 404, 'Not Found');
    }
    const truncate = fault?.kind === 'truncate';
    if (fault && !truncate && respondWithFault(res, fault, ctx.stalled)) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method Not Allowed');
    const source = await resolveSource(ctx, path);
    if (!source) return plain(res, 404, 'Not Found');

    const range = parseRange(req.headers.range, source.size);
    if (range === 'unsatisfiable') {
      res.writeHead(416, { 'content-range': `bytes */${source.size}`, 'content-length': '0' });
      return void res.end();
    }
    const { start, end } = range ?? { start: 0, end: source.size - 1 };
    const length = source.size === 0 ? 0 : end - start + 1;
    const headers: Record<string, string> = {
      'content-type': source.type,
      'content-length': String(length),
      'accept-ranges': 'bytes',
      etag: source.etag,
      'cache-control': 'private, max-age=86400',
    };
    if (range) headers['content-range'] = `bytes ${start}-${end}/${source.size}`;
    res.writeHead(range ? 206 : 200, headers);
    if (req.method === 'HEAD' || length === 0) return void res.end();
    if (truncate) {
      // Promise the whole length, send half, then drop the connection.
      const half = Math.max(1, Math.floor(length / 2));
      const stream = source.open(start, start + half - 1);
      stream.on('end', () => res.socket?.destroySoon());
      stream.pipe(res, { end: false });
      return;
    }
    const stream = source.open(start, end);
    stream.on('error', () => res.destroy());
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  };
}
