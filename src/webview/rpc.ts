/**
 * Requests from the webview to the host: each gets a fresh requestId and is settled by the one
 * `reply` that carries it. DOM-free.
 */
import * as z from 'zod';
import type { ValidationIssue } from '../core/catalog/types';
import type { ReplyResults, WebviewMessage } from './protocol';
import { replyMessage } from './protocol';

export type RequestType = keyof ReplyResults;
type RequestOf<K extends RequestType> = { type: K } & Omit<Extract<WebviewMessage, { type: K }>, 'requestId' | 'type'>;

export type Reply<K extends RequestType> =
  | { ok: true; result: ReplyResults[K] }
  | { ok: false; error: string; issues: ValidationIssue[] };

const files = z.object({ files: z.array(z.object({ path: z.string(), previewUri: z.string().optional() })) });
/** Checks of each request's result: a reply whose result is not of this shape counts as an error. */
const RESULTS: { [K in RequestType]: z.ZodType<ReplyResults[K]> } = {
  generate: z.object({ taskId: z.string(), localId: z.string() }),
  pickFile: files,
  listMedia: files,
  preview: z.object({ uri: z.string().optional() }),
};

interface Pending {
  type: RequestType;
  resolve: (reply: Reply<RequestType>) => void;
  timer?: ReturnType<typeof setTimeout>;
}

export class RequestTracker {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly post: (message: WebviewMessage) => void,
    /** No reply in this time settles the request as failed (0: wait for ever). */
    private readonly timeoutMs = 0,
  ) {}

  request<K extends RequestType>(message: RequestOf<K>, timeoutMs = this.timeoutMs): Promise<Reply<K>> {
    const requestId = this.nextId++;
    return new Promise<Reply<K>>((resolve) => {
      const entry: Pending = { type: message.type as K, resolve: resolve as (r: Reply<RequestType>) => void };
      if (timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          this.pending.delete(requestId);
          resolve({ ok: false, error: 'The extension did not answer in time.', issues: [] });
        }, timeoutMs);
      }
      this.pending.set(requestId, entry);
      try {
        this.post({ ...message, requestId } as unknown as WebviewMessage);
      } catch (err) {
        this.settle(requestId, { ok: false, error: `Could not reach the extension: ${(err as Error).message}`, issues: [] });
      }
    });
  }

  /** Settles the request a reply answers; false when the message is no reply or answers nothing pending. */
  handleReply(raw: unknown): boolean {
    const parsed = replyMessage.safeParse(raw);
    if (!parsed.success) return false;
    const msg = parsed.data;
    const entry = this.pending.get(msg.requestId);
    if (!entry) return false;
    if (!msg.ok) {
      this.settle(msg.requestId, { ok: false, error: msg.error ?? (msg.issues?.length ? 'Check the highlighted fields.' : 'The request failed.'), issues: msg.issues ?? [] });
      return true;
    }
    const result = RESULTS[entry.type].safeParse(msg.result);
    this.settle(
      msg.requestId,
      result.success ? { ok: true, result: result.data } : { ok: false, error: 'The extension sent an unexpected answer.', issues: [] },
    );
    return true;
  }

  /** Fails every open request (e.g. the host went away). */
  failAll(error: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, { ok: false, error, issues: [] });
  }

  get openRequests(): number {
    return this.pending.size;
  }

  private settle(id: number, reply: Reply<RequestType>): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    if (entry.timer) clearTimeout(entry.timer);
    entry.resolve(reply);
  }
}
