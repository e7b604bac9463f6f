// Fault injection: scripted (the next n requests) or random (probability per request), per endpoint.
import type { Random } from './random';

/**
 * Which requests a rule applies to:
 * - 'createTask': every create call (Market createTask and each family's generate/extend),
 * - 'recordInfo': every status call (Market recordInfo, each family's record-info/record-detail),
 * - 'credit', 'download-url' (common and 4o), '1080p' (Veo), 'upload' (the three uploads),
 * - 'file': the result/file origin, '*': everything, or an exact path such as '/api/v1/generate'.
 */
export type EndpointKey = 'createTask' | 'recordInfo' | 'credit' | 'download-url' | '1080p' | 'upload' | 'file' | 'other';

export type FaultKind =
  /** HTTP status `status` (default 500) with a gateway-style HTML body and no Kie envelope. */
  | 'http'
  /** HTTP 429 with `Retry-After: retryAfterSec` and envelope code 429. */
  | 'rate-limit'
  /** HTTP 200 with envelope code 455 (maintenance). */
  | 'maintenance'
  /** HTTP 200 with envelope code `code` (e.g. 550 queue full, 433 usage cap). */
  | 'code'
  /** The socket is destroyed without an answer. */
  | 'reset'
  /** No answer at all until the simulator stops. */
  | 'stall'
  /** Content-Length larger than what is sent, then the socket is destroyed. */
  | 'truncate'
  /** HTTP 200 with a body that is not JSON. */
  | 'malformed'
  /** Create calls only: the task is accepted, then fails with failCode/failMsg (content policy by default). */
  | 'task-fail'
  /** On create calls: the task's result links are born expired. On 'file': the requested link expires now (404). */
  | 'expired';

export interface FaultInit {
  endpoint: EndpointKey | '*' | string;
  kind: FaultKind;
  /** Fire on this many matching requests, then drop the rule. */
  times?: number;
  /** Fire on each matching request with this probability (0..1). With `times`, until fired that often. */
  probability?: number;
  /** 'http': the HTTP status (default 500). */
  status?: number;
  /** 'code': the envelope code (default 500). */
  code?: number;
  /** 'rate-limit': seconds for Retry-After (default 1; fractions allowed). */
  retryAfterSec?: number;
  /** 'task-fail': the failure reported by the status endpoint. */
  failCode?: string;
  failMsg?: string;
}

export interface FaultRule extends Required<Pick<FaultInit, 'endpoint' | 'kind'>>, Omit<FaultInit, 'endpoint' | 'kind'> {
  id: number;
  /** How often it has fired. */
  fired: number;
}

export const CONTENT_POLICY_MESSAGE = 'Your prompt was flagged by the website as violating content policies.';

const KINDS_ON_CREATE_ONLY = new Set<FaultKind>(['task-fail']);
const KINDS_NOT_ON_FILES = new Set<FaultKind>(['maintenance', 'code', 'malformed', 'task-fail']);

/**
 * String form, for the CLI (`--faults`):
 *
 *   spec     := rule ("," rule)*
 *   rule     := endpoint ":" kind [":" amount]
 *   endpoint := createTask | recordInfo | credit | download-url | 1080p | upload | file | * | /exact/path
 *   kind     := reset | stall | truncate | malformed | expired | maintenance | ratelimit[=SECONDS]
 *             | fail[=FAILCODE] | code=N | NNN
 *               (NNN: 429 = ratelimit, 455 = maintenance, 500–599 = that HTTP status without envelope,
 *                any other number = that code in an HTTP 200 envelope)
 *   amount   := an integer n  → the next n matching requests
 *             | a decimal p  → each matching request with probability p (0 < p ≤ 1, written with a dot: 0.1, 1.0)
 *             | absent       → every matching request
 *
 * Examples: "recordInfo:500:0.1,createTask:reset:1", "file:truncate:2", "createTask:fail:1", "*:455".
 */
