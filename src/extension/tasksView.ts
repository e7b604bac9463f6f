import * as vscode from 'vscode';
import type { Catalog } from '../core/catalog/catalog';
import type { TaskRecord } from '../core/engine/types';
import type { Engines, HostEvent } from './engines';
import { Batcher } from './model/batch';
import {
  isLive, liveCount, outputView, reasonView, RefreshPlanner, sortTasks, taskChildren, taskView,
  type ItemView, type TreeNode,
} from './model/taskTree';
import { titleOf } from './catalogHost';

const REFRESH_DELAY_MS = 100;
const TICK_MS = 1000;

/**
 * The "Tasks" tree. Refreshes on engine events (batched over ~100 ms, only the changed tasks
 * when the order did not change); while something runs and the view is visible, the running
 * items are refreshed once a second for their elapsed time. No file system calls: everything
 * comes from the engine's in-memory records.
 */
export class TasksView implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  static readonly viewId = 'kieStudio.tasks';
  private readonly changeEmitter = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly planner = new RefreshPlanner();
  private readonly batcher: Batcher<HostEvent>;
  private readonly taskNodes = new Map<string, TreeNode & { kind: 'task' }>();
  private readonly childNodes = new Map<string, TreeNode>();
  private ticker: ReturnType<typeof setInterval> | undefined;
  private view: vscode.TreeView<TreeNode> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly title: (id: string) => string | undefined;

  constructor(private readonly engines: Engines, catalog: Catalog) {
    this.title = titleOf(catalog);
    this.batcher = new Batcher(REFRESH_DELAY_MS, (events) => this.apply(events));
    this.disposables.push(this.changeEmitter, engines.onEvent((e) => this.batcher.push(e)));
  }

  attach(view: vscode.TreeView<TreeNode>): void {
    this.view = view;
    this.disposables.push(view.onDidChangeVisibility(() => this.updateTicker()));
  }

  private tasks(): TaskRecord[] {
    return this.engines.ready ? this.engines.current.list() : [];
  }

  private taskNode(id: string): TreeNode & { kind: 'task' } {
    let node = this.taskNodes.get(id);
    if (!node) {
      node = { kind: 'task', id };
      this.taskNodes.set(id, node);
    }
    return node;
  }

  private childNode(node: TreeNode): TreeNode {
    const key = node.kind === 'output' ? `o:${node.taskId}:${node.index}` : node.kind === 'reason' ? `r:${node.taskId}` : `t:${node.id}`;
    let cached = this.childNodes.get(key);
    if (!cached) {
      cached = node;
      this.childNodes.set(key, cached);
    }
    return cached;
  }

  /** Refreshes everything (e.g. after a mode switch). */
  refresh(): void {
    this.batcher.push({ type: 'reset' });
  }

  private apply(events: HostEvent[]): void {
    const reset = events.some((e) => e.type === 'reset');
    const plan = reset ? { full: true, ids: [] } : this.planner.plan(events.filter((e) => e.type !== 'reset') as never);
    if (plan.full) {
      const tasks = this.tasks();
      if (reset) this.planner.reset(tasks);
      const alive = new Set(tasks.map((t) => t.id));
      for (const id of this.taskNodes.keys()) if (!alive.has(id)) this.taskNodes.delete(id);
      for (const [key, node] of this.childNodes) {
        const owner = node.kind === 'task' ? node.id : node.taskId;
        if (!alive.has(owner)) this.childNodes.delete(key);
      }
      this.changeEmitter.fire(undefined);
    } else if (plan.ids.length) {
      this.changeEmitter.fire(plan.ids.map((id) => this.taskNode(id)));
    }
    this.updateTicker();
    this.updateContext();
  }

  private hasOutputs: boolean | undefined;

  /** `kieStudio.hasOutputs`: some task succeeded (the walkthrough's "first image" step). */
  private updateContext(): void {
    const has = this.tasks().some((t) => t.state === 'succeeded');
    if (has === this.hasOutputs) return;
    this.hasOutputs = has;
    void vscode.commands.executeCommand('setContext', 'kieStudio.hasOutputs', has);
  }

  private updateTicker(): void {
    const wanted = (this.view?.visible ?? true) && liveCount(this.tasks()) > 0;
    if (wanted && !this.ticker) {
      this.ticker = setInterval(() => this.tick(), TICK_MS);
    } else if (!wanted && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  private tick(): void {
    const live = this.tasks().filter((t) => isLive(t.state));
    if (!live.length) {
      this.updateTicker();
      return;
    }
    this.changeEmitter.fire(live.map((t) => this.taskNode(t.id)));
  }

  getChildren(element?: TreeNode): TreeNode[] {
    if (!element) return sortTasks(this.tasks()).map((t) => this.taskNode(t.id));
    if (element.kind !== 'task' || !this.engines.ready) return [];
    const task = this.engines.current.get(element.id);
    return task ? taskChildren(task).map((n) => this.childNode(n)) : [];
  }

  getParent(element: TreeNode): TreeNode | undefined {
    return element.kind === 'task' ? undefined : this.taskNode(element.taskId);
  }

  getTreeItem(element: TreeNode): vscode.TreeItem {
    const now = Date.now();
    const task = this.engines.ready ? this.engines.current.get(element.kind === 'task' ? element.id : element.taskId) : undefined;
    if (!task) return new vscode.TreeItem('(removed)');
    const view = element.kind === 'task' ? taskView(task, now, this.title)
      : element.kind === 'output' ? outputView(task, element.index)
      : reasonView(task);
    return view ? toTreeItem(view) : new vscode.TreeItem('');
  }

  /** The task records of tree elements (for item commands). */
  taskOf(element: TreeNode | undefined): TaskRecord | undefined {
    if (!element || !this.engines.ready) return undefined;
    return this.engines.current.get(element.kind === 'task' ? element.id : element.taskId);
  }

  dispose(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.batcher.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

const COLLAPSE: Record<ItemView['collapsible'], vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

export function toTreeItem(view: ItemView): vscode.TreeItem {
  const item = new vscode.TreeItem(view.label, COLLAPSE[view.collapsible]);
  item.id = view.id;
  item.description = view.description;
  item.contextValue = view.contextValue;
  item.iconPath = new vscode.ThemeIcon(view.icon.id, view.icon.color ? new vscode.ThemeColor(view.icon.color) : undefined);
  if (view.tooltip) item.tooltip = new vscode.MarkdownString(view.tooltip);
  if (view.openPath) {
    const uri = vscode.Uri.file(view.openPath);
    item.resourceUri = uri;
    item.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
  }
  return item;
}
