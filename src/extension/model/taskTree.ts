/**
 * The Tasks tree as data: grouping, order, labels, descriptions, tooltips, icons and context
 * values. No vscode import: the TreeDataProvider in ../tasksView.ts turns these views into
 * TreeItems, and the tests check them in plain Node.
 */
import { LIVE_STATES, type EngineEvent, type JournalState, type SavedOutput, type TaskRecord } from '../../core/engine/types';
import { baseName, escapeMarkdown, excerpt, formatCredits, formatDuration, formatProgress } from './format';

export type TreeNode =
  | { kind: 'task'; id: string }
  | { kind: 'output'; taskId: string; index: number }
  | { kind: 'reason'; taskId: string };

/** Context values the menus in package.json are keyed by. */
export const CONTEXT = {
  running: 'task.running',
  succeeded: 'task.succeeded',
  failed: 'task.failed',
  unknown: 'task.unknown',
  stopped: 'task.stopped',
  outputFile: 'output.file',
  outputPending: 'output.pending',
  reason: 'task.reason',
} as const;

export interface IconView {
  /** Codicon id, e.g. "loading~spin". */
  id: string;
  /** Theme colour id, e.g. "charts.green". */
  color?: string;
}

export interface ItemView {
  /** Stable TreeItem id, so expansion survives refreshes. */
  id: string;
  label: string;
  description?: string;
  /** Markdown (user text escaped). */
  tooltip?: string;
  contextValue: string;
  icon: IconView;
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** A saved file: clicking opens it in VS Code's own preview. */
  openPath?: string;
}

/** How the tree names a model: its catalog title when known, else the id. */
export type TitleOf = (modelId: string) => string | undefined;

const LIVE = new Set<JournalState>(LIVE_STATES);

export function isLive(state: JournalState): boolean {
  return LIVE.has(state);
}

export function contextValueOf(task: TaskRecord): string {
  switch (task.state) {
    case 'succeeded': return CONTEXT.succeeded;
    case 'failed': return CONTEXT.failed;
    case 'unknown': return CONTEXT.unknown;
    case 'stopped': return CONTEXT.stopped;
    default: return CONTEXT.running;
  }
}

export function iconOf(task: TaskRecord): IconView {
  switch (task.state) {
    case 'succeeded': return { id: 'pass', color: 'charts.green' };
    case 'failed': return { id: 'error', color: 'errorForeground' };
    case 'unknown': return { id: 'question', color: 'charts.yellow' };
    case 'stopped': return { id: 'debug-stop' };
    default: return { id: 'loading~spin' };
  }
}

function finishedAt(t: TaskRecord): number {
  return t.finishedAt ?? t.updatedAt ?? t.createdAt;
}

/** Running tasks first (newest first), then finished ones, most recently finished first. O(n log n). */
export function sortTasks(tasks: readonly TaskRecord[]): TaskRecord[] {
  const live: TaskRecord[] = [];
  const done: TaskRecord[] = [];
  for (const t of tasks) (isLive(t.state) ? live : done).push(t);
  live.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
  done.sort((a, b) => finishedAt(b) - finishedAt(a) || (a.id < b.id ? -1 : 1));
  return live.concat(done);
}

const PROMPT_FIELDS = ['prompt', 'text', 'instruction'];

