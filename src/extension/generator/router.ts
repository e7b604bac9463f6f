/**
 * The host side of the generator protocol without VS Code: parsing messages from the webview,
 * routing them to services, answering requests, and the outbox that holds host messages until
 * the webview is ready. `generatorView.ts` supplies the VS Code services; tests supply fakes.
 */
import { validateInput, type Catalog } from '../../core/catalog/catalog';
import type { Category, MediaKind, ValidationIssue } from '../../core/catalog/types';
import type { Destination, TaskEngineApi } from '../../core/engine/types';
import { mapLocalPaths, withPlaceholders } from '../../webview/mediaPaths';
import {
  FROM_HOST, FROM_WEBVIEW, hostMessage, webviewMessage,
  type HostMessage, type ReplyResults, type WebviewMessage,
} from '../../webview/protocol';

export type ReplyMessage = Extract<HostMessage, { type: 'reply' }>;
type RequestMessage = Extract<WebviewMessage, { requestId: number }>;
export type WebviewCommand = Extract<WebviewMessage, { type: 'runCommand' }>['command'];

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
}

export interface GeneratorServices {
  catalog(): Catalog;
  engine(): TaskEngineApi;
  /** Where outputs go; undefined when the user declined to choose. */
  destination(): Promise<Destination | undefined>;
  assetsFolder(): string;
  /** A path from the form made absolute; undefined when it cannot be placed. */
  resolvePath(path: string): string | undefined;
  pickFile(kind: MediaKind, multiple: boolean): Promise<ReplyResults['pickFile']>;
  listMedia(kind: MediaKind): Promise<ReplyResults['listMedia']>;
  preview(path: string): Promise<ReplyResults['preview']>;
  refreshBalance(): Promise<void>;
  rememberModel(category: Category, modelId: string): void | PromiseLike<void>;
  runCommand(command: WebviewCommand): PromiseLike<unknown>;
  /** The webview listens (send init, then what waited). */
  ready(): void | Promise<void>;
  /** The form is usable. */
  formReady(): void;
  log: Logger;
}

export type ParseResult =
  | { ok: true; message: WebviewMessage }
  | { ok: false; error: string; requestId?: number };

/** A message from the webview, checked against the protocol. */
export function parseWebviewMessage(raw: unknown): ParseResult {
  const parsed = webviewMessage.safeParse(raw);
  if (parsed.success) return { ok: true, message: parsed.data };
  const id = (raw as { requestId?: unknown } | null)?.requestId;
  const type = (raw as { type?: unknown } | null)?.type;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ');
  return {
    ok: false,
    error: `Invalid ${typeof type === 'string' ? `"${type.slice(0, 40)}" ` : ''}message (${problems})`,
    requestId: typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : undefined,
  };
}

const okReply = (requestId: number, result: unknown): ReplyMessage => ({ type: FROM_HOST.reply, requestId, ok: true, result });
const errorReply = (requestId: number, error: string, issues?: ValidationIssue[]): ReplyMessage =>
  issues?.length ? { type: FROM_HOST.reply, requestId, ok: false, error, issues } : { type: FROM_HOST.reply, requestId, ok: false, error };

function issuesOf(err: unknown): ValidationIssue[] | undefined {
  const issues = (err as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues)) return undefined;
  return issues
    .filter((i): i is { field?: unknown; message?: unknown } => !!i && typeof i === 'object')
    .map((i) => ({ field: typeof i.field === 'string' ? i.field : '(input)', message: typeof i.message === 'string' ? i.message : String(i.message) }));
}

function messageOf(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  return typeof err === 'string' && err ? err : 'Something went wrong.';
}

/** The `generate` request: check, choose the destination, submit to the engine. */
export async function handleGenerate(msg: Extract<WebviewMessage, { type: 'generate' }>, s: GeneratorServices): Promise<ReplyMessage> {
  const entry = s.catalog().get(msg.modelId);
  if (!entry) return errorReply(msg.requestId, `Unknown model "${msg.modelId}". Is it in your models file?`);
  const checked = validateInput(entry, withPlaceholders(entry, msg.input));
  if (!checked.ok) return errorReply(msg.requestId, 'The input does not fit this model: check the highlighted fields.', checked.issues);

  const unplaced: ValidationIssue[] = [];
  let input = msg.input;
  for (const m of entry.media) {
    input = mapLocalPaths({ media: [m] }, input, (p) => {
      const abs = s.resolvePath(p);
      if (abs !== undefined) return abs;
      unplaced.push({ field: m.field, message: `"${p}" is a relative path but no folder is open: use an absolute path or a URL` });
      return p;
    });
  }
  if (unplaced.length) return errorReply(msg.requestId, 'A local file could not be placed.', unplaced);

  const destination = await s.destination();
  if (!destination) return errorReply(msg.requestId, 'No folder to save the results in: open a folder (or choose one) and try again.');
  const dest: Destination = { ...destination, assetsFolder: destination.assetsFolder ?? s.assetsFolder() };

  try {
    const task = await s.engine().submit({ model: entry.id, input, destination: dest });
    s.log.info(`Generator: submitted ${entry.id} as ${task.id}${task.taskId ? ` (Kie task ${task.taskId})` : ''}`);
    // Refused at once (no credits, rate limit, a failed upload): the form says so, not "Started".
    if (task.state === 'failed' || task.state === 'unknown') {
      return errorReply(msg.requestId, `Not started: ${task.error?.message ?? 'Kie.ai did not confirm the task.'}`);
    }
    const result: ReplyResults['generate'] = { taskId: task.taskId ?? '', localId: task.id };
    return okReply(msg.requestId, result);
  } catch (err) {
    const issues = issuesOf(err);
    s.log.warn(`Generator: submitting ${entry.id} failed: ${messageOf(err)}`);
    return errorReply(msg.requestId, messageOf(err), issues);
  }
}

