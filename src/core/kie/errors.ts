/** What went wrong, in terms a caller can act on. */
export type KieErrorKind =
  | 'auth' // 401: key rejected
  | 'credits' // 402: balance too low
  | 'invalid' // 400/422: input refused
  | 'not-found' // 404, unknown task, "Record does not exist"
  | 'rate-limit' // 429
  | 'quota' // 433: usage cap
  | 'maintenance' // 455
  | 'generation' // 501/531 and task failures
  | 'server' // other 5xx
  | 'network' // connection failed, reset, truncated body
  | 'timeout'
  | 'malformed' // the answer was not the JSON we expect
  | 'aborted'
  | 'forbidden-host'; // refused to send the key to a host that is not Kie's

export interface KieErrorInit {
  kind: KieErrorKind;
  message: string;
  code?: number;
  httpStatus?: number;
  kieMessage?: string;
  retryAfterMs?: number;
  /** A create call whose request may have reached Kie: its outcome is unknown. */
  outcomeUnknown?: boolean;
  cause?: unknown;
}

export class KieError extends Error {
  readonly kind: KieErrorKind;
  readonly code?: number;
  readonly httpStatus?: number;
  readonly kieMessage?: string;
  readonly retryAfterMs?: number;
  readonly outcomeUnknown: boolean;

  constructor(init: KieErrorInit) {
    super(init.message, { cause: init.cause });
    this.name = 'KieError';
    this.kind = init.kind;
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.kieMessage = init.kieMessage;
    this.retryAfterMs = init.retryAfterMs;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
  }

  /** Worth another try for a call that costs nothing (status, credits, links). */
  get retryable(): boolean {
    return ['rate-limit', 'server', 'network', 'timeout', 'malformed', 'maintenance'].includes(this.kind);
  }
}

const KIND_BY_CODE: Record<number, KieErrorKind> = {
  400: 'invalid', 401: 'auth', 402: 'credits', 404: 'not-found', 408: 'generation', 413: 'generation', 422: 'invalid',
  429: 'rate-limit', 433: 'quota', 451: 'invalid', 455: 'maintenance', 500: 'server', 501: 'generation',
  505: 'invalid', 531: 'generation', 550: 'server',
};

export function kindForCode(code: number): KieErrorKind {
  return KIND_BY_CODE[code] ?? (code >= 500 ? 'server' : 'invalid');
}

/** A sentence a person can act on, with Kie's own words where they help. */
export function messageFor(kind: KieErrorKind, code: number, kieMessage: string | undefined): string {
  const detail = kieMessage ? `: ${kieMessage}` : '';
  switch (kind) {
    case 'auth': return 'Kie.ai rejected the API key. Check it, or set a new one.';
    case 'credits': return 'Not enough Kie.ai credits for this generation. Top up your balance and try again.';
    case 'invalid':
      if (code === 451) return `Kie.ai could not fetch an input file${detail}`;
      if (code === 505) return `This feature is disabled at Kie.ai${detail}`;
      return `Kie.ai refused the input${detail}`;
    case 'not-found': return `Kie.ai has no such task${detail}`;
    case 'rate-limit': return 'Kie.ai is rate limiting requests; slowing down and retrying.';
    case 'quota': return `Your Kie.ai usage cap is reached${detail}`;
    case 'maintenance': return 'Kie.ai is in maintenance. Try again later.';
    case 'generation': return `Generation failed${detail || ' (no reason given)'}`;
    case 'server': return code === 550 ? 'Kie.ai\'s queue is full. Try again in a while.' : `Kie.ai had a server error (${code})${detail}`;
    default: return `Kie.ai request failed (${code})${detail}`;
  }
}

export function errorFromCode(
  code: number, kieMessage: string | undefined, httpStatus?: number, retryAfterMs?: number, outcomeUnknown = false,
): KieError {
  // Kie answers an unknown task with 422 "Record does not exist" or "recordInfo is null".
  const unknownTask = (code === 404 || code === 422) && /record does not exist|recordinfo is null/i.test(kieMessage ?? '');
  const kind = unknownTask ? 'not-found' : kindForCode(code);
  return new KieError({ kind, code, httpStatus, kieMessage, retryAfterMs, outcomeUnknown, message: messageFor(kind, code, kieMessage) });
}
