// The upload origin: multipart stream, base64 and from-URL uploads, kept in memory, served by the file origin.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mimeFor, sniffMediaType, typeFromExtension } from '../../core/media/sniff';
import { AUTH_FAILED_MSG, bearerKey, keyAccepted, type SimContext } from '../context';
import { boundaryOf, parseMultipart } from '../http/multipart';
import { BodyTooLarge, envelope, query, readBody, respondWithFault, sendJson, type Handler } from '../http/serve';
import { summarizeJson } from '../recorder';
import { hexId } from '../random';
import type { StoredUpload } from '../store/files';

/** Kie takes files up to 100 MB. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

function mimeOf(bytes: Uint8Array, fileName: string): string {
  const sniffed = sniffMediaType(bytes);
  if (sniffed) return mimeFor(sniffed);
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1];
  const byName = ext ? typeFromExtension(ext) : undefined;
  return byName ? mimeFor(byName) : 'application/octet-stream';
}

function extensionOf(fileName: string | undefined, mime: string): string {
  const ext = fileName ? /\.([a-z0-9]+)$/i.exec(fileName)?.[1] : undefined;
  if (ext) return ext.toLowerCase();
  return ({ 'image/png': 'png', 'image/jpeg': 'jpg', 'video/mp4': 'mp4', 'audio/mpeg': 'mp3', 'audio/wav': 'wav' } as Record<string, string>)[mime] ?? 'bin';
}

/** Kie renames streamed files it is not given a name for: <ms>-<random>.<ext>. */
function generatedName(original: string | undefined, mime: string): string {
  return `${Date.now()}-${hexId(6).slice(0, 11)}.${extensionOf(original, mime)}`;
}

function answer(ctx: SimContext, stored: StoredUpload) {
  return {
    success: true,
    code: 200,
    msg: 'File uploaded successfully',
    data: {
      success: true,
      fileName: stored.fileName,
      filePath: stored.path,
      downloadUrl: `${ctx.state.fileUrl}/${stored.path}`,
      fileSize: stored.bytes.length,
      mimeType: stored.mimeType,
      uploadedAt: new Date(stored.uploadedAt).toISOString(),
    },
  };
}

const failed = (code: number, msg: string) => ({ success: false, ...envelope(code, msg) });

type Summary = { body: unknown; store?: () => Promise<ReturnType<typeof answer> | ReturnType<typeof failed>> };

function streamUpload(ctx: SimContext, req: IncomingMessage, raw: Buffer): Summary {
  const boundary = boundaryOf(req.headers['content-type']);
  if (!boundary) return { body: { _multipart: false, size: raw.length }, store: async () => failed(400, 'Content-Type must be multipart/form-data') };
  const parts = parseMultipart(raw, boundary);
  const file = parts.find((p) => p.filename !== undefined) ?? parts.find((p) => p.name === 'file');
  const fields = Object.fromEntries(parts.filter((p) => p !== file).map((p) => [p.name, p.data.toString('utf8')]));
  const summary = {
    _multipart: true,
    ...(file ? { file: { _file: true, filename: file.filename, contentType: file.contentType, size: file.data.length } } : {}),
    ...fields,
  };
  return {
    body: summary,
    store: async () => {
      if (!file) return failed(400, 'file is required');
      if (file.data.length > MAX_UPLOAD_BYTES) return failed(413, 'File too large: the limit is 100 MB');
      const bytes = new Uint8Array(file.data);
      const mime = mimeOf(bytes, fields.fileName ?? file.filename ?? '');
      const name = fields.fileName || generatedName(file.filename, mime);
      return answer(ctx, ctx.state.uploads.put(fields.uploadPath ?? '', name, bytes, mime));
    },
  };
}

function jsonUpload(ctx: SimContext, raw: Buffer, kind: 'base64' | 'url'): Summary {
  let body: Record<string, unknown>;
  try {
    const parsed = JSON.parse(raw.toString('utf8'));
    body = parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return { body: raw.toString('utf8').slice(0, 200), store: async () => failed(400, 'The request body is not valid JSON') };
  }
  const uploadPath = typeof body.uploadPath === 'string' ? body.uploadPath : '';
  const fileName = typeof body.fileName === 'string' && body.fileName ? body.fileName : undefined;
  if (kind === 'base64') {
    return {
      body: summarizeJson(body),
      store: async () => {
        if (typeof body.base64Data !== 'string' || !body.base64Data) return failed(400, 'base64Data is required');
        const data = body.base64Data.replace(/^data:[^;]+;base64,/, '');
        const bytes = new Uint8Array(Buffer.from(data, 'base64'));
        const mime = typeof body.mimeType === 'string' && body.mimeType ? body.mimeType : mimeOf(bytes, fileName ?? '');
        return answer(ctx, ctx.state.uploads.put(uploadPath, fileName ?? generatedName(undefined, mime), bytes, mime));
      },
    };
  }
  return {
    body: summarizeJson(body),
    store: async () => {
      const url = typeof body.fileUrl === 'string' ? body.fileUrl : '';
      if (!url) return failed(400, 'fileUrl is required');
      // The simulator has no internet: it can only fetch files from its own file origin.
      const bytes = await ctx.state.localBytes(url);
      if (!bytes) return failed(422, 'File download failed: the simulator can only fetch URLs on its own file host');
      const original = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
      const mime = mimeOf(bytes, fileName ?? original);
      return answer(ctx, ctx.state.uploads.put(uploadPath, fileName ?? generatedName(original, mime), bytes, mime));
    },
  };
}

const ROUTES: Record<string, 'stream' | 'base64' | 'url'> = {
  '/api/file-stream-upload': 'stream',
  '/api/file-base64-upload': 'base64',
  '/api/file-url-upload': 'url',
};

export function uploadHandler(ctx: SimContext): Handler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const { path, query: q } = query(req);
    const kind = ROUTES[path];
    let raw: Buffer;
    try {
      raw = await readBody(req, MAX_UPLOAD_BYTES * 1.4 + 1024 * 1024);
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) throw err;
      ctx.recorder.add({ origin: 'upload', method: req.method ?? 'POST', path, query: q, body: { tooLarge: true }, hadAuthorization: !!req.headers.authorization, at: Date.now() });
      res.setHeader('connection', 'close');
      return sendJson(res, 200, failed(413, 'File too large: the limit is 100 MB'));
    }
    const summary: Summary = kind === 'stream' ? streamUpload(ctx, req, raw) : kind ? jsonUpload(ctx, raw, kind) : { body: undefined };
    ctx.recorder.add({
      origin: 'upload', method: req.method ?? 'POST', path, query: q, body: summary.body,
      hadAuthorization: req.headers.authorization !== undefined, at: Date.now(),
    });
    const fault = ctx.faults.take(kind ? 'upload' : 'other', path);
    if (fault && respondWithFault(res, fault, ctx.stalled)) return;
    // The upload host does not know the API's paths.
    if (!kind || !summary.store) return sendJson(res, 404, { timestamp: Date.now(), status: 404, error: 'Not Found', path });
    if (req.method !== 'POST') return sendJson(res, 405, { timestamp: Date.now(), status: 405, error: 'Method Not Allowed', path });
    if (!keyAccepted(bearerKey(req), ctx.options)) return sendJson(res, 200, envelope(401, AUTH_FAILED_MSG));
    sendJson(res, 200, await summary.store());
  };
}
