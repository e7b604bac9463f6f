import { open, type FileHandle } from 'node:fs/promises';
import net from 'node:net';
import tls from 'node:tls';

/**
 * A plain HTTP/1.1 GET for big result files. Node's sockets allocate a fresh buffer for every
 * 64 KiB read, which makes a download CPU-bound at a fraction of the link speed; here the socket
 * reads into a small pool of reused 1 MiB buffers (`onread`) that go straight to the file with
 * positioned writes, so memory stays at a few MiB and the CPU cost is close to curl's. Only the
 * plain case is handled: anything else (redirects, chunked or compressed bodies, odd headers)
 * throws NeedsGeneralClient and the caller uses undici instead. No Authorization header is sent.
 */

export interface ResponseHead {
  status: number;
  /** Lower-case names; the last value wins. */
  headers: Record<string, string>;
}

/** What to do with a response body: write it into a file from `start`, or drop it. */
export type BodyDecision = { write: true; path: string; start: number } | { write: false };

export class NeedsGeneralClient extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NeedsGeneralClient';
  }
}

export class RawGetError extends Error {
  constructor(message: string, readonly code: string, readonly gotHead: boolean) {
    super(message);
    this.name = 'RawGetError';
  }
}

export interface RawGetOptions {
  headers: Record<string, string>;
  decide: (head: ResponseHead) => BodyDecision;
  signal?: AbortSignal;
  /** Connect, headers and idle-body timeout. */
  timeoutMs: number;
  onBytes?: (written: number) => void;
  /** Extra trusted certificates (PEM), besides Node's. */
  ca?: string | Buffer;
}

const BUFFER_SIZE = 1 << 20;
/** Chunks read but not yet written before the socket is paused. */
const MAX_WRITES_IN_FLIGHT = 4;
const MAX_HEADER_BYTES = 64 * 1024;

function parseHead(text: string): ResponseHead {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!m) throw new NeedsGeneralClient(`unexpected status line "${(lines[0] ?? '').slice(0, 40)}"`);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new NeedsGeneralClient('malformed header line');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(m[1]), headers };
}

async function writeAllv(file: FileHandle, buffers: Buffer[], position: number): Promise<void> {
  let rest = buffers;
  let at = position;
  while (rest.length) {
    const { bytesWritten } = await file.writev(rest, at);
    at += bytesWritten;
    // A short write (rare for files): carry on from where it stopped.
    let skip = bytesWritten;
    const next: Buffer[] = [];
    for (const b of rest) {
      if (skip >= b.length) {
        skip -= b.length;
        continue;
      }
      next.push(skip ? b.subarray(skip) : b);
      skip = 0;
    }
    rest = next;
  }
}

