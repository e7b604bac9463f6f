import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { validateInput, type Catalog } from '../catalog/catalog';
import type { ModelEntry } from '../catalog/types';
import type { KieClient } from '../kie/client';
import { KieError } from '../kie/errors';
import type { TaskStatus } from '../kie/status';
import { TokenBucket, type Grant } from './budget';
import { realClock, sleepOn, type Clock } from './clock';
import { DownloadError, downloadToTemp, type DownloadResult } from './download';
import { InputError, prepareInput, substituteUploads } from './inputs';
import { Journal } from './journal';
import { assetsDir, outputBaseName, PARTIAL_FOLDER, safeExtension } from './naming';
import { exists, listPartial, placeExclusive, writeExclusive } from './place';
import type { PollPolicyOptions } from './policy';
import { PollScheduler, type PollOutcome } from './scheduler';
import {
  LIVE_STATES, type EngineEvent, type JournalState, type SavedOutput, type SubmitOptions, type SubmitRequest, type TaskEngineApi, type TaskRecord,
} from './types';

export interface EngineLimits {
  /** Status calls (and fresh-link calls) per second, all tasks together (Kie: about 10). */
  statusPerSecond?: number;
  /** Create calls per 10 s (Kie: about 20). */
  createsPer10s?: number;
  /**
   * Added to each budget window so that network jitter cannot squeeze one window's worth of
   * requests into less time at Kie's end (default 100 ms).
   */
  windowSlackMs?: number;
  /** Downloads at once (default 4). */
  maxConcurrentDownloads?: number;
  /** Tries per output before its task is failed (default 8). */
  downloadAttempts?: number;
  /** First retry delay of a download; doubles each time, at most 60 s (default 1000 ms). */
  downloadBackoffMs?: number;
  /** A download that sends nothing for this long is retried (default 60 s). */
  downloadTimeoutMs?: number;
  /** Status calls in flight at once (default 16). */
  maxPollsInFlight?: number;
  /** An unknown task id is treated as "not registered yet" this long after its create (default 90 s). */
  notFoundGraceMs?: number;
  /** Factor on every model's duration prior (tests run the simulator faster than life). */
  durationScale?: number;
  /** Poll policy tuning (see policy.ts). */
  policy?: Partial<PollPolicyOptions>;
}

export interface TaskEngineOptions {
  catalog: Catalog;
  /** The client, or a function giving the current one (the extension swaps key or host). */
  client: KieClient | (() => KieClient);
  /** Folder the journal lives in (the extension's global storage, the CLI's state folder). */
  storageDir: string;
  log?: (message: string) => void;
  clock?: Clock;
  limits?: EngineLimits;
}

type ResolvedLimits = Required<Omit<EngineLimits, 'policy'>> & { policy: Partial<PollPolicyOptions> };

const DEFAULT_LIMITS: ResolvedLimits = {
  statusPerSecond: 10,
  createsPer10s: 20,
  windowSlackMs: 100,
  maxConcurrentDownloads: 4,
  downloadAttempts: 8,
  downloadBackoffMs: 1000,
  downloadTimeoutMs: 60_000,
  maxPollsInFlight: 16,
  notFoundGraceMs: 90_000,
  durationScale: 1,
  policy: {},
};

/** The name of the JSON record written beside each saved output: `<file>.json`. */
export const RECORD_SUFFIX = '.json';
export const RECORD_SCHEMA = 'kie-studio/output-record@1';

interface Runtime {
  abort: AbortController;
  submitting?: Promise<void>;
  downloading?: Promise<void>;
  createInFlight?: boolean;
  stopRequested?: boolean;
  notFound: number;
}

class Semaphore {
  private active = 0;
  private queue: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async acquire(signal?: AbortSignal): Promise<void> {
    if (this.active < this.size) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const go = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.queue = this.queue.filter((q) => q !== go);
        reject(signal?.reason);
      };
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(go);
    });
  }

  release(): void {
    const next = this.queue.shift();
    if (next) next(); // the slot passes straight on
    else this.active--;
  }
}