async function handleRequest(msg: RequestMessage, s: GeneratorServices): Promise<ReplyMessage> {
  switch (msg.type) {
    case FROM_WEBVIEW.generate:
      return handleGenerate(msg, s);
    case FROM_WEBVIEW.pickFile:
      return okReply(msg.requestId, await s.pickFile(msg.kind, msg.multiple));
    case FROM_WEBVIEW.listMedia:
      return okReply(msg.requestId, await s.listMedia(msg.kind));
    case FROM_WEBVIEW.preview:
      return okReply(msg.requestId, await s.preview(msg.path));
  }
}

/**
 * Handles one raw message from the webview. Invalid ones are logged and dropped, or answered
 * with an error reply when they carry a requestId; every request gets exactly one reply.
 */
export async function routeWebviewMessage(raw: unknown, s: GeneratorServices, reply: (message: ReplyMessage) => void): Promise<void> {
  const parsed = parseWebviewMessage(raw);
  if (!parsed.ok) {
    s.log.warn(`Generator view: ${parsed.error}`);
    if (parsed.requestId !== undefined) reply(errorReply(parsed.requestId, parsed.error));
    return;
  }
  const msg = parsed.message;
  if ('requestId' in msg) {
    let answer: ReplyMessage;
    try {
      answer = await handleRequest(msg, s);
    } catch (err) {
      s.log.error(`Generator view: ${msg.type} failed: ${messageOf(err)}`);
      answer = errorReply(msg.requestId, messageOf(err));
    }
    reply(answer);
    return;
  }
  try {
    switch (msg.type) {
      case FROM_WEBVIEW.ready:
        await s.ready();
        break;
      case FROM_WEBVIEW.formReady:
        s.formReady();
        break;
      case FROM_WEBVIEW.refreshBalance:
        await s.refreshBalance();
        break;
      case FROM_WEBVIEW.rememberModel:
        await s.rememberModel(msg.category, msg.modelId);
        break;
      case FROM_WEBVIEW.runCommand:
        await s.runCommand(msg.command);
        break;
    }
  } catch (err) {
    s.log.error(`Generator view: ${msg.type} failed: ${messageOf(err)}`);
  }
}

/**
 * Host messages wait here until the webview is ready (it said `ready` and got `init`), so none is
 * lost to a webview that is loading, hidden or reloading. Of the balance and models messages
 * only the newest waits; `open` drops waiting ones because `init` carries both.
 */
export class Outbox {
  private queue: HostMessage[] = [];
  private isOpen = false;

  constructor(
    private readonly send: (message: HostMessage) => PromiseLike<boolean>,
    private readonly log?: Logger,
  ) {}

  get ready(): boolean {
    return this.isOpen;
  }

  get waiting(): readonly HostMessage[] {
    return this.queue;
  }

  post(message: HostMessage): void {
    if (this.isOpen) {
      this.deliver(message);
      return;
    }
    if (message.type === FROM_HOST.balance || message.type === FROM_HOST.models) {
      this.queue = this.queue.filter((m) => m.type !== message.type);
    }
    if (message.type === FROM_HOST.reply || message.type === FROM_HOST.init) return; // meaningless to a reloaded webview
    this.queue.push(message);
  }

  /** The webview is ready: `first` (the init) goes out, then everything that waited, in order. */
  open(first: HostMessage[] = []): void {
    const waiting = this.queue.filter((m) => !(first.length && (m.type === FROM_HOST.balance || m.type === FROM_HOST.models)));
    this.queue = [];
    this.isOpen = true;
    for (const m of [...first, ...waiting]) this.deliver(m);
  }

  /** The webview went away or is reloading: hold messages until the next `open`. */
  close(): void {
    this.isOpen = false;
  }

  private deliver(message: HostMessage): void {
    const check = hostMessage.safeParse(message);
    if (!check.success) this.log?.error(`Generator view: sending an invalid ${message.type} message: ${check.error.message}`);
    Promise.resolve(this.send(message)).then(
      (delivered) => {
        if (!delivered && message.type !== FROM_HOST.reply) {
          this.isOpen = false;
          this.queue.push(message);
        }
      },
      (err: unknown) => {
        this.log?.warn(`Generator view: a ${message.type} message was not delivered (${messageOf(err)}); it waits for the view.`);
        this.isOpen = false;
        if (message.type !== FROM_HOST.reply) this.queue.push(message);
      },
    );
  }
}
