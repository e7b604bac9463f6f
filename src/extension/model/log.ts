/** Log lines for the output channel: requests with timings, and redaction of secrets. */
import type { HttpLogEvent } from '../../core/kie/http';

/** Replaces every occurrence of the given secrets (and anything that looks like a bearer token) with "***". */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join('***');
  }
  return out.replace(/(bearer\s+)[^\s"',]+/gi, '$1***');
}

export function formatHttpEvent(e: HttpLogEvent): string {
  const status = e.status !== undefined ? ` → ${e.status}${e.code !== undefined && e.code !== e.status ? ` (code ${e.code})` : ''}` : '';
  const error = e.error ? ` ✗ ${e.error}` : '';
  return `${e.method} ${e.url}${status} in ${e.ms} ms${error}`;
}

/** Whether an HTTP log event is an error worth the "error" level. */
export function isErrorEvent(e: HttpLogEvent): boolean {
  return !!e.error || (e.status !== undefined && e.status >= 400) || (e.code !== undefined && e.code !== 200);
}
