import * as vscode from 'vscode';
import type { Catalog } from '../core/catalog/catalog';
import type { TaskRecord } from '../core/engine/types';
import { titleOf } from './catalogHost';
import { settings, type Connection } from './connection';
import type { Engines } from './engines';
import type { Logger } from './logger';
import { finishedNotice, type Notice, type NoticeAction } from './model/notify';

/** Shows a notice and runs the chosen action's command with the task's id. */
export async function showNotice(notice: Notice, taskId?: string): Promise<void> {
  const show = notice.severity === 'error' ? vscode.window.showErrorMessage : notice.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const choice = (await show(notice.message, ...notice.actions)) as NoticeAction | undefined;
  if (!choice) return;
  const commands: Record<NoticeAction, string> = {
    Open: 'kieStudio.openOutput',
    Reveal: 'kieStudio.revealOutput',
    Retry: 'kieStudio.retryTask',
    'Show Details': 'kieStudio.showTaskDetails',
    'Show Tasks': 'kieStudio.showTasks',
  };
  await vscode.commands.executeCommand(commands[choice], ...(taskId && choice !== 'Show Tasks' ? [taskId] : []));
}

/** Notifications when tasks finish or fail, by `kieStudio.notifications`; opens outputs if asked to. */
export class Notifications implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor(engines: Engines, private readonly connection: Connection, private readonly catalog: Catalog, private readonly log: Logger) {
    this.subscription = engines.onEvent((e) => {
      if (e.type === 'finished') void this.finished(e.task);
    });
  }

  private async finished(task: TaskRecord): Promise<void> {
    const s = settings();
    const demo = this.connection.mode === 'demo';
    const what = `${task.model} ${task.taskId ?? task.id}`;
    if (task.state === 'succeeded') this.log.info(`Task ${what} succeeded: ${task.outputs.map((o) => o.savedPath ?? o.url).join(', ')}`);
    else this.log.warn(`Task ${what} ended ${task.state}${task.error ? `: ${task.error.message}` : ''}`);
    if (task.state === 'succeeded' && s.openOutputsWhenDone) {
      const first = task.outputs.find((o) => o.savedPath);
      if (first?.savedPath) {
        void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(first.savedPath), { preview: true, preserveFocus: true });
      }
    }
    const notice = finishedNotice(task, s.notifications, demo, titleOf(this.catalog));
    if (notice) await showNotice(notice, task.id);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
