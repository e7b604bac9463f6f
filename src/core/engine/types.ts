import type { Category, OutputKind } from '../catalog/types';

/**
 * Life of a task in the journal:
 * pending-create → (create sent) → queued → running → downloading → succeeded
 * A create whose answer was lost is `unknown` (never sent again by itself); `stopped` means the
 * user stopped watching it (Kie has no cancel).
 */
export type JournalState =
  | 'uploading'
  | 'pending-create'
  | 'unknown'
  | 'queued'
  | 'running'
  | 'downloading'
  | 'succeeded'
  | 'failed'
  | 'stopped';

export const LIVE_STATES: readonly JournalState[] = ['uploading', 'pending-create', 'queued', 'running', 'downloading'];

export interface SavedOutput {
  /** Kie's result URL (may have expired). */
  url: string;
  kind: OutputKind;
  index: number;
  title?: string;
  trackId?: string;
  /** Absolute path of the saved file, once saved. */
  savedPath?: string;
  /** Absolute path of the JSON record written beside it. */
  recordPath?: string;
  bytes?: number;
  /** Why the download failed, if it did (it is retried). */
  error?: string;
  attempts?: number;
  /** Text results (e.g. a transcript) carried inline instead of a URL. */
  text?: string;
  /** The link last used to download it, when Kie had to give a fresh one. */
  downloadUrl?: string;
  /** The name being taken for it (journalled just before, so a crash can adopt it). */
  savingTo?: string;
}

export interface LocalUpload {
  field: string;
  /** Absolute local path the user picked. */
  path: string;
  /** Upload URL once uploaded. */
  url?: string;
  /** Position in a list field (0 for single fields). */
  index?: number;
}

export interface Destination {
  /** Workspace folder (absolute) the assets folder lives in. */
  root: string;
  /** Folder below root, default "assets". */
  assetsFolder?: string;
  /** File name pattern, default "{date}-{model}-{prompt}-{id}-{index}". */
  pattern?: string;
}

export interface TaskRecord {
  /** Local id, stable for the life of the record. */
  id: string;
  /** Kie's task id, once the create answered. */
  taskId?: string;
  model: string;
  category: Category;
  /** The input as the user gave it (local paths in media fields). */
  input: Record<string, unknown>;
  /** The input as sent to Kie (URLs). */
  sentInput?: Record<string, unknown>;
  uploads: LocalUpload[];
  estimatedCredits: number;
  state: JournalState;
  progress?: number;
  stage?: string;
  destination: Destination;
  createdAt: number;
  submittedAt?: number;
  finishedAt?: number;
  /** Set just before the create call is sent: a record with it but no taskId may exist at Kie. */
  createSentAt?: number;
  /** When Kie's task was seen finished (succeeded or failed). */
  completedAt?: number;
  updatedAt: number;
  outputs: SavedOutput[];
  error?: { code: string; message: string; kind?: string };
  /** When this task was made by Retry or Generate Again, the record it came from. */
  retryOf?: string;
}

export type EngineEvent =
  | { type: 'added'; task: TaskRecord }
  | { type: 'changed'; task: TaskRecord }
  | { type: 'finished'; task: TaskRecord }
  | { type: 'output-saved'; task: TaskRecord; output: SavedOutput }
  | { type: 'removed'; id: string };

export interface SubmitRequest {
  model: string;
  input: Record<string, unknown>;
  destination: Destination;
  retryOf?: string;
}

export interface SubmitOptions {
  signal?: AbortSignal;
  /** Upload progress: bytes sent of total, per file. */
  onUpload?: (event: { field: string; path: string; sent: number; total: number }) => void;
}

/** What hosts (the extension, the CLI) use of the engine. */
export interface TaskEngineApi {
  /** Loads the journal and resumes every unfinished task. */
  start(): Promise<void>;
  /** Validates (throws InputError listing fields before anything is sent), uploads local files, records, creates. */
  submit(request: SubmitRequest, options?: SubmitOptions): Promise<TaskRecord>;
  list(): TaskRecord[];
  get(id: string): TaskRecord | undefined;
  /** Stops polling a task (Kie has no cancel); its record stays. */
  stopWatching(id: string): void;
  /** Removes a finished or stopped task from the journal (files on disk stay). */
  remove(id: string): void;
  /** Removes every succeeded, failed and stopped task from the journal. */
  clearFinished(): number;
  /** An explicit new create with the same model and input. */
  retry(id: string): Promise<TaskRecord>;
  /** Resolves when no task is live (for the CLI's wait). */
  idle(): Promise<void>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  dispose(): Promise<void>;
}
