// Small HTTP helpers shared by the three origins: listening, bodies, JSON answers, injected faults.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FaultRule } from '../faults';

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface OriginServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts a server on host:port (0 = any free port) and reports the URL it got. */
export async function startOrigin(handler: Handler, host: string, port: number, onError: (err: unknown) => void): Promise<OriginServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err) => {
        onError(err);
        if (!res.headersSent) sendJson(res, 500, { code: 500, msg: 'Internal simulator error', data: null });
        else res.destroy();
      });
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    port: actualPort,
    url: `http://${urlHost}:${actualPort}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Stalled answers and idle keep-alive connections would otherwise hold close() open.
      for (const s of sockets) s.destroy();
      server.closeAllConnections?.();
    }),
  };
}

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge(`Body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': String(body.length), ...headers });
  res.end(body);
}

/** Kie's envelope; business errors travel in `code` with HTTP 200. */
export function envelope(code: number, msg: string, data: unknown = null): { code: number; msg: string; data: unknown } {
  return { code, msg, data };
}

export function query(req: IncomingMessage): { path: string; query: Record<string, string> } {
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  return { path: url.pathname, query: Object.fromEntries(url.searchParams) };
}

/**
 * Answers a request with an injected fault. Returns false for kinds the caller must handle itself
 * ('task-fail', 'expired').
 */
export function respondWithFault(res: ServerResponse, rule: FaultRule, stalled: Set<ServerResponse>): boolean {
  switch (rule.kind) {
    case 'http': {
      const status = rule.status ?? 500;
      const body = `<html><head><title>${status}</title></head><body><center><h1>${status} Bad Gateway</h1></center></body></html>`;
      res.writeHead(status, { 'content-type': 'text/html', 'content-length': String(Buffer.byteLength(body)) });
      res.end(body);
      return true;
    }
    case 'rate-limit': {
      const seconds = rule.retryAfterSec ?? 1;
      sendJson(res, 429, envelope(429, 'Too many requests, please slow down.'), { 'retry-after': String(seconds) });
      return true;
    }
    case 'maintenance':
      sendJson(res, 200, envelope(455, 'The service is under maintenance, please try again later.'));
      return true;
    case 'code':
      sendJson(res, 200, envelope(rule.code ?? 500, `Simulated error ${rule.code ?? 500}`));
      return true;
    case 'reset':
      res.socket?.destroy();
      res.destroy();
      return true;
    case 'stall':
      stalled.add(res);
      res.on('close', () => stalled.delete(res));
      return true;
    case 'truncate': {
      const body = JSON.stringify(envelope(200, 'success', { note: 'this answer is cut short by the simulator' }));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length + 512) });
      res.write(body.slice(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      return true;
    }
    case 'malformed': {
      const body = '{"code":200,"msg":"success","data":{"taskId":<html>';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
      res.end(body);
      return true;
    }
    default:
      return false;
  }
}