/** What the task is about, in a few words: the prompt, or the name of the input file. */
export function subjectOf(task: TaskRecord): string {
  for (const f of PROMPT_FIELDS) {
    const v = task.input[f];
    if (typeof v === 'string' && v.trim()) return v;
  }
  const upload = task.uploads?.[0]?.path;
  if (upload) return baseName(upload);
  for (const v of Object.values(task.input)) {
    if (typeof v === 'string' && /^(\/|[a-zA-Z]:\\|https?:\/\/)/.test(v)) return baseName(v.replace(/[?#].*$/, ''));
  }
  return '';
}

export function modelName(modelId: string, titleOf?: TitleOf): string {
  return titleOf?.(modelId) ?? modelId;
}

export function taskLabel(task: TaskRecord, titleOf?: TitleOf): string {
  const subject = subjectOf(task);
  const name = modelName(task.model, titleOf);
  return subject ? `${name} · ${excerpt(subject, 28)}` : name;
}

function elapsedMs(task: TaskRecord, now: number): number {
  const start = task.submittedAt ?? task.createdAt;
  const end = isLive(task.state) ? now : finishedAt(task);
  return Math.max(0, end - start);
}

export function reasonOf(task: TaskRecord): string | undefined {
  if (task.error?.message) return task.error.message;
  if (task.state === 'unknown') return 'Kie.ai did not confirm the task was created; it is not sent again automatically.';
  return undefined;
}

export function taskDescription(task: TaskRecord, now: number): string {
  const elapsed = formatDuration(elapsedMs(task, now));
  switch (task.state) {
    case 'uploading': return `uploading · ${elapsed}`;
    case 'pending-create': return `starting · ${elapsed}`;
    case 'queued': return `queued · ${elapsed}`;
    case 'running': {
      const p = formatProgress(task.progress);
      return `running${p ? ` ${p}` : ''} · ${elapsed}`;
    }
    case 'downloading': return `saving · ${elapsed}`;
    case 'succeeded': {
      const files = task.outputs.length > 1 ? ` · ${task.outputs.length} files` : '';
      return `done in ${elapsed}${files}`;
    }
    case 'failed': return `failed · ${excerpt(reasonOf(task) ?? 'no reason given', 80)}`;
    case 'unknown': return 'outcome unknown';
    case 'stopped': return 'stopped watching';
  }
}

const STATE_WORDS: Record<JournalState, string> = {
  uploading: 'Uploading inputs',
  'pending-create': 'Starting',
  queued: 'Queued at Kie.ai',
  running: 'Running',
  downloading: 'Saving results',
  succeeded: 'Succeeded',
  failed: 'Failed',
  unknown: 'Outcome unknown',
  stopped: 'Stopped watching',
};

function valueText(value: unknown): string {
  if (typeof value === 'string') return excerpt(value, 300);
  if (Array.isArray(value)) return excerpt(value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', '), 300);
  if (value && typeof value === 'object') return excerpt(JSON.stringify(value), 300);
  return String(value);
}

/** The hover: model, state, the input as a table, the cost estimate and the ids. */
export function taskTooltip(task: TaskRecord, now: number, titleOf?: TitleOf): string {
  const lines: string[] = [];
  const title = titleOf?.(task.model);
  lines.push(title ? `**${escapeMarkdown(title)}** · \`${task.model.replace(/`/g, '')}\`` : `\`${task.model.replace(/`/g, '')}\``);
  lines.push('');
  const progress = isLive(task.state) ? formatProgress(task.progress) : undefined;
  lines.push(`${STATE_WORDS[task.state]}${progress ? ` ${progress}` : ''} · ${formatDuration(elapsedMs(task, now))}`);
  const reason = reasonOf(task);
  if (reason) {
    lines.push('');
    lines.push(`${task.state === 'failed' ? 'Reason' : 'Note'}: ${escapeMarkdown(excerpt(reason, 500))}`);
  }
  const entries = Object.entries(task.input).filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (entries.length) {
    lines.push('');
    lines.push('| Input | Value |');
    lines.push('|---|---|');
    for (const [k, v] of entries) lines.push(`| ${escapeMarkdown(k)} | ${escapeMarkdown(valueText(v))} |`);
  }
  lines.push('');
  lines.push(`Estimated cost: ~${formatCredits(task.estimatedCredits)} credits (an estimate; the balance is the truth)`);
  lines.push('');
  const ids = [`Task id: \`${(task.taskId ?? 'not yet assigned').replace(/`/g, '')}\``, `local id: \`${task.id.replace(/`/g, '')}\``];
  if (task.retryOf) ids.push(`again of \`${task.retryOf.replace(/`/g, '')}\``);
  lines.push(ids.join(' · '));
  return lines.join('\n');
}

function hasChildren(task: TaskRecord): boolean {
  return task.outputs.length > 0 || (!!reasonOf(task) && (task.state === 'failed' || task.state === 'unknown'));
}

export function taskView(task: TaskRecord, now: number, titleOf?: TitleOf): ItemView {
  return {
    id: `task:${task.id}`,
    label: taskLabel(task, titleOf),
    description: taskDescription(task, now),
    tooltip: taskTooltip(task, now, titleOf),
    contextValue: contextValueOf(task),
    icon: iconOf(task),
    collapsible: hasChildren(task) ? (task.state === 'failed' ? 'expanded' : 'collapsed') : 'none',
  };
}