export function rawGet(url: URL, opts: RawGetOptions): Promise<{ head: ResponseHead; decision: BodyDecision; written: number }> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.reject(new NeedsGeneralClient(`protocol ${url.protocol}`));
  if (url.username || url.password) return Promise.reject(new NeedsGeneralClient('credentials in the URL'));
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(url.port) || (secure ? 443 : 80);
    const free: Buffer[] = [];
    let headerBytes: Buffer = Buffer.alloc(0);
    let head: ResponseHead | undefined;
    let decision: BodyDecision | undefined;
    let file: Promise<FileHandle> | undefined;
    let position = 0;
    let written = 0;
    let expected: number | undefined;
    let inFlight = 0;
    let paused = false;
    let ended = false;
    let settled = false;
    let failure: unknown;
    const pending = new Set<Promise<void>>();

    const finish = async () => {
      if (settled) return;
      settled = true;
      socket.destroy();
      opts.signal?.removeEventListener('abort', onAbort);
      await Promise.allSettled([...pending]);
      if (file) await (await file.catch(() => undefined))?.close().catch(() => undefined);
      if (failure !== undefined) reject(failure);
      else resolve({ head: head as ResponseHead, decision: decision as BodyDecision, written });
    };
    const fail = (err: unknown) => {
      if (failure === undefined) failure = err;
      void finish();
    };
    const maybeDone = () => {
      if (ended && inFlight === 0 && !settled) {
        if (expected !== undefined && written < expected) fail(new RawGetError(`the body ended after ${written} of ${expected} bytes`, 'ECONNRESET', true));
        else void finish();
      }
    };

    // One write at a time, in order: the file on disk is always a prefix of the body (no holes),
    // so a download killed at any moment resumes correctly from its size.
    const queue: { data: Buffer; pooled?: Buffer }[] = [];
    let writing = false;
    const pump = () => {
      if (writing || !queue.length) return;
      writing = true;
      // Everything queued goes out in one positioned writev.
      const batch = queue.splice(0);
      const at = position;
      const size = batch.reduce((n, b) => n + b.data.length, 0);
      position += size;
      const p = (file as Promise<FileHandle>).then((fh) => writeAllv(fh, batch.map((b) => b.data), at)).then(() => {
        writing = false;
        inFlight -= batch.length;
        for (const b of batch) if (b.pooled) free.push(b.pooled);
        opts.onBytes?.(position - (decision as { start: number }).start);
        if (paused && inFlight < MAX_WRITES_IN_FLIGHT && !settled) {
          paused = false;
          socket.resume();
        }
        pump();
        maybeDone();
      }, fail);
      pending.add(p);
      void p.finally(() => pending.delete(p));
    };
    const write = (data: Buffer, pooled?: Buffer) => {
      if (expected !== undefined && written + data.length > expected) data = data.subarray(0, expected - written);
      written += data.length;
      inFlight++;
      queue.push({ data, pooled });
      pump();
      if (expected !== undefined && written >= expected) {
        ended = true; // everything announced has arrived; the rest (if any) is not ours
        socket.pause();
      }
    };

    const onHeaderBytes = (chunk: Buffer): boolean => {
      headerBytes = Buffer.concat([headerBytes, chunk]);
      for (;;) {
        const end = headerBytes.indexOf('\r\n\r\n');
        if (end < 0) {
          if (headerBytes.length > MAX_HEADER_BYTES) fail(new NeedsGeneralClient('headers too large'));
          return true;
        }
        const parsed = parseHead(headerBytes.subarray(0, end).toString('latin1'));
        const rest = headerBytes.subarray(end + 4);
        if (parsed.status >= 100 && parsed.status < 200) {
          headerBytes = Buffer.from(rest); // an interim answer: the real one follows
          continue;
        }
        const te = parsed.headers['transfer-encoding'];
        const ce = parsed.headers['content-encoding'];
        if (parsed.status >= 300 && parsed.status < 400) throw new NeedsGeneralClient(`redirect ${parsed.status}`);
        if (te && te.toLowerCase() !== 'identity') throw new NeedsGeneralClient(`transfer-encoding ${te}`);
        if (ce && ce.toLowerCase() !== 'identity') throw new NeedsGeneralClient(`content-encoding ${ce}`);
        head = parsed;
        decision = opts.decide(parsed);
        if (!decision.write) {
          ended = true;
          void finish();
          return false;
        }
        const len = parsed.headers['content-length'];
        expected = len !== undefined && /^\d+$/.test(len) ? Number(len) : undefined;
        position = decision.start;
        file = open(decision.path, decision.start > 0 ? 'r+' : 'w');
        file.catch(fail);
        if (expected === 0) {
          ended = true;
          maybeDone();
          return false;
        }
        if (rest.length) write(Buffer.from(rest));
        return true;
      }
    };

    const onread = {
      buffer: () => free.pop() ?? Buffer.allocUnsafe(BUFFER_SIZE),
      callback: (n: number, buf: Buffer): boolean => {
        if (settled || ended) return false;
        socket.setTimeout(opts.timeoutMs); // idle timer: restart on every read
        try {
          if (!head) {
            const copy = Buffer.from(buf.subarray(0, n));
            free.push(buf);
            return onHeaderBytes(copy);
          }
          write(buf.subarray(0, n), buf);
          if (inFlight >= MAX_WRITES_IN_FLIGHT) {
            paused = true;
            return false;
          }
          return true;
        } catch (err) {
          fail(err);
          return false;
        }
      },
    };
    const socket: net.Socket = secure
      ? tls.connect({
        host, port, servername: net.isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'], onread,
        ...(opts.ca ? { ca: [...tls.rootCertificates, opts.ca.toString()] } : {}),
      } as tls.ConnectionOptions)
      : net.connect({ host, port, onread } as net.NetConnectOpts);
    const onAbort = () => fail(new RawGetError('cancelled', 'ABORT_ERR', !!head));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.setTimeout(opts.timeoutMs, () => fail(new RawGetError(`no data for ${opts.timeoutMs} ms`, 'UND_ERR_BODY_TIMEOUT', !!head)));
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      const target = `${url.pathname || '/'}${url.search}`;
      const lines = [`GET ${target} HTTP/1.1`, `Host: ${url.host}`, 'Connection: close', 'Accept-Encoding: identity'];
      for (const [k, v] of Object.entries(opts.headers)) {
        if (/[\r\n]/.test(k + v) || k.toLowerCase() === 'authorization') continue;
        lines.push(`${k}: ${v}`);
      }
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => fail(new RawGetError(err.message, err.code ?? 'ECONNRESET', !!head)));
    socket.on('end', () => {
      if (!head) return fail(new RawGetError('the connection closed before an answer', 'UND_ERR_SOCKET', false));
      ended = true;
      maybeDone();
    });
    socket.on('close', () => {
      if (!ended && !settled) fail(new RawGetError('the connection closed', 'UND_ERR_SOCKET', !!head));
    });
  });
}
