import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { writeSynced } from './place';
import type { TaskRecord } from './types';

export const JOURNAL_FILE = 'journal.json';
export const JOURNAL_PREVIOUS = 'journal.prev.json';
export const JOURNAL_VERSION = 1;

const outputSchema = z.looseObject({
  url: z.string(),
  kind: z.enum(['image', 'video', 'audio', 'text']),
  index: z.number(),
});

/** Just enough shape to trust a record; unknown fields are kept as they are. */
const recordSchema = z.looseObject({
  id: z.string().min(1),
  model: z.string().min(1),
  category: z.enum(['image', 'video', 'audio']),
  input: z.record(z.string(), z.unknown()),
  uploads: z.array(z.looseObject({ field: z.string(), path: z.string() })),
  estimatedCredits: z.number(),
  state: z.enum(['uploading', 'pending-create', 'unknown', 'queued', 'running', 'downloading', 'succeeded', 'failed', 'stopped']),
  destination: z.looseObject({ root: z.string() }),
  createdAt: z.number(),
  updatedAt: z.number(),
  outputs: z.array(outputSchema),
});

export interface JournalLoad {
  tasks: TaskRecord[];
  /** Which file the tasks came from. */
  source: 'journal' | 'previous' | 'empty';
  /** Problems met on the way (a corrupt file, records that did not parse). */
  problems: string[];
}

function parseJournal(text: string): { tasks: TaskRecord[]; dropped: number } {
  const doc = JSON.parse(text) as unknown;
  const list = Array.isArray(doc) ? doc : (doc as { tasks?: unknown })?.tasks;
  if (!Array.isArray(list)) throw new Error('no task list');
  const tasks: TaskRecord[] = [];
  let dropped = 0;
  for (const item of list) {
    const r = recordSchema.safeParse(item);
    if (r.success) tasks.push(r.data as unknown as TaskRecord);
    else dropped++;
  }
  return { tasks, dropped };
}

/**
 * The task journal: one JSON file in the host's storage folder. Writes are atomic (temp file,
 * fsync, rename) and serialised; bursts of changes are coalesced into one write. The copy
 * replaced by each write is kept as journal.prev.json, so a damaged journal falls back to the
 * previous good one instead of losing everything.
 */
export class Journal {
  readonly path: string;
  readonly previousPath: string;
  private snapshot: () => TaskRecord[] = () => [];
  private dirty = false;
  private writing: Promise<void> | undefined;
  private scheduled: ReturnType<typeof setTimeout> | undefined;
  private waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  private hasFile = false;
  /** Number of files written (for tests). */
  writes = 0;
  lastError: unknown;

  constructor(readonly dir: string, private readonly coalesceMs = 15) {
    this.path = join(dir, JOURNAL_FILE);
    this.previousPath = join(dir, JOURNAL_PREVIOUS);
  }

  /** Where the current state comes from when a write happens. */
  source(snapshot: () => TaskRecord[]): void {
    this.snapshot = snapshot;
  }

  async load(): Promise<JournalLoad> {
    await mkdir(this.dir, { recursive: true });
    const problems: string[] = [];
    for (const [file, source] of [[this.path, 'journal'], [this.previousPath, 'previous']] as const) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`${file}: ${(err as Error).message}`);
        continue;
      }
      try {
        const { tasks, dropped } = parseJournal(text);
        if (dropped) problems.push(`${file}: ${dropped} record(s) did not parse and were dropped`);
        this.hasFile = source === 'journal';
        if (source === 'previous') {
          // Keep the damaged journal for inspection; the next write replaces it.
          await rename(this.path, join(this.dir, `journal.corrupt-${Date.now()}.json`)).catch(() => undefined);
        }
        return { tasks, source, problems };
      } catch (err) {
        problems.push(`${file} is damaged (${(err as Error).message})`);
      }
    }
    // Nothing readable. Set a damaged journal aside rather than overwrite it.
    await rename(this.path, join(this.dir, `journal.corrupt-${Date.now()}.json`)).catch(() => undefined);
    return { tasks: [], source: 'empty', problems };
  }

  /** Marks the journal changed; the write follows shortly, coalesced with other changes. */
  save(): void {
    this.dirty = true;
    if (this.scheduled || this.writing) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      void this.drain();
    }, this.coalesceMs);
  }

  /** Resolves once every change made so far is on disk (durably). */
  flush(): Promise<void> {
    this.dirty = true;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.scheduled) {
      clearTimeout(this.scheduled);
      this.scheduled = undefined;
    }
    if (!this.writing) void this.drain();
    return done;
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    while (this.dirty) {
      this.dirty = false;
      const waiters = this.waiters.splice(0);
      const text = JSON.stringify({ version: JOURNAL_VERSION, savedAt: Date.now(), tasks: this.snapshot() });
      this.writing = this.writeFile(text);
      try {
        await this.writing;
        this.lastError = undefined;
        for (const w of waiters) w.resolve();
      } catch (err) {
        this.lastError = err;
        for (const w of waiters) w.reject(err);
      } finally {
        this.writing = undefined;
      }
    }
  }

  private async writeFile(text: string): Promise<void> {
    const tmp = join(this.dir, `.journal.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    await writeSynced(tmp, text, 0o600);
    try {
      if (this.hasFile) {
        // The current journal becomes the previous good copy; the new one takes its place.
        await rename(this.path, this.previousPath).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        });
      }
      await rename(tmp, this.path);
      this.hasFile = true;
      this.writes++;
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    await syncDir(this.dir);
  }

  /** Writes what is pending and stops. */
  async close(): Promise<void> {
    if (this.scheduled) {
      clearTimeout(this.scheduled);
      this.scheduled = undefined;
    }
    if (this.dirty || this.writing) await this.flush().catch(() => undefined);
  }
}

/** fsync a directory so a rename in it survives a power cut (a no-op where unsupported). */
export async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open directories; renames there are durable enough.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
