/**
 * The generator webview's state machine, without the DOM: it takes host messages and user
 * actions, keeps the catalog, the chosen model, the control values and the status, and tells
 * the view what to redraw. `main.ts` renders it; the unit tests drive it directly.
 */
import type { Category, ModelEntry, ModelSpec } from '../core/catalog/types';
import {
  canGenerate, checkForm, formFields, hasValue, mapIssues, pickModel, sanitizeValues, valuesFromInput,
  type ControlValue, type FormCheck, type FormField, type FormValues,
} from './formModel';
import { FROM_HOST, FROM_WEBVIEW, hostMessage, type Account, type HostMessage, type WebviewMessage } from './protocol';
import { LazyCatalog, type CatalogSources } from './lazyCatalog';
import { RequestTracker } from './rpc';
import { parseState, withModel, withValues, type ViewState } from './state';

/** What changed: the whole form, values (validation, cost), the account, or the status line. */
export type ChangeKind = 'form' | 'values' | 'account' | 'status';

export type StatusKind = 'idle' | 'busy' | 'started' | 'error';
export interface Status {
  kind: StatusKind;
  text: string;
}

export interface AppDeps {
  post(message: WebviewMessage): void;
  saveState(state: ViewState): void;
  /** Where the shipped models come from (tests pass a few). */
  sources?: CatalogSources;
  log?: (message: string) => void;
}

export interface MediaFile {
  path: string;
  previewUri?: string;
}

export class GeneratorApp {
  readonly requests: RequestTracker;
  state: ViewState;
  catalog: LazyCatalog;
  account: Account | undefined;
  assetsFolder = 'assets';
  initialised = false;

  entry: ModelEntry | undefined;
  fields: FormField[] = [];
  values: FormValues = {};
  status: Status = { kind: 'idle', text: '' };
  /** Problems not tied to one field (from the reply, or an unknown model in a fill). */
  notices: string[] = [];
  /** Whether Generate was tried: then every field's problem shows. */
  attempted = false;

  private touched = new Set<string>();
  private serverIssues: Record<string, string> = {};
  private cached: FormCheck | undefined;
  private formReadySent = false;
  private readonly previews = new Map<string, string | null>();
  private readonly listeners: ((kind: ChangeKind) => void)[] = [];

  constructor(private readonly deps: AppDeps, storedState?: unknown) {
    this.requests = new RequestTracker(deps.post);
    this.state = parseState(storedState);
    this.catalog = this.buildCatalog([]);
  }

  onChange(listener: (kind: ChangeKind) => void): void {
    this.listeners.push(listener);
  }

  /** The webview listens: tell the host (it answers with `init`). */
  start(): void {
    this.deps.post({ type: FROM_WEBVIEW.ready });
  }

  get category(): Category {
    return this.state.category;
  }

  get modelId(): string | undefined {
    return this.entry?.id;
  }

  // ------------------------------------------------------------------ host messages

