import * as vscode from 'vscode';
import type { SubmitRequest, TaskRecord } from '../core/engine/types';
import { KieError } from '../core/kie/errors';
import type { Engines } from './engines';
import type { Logger } from './logger';
import { baseName } from './model/format';

/** How long an upload may run before a progress notification (with Cancel) appears. */
const PROGRESS_AFTER_MS = 400;

export class Cancelled extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'Cancelled';
  }
}

function isAbort(err: unknown): boolean {
  return (err instanceof KieError && err.kind === 'aborted') || (err as Error)?.name === 'AbortError';
}

/**
 * Submits through the engine. Uploads that take longer than a moment get a cancellable
 * progress notification; Cancel aborts the submit (nothing is created at Kie.ai).
 * Throws `Cancelled` when the user cancelled, and the engine's error otherwise.
 */
export async function submitWithProgress(engines: Engines, request: SubmitRequest, log: Logger, demo: boolean): Promise<TaskRecord> {
  await engines.whenReady();
  const engine = engines.current;
  const abort = new AbortController();
  const files = new Map<string, { sent: number; total: number }>();
  let report: ((text: string, pct: number) => void) | undefined;
  let lastPct = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closeProgress: (() => void) | undefined;
  const closed = new Promise<void>((resolve) => (closeProgress = resolve));
  const started = Date.now();

  const openProgress = () => {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `${demo ? '[Demo] ' : ''}Kie Studio: uploading`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        report = (text, pct) => {
          progress.report({ message: text, increment: Math.max(0, pct - lastPct) });
          lastPct = Math.max(lastPct, pct);
        };
        update();
        return closed;
      },
    );
  };

  const update = () => {
    if (!report) return;
    let sent = 0;
    let total = 0;
    for (const f of files.values()) {
      sent += f.sent;
      total += f.total;
    }
    const pct = total > 0 ? Math.min(100, Math.round((sent / total) * 100)) : 0;
    const names = [...files.keys()].map(baseName).join(', ');
    report(`${names} (${pct}%)`, pct);
  };

  try {
    const task = await engine.submit(request, {
      signal: abort.signal,
      onUpload: (e) => {
        files.set(e.path, { sent: e.sent, total: e.total });
        if (!timer && !report) timer = setTimeout(openProgress, PROGRESS_AFTER_MS);
        update();
      },
    });
    log.info(`Submitted ${task.model} as ${task.taskId ?? task.id} in ${Date.now() - started} ms.`);
    return task;
  } catch (err) {
    if (abort.signal.aborted || isAbort(err)) {
      log.info('Submit cancelled by the user.');
      throw new Cancelled();
    }
    log.error(`Submit of ${request.model} failed`, err);
    throw err;
  } finally {
    if (timer) clearTimeout(timer);
    closeProgress?.();
  }
}
