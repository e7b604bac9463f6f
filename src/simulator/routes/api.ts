// The API origin: create, status, credits, download links and Veo's 1080p, in Kie's envelope.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_FAMILIES, type ApiFamily } from '../../core/catalog/types';
import { ENDPOINTS } from '../../core/kie/endpoints';
import { AUTH_FAILED_MSG, bearerKey, keyAccepted, type SimContext } from '../context';
import type { EndpointKey } from '../faults';
import { BodyTooLarge, envelope, query, readBody, respondWithFault, sendJson, type Handler } from '../http/serve';
import { summarizeJson } from '../recorder';
import { statusRecord } from '../status';
import { LinkRegistry } from '../store/files';
import { phaseOf } from '../tasks/task';
import { createTask, type Envelope } from './create';

interface Request {
  path: string;
  query: Record<string, string>;
  body: unknown;
  key: string;
}

interface Route {
  method: 'GET' | 'POST';
  endpoint: EndpointKey;
  handle: (ctx: SimContext, r: Request) => Envelope;
}

const MAX_API_BODY = 10 * 1024 * 1024;

function buildRoutes(): Map<string, Route> {
  const routes = new Map<string, Route>();
  for (const family of API_FAMILIES) {
    const e = ENDPOINTS[family];
    for (const operation of ['generate', 'extend'] as const) {
      const path = e.create[operation];
      if (path) routes.set(path, { method: 'POST', endpoint: 'createTask', handle: (ctx, r) => create(ctx, family, operation, r) });
    }
    routes.set(e.status, { method: 'GET', endpoint: 'recordInfo', handle: (ctx, r) => status(ctx, family, r) });
  }
  routes.set('/api/v1/chat/credit', { method: 'GET', endpoint: 'credit', handle: (ctx) => envelope(200, 'success', ctx.state.credits()) });
  routes.set('/api/v1/common/download-url', { method: 'POST', endpoint: 'download-url', handle: commonDownloadUrl });
  routes.set('/api/v1/gpt4o-image/download-url', { method: 'POST', endpoint: 'download-url', handle: gpt4oDownloadUrl });
  routes.set('/api/v1/veo/get-1080p-video', { method: 'GET', endpoint: '1080p', handle: veo1080p });
  return routes;
}

const ROUTES = buildRoutes();

/** The endpoint key of an API path, for fault rules. */
export function apiEndpointOf(path: string): EndpointKey {
  return ROUTES.get(path)?.endpoint ?? 'other';
}

function create(ctx: SimContext, family: ApiFamily, operation: 'generate' | 'extend', r: Request): Envelope {
  const limit = ctx.limits.creates.hit(r.key);
  if (!limit.ok) return rateLimited(limit.retryAfterMs);
  return createTask(ctx, family, operation, r.path, r.body);
}

function rateLimited(retryAfterMs: number): Envelope & { retryAfterMs: number } {
  return { ...envelope(429, 'Your request frequency is too high. Please try again later.'), retryAfterMs };
}

function status(ctx: SimContext, family: ApiFamily, r: Request): Envelope {
  const limit = ctx.limits.status.hit(r.key);
  if (!limit.ok) return rateLimited(limit.retryAfterMs);
  const taskId = r.query.taskId;
  if (!taskId) return envelope(400, 'taskId is required');
  if (family === 'suno' || family === 'gpt4o-image') {
    const perTask = ctx.limits.perTaskStatus.hit(`${r.key}:${taskId}`);
    if (!perTask.ok) return rateLimited(perTask.retryAfterMs);
  }
  const task = ctx.state.tasks.get(taskId);
  const now = ctx.state.now();
  if (!task || task.entry.family !== family) {
    // Suno answers an unknown task with success and no data; the others with 422.
    return family === 'suno' ? envelope(200, 'success', null) : envelope(422, 'Record does not exist');
  }
  if (family === 'market' && now - task.createdAt < ctx.options.nullRecordMs) return envelope(422, 'recordInfo is null');
  return envelope(200, 'success', statusRecord(task, { state: ctx.state, now }));
}

function bodyField(r: Request, name: string): string | undefined {
  const v = (r.body as Record<string, unknown> | null)?.[name];
  return typeof v === 'string' && v ? v : undefined;
}

function commonDownloadUrl(ctx: SimContext, r: Request): Envelope {
  const url = bodyField(r, 'url');
  const fresh = url ? ctx.state.freshUrl(url) : undefined;
  return fresh ? envelope(200, 'success', fresh) : envelope(422, 'url is wrong');
}

function gpt4oDownloadUrl(ctx: SimContext, r: Request): Envelope {
  const taskId = bodyField(r, 'taskId');
  const url = bodyField(r, 'url');
  const task = taskId ? ctx.state.tasks.get(taskId) : undefined;
  if (!task || task.entry.family !== 'gpt4o-image') return envelope(422, 'Record does not exist');
  const path = url ? ctx.state.localPath(url) : undefined;
  const token = path ? LinkRegistry.tokenOf(path) : undefined;
  const belongs = !!token && ctx.state.links.get(token)?.taskId === task.id;
  const fresh = belongs && url ? ctx.state.freshUrl(url) : undefined;
  return fresh ? envelope(200, 'success', fresh) : envelope(422, 'url is wrong');
}

function veo1080p(ctx: SimContext, r: Request): Envelope {
  const task = r.query.taskId ? ctx.state.tasks.get(r.query.taskId) : undefined;
  if (!task || task.entry.family !== 'veo') return envelope(422, 'Record does not exist');
  if (phaseOf(task, ctx.state.now()) !== 'succeeded') return envelope(422, 'record status is not success');
  if (!task.files.some((f) => f.key === 'hd0')) return envelope(422, '1080P is only available for 16:9 videos');
  return envelope(200, 'success', { resultUrl: ctx.state.fileUrlOf(task, 'hd0') });
}

function parseJson(raw: Buffer): unknown {
  if (!raw.length) return undefined;
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function apiHandler(ctx: SimContext): Handler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const { path, query: q } = query(req);
    let raw: Buffer;
    try {
      raw = await readBody(req, MAX_API_BODY);
    } catch (err) {
      if (err instanceof BodyTooLarge) return sendJson(res, 413, envelope(413, 'Request body too large'));
      throw err;
    }
    const body = parseJson(raw);
    ctx.recorder.add({
      origin: 'api', method: req.method ?? 'GET', path, query: q, body: summarizeJson(body),
      hadAuthorization: req.headers.authorization !== undefined, at: Date.now(),
    });
    const route = ROUTES.get(path);
    const fault = ctx.faults.take(route?.endpoint ?? 'other', path);
    if (fault && respondWithFault(res, fault, ctx.stalled)) return;
    if (!route) return sendJson(res, 404, { timestamp: Date.now(), status: 404, error: 'Not Found', path });
    if (req.method !== route.method) return sendJson(res, 405, { timestamp: Date.now(), status: 405, error: 'Method Not Allowed', path });
    const key = bearerKey(req);
    if (!keyAccepted(key, ctx.options)) return sendJson(res, 200, envelope(401, AUTH_FAILED_MSG));
    if (route.method === 'POST' && typeof body === 'string') return sendJson(res, 200, envelope(400, 'The request body is not valid JSON'));
    const answer = route.handle(ctx, { path, query: q, body, key: key as string });
    const { retryAfterMs, ...env } = answer as Envelope & { retryAfterMs?: number };
    // Kie answers business errors (rate limits included) with HTTP 200 and the code in the body.
    sendJson(res, 200, env, retryAfterMs !== undefined ? { 'retry-after': String(Math.ceil(retryAfterMs / 1000)) } : {});
  };
}