  /** Handles one message from the host; returns its type, or undefined when it was not valid. */
  handleHostMessage(raw: unknown): HostMessage['type'] | undefined {
    if (this.requests.handleReply(raw)) return FROM_HOST.reply;
    const parsed = hostMessage.safeParse(raw);
    if (!parsed.success) {
      this.deps.log?.(`Ignored a message from the extension: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return undefined;
    }
    const msg = parsed.data;
    switch (msg.type) {
      case FROM_HOST.init:
        this.init(msg.userModels as ModelSpec[], msg.lastModelByCategory, msg.account, msg.assetsFolder);
        break;
      case FROM_HOST.balance:
        this.account = msg.account;
        this.emit('account');
        break;
      case FROM_HOST.fill:
        this.fill(msg.modelId, msg.input);
        break;
      case FROM_HOST.models:
        this.setUserModels(msg.userModels as ModelSpec[]);
        break;
      case FROM_HOST.reply:
        break; // a late reply to a request no longer open
    }
    return msg.type;
  }

  private init(userModels: ModelSpec[], lastModelByCategory: Record<string, string>, account: Account, assetsFolder: string): void {
    this.catalog = this.buildCatalog(userModels);
    this.account = account;
    this.assetsFolder = assetsFolder;
    const entries = this.catalog.all();
    let state = this.state;
    for (const c of ['image', 'video', 'audio'] as const) {
      const id = pickModel(entries, c, [state.modelByCategory[c], lastModelByCategory[c]]);
      if (id) state = withModel(state, c, id);
    }
    this.state = { ...state, category: this.state.category };
    // A fill that arrived before init (it cannot: the host queues it) would be overwritten here.
    const current = this.state.modelByCategory[this.state.category];
    this.initialised = true;
    if (current) this.loadModel(current);
    else this.emit('form');
    this.emit('account');
  }

  private buildCatalog(userModels: ModelSpec[]): LazyCatalog {
    return new LazyCatalog(userModels, this.deps.sources, (m) => this.deps.log?.(m));
  }

  private setUserModels(userModels: ModelSpec[]): void {
    this.catalog = this.buildCatalog(userModels);
    const id = this.entry?.id;
    if (id && this.catalog.get(id)) {
      this.loadModel(id, this.values);
      return;
    }
    const fallback = pickModel(this.catalog.all(), this.category, [this.state.modelByCategory[this.category]]);
    if (fallback) this.loadModel(fallback);
    else {
      this.entry = undefined;
      this.fields = [];
      this.emit('form');
    }
  }

  // ------------------------------------------------------------------ model and values

  /** The user switched category: that category's remembered model comes back. */
  setCategory(category: Category): void {
    if (category === this.state.category && this.entry?.category === category) return;
    this.state = { ...this.state, category };
    const id = pickModel(this.catalog.all(), category, [this.state.modelByCategory[category]]);
    if (id) this.loadModel(id);
    else {
      this.entry = undefined;
      this.fields = [];
      this.save();
      this.emit('form');
    }
  }

  /** The user picked a model (remembered per category, on the host too). */
  selectModel(id: string): void {
    if (id === this.entry?.id) return;
    const entry = this.catalog.get(id);
    if (!entry) {
      this.notices = [`Unknown model "${id}".`];
      this.emit('status');
      return;
    }
    this.loadModel(id);
    this.deps.post({ type: FROM_WEBVIEW.rememberModel, category: entry.category, modelId: id });
  }

  /** The host filled the form (e.g. "Generate again"): that model, its defaults, then the input's values. */
  fill(modelId: string, input: Record<string, unknown>): void {
    const entry = this.catalog.get(modelId);
    if (!entry) {
      this.notices = [`Cannot fill the form: unknown model "${modelId}". Is it in your models file?`];
      this.emit('status');
      return;
    }
    const fields = formFields(entry);
    if (!Object.keys(input).length) {
      // Only a model choice: keep what the user had for it.
      if (entry.id !== this.entry?.id) this.loadModel(entry.id);
    } else {
      const { values, unknown } = valuesFromInput(fields, input);
      this.loadModel(entry.id, values);
      for (const f of fields) if (hasValue(values[f.name])) this.touched.add(f.name);
      if (unknown.length) this.notices = [`Left out fields this model does not have: ${unknown.join(', ')}.`];
    }
    this.deps.post({ type: FROM_WEBVIEW.rememberModel, category: entry.category, modelId: entry.id });
    this.emit('status');
  }

  private loadModel(id: string, values?: FormValues): void {
    const entry = this.catalog.get(id);
    if (!entry) return;
    this.entry = entry;
    this.fields = formFields(entry);
    this.values = sanitizeValues(this.fields, values ?? this.state.values[id]);
    this.touched = new Set();
    this.serverIssues = {};
    this.notices = [];
    this.attempted = false;
    this.cached = undefined;
    if (this.status.kind === 'error') this.status = { kind: 'idle', text: '' };
    this.state = withValues(withModel(this.state, entry.category, id), id, this.values);
    this.save();
    this.emit('form');
  }

  setValue(name: string, value: ControlValue): void {
    if (!this.entry) return;
    this.values = { ...this.values, [name]: Array.isArray(value) ? [...value] : value };
    this.touched.add(name);
    delete this.serverIssues[name];
    this.cached = undefined;
    if (this.status.kind === 'error' || this.status.kind === 'started') this.status = { kind: 'idle', text: '' };
    this.notices = [];
    this.state = withValues(this.state, this.entry.id, this.values);
    this.save();
    this.emit('values');
  }

  /** A field lost focus: its problem may show now. */
  touch(name: string): void {
    if (this.touched.has(name)) return;
    this.touched.add(name);
    this.emit('values');
  }

  setAdvancedOpen(open: boolean): void {
    if (this.state.advancedOpen === open) return;
    this.state = { ...this.state, advancedOpen: open };
    this.save();
  }

  check(): FormCheck {
    if (!this.entry) return { input: {}, ok: false, errors: {}, general: [] };
    this.cached ??= checkForm(this.entry, this.fields, this.values);
    return this.cached;
  }

  /** The problem to show next to each field: the host's, or the schema's once the field was touched. */
  visibleErrors(): Record<string, string> {
    const check = this.check();
    const out: Record<string, string> = {};
    for (const f of this.fields) {
      const shown = this.attempted || this.touched.has(f.name) || hasValue(this.values[f.name]);
      const message = this.serverIssues[f.name] ?? (shown ? check.errors[f.name] : undefined);
      if (message) out[f.name] = message;
    }
    return out;
  }

  /** Problems that belong to no field. */
  generalProblems(): string[] {
    return [...this.check().general, ...this.notices];
  }

  /** Why Generate is disabled, or undefined when it is enabled. */
  blocker(): string | undefined {
    if (!this.initialised) return 'Loading…';
    if (!this.entry) return 'Choose a model.';
    if (!canGenerate(this.account)) return 'Set an API key or start the offline demo first.';
    if (this.status.kind === 'busy') return 'Starting…';
    const check = this.check();
    if (!check.ok) {
      const failing = this.fields.filter((f) => check.errors[f.name]);
      const missing = failing.filter((f) => check.errors[f.name] === 'Required.');
      const other = failing.filter((f) => check.errors[f.name] !== 'Required.');
      if (!missing.length && other.length === 1) return `${other[0].label}: ${check.errors[other[0].name]}`;
      const parts = [
        missing.length ? `Fill in: ${missing.map((f) => f.label).join(', ')}.` : '',
        other.length ? `Check: ${other.map((f) => f.label).join(', ')}.` : '',
      ].filter(Boolean);
      return parts.length ? parts.join(' ') : check.general[0] ?? 'Check the input.';
    }
    return undefined;
  }

  // ------------------------------------------------------------------ actions

  async generate(): Promise<boolean> {
    const entry = this.entry;
    if (!entry) return false;
    if (this.blocker()) {
      this.attempted = true;
      this.emit('values');
      return false;
    }
    const input = this.check().input;
    this.status = { kind: 'busy', text: 'Starting…' };
    this.notices = [];
    this.emit('status');
    const reply = await this.requests.request({ type: FROM_WEBVIEW.generate, modelId: entry.id, input });
    if (reply.ok) {
      this.status = { kind: 'started', text: 'Started — see the Tasks view' };
      this.emit('status');
      return true;
    }
    const mapped = mapIssues(this.fields, reply.issues);
    this.serverIssues = mapped.byField;
    this.notices = mapped.general;
    this.attempted = true;
    this.status = { kind: 'error', text: reply.error };
    this.emit('values');
    this.emit('status');
    return false;
  }

  /** Browse… for a media field; the chosen files go into the field (appended for lists). */
  async pickFile(field: FormField): Promise<void> {
    if (!field.media) return;
    const reply = await this.requests.request({ type: FROM_WEBVIEW.pickFile, field: field.name, kind: field.media, multiple: field.kind === 'mediaList' });
    if (!reply.ok) {
      this.status = { kind: 'error', text: reply.error };
      this.emit('status');
      return;
    }
    this.addFiles(field, reply.result.files);
  }

  /** Puts files (paths or URLs) into a media field: replaces a single value, appends to a list. */
  addFiles(field: FormField, files: MediaFile[]): void {
    if (!files.length) return;
    for (const f of files) if (f.previewUri) this.previews.set(f.path, f.previewUri);
    if (field.kind === 'mediaList') {
      const current = Array.isArray(this.values[field.name]) ? (this.values[field.name] as string[]) : [];
      const added = files.map((f) => f.path).filter((p) => !current.includes(p));
      this.setValue(field.name, [...current, ...added]);
    } else {
      this.setValue(field.name, files[0].path);
    }
  }

  removeFile(field: FormField, index: number): void {
    const current = Array.isArray(this.values[field.name]) ? [...(this.values[field.name] as string[])] : [];
    current.splice(index, 1);
    this.setValue(field.name, current);
  }

  async listMedia(kind: FormField['media'] & string): Promise<MediaFile[] | string> {
    const reply = await this.requests.request({ type: FROM_WEBVIEW.listMedia, kind });
    if (!reply.ok) return reply.error;
    for (const f of reply.result.files) if (f.previewUri) this.previews.set(f.path, f.previewUri);
    return reply.result.files;
  }

  /** A webview URI to show a local file, asked of the host once per path. */
  async previewUri(path: string): Promise<string | undefined> {
    if (this.previews.has(path)) return this.previews.get(path) ?? undefined;
    const reply = await this.requests.request({ type: FROM_WEBVIEW.preview, path });
    const uri = reply.ok ? reply.result.uri : undefined;
    this.previews.set(path, uri ?? null);
    return uri;
  }

  knownPreview(path: string): string | undefined {
    return this.previews.get(path) ?? undefined;
  }

  refreshBalance(): void {
    this.deps.post({ type: FROM_WEBVIEW.refreshBalance });
  }

  runCommand(command: Extract<WebviewMessage, { type: 'runCommand' }>['command']): void {
    this.deps.post({ type: FROM_WEBVIEW.runCommand, command });
  }

  /** The view rendered the form after init: tell the host once (its "form ready" timing). */
  formRendered(): void {
    if (this.formReadySent || !this.initialised) return;
    this.formReadySent = true;
    this.deps.post({ type: FROM_WEBVIEW.formReady });
  }

  private save(): void {
    this.deps.saveState(this.state);
  }

  private emit(kind: ChangeKind): void {
    for (const l of [...this.listeners]) l(kind);
  }
}
