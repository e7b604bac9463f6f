// The simulator's account: balance, tasks, stored files and result links.
import type { Catalog } from '../core/catalog/catalog';
import type { ModelEntry, ModelInput } from '../core/catalog/types';
import type { ResolvedOptions } from './options';
import { hexId, type Random } from './random';
import { LinkRegistry, UploadStore, type ResultLink } from './store/files';
import { planOutputs, transcriptFor } from './tasks/outputs';
import { renderFile } from './tasks/render';
import { EXT, type SimTask } from './tasks/task';
import { sampleTiming } from './timing';

const round2 = (n: number) => Math.round(n * 100) / 100;

export interface NewTask {
  entry: ModelEntry;
  input: ModelInput;
  wireModel?: string;
  callBackUrl?: string;
  credits: number;
  failure?: { code: string; message: string };
  linksBornExpired?: boolean;
}

export class SimState {
  private balance: number;
  /** Credits charged so far, net of refunds. */
  spent = 0;
  readonly tasks = new Map<string, SimTask>();
  readonly uploads = new UploadStore();
  readonly links = new LinkRegistry();
  /** Requests that reached the file origin with an Authorization header (each was refused). */
  fileAuthorizationSeen = 0;
  /** Base URL of the file origin; set once it listens. */
  fileUrl = '';
  private readonly pendingFailures = new Set<SimTask>();
  private readonly renderCache = new Map<string, Promise<Uint8Array>>();

  constructor(readonly options: ResolvedOptions, readonly catalog: Catalog, private readonly random: Random) {
    this.balance = options.credits;
  }

  /** The simulator's clock (options.now). */
  now(): number {
    return this.options.now();
  }

  /** The balance now; tasks that have failed by now are refunded first. */
  credits(now = this.now()): number {
    this.settle(now);
    return this.balance;
  }

  setCredits(value: number): void {
    this.balance = value;
  }

  /** Takes credits; false (and nothing taken) when the balance is short. */
  charge(amount: number): boolean {
    this.settle();
    if (amount > this.balance + 1e-9) return false;
    this.balance = round2(this.balance - amount);
    this.spent = round2(this.spent + amount);
    return true;
  }

  /** Kie refunds failed generations. */
  private settle(now = this.now()): void {
    for (const task of this.pendingFailures) {
      if (now < task.completeAt) continue;
      this.pendingFailures.delete(task);
      if (task.refunded) continue;
      task.refunded = true;
      this.balance = round2(this.balance + task.credits);
      this.spent = round2(this.spent - task.credits);
    }
  }

  addTask(t: NewTask, now = this.now()): SimTask {
    const timing = sampleTiming(t.entry, this.random, this.options.speed);
    const { files, tracks } = planOutputs(t.entry, t.input);
    const task: SimTask = {
      id: hexId(),
      entry: t.entry,
      input: t.input,
      wireModel: t.wireModel,
      callBackUrl: t.callBackUrl,
      createdAt: now,
      timing,
      completeAt: now + timing.ms,
      credits: t.credits,
      failure: t.failure,
      linksBornExpired: !!t.linksBornExpired,
      files,
      tracks,
      links: new Map(),
      bytes: new Map(),
      resultObject: t.entry.output === 'text' ? transcriptFor(t.input) : undefined,
      refunded: false,
    };
    this.tasks.set(task.id, task);
    if (task.failure) this.pendingFailures.add(task);
    return task;
  }

  /**
   * The link of one file of a task, made the first time it is shown (Suno shows stream links
   * before the task completes); it expires linkTtlMs after the task completes.
   */
  linkFor(task: SimTask, fileKey: string, now = this.now()): ResultLink | undefined {
    let link = task.links.get(fileKey);
    if (!link) {
      const file = task.files.find((f) => f.key === fileKey);
      if (!file) return undefined;
      link = this.links.create(task.id, file.key, `${task.id}_${file.key}.${EXT[file.format]}`, Math.max(now, task.completeAt) + this.options.linkTtlMs);
      if (task.linksBornExpired) link.revoked = true;
      task.links.set(fileKey, link);
    }
    return link;
  }

  urlOf(link: ResultLink): string {
    return `${this.fileUrl}${LinkRegistry.pathOf(link)}`;
  }

  /** The URL of one file of a task, as the status endpoints report it ('' if there is no such file). */
  fileUrlOf(task: SimTask, fileKey: string): string {
    const link = this.linkFor(task, fileKey);
    return link ? this.urlOf(link) : '';
  }

  /** The bytes of one file of a task, rendered once and kept. */
  bytesOf(task: SimTask, fileKey: string): Promise<Uint8Array> {
    let bytes = task.bytes.get(fileKey);
    if (!bytes) {
      const file = task.files.find((f) => f.key === fileKey);
      if (!file) return Promise.reject(new Error(`Task ${task.id} has no file ${fileKey}`));
      // Identical requests (same prompt, size, format) share one rendering.
      const cacheKey = JSON.stringify([file.format, file.spec]);
      bytes = this.renderCache.get(cacheKey);
      if (!bytes) {
        bytes = renderFile(file, { localBytes: (url) => this.localBytes(url), imageLongSide: this.options.imageLongSide });
        this.renderCache.set(cacheKey, bytes);
        bytes.catch(() => this.renderCache.delete(cacheKey));
        if (this.renderCache.size > 256) this.renderCache.delete(this.renderCache.keys().next().value as string);
      }
      task.bytes.set(fileKey, bytes);
    }
    return bytes;
  }

  /** Bytes behind a URL of this simulator's file origin (an upload or a live result link). */
  async localBytes(url: string): Promise<Uint8Array | undefined> {
    const path = this.localPath(url);
    if (path === undefined) return undefined;
    const upload = this.uploads.get(path);
    if (upload) return upload.bytes;
    const link = this.liveLink(path);
    if (!link) return undefined;
    const task = this.tasks.get(link.taskId);
    return task ? this.bytesOf(task, link.fileKey) : undefined;
  }

  /** The path of a URL on the file origin, or undefined for any other URL. */
  localPath(url: string): string | undefined {
    try {
      const u = new URL(url);
      return this.fileUrl && u.origin === new URL(this.fileUrl).origin ? decodeURIComponent(u.pathname) : undefined;
    } catch {
      return undefined;
    }
  }

  liveLink(path: string, now = this.now()): ResultLink | undefined {
    const token = LinkRegistry.tokenOf(path);
    const link = token ? this.links.get(token) : undefined;
    return link && this.links.isLive(link, now) ? link : undefined;
  }

  /**
   * A fresh link for a result URL of this simulator (expired or not), valid freshLinkTtlMs;
   * uploaded files keep their URL. Undefined for foreign URLs.
   */
  freshUrl(url: string, now = this.now()): string | undefined {
    const path = this.localPath(url);
    if (path === undefined) return undefined;
    if (this.uploads.get(path)) return url;
    const token = LinkRegistry.tokenOf(path);
    const old = token ? this.links.get(token) : undefined;
    const task = old ? this.tasks.get(old.taskId) : undefined;
    if (!old || !task) return undefined;
    // The status endpoints keep reporting the original link, as Kie's do.
    return this.urlOf(this.links.create(task.id, old.fileKey, old.name, now + this.options.freshLinkTtlMs));
  }

  /** Expires every result link of a task now (test helper; Kie's links expire after a day or so). */
  expireLinks(taskId: string): number {
    return this.links.expireTask(taskId);
  }
}
