import * as vscode from 'vscode';
import type { Connection } from './connection';
import type { Engines } from './engines';
import { Batcher, Debouncer } from './model/batch';
import { statusView } from './model/statusBar';
import { liveCount } from './model/taskTree';

/**
 * Balance and running-task count. The balance is looked up again after tasks finish (debounced,
 * so a burst of finishes costs one request), never on a timer.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly batch: Batcher<unknown>;
  private readonly creditsRefresh: Debouncer;

  constructor(private readonly connection: Connection, private readonly engines: Engines) {
    this.item = vscode.window.createStatusBarItem('kieStudio.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Kie Studio';
    this.item.command = 'kieStudio.showTasks';
    this.batch = new Batcher(150, () => this.update());
    this.creditsRefresh = new Debouncer(1500, () => void this.connection.refreshCredits());
    this.disposables.push(
      this.item,
      connection.onDidChange(() => this.update()),
      engines.onEvent((e) => {
        this.batch.push(e);
        // A create charges credits and a failure refunds them: look again after either.
        if (e.type === 'finished' || e.type === 'added') this.creditsRefresh.trigger();
      }),
    );
    this.update();
    this.item.show();
  }

  /** Balance look-up soon (after a submit, the balance changed). */
  refreshCreditsSoon(): void {
    this.creditsRefresh.trigger();
  }

  get text(): string {
    return this.item.text;
  }

  update(): void {
    const running = this.engines.ready ? liveCount(this.engines.current.list()) : 0;
    const account = this.connection.account;
    const view = statusView({ demo: account.demo, hasKey: account.hasKey, credits: account.credits, running, error: account.error });
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.batch.dispose();
    this.creditsRefresh.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