export function parseFaultSpec(spec: string): FaultInit[] {
  const rules: FaultInit[] = [];
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    // An exact path may not contain ':'; the endpoint is everything before the first ':'.
    const [endpoint, kindText, amount, ...extra] = part.split(':');
    if (!endpoint || !kindText || extra.length) throw new Error(`Bad fault rule "${part}": expected endpoint:kind[:amount].`);
    const rule: FaultInit = { endpoint, ...parseKind(kindText, part) };
    if (amount !== undefined) {
      if (/^\d+$/.test(amount) && Number(amount) >= 1) rule.times = Number(amount);
      else if (/^\d*\.\d+$/.test(amount) && Number(amount) > 0 && Number(amount) <= 1) rule.probability = Number(amount);
      else throw new Error(`Bad fault amount "${amount}" in "${part}": an integer count or a probability like 0.1.`);
    }
    rules.push(rule);
  }
  return rules;
}

function parseKind(text: string, part: string): Omit<FaultInit, 'endpoint'> {
  const [name, arg] = text.split('=');
  const num = (v: string | undefined, what: string): number => {
    const n = Number(v);
    if (v === undefined || v === '' || !Number.isFinite(n)) throw new Error(`Bad ${what} in fault rule "${part}".`);
    return n;
  };
  if (/^\d{3}$/.test(name)) {
    const n = Number(name);
    if (n === 429) return { kind: 'rate-limit', retryAfterSec: arg !== undefined ? num(arg, 'Retry-After') : undefined };
    if (n === 455) return { kind: 'maintenance' };
    if (n >= 500 && n <= 599) return { kind: 'http', status: n };
    return { kind: 'code', code: n };
  }
  switch (name.toLowerCase()) {
    case 'reset': return { kind: 'reset' };
    case 'stall': return { kind: 'stall' };
    case 'truncate': case 'truncated': return { kind: 'truncate' };
    case 'malformed': return { kind: 'malformed' };
    case 'expired': return { kind: 'expired' };
    case 'maintenance': return { kind: 'maintenance' };
    case 'ratelimit': case 'rate-limit': return { kind: 'rate-limit', retryAfterSec: arg !== undefined ? num(arg, 'Retry-After') : undefined };
    case 'fail': return { kind: 'task-fail', failCode: arg || undefined };
    case 'code': return { kind: 'code', code: num(arg, 'code') };
    case 'http': return { kind: 'http', status: num(arg, 'status') };
    default: throw new Error(`Unknown fault kind "${name}" in "${part}".`);
  }
}

/** The rules in force; the simulator asks it once per request. */
export class FaultInjector {
  private rules: FaultRule[] = [];
  private nextId = 1;

  constructor(private readonly random: Random, initial: string | FaultInit[] = []) {
    for (const r of typeof initial === 'string' ? parseFaultSpec(initial) : initial) this.add(r);
  }

  /** Adds a rule (or every rule of a spec string); returns the rules added. */
  add(rule: FaultInit | string): FaultRule[] {
    const inits = typeof rule === 'string' ? parseFaultSpec(rule) : [rule];
    const added = inits.map((r) => ({ ...r, id: this.nextId++, fired: 0 }));
    this.rules.push(...added);
    return added;
  }

  remove(id: number): void {
    this.rules = this.rules.filter((r) => r.id !== id);
  }

  clear(): void {
    this.rules = [];
  }

  list(): readonly FaultRule[] {
    return this.rules;
  }

  /**
   * The fault to apply to one request, if any, consuming a use of its rule. `onlyKinds` narrows the
   * kinds considered (the create handler asks separately for task-level faults).
   */
  take(endpoint: EndpointKey, path: string, onlyKinds?: FaultKind[]): FaultRule | undefined {
    for (const rule of this.rules) {
      if (onlyKinds ? !onlyKinds.includes(rule.kind) : rule.kind === 'task-fail' || (rule.kind === 'expired' && endpoint !== 'file')) continue;
      if (!matches(rule, endpoint, path)) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      rule.fired++;
      if (rule.times !== undefined && rule.fired >= rule.times) this.remove(rule.id);
      return rule;
    }
    return undefined;
  }
}

function matches(rule: FaultRule, endpoint: EndpointKey, path: string): boolean {
  if (KINDS_ON_CREATE_ONLY.has(rule.kind) && endpoint !== 'createTask') return false;
  if (endpoint === 'file' && KINDS_NOT_ON_FILES.has(rule.kind)) return false;
  if (rule.endpoint === '*') return true;
  if (rule.endpoint.startsWith('/')) return rule.endpoint === path;
  return rule.endpoint === endpoint;
}
