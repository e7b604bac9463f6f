import { Agent, request, type Dispatcher } from 'undici';
import { KieError, errorFromCode } from './errors';
import { abortError } from './retry';

export interface HttpLogEvent {
  method: string;
  /** URL without query string values that could identify a user; never headers. */
  url: string;
  status?: number;
  code?: number;
  ms: number;
  error?: string;
}

export interface KieHttpOptions {
  apiKey: string;
  apiBaseUrl: string;
  uploadBaseUrl: string;
  timeoutMs?: number;
  log?: (event: HttpLogEvent) => void;
  dispatcher?: Dispatcher;
}

export interface CallOptions {
  method: 'GET' | 'POST';
  url: string;
  json?: unknown;
  body?: Dispatcher.DispatchOptions['body'];
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** A create call: a failure after the request may have reached Kie is reported as outcome unknown. */
  paid?: boolean;
}

export interface Envelope {
  code: number;
  msg?: string;
  data: unknown;
}

const sharedAgent = new Agent({ keepAliveTimeout: 10_000, connections: 32 });

function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(v);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function networkKind(err: unknown): 'timeout' | 'network' {
  const code = (err as { code?: string })?.code ?? '';
  return /TIMEOUT/i.test(code) || (err as Error)?.name === 'TimeoutError' ? 'timeout' : 'network';
}

/** Errors that prove the request never left this machine. */
function certainlyNotSent(err: unknown): boolean {
  const code = (err as { code?: string; cause?: { code?: string } })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  return ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code ?? '');
}

/**
 * The one place that talks HTTP to Kie. It adds the key only for the API and upload origins,
 * checks both the HTTP status and the envelope's `code`, and turns every failure into a KieError.
 */
export class KieHttp {
  private readonly keyOrigins: Set<string>;
  readonly apiBaseUrl: string;
  readonly uploadBaseUrl: string;

  constructor(private readonly options: KieHttpOptions) {
    this.apiBaseUrl = options.apiBaseUrl.replace(/\/+$/, '');
    this.uploadBaseUrl = options.uploadBaseUrl.replace(/\/+$/, '');
    this.keyOrigins = new Set([new URL(this.apiBaseUrl).origin, new URL(this.uploadBaseUrl).origin]);
  }

  api(path: string): string {
    return `${this.apiBaseUrl}${path}`;
  }

  upload(path: string): string {
    return `${this.uploadBaseUrl}${path}`;
  }

  async call(opts: CallOptions): Promise<Envelope> {
    const origin = new URL(opts.url).origin;
    if (!this.keyOrigins.has(origin)) {
      throw new KieError({ kind: 'forbidden-host', message: `Refusing to send the API key to ${origin}: it is not the Kie API or upload host.` });
    }
    if (opts.signal?.aborted) throw abortError();
    const started = Date.now();
    const timeoutMs = opts.timeoutMs ?? this.options.timeoutMs ?? 30_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers, authorization: `Bearer ${this.options.apiKey}` };
    let body = opts.body;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    const logUrl = opts.url.replace(/\?.*$/, (q) => q.replace(/=([^&]{0,6})[^&]*/g, '=$1…'));
    const log = (e: Omit<HttpLogEvent, 'method' | 'url' | 'ms'>) => this.options.log?.({ method: opts.method, url: logUrl, ms: Date.now() - started, ...e });

    let status: number;
    let text: string;
    let retryAfter: number | undefined;
    try {
      const res = await request(opts.url, {
        method: opts.method, headers, body, signal,
        dispatcher: this.options.dispatcher ?? sharedAgent,
        headersTimeout: timeoutMs, bodyTimeout: timeoutMs,
      });
      status = res.statusCode;
      retryAfter = retryAfterMs(res.headers['retry-after']);
      text = await res.body.text();
    } catch (err) {
      if (opts.signal?.aborted) {
        log({ error: 'aborted' });
        throw new KieError({ kind: 'aborted', message: 'Cancelled.', outcomeUnknown: !!opts.paid, cause: err });
      }
      const kind = timeout.aborted ? 'timeout' : networkKind(err);
      const notSent = certainlyNotSent(err);
      const message = kind === 'timeout'
        ? `Kie.ai did not answer within ${timeoutMs >= 1000 ? `${Math.ceil(timeoutMs / 1000)} s` : `${timeoutMs} ms`}.`
        : `Could not reach Kie.ai (${(err as { code?: string }).code ?? (err as Error).message}).`;
      log({ error: message });
      throw new KieError({ kind, message, outcomeUnknown: !!opts.paid && !notSent, cause: err });
    }

    let envelope: Envelope | undefined;
    try {
      const parsed = text ? JSON.parse(text) : undefined;
      if (parsed && typeof parsed === 'object' && 'code' in parsed) envelope = parsed as Envelope;
    } catch {
      envelope = undefined;
    }
    if (status >= 400 && (!envelope || envelope.code === 200)) {
      log({ status });
      // A gateway error without Kie's envelope may hide a create that went through.
      throw errorFromCode(status, envelope?.msg ?? undefined, status, retryAfter, !!opts.paid && status >= 500 && !envelope);
    }
    if (!envelope) {
      log({ status, error: 'malformed' });
      throw new KieError({
        kind: 'malformed', httpStatus: status, outcomeUnknown: !!opts.paid,
        message: `Kie.ai sent an answer that is not the expected JSON (HTTP ${status}, ${text.length} bytes).`,
      });
    }
    log({ status, code: envelope.code });
    if (envelope.code !== 200) throw errorFromCode(envelope.code, envelope.msg, status, retryAfter);
    return envelope;
  }
}
