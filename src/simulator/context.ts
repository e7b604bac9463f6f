// What the request handlers of the three origins share.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Catalog } from '../core/catalog/catalog';
import type { FaultInjector } from './faults';
import type { ResolvedOptions } from './options';
import type { SlidingWindowLimiter } from './rateLimit';
import type { Recorder } from './recorder';
import type { SimState } from './state';

export interface SimContext {
  options: ResolvedOptions;
  state: SimState;
  faults: FaultInjector;
  recorder: Recorder;
  catalog: Catalog;
  limits: { creates: SlidingWindowLimiter; status: SlidingWindowLimiter; perTaskStatus: SlidingWindowLimiter };
  /** Answers held open by 'stall' faults; ended when the simulator stops. */
  stalled: Set<ServerResponse>;
}

export const AUTH_FAILED_MSG = 'You do not have access permissions';

/** The bearer key of a request, or undefined. */
export function bearerKey(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match ? match[1].trim() : undefined;
}

export function keyAccepted(key: string | undefined, options: ResolvedOptions): boolean {
  if (!key) return false;
  return options.acceptAnyKey || key === options.apiKey;
}
