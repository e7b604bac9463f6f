// What the simulator received, so tests can assert on traffic (e.g. "exactly one create").

export type Origin = 'api' | 'upload' | 'file';

export interface ReceivedRequest {
  origin: Origin;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON, a summary of a multipart body, the raw text when it is not JSON, or undefined. */
  body: unknown;
  /** Whether an Authorization header came with it (the file origin must never see one). */
  hadAuthorization: boolean;
  /** Epoch ms. */
  at: number;
}

/** Long strings (base64 uploads) are replaced by a note of their length. */
export function summarizeJson(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > 2000 ? `<${value.length} characters>` : value;
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => summarizeJson(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, summarizeJson(v, depth + 1)]));
}

export class Recorder {
  readonly list: ReceivedRequest[] = [];

  constructor(private readonly max = 50_000) {}

  add(entry: ReceivedRequest): void {
    this.list.push(entry);
    if (this.list.length > this.max) this.list.splice(0, this.list.length - this.max);
  }

  clear(): void {
    this.list.length = 0;
  }
}
