/**
 * Which notification a finished task gets, by the `kieStudio.notifications` setting. No vscode
 * import: the adapter shows what this returns.
 */
import type { TaskRecord } from '../../core/engine/types';
import { baseName, excerpt } from './format';
import type { NotificationLevel } from './settings';
import { reasonOf, subjectOf, type TitleOf } from './taskTree';

export type NoticeAction = 'Open' | 'Reveal' | 'Retry' | 'Show Details' | 'Show Tasks';

export interface Notice {
  severity: 'info' | 'warning' | 'error';
  message: string;
  actions: NoticeAction[];
}

export function demoPrefix(demo: boolean): string {
  return demo ? '[Demo] ' : '';
}

function named(task: TaskRecord, titleOf?: TitleOf): string {
  const subject = subjectOf(task);
  const model = titleOf?.(task.model) ?? task.model;
  return subject ? `${model} (${excerpt(subject, 40)})` : model;
}

/** The notice for a task that just finished, or undefined when the level says to stay quiet. */
export function finishedNotice(task: TaskRecord, level: NotificationLevel, demo: boolean, titleOf?: TitleOf): Notice | undefined {
  if (level === 'none') return undefined;
  const prefix = demoPrefix(demo);
  switch (task.state) {
    case 'succeeded': {
      if (level !== 'all') return undefined;
      const saved = task.outputs.filter((o) => o.savedPath);
      const what = saved.length === 1 ? `saved ${baseName(saved[0].savedPath!)}` : saved.length ? `saved ${saved.length} files` : 'finished';
      return { severity: 'info', message: `${prefix}${named(task, titleOf)} ${what}.`, actions: saved.length ? ['Open', 'Reveal'] : ['Show Tasks'] };
    }
    case 'failed':
      return { severity: 'error', message: `${prefix}${named(task, titleOf)} failed: ${excerpt(reasonOf(task) ?? 'no reason given', 300)}`, actions: ['Retry', 'Show Details'] };
    case 'unknown':
      return { severity: 'warning', message: `${prefix}${named(task, titleOf)}: ${reasonOf(task)}`, actions: ['Show Details', 'Retry'] };
    default:
      return undefined;
  }
}

/** "Started …" after an explorer action or a palette generation (only at level "all"). */
export function startedNotice(verb: string, subject: string, modelTitle: string, level: NotificationLevel, demo: boolean): Notice | undefined {
  if (level !== 'all') return undefined;
  return { severity: 'info', message: `${demoPrefix(demo)}Started: ${verb} ${subject} with ${modelTitle}.`, actions: ['Show Tasks'] };
}

/** Errors of the user's own request (submit refused, no key) are always shown, whatever the level. */
export function requestErrorMessage(err: unknown, demo: boolean): string {
  const message = err instanceof Error ? err.message : String(err);
  return `${demoPrefix(demo)}${message}`;
}