/** Children of a task: the reason it failed (if it did), then its outputs. */
export function taskChildren(task: TaskRecord): TreeNode[] {
  const nodes: TreeNode[] = [];
  if ((task.state === 'failed' || task.state === 'unknown') && reasonOf(task)) nodes.push({ kind: 'reason', taskId: task.id });
  task.outputs.forEach((_, index) => nodes.push({ kind: 'output', taskId: task.id, index }));
  return nodes;
}

const KIND_ICONS: Record<SavedOutput['kind'], string> = {
  image: 'file-media',
  video: 'device-camera-video',
  audio: 'unmute',
  text: 'file-text',
};

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

export function outputView(task: TaskRecord, index: number): ItemView | undefined {
  const output = task.outputs[index];
  if (!output) return undefined;
  const id = `output:${task.id}:${index}`;
  if (output.savedPath) {
    const size = output.bytes !== undefined ? ` · ${formatBytes(output.bytes)}` : '';
    return {
      id,
      label: baseName(output.savedPath),
      description: `${output.title ? `${excerpt(output.title, 40)} · ` : ''}${output.kind}${size}`,
      tooltip: `${escapeMarkdown(output.savedPath)}\n\nClick to open.`,
      contextValue: CONTEXT.outputFile,
      icon: { id: KIND_ICONS[output.kind] ?? 'file' },
      collapsible: 'none',
      openPath: output.savedPath,
    };
  }
  const failed = !!output.error;
  const stillTrying = isLive(task.state);
  return {
    id,
    label: output.title ? excerpt(output.title, 48) : `${output.kind} ${index + 1}`,
    description: failed ? `not saved: ${excerpt(output.error!, 60)}${stillTrying ? ' (retrying)' : ''}` : stillTrying ? 'saving…' : 'not saved',
    tooltip: failed ? `Download failed: ${escapeMarkdown(output.error!)}` : 'Not saved yet.',
    contextValue: CONTEXT.outputPending,
    icon: failed ? { id: 'warning', color: 'list.warningForeground' } : stillTrying ? { id: 'loading~spin' } : { id: 'circle-slash' },
    collapsible: 'none',
  };
}

export function reasonView(task: TaskRecord): ItemView | undefined {
  const reason = reasonOf(task);
  if (!reason) return undefined;
  return {
    id: `reason:${task.id}`,
    label: excerpt(reason, 120),
    tooltip: escapeMarkdown(reason),
    contextValue: CONTEXT.reason,
    icon: { id: 'info' },
    collapsible: 'none',
  };
}

/** The parts of a record the tree shows, except elapsed time (refreshed by its own timer). */
export function viewSignature(task: TaskRecord): string {
  const outs = task.outputs.map((o) => (o.savedPath ? 's' : o.error ? 'e' : 'p')).join('');
  return [task.state, task.progress ?? '', task.stage ?? '', task.taskId ?? '', outs, task.error?.message ?? ''].join('|');
}

export interface RefreshPlan {
  /** Refresh the whole tree (order or membership changed). */
  full: boolean;
  /** Otherwise, the task ids whose items changed. */
  ids: string[];
}

/**
 * Decides what to refresh after a batch of engine events: only the tasks whose look changed,
 * or everything when a task was added, removed or moved between running and finished.
 */
export class RefreshPlanner {
  private readonly seen = new Map<string, { sig: string; live: boolean }>();

  /** Records the current tasks without planning anything (after a full refresh). */
  reset(tasks: readonly TaskRecord[]): void {
    this.seen.clear();
    for (const t of tasks) this.seen.set(t.id, { sig: viewSignature(t), live: isLive(t.state) });
  }

  plan(events: readonly EngineEvent[]): RefreshPlan {
    let full = false;
    const ids = new Set<string>();
    for (const e of events) {
      if (e.type === 'removed') {
        this.seen.delete(e.id);
        full = true;
        continue;
      }
      const t = e.task;
      const before = this.seen.get(t.id);
      const now = { sig: viewSignature(t), live: isLive(t.state) };
      this.seen.set(t.id, now);
      if (e.type === 'added' || !before || before.live !== now.live) full = true;
      else if (before.sig !== now.sig || e.type === 'output-saved') ids.add(t.id);
    }
    return full ? { full: true, ids: [] } : { full: false, ids: [...ids] };
  }
}

export function liveCount(tasks: readonly TaskRecord[]): number {
  let n = 0;
  for (const t of tasks) if (isLive(t.state)) n++;
  return n;
}