const isLive = (s: JournalState) => LIVE_STATES.includes(s);
const clone = <T>(v: T): T => structuredClone(v);
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

function errorInfo(err: unknown): { code: string; message: string; kind?: string } {
  if (err instanceof KieError) return { code: String(err.code ?? err.kind), message: err.message, kind: err.kind };
  if (err instanceof DownloadError) return { code: `download-${err.reason}`, message: err.message, kind: 'download' };
  return { code: 'error', message: messageOf(err) };
}

/**
 * The task engine: journals every task before its create call, polls live tasks within Kie's
 * limits, downloads results into the assets folder and writes a record beside each. One engine
 * per storage folder.
 */
export class TaskEngine implements TaskEngineApi {
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly runtime = new Map<string, Runtime>();
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private readonly journal: Journal;
  private readonly clock: Clock;
  private readonly catalog: Catalog;
  readonly limits: ResolvedLimits;
  /** Status and fresh-link calls share this budget. */
  readonly statusBudget: TokenBucket;
  readonly createBudget: TokenBucket;
  readonly scheduler: PollScheduler;
  private readonly downloadSlots: Semaphore;
  private startPromise?: Promise<void>;
  private disposed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly work = new Set<Promise<unknown>>();

  constructor(private readonly options: TaskEngineOptions) {
    this.clock = options.clock ?? realClock;
    this.catalog = options.catalog;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits, policy: { ...options.limits?.policy } } as ResolvedLimits;
    this.journal = new Journal(options.storageDir);
    this.journal.source(() => [...this.tasks.values()]);
    const slack = this.limits.windowSlackMs;
    this.statusBudget = new TokenBucket({ limit: this.limits.statusPerSecond, windowMs: 1000 + slack, clock: this.clock });
    this.createBudget = new TokenBucket({ limit: this.limits.createsPer10s, windowMs: 10_000 + slack, clock: this.clock });
    this.scheduler = new PollScheduler({
      clock: this.clock,
      budget: this.statusBudget,
      poll: (id) => this.poll(id),
      policy: this.limits.policy,
      maxInFlight: this.limits.maxPollsInFlight,
      log: (m) => this.log(m),
    });
    this.downloadSlots = new Semaphore(this.limits.maxConcurrentDownloads);
  }

  // ---------------------------------------------------------------- host API

  start(): Promise<void> {
    this.startPromise ??= this.load();
    return this.startPromise;
  }

  async submit(request: SubmitRequest, options: SubmitOptions = {}): Promise<TaskRecord> {
    await this.start();
    if (this.disposed) throw new Error('The task engine has been disposed.');
    const entry = this.catalog.get(request.model);
    if (!entry) throw new InputError([{ field: 'model', message: `"${request.model}" is not a known model` }]);
    if (entry.retired) throw new InputError([{ field: 'model', message: `was withdrawn by Kie.ai: ${entry.retired}` }]);
    try {
      assetsDir(request.destination);
    } catch (err) {
      throw new InputError([{ field: 'destination', message: messageOf(err) }]);
    }
    const prepared = await prepareInput(entry, request.input, request.destination.root);
    const now = this.clock.now();
    const record: TaskRecord = {
      id: randomBytes(6).toString('hex'),
      model: entry.id,
      category: entry.category,
      input: clone(request.input),
      uploads: prepared.uploads,
      estimatedCredits: entry.cost(prepared.checked).credits,
      state: prepared.uploads.length ? 'uploading' : 'pending-create',
      destination: { ...request.destination },
      createdAt: now,
      updatedAt: now,
      outputs: [],
      ...(request.retryOf ? { retryOf: request.retryOf } : {}),
    };
    this.tasks.set(record.id, record);
    try {
      await this.journal.flush();
    } catch (err) {
      // Not on disk: forget it rather than run a task no restart could find.
      this.tasks.delete(record.id);
      throw new Error(`Could not record the task in ${this.journal.path}: ${messageOf(err)}`, { cause: err });
    }
    this.emit({ type: 'added', task: clone(record) });
    await this.track(this.runSubmit(record, entry, options));
    return clone(record);
  }

  list(): TaskRecord[] {
    return [...this.tasks.values()].map(clone);
  }

  get(id: string): TaskRecord | undefined {
    const r = this.tasks.get(id);
    return r ? clone(r) : undefined;
  }

  stopWatching(id: string): void {
    const record = this.tasks.get(id);
    if (!record || !isLive(record.state)) return;
    const rt = this.rt(id);
    rt.stopRequested = true;
    this.scheduler.remove(id);
    rt.abort.abort(new Error('Stopped by the user.'));
    this.finish(record, 'stopped');
    void this.track(this.cleanPartials(record, 300));
  }

  remove(id: string): void {
    const record = this.tasks.get(id);
    if (!record) return;
    if (isLive(record.state)) throw new Error('This task is still running: stop watching it first.');
    this.tasks.delete(id);
    this.runtime.delete(id);
    this.journal.save();
    this.emit({ type: 'removed', id });
    void this.track(this.cleanPartials(record, 0));
  }

  clearFinished(): number {
    let n = 0;
    for (const record of [...this.tasks.values()]) {
      if (record.state === 'succeeded' || record.state === 'failed' || record.state === 'stopped') {
        this.remove(record.id);
        n++;
      }
    }
    return n;
  }

  async retry(id: string): Promise<TaskRecord> {
    const record = this.tasks.get(id);
    if (!record) throw new Error(`No task ${id}.`);
    return this.submit({ model: record.model, input: clone(record.input), destination: { ...record.destination }, retryOf: id });
  }

  idle(): Promise<void> {
    if (this.disposed || ![...this.tasks.values()].some((t) => isLive(t.state))) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops every timer and request; unfinished tasks stay in the journal and resume at the next start. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.scheduler.dispose();
    for (const rt of this.runtime.values()) {
      if (!rt.createInFlight) rt.abort.abort(new Error('The engine is shutting down.'));
    }
    // A create in flight is never abandoned: its answer (the task id) must reach the journal.
    await Promise.allSettled([...this.work]);
    this.statusBudget.dispose();
    this.createBudget.dispose();
    await this.journal.close();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** The journal file (for hosts that show it, and for tests). */
  get journalPath(): string {
    return this.journal.path;
  }

  // ---------------------------------------------------------------- loading and resuming

  private async load(): Promise<void> {
    const loaded = await this.journal.load();
    for (const p of loaded.problems) this.log(`journal: ${p}`);
    for (const t of loaded.tasks) this.tasks.set(t.id, t);
    for (const t of this.tasks.values()) {
      if (t.state === 'succeeded' && t.completedAt && t.submittedAt) this.scheduler.stats.learn(t.model, (t.completedAt - t.submittedAt) / 1000);
    }
    let changed = loaded.source !== 'journal' && loaded.tasks.length > 0;
    for (const record of this.tasks.values()) {
      if (!isLive(record.state)) continue;
      const entry = this.catalog.get(record.model);
      if (!entry) {
        if (record.state === 'pending-create' && record.createSentAt) this.markUnknown(record, 'The app stopped before Kie.ai answered the create call.');
        else this.finish(record, 'failed', { code: 'unknown-model', message: `The model "${record.model}" is no longer in the catalog.` }, false);
        changed = true;
        continue;
      }
      switch (record.state) {
        case 'uploading':
        case 'pending-create':
          if (record.createSentAt && !record.taskId) {
            // Crashed between the journal write and the create's answer: it may exist at Kie.
            this.markUnknown(record, 'The app stopped after sending the create call and before Kie.ai answered.');
            changed = true;
          } else if (record.taskId) {
            record.state = 'queued';
            this.schedule(record, entry, this.clock.now());
          } else {
            void this.track(this.runSubmit(record, entry, {}));
          }
          break;
        case 'queued':
        case 'running':
          if (!record.taskId) {
            this.markUnknown(record, 'The journal has no Kie.ai task id for this task.');
            changed = true;
          } else this.schedule(record, entry, this.clock.now());
          break;
        case 'downloading':
          this.startDownloads(record, entry);
          break;
      }
    }
    void this.track(this.sweepPartials());
    if (changed) await this.journal.flush();
    this.log(`started: ${this.tasks.size} task(s) in the journal, ${[...this.tasks.values()].filter((t) => isLive(t.state)).length} live`);
  }

  /** Removes partial files no live download owns (from tasks that failed, were removed, or stopped). */
  private async sweepPartials(): Promise<void> {
    const dirs = new Set<string>();
    for (const t of this.tasks.values()) {
      try {
        dirs.add(join(assetsDir(t.destination), PARTIAL_FOLDER));
      } catch {
        // an unusable destination: nothing of ours there
      }
    }
    for (const dir of dirs) {
      for (const name of await listPartial(dir)) {
        const id = /^([0-9a-f]{12})-\d+\.part$/.exec(name)?.[1];
        const owner = id ? this.tasks.get(id) : undefined;
        if (id && owner?.state === 'downloading') continue;
        if (!id && !/^\.rec-.*\.tmp$/.test(name)) continue; // not ours
        await unlink(join(dir, name)).catch(() => undefined);
      }
    }
  }

  private async cleanPartials(record: TaskRecord, delayMs: number): Promise<void> {
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    let dir: string;
    try {
      dir = join(assetsDir(record.destination), PARTIAL_FOLDER);
    } catch {
      return;
    }
    for (const name of await listPartial(dir)) {
      if (name.startsWith(`${record.id}-`)) await unlink(join(dir, name)).catch(() => undefined);
    }
  }

  // ---------------------------------------------------------------- submitting

  private async runSubmit(record: TaskRecord, entry: ModelEntry, options: SubmitOptions): Promise<void> {
    const rt = this.rt(record.id);
    const signal = options.signal ? AbortSignal.any([rt.abort.signal, options.signal]) : rt.abort.signal;
    const stillOurs = () => !this.disposed && (record.state === 'uploading' || record.state === 'pending-create') && !rt.stopRequested;
    const abandon = () => {
      // Cancelled by the host's signal before anything was sent: the task is stopped.
      if (!this.disposed && (record.state === 'uploading' || record.state === 'pending-create')) this.finish(record, 'stopped');
    };
    for (const u of record.uploads) {
      if (u.url) continue;
      if (signal.aborted || !stillOurs()) return abandon();
      try {
        this.log(`upload: ${record.id} ${basename(u.path)}`);
        const res = await this.client().uploadFile(u.path, {
          signal, onProgress: (sent, total) => options.onUpload?.({ field: u.field, path: u.path, sent, total }),
        });
        u.url = res.url;
        this.touch(record);
      } catch (err) {
        if (signal.aborted || !stillOurs()) return abandon();
        return this.finish(record, 'failed', { ...errorInfo(err), code: 'upload-failed', message: `Could not upload ${basename(u.path)}: ${messageOf(err)}` });
      }
    }
    const checked = validateInput(entry, substituteUploads(record.input, record.uploads));
    if (!checked.ok) {
      return this.finish(record, 'failed', { code: 'invalid', message: checked.issues.map((i) => `${i.field} ${i.message}`).join('; ') });
    }
    record.sentInput = checked.input;
    if (record.state === 'uploading') this.touch(record, { state: 'pending-create' });
    let grant: Grant;
    try {
      grant = await this.createBudget.take(signal);
    } catch {
      return abandon();
    }
    if (!stillOurs() || signal.aborted) {
      this.createBudget.refund(grant);
      return abandon();
    }
    record.createSentAt = this.clock.now();
    record.updatedAt = record.createSentAt;
    try {
      await this.journal.flush(); // the record must be on disk before the create call leaves
    } catch (err) {
      this.createBudget.refund(grant);
      delete record.createSentAt;
      return this.finish(record, 'failed', { code: 'journal', message: `Could not record the task before sending it: ${messageOf(err)}` });
    }
    if (this.disposed) {
      // Shutting down before the call left: it was never sent, so it may be sent at the next start.
      delete record.createSentAt;
      this.journal.save();
      return;
    }
    rt.createInFlight = true;
    // The journal write may have taken a while: Kie counts the create from when it arrives.
    this.createBudget.restamp(grant);
    this.log(`create: sending ${record.id}`);
    let taskId: string;
    try {
      taskId = await this.client().createTask(entry, record.sentInput);
    } catch (err) {
      rt.createInFlight = false;
      if (err instanceof KieError && err.outcomeUnknown) {
        this.log(`create: answer lost ${record.id}`);
        return this.markUnknown(record, err.message, err);
      }
      this.log(`create: refused ${record.id}: ${messageOf(err)}`);
      if (err instanceof KieError && err.kind === 'rate-limit') this.createBudget.pauseUntil(this.clock.now() + (err.retryAfterMs ?? 10_000));
      delete record.createSentAt; // certainly not created
      const info = errorInfo(err);
      if (err instanceof KieError && err.kind === 'rate-limit') {
        info.message = 'Kie.ai refused the create because of its rate limit, so nothing was created. Creates are never re-sent automatically: use Retry.';
      }
      return this.finish(record, 'failed', info);
    }
    rt.createInFlight = false;
    record.taskId = taskId;
    record.submittedAt = this.clock.now();
    // Kie's answer is the only way to find the task again: make it durable at once.
    await this.journal.flush().catch((err) => this.log(`journal: ${messageOf(err)}`));
    this.log(`create: answered ${record.id} ${taskId}`);
    if (rt.stopRequested || record.state === 'stopped') {
      // Stopped while the create was in flight: keep the task id, do not watch it.
      this.touch(record);
      return;
    }
    this.touch(record, { state: 'queued' });
    this.schedule(record, entry);
  }

  private markUnknown(record: TaskRecord, why: string, err?: KieError): void {
    this.finish(record, 'unknown', {
      code: 'outcome-unknown',
      kind: err?.kind,
      message: `${why.replace(/[.\s]*$/, '.')} The task may or may not exist at Kie.ai (and may have cost credits). It was not sent again; check your Kie.ai account before retrying.`,
    });
  }

  // ---------------------------------------------------------------- polling

  private prior(entry: ModelEntry) {
    const s = this.limits.durationScale;
    return { median: entry.duration.median * s, p90: entry.duration.p90 * s };
  }

  private schedule(record: TaskRecord, entry: ModelEntry, firstPollAt?: number): void {
    if (this.disposed || !record.taskId) return;
    this.scheduler.add({
      id: record.id, model: record.model, prior: this.prior(entry), submittedAt: record.submittedAt ?? record.createdAt,
      // Suno and 4o Image allow 3 status calls per second per task.
      minIntervalMs: entry.family === 'suno' || entry.family === 'gpt4o-image' ? 400 : undefined,
    }, firstPollAt);
  }

  /** One status call, not retried here: the scheduler owns retries and the budget. */
  private statusOnce(entry: ModelEntry, taskId: string, since: number, signal: AbortSignal): Promise<TaskStatus> {
    return this.client().getStatus(entry, taskId, { signal, retry: false, createdAt: since, graceMs: this.limits.notFoundGraceMs, now: this.clock.now() });
  }

  private async poll(id: string): Promise<PollOutcome> {
    const record = this.tasks.get(id);
    const polled = () => record !== undefined && (record.state === 'queued' || record.state === 'running') && !this.disposed;
    if (!record || !record.taskId || !polled()) return { done: true };
    const entry = this.catalog.get(record.model);
    if (!entry) {
      this.finish(record, 'failed', { code: 'unknown-model', message: `The model "${record.model}" is no longer in the catalog.` });
      return { done: true };
    }
    const rt = this.rt(id);
    let status: TaskStatus;
    try {
      status = await this.statusOnce(entry, record.taskId, record.submittedAt ?? record.createdAt, rt.abort.signal);
    } catch (err) {
      if (!polled()) return { done: true };
      if (err instanceof KieError && err.kind === 'not-found' && ++rt.notFound >= 3) {
        this.finish(record, 'failed', errorInfo(err));
        return { done: true };
      }
      this.log(`status: ${record.id}: ${messageOf(err)}`);
      return { error: err };
    }
    rt.notFound = 0;
    if (!polled()) return { done: true };
    const now = this.clock.now();
    if (status.state === 'failed') {
      record.completedAt = now;
      this.finish(record, 'failed', { code: status.error?.code ?? 'failed', message: status.error?.message ?? 'Generation failed (no reason given).', kind: 'generation' });
      return { done: true };
    }
    if (status.state === 'succeeded') {
      record.completedAt = now;
      const outputs: SavedOutput[] = status.outputs.map((o) => ({
        url: o.url, kind: o.kind, index: o.index,
        ...(o.title ? { title: o.title } : {}),
        ...(o.trackId ? { trackId: o.trackId } : {}),
        ...(o.text !== undefined ? { text: o.text } : {}),
      }));
      this.touch(record, { state: 'downloading', progress: 1, stage: status.stage, outputs });
      this.log(`status: ${record.id} succeeded with ${outputs.length} output(s)`);
      this.startDownloads(record, entry);
      return { done: true, durationMs: now - (record.submittedAt ?? record.createdAt) };
    }
    const state = status.state === 'running' ? 'running' : 'queued';
    if (state !== record.state || status.progress !== record.progress || status.stage !== record.stage) {
      this.touch(record, { state, progress: status.progress, stage: status.stage });
    }
    return { progress: status.progress };
  }

  // ---------------------------------------------------------------- downloading

  private startDownloads(record: TaskRecord, entry: ModelEntry): void {
    const rt = this.rt(record.id);
    if (rt.downloading || this.disposed) return;
    const signal = rt.abort.signal;
    rt.downloading = this.track(this.downloadAll(record, entry, signal))
      .catch((err) => this.log(`download: ${record.id}: ${messageOf(err)}`))
      .finally(() => {
        rt.downloading = undefined;
      });
  }

  private async downloadAll(record: TaskRecord, entry: ModelEntry, signal: AbortSignal): Promise<void> {
    if (!record.outputs.length) {
      return this.finish(record, 'failed', { code: 'no-output', message: 'Kie.ai reported success but sent no result.' });
    }
    const results = await Promise.all(record.outputs.map(async (output) => {
      if (output.savedPath && output.recordPath) return undefined;
      try {
        await this.saveOutput(record, entry, output, signal);
        return undefined;
      } catch (err) {
        return err;
      }
    }));
    if (signal.aborted || this.disposed || record.state !== 'downloading') return;
    const failed = results.filter((e) => e !== undefined);
    if (!failed.length) return this.finish(record, 'succeeded');
    const first = errorInfo(failed[0]);
    this.finish(record, 'failed', {
      code: 'download-failed', kind: first.kind,
      message: `Could not save ${failed.length} of ${record.outputs.length} result(s): ${first.message}`,
    });
  }

  private partialPath(record: TaskRecord, output: SavedOutput): string {
    return join(assetsDir(record.destination), PARTIAL_FOLDER, `${record.id}-${output.index}.part`);
  }

  private async saveOutput(record: TaskRecord, entry: ModelEntry, output: SavedOutput, signal: AbortSignal): Promise<void> {
    const assets = assetsDir(record.destination);
    const temp = this.partialPath(record, output);
    await mkdir(join(assets, PARTIAL_FOLDER), { recursive: true });
    if (!output.savedPath && output.savingTo) await this.adopt(output, temp);
    if (!output.savedPath) {
      let ext: string;
      if (output.text !== undefined) {
        let isJson = true;
        try {
          JSON.parse(output.text);
        } catch {
          isJson = false;
        }
        await writeFile(temp, output.text, 'utf8');
        ext = isJson ? 'json' : 'txt';
        output.bytes = Buffer.byteLength(output.text);
      } else {
        const got = await this.fetchOutput(record, entry, output, temp, signal);
        ext = safeExtension(got.extension, 'bin');
        output.bytes = got.bytes;
      }
      if (signal.aborted) throw new DownloadError('Download cancelled.', 'aborted');
      const base = outputBaseName(record.destination, {
        createdAt: record.createdAt, model: record.model, category: record.category, input: record.input,
        taskId: record.taskId ?? record.id, index: output.index, title: output.title,
      });
      const placed = await placeExclusive(temp, join(assets, record.category), base, ext, {
        within: assets,
        withRecord: true,
        beforeTake: async (path) => {
          output.savingTo = path;
          await this.journal.flush();
        },
      });
      output.savedPath = placed.path;
      delete output.savingTo;
      delete output.error;
      await this.journal.flush();
      if (placed.linked) await unlink(temp).catch(() => undefined);
      this.log(`download: saved ${record.id} ${basename(placed.path)}`);
    }
    if (!output.recordPath) output.recordPath = await this.writeRecord(record, output, assets);
    this.journal.save();
    record.updatedAt = this.clock.now();
    this.emit({ type: 'output-saved', task: clone(record), output: clone(output) });
  }

  /** After a crash between taking a name and journalling it: is that file ours? */
  private async adopt(output: SavedOutput, temp: string): Promise<void> {
    const path = output.savingTo as string;
    try {
      const [a, t] = await Promise.all([stat(path), stat(temp).catch(() => undefined)]);
      if (t && a.ino === t.ino && a.dev === t.dev) {
        output.savedPath = path;
      } else if (!t && output.bytes !== undefined && a.size === output.bytes) {
        output.savedPath = path; // renamed (no hard links here) before the crash
      }
    } catch {
      // the name was never taken
    }
    if (output.savedPath) {
      delete output.savingTo;
      await this.journal.flush();
      await unlink(temp).catch(() => undefined);
    }
  }

  private async fetchOutput(record: TaskRecord, entry: ModelEntry, output: SavedOutput, temp: string, signal: AbortSignal): Promise<DownloadResult> {
    if (!output.url) throw new DownloadError('Kie.ai gave no link for this result.', 'http');
    let refreshes = 0;
    for (;;) {
      if (signal.aborted) throw new DownloadError('Download cancelled.', 'aborted');
      let failure: unknown;
      try {
        await this.downloadSlots.acquire(signal);
      } catch {
        throw new DownloadError('Download cancelled.', 'aborted');
      }
      try {
        this.log(`download: start ${record.id} #${output.index}`);
        return await downloadToTemp({ url: output.downloadUrl ?? output.url, tempPath: temp, kind: output.kind, signal, timeoutMs: this.limits.downloadTimeoutMs });
      } catch (err) {
        failure = err;
      } finally {
        this.downloadSlots.release();
      }
      if (signal.aborted || (failure instanceof DownloadError && failure.reason === 'aborted')) throw failure;
      if (failure instanceof DownloadError && failure.expired && refreshes < 3 && record.taskId) {
        refreshes++;
        try {
          await this.statusBudget.take(signal);
          output.downloadUrl = await this.client().freshDownloadUrl(entry, record.taskId, output.url, { signal, retry: false });
          this.log(`download: fresh link for ${record.id} #${output.index}`);
          this.journal.save();
          continue;
        } catch (err) {
          if (signal.aborted) throw new DownloadError('Download cancelled.', 'aborted');
          failure = err;
        }
      }
      output.attempts = (output.attempts ?? 0) + 1;
      output.error = messageOf(failure);
      this.touch(record);
      if (output.attempts >= this.limits.downloadAttempts) throw failure;
      const delay = Math.min(60_000, this.limits.downloadBackoffMs * 2 ** (output.attempts - 1)) * (0.75 + Math.random() * 0.5);
      this.log(`download: retry ${record.id} #${output.index} in ${Math.round(delay)} ms: ${output.error}`);
      try {
        await sleepOn(this.clock, delay, signal);
      } catch {
        throw new DownloadError('Download cancelled.', 'aborted');
      }
    }
  }

  /** Writes `<file>.json` beside a saved output, never replacing a file. */
  private async writeRecord(record: TaskRecord, output: SavedOutput, assets: string): Promise<string> {
    const savedPath = output.savedPath as string;
    const iso = (t?: number) => (t === undefined ? undefined : new Date(t).toISOString());
    const doc = {
      schema: RECORD_SCHEMA,
      file: basename(savedPath),
      model: record.model,
      category: record.category,
      input: record.sentInput ?? record.input,
      ...(record.uploads.length ? { localFiles: record.uploads.map((u) => ({ field: u.field, index: u.index ?? 0, path: u.path, url: u.url })) } : {}),
      taskId: record.taskId,
      localId: record.id,
      ...(record.retryOf ? { retryOf: record.retryOf } : {}),
      estimatedCredits: record.estimatedCredits,
      output: {
        index: output.index, kind: output.kind, bytes: output.bytes,
        ...(output.title ? { title: output.title } : {}),
        ...(output.trackId ? { trackId: output.trackId } : {}),
      },
      sourceUrl: output.url || undefined,
      ...(output.downloadUrl ? { downloadUrl: output.downloadUrl } : {}),
      times: {
        created: iso(record.createdAt), submitted: iso(record.submittedAt), completed: iso(record.completedAt), saved: iso(this.clock.now()),
      },
    };
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    const partial = join(assets, PARTIAL_FOLDER);
    const path = `${savedPath}${RECORD_SUFFIX}`;
    if (await writeExclusive(path, text, partial)) return path;
    // Taken: ours from before a crash, or somebody else's file.
    try {
      const existing = JSON.parse(await readFile(path, 'utf8')) as { localId?: string; output?: { index?: number } };
      if (existing.localId === record.id && existing.output?.index === output.index) return path;
    } catch {
      // not ours
    }
    const alt = `${savedPath}.kie-${record.id}${RECORD_SUFFIX}`;
    if (!(await exists(alt))) await writeExclusive(alt, text, partial);
    return alt;
  }

  // ---------------------------------------------------------------- state and events

  private rt(id: string): Runtime {
    let rt = this.runtime.get(id);
    if (!rt) {
      rt = { abort: new AbortController(), notFound: 0 };
      this.runtime.set(id, rt);
    }
    return rt;
  }

  private client(): KieClient {
    const c = this.options.client;
    return typeof c === 'function' ? c() : c;
  }

  /** Records a change (journalled shortly, coalesced) and tells the host. */
  private touch(record: TaskRecord, changes: Partial<TaskRecord> = {}): void {
    Object.assign(record, changes);
    record.updatedAt = this.clock.now();
    this.journal.save();
    this.emit({ type: 'changed', task: clone(record) });
  }

  private finish(record: TaskRecord, state: JournalState, error?: TaskRecord['error'], notify = true): void {
    record.state = state;
    if (error) record.error = error;
    else if (state === 'succeeded') delete record.error;
    record.finishedAt = this.clock.now();
    record.updatedAt = record.finishedAt;
    this.scheduler.remove(record.id);
    if (!this.runtime.get(record.id)?.createInFlight) this.runtime.delete(record.id);
    this.journal.save();
    if (notify) this.emit({ type: 'finished', task: clone(record) });
    this.log(`task: ${record.id} ${state}${error ? `: ${error.message}` : ''}`);
    this.checkIdle();
  }

  private checkIdle(): void {
    if (!this.idleWaiters.length) return;
    if ([...this.tasks.values()].some((t) => isLive(t.state))) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log(`event listener failed: ${messageOf(err)}`);
      }
    }
  }

  private log(message: string): void {
    this.options.log?.(message);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.work.add(p);
    p.finally(() => this.work.delete(p)).catch(() => undefined);
    return p;
  }
}
