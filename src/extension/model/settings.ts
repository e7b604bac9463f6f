/**
 * Settings rules, without vscode: defaults, validation, the machine-scope rule for the URLs the
 * key is sent to, and which model each explorer action uses.
 */
import { DEFAULT_API_URL, DEFAULT_UPLOAD_URL } from '../../core/kie/client';
import type { Category, MediaKind, ModelEntry } from '../../core/catalog/types';

export const SECTION = 'kieStudio';

/** The subset of vscode.WorkspaceConfiguration the rules need. */
export interface Inspection<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}
export interface ConfigReader {
  get<T>(key: string): T | undefined;
  inspect<T>(key: string): Inspection<T> | undefined;
}

export type NotificationLevel = 'all' | 'failures' | 'none';
export const NOTIFICATION_LEVELS: readonly NotificationLevel[] = ['all', 'failures', 'none'];

export type ActionId = 'upscaleImage' | 'animateImage' | 'removeBackground' | 'editImage' | 'upscaleVideo' | 'isolateVoice' | 'transcribe';

export interface ActionSpec {
  id: ActionId;
  /** Setting key below `kieStudio.` that names the model. */
  setting: string;
  defaultModel: string;
  /** The kind of file the action takes. */
  input: MediaKind;
  /** The category a replacement model must be in, when the configured one does not fit. */
  category: Category;
  /** Verb for "Started …" notifications. */
  verb: string;
}

export const ACTIONS: Record<ActionId, ActionSpec> = {
  upscaleImage: { id: 'upscaleImage', setting: 'defaultModel.upscaleImage', defaultModel: 'topaz/image-upscale', input: 'image', category: 'image', verb: 'Upscaling' },
  animateImage: { id: 'animateImage', setting: 'defaultModel.animateImage', defaultModel: 'kling/v2-1-standard', input: 'image', category: 'video', verb: 'Animating' },
  removeBackground: { id: 'removeBackground', setting: 'defaultModel.removeBackground', defaultModel: 'recraft/remove-background', input: 'image', category: 'image', verb: 'Removing the background of' },
  editImage: { id: 'editImage', setting: 'defaultModel.editImage', defaultModel: 'flux-kontext-pro', input: 'image', category: 'image', verb: 'Editing' },
  upscaleVideo: { id: 'upscaleVideo', setting: 'defaultModel.upscaleVideo', defaultModel: 'topaz/video-upscale', input: 'video', category: 'video', verb: 'Upscaling' },
  isolateVoice: { id: 'isolateVoice', setting: 'defaultModel.isolateVoice', defaultModel: 'elevenlabs/audio-isolation', input: 'audio', category: 'audio', verb: 'Isolating the voice in' },
  transcribe: { id: 'transcribe', setting: 'defaultModel.transcribe', defaultModel: 'elevenlabs/speech-to-text', input: 'audio', category: 'audio', verb: 'Transcribing' },
};

export const DEFAULTS = {
  assetsFolder: 'assets',
  fileNamePattern: '{date}-{model}-{prompt}-{id}-{index}',
  notifications: 'all' as NotificationLevel,
  openOutputsWhenDone: false,
  modelsFile: '.kie/models.json',
  upscaleFactor: 2,
  animatePrompt: 'Gentle, natural motion; the camera slowly pushes in.',
  demoSpeed: 0.05,
  demoAutoStart: false,
};

export interface Settings {
  assetsFolder: string;
  fileNamePattern: string;
  notifications: NotificationLevel;
  openOutputsWhenDone: boolean;
  modelsFile: string;
  apiBaseUrl: string;
  uploadBaseUrl: string;
  callbackUrl?: string;
  upscaleFactor: number;
  animatePrompt: string;
  demoSpeed: number;
  /** Start the offline demo on activation when no key is set (unless the demo was stopped here). */
  demoAutoStart: boolean;
  defaultModels: Record<ActionId, string>;
  /** Problems worth a line in the log (ignored or invalid values). */
  warnings: string[];
}

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** A base URL the key may be sent to: https anywhere, plain http only to this machine. */
export function checkBaseUrl(value: string): { ok: true; url: string } | { ok: false; reason: string } {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return { ok: false, reason: 'is not a URL' };
  }
  if (parsed.username || parsed.password) return { ok: false, reason: 'must not contain credentials' };
  if (parsed.search || parsed.hash) return { ok: false, reason: 'must not have a query or fragment' };
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopback(parsed.hostname))) {
    return { ok: true, url: `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '') };
  }
  return { ok: false, reason: parsed.protocol === 'http:' ? 'must use https (plain http is only allowed for localhost)' : 'must be an https URL' };
}

/**
 * A machine-scoped URL setting: only the user (or remote machine) value counts. A workspace or
 * folder value is ignored, so a cloned repository can never send the key to another host.
 */
export function machineScopedUrl(key: string, inspection: Inspection<string> | undefined, fallback: string, warnings: string[]): string {
  if (inspection?.workspaceValue !== undefined || inspection?.workspaceFolderValue !== undefined) {
    warnings.push(`Ignoring ${SECTION}.${key} from workspace settings: it can only be set in user settings.`);
  }
  const value = typeof inspection?.globalValue === 'string' ? inspection.globalValue.trim() : '';
  if (!value) return fallback;
  const checked = checkBaseUrl(value);
  if (checked.ok) return checked.url;
  warnings.push(`Ignoring ${SECTION}.${key} "${value}": it ${checked.reason}. Using ${fallback}.`);
  return fallback;
}

/** A folder below the workspace folder: relative, without "..". */
export function safeAssetsFolder(value: unknown, warnings: string[]): string {
  if (typeof value !== 'string' || !value.trim()) return DEFAULTS.assetsFolder;
  const v = value.trim().replace(/\\/g, '/').replace(/\/+$/, '');
  if (v.startsWith('/') || /^[a-zA-Z]:/.test(v) || v.split('/').includes('..')) {
    warnings.push(`Ignoring ${SECTION}.assetsFolder "${value}": it must be a folder inside the workspace folder.`);
    return DEFAULTS.assetsFolder;
  }
  return v || DEFAULTS.assetsFolder;
}

function str(reader: ConfigReader, key: string, fallback: string): string {
  const v = reader.get<unknown>(key);
  return typeof v === 'string' && v.trim() ? v.trim() : fallback;
}

export function readSettings(reader: ConfigReader): Settings {
  const warnings: string[] = [];
  const level = reader.get<unknown>('notifications');
  const factor = Number(reader.get<unknown>('upscaleFactor') ?? DEFAULTS.upscaleFactor);
  const speed = Number(reader.get<unknown>('demo.speed') ?? DEFAULTS.demoSpeed);
  const callbackRaw = machineScopedUrl('callbackUrl', reader.inspect<string>('callbackUrl'), '', warnings);
  const defaultModels = {} as Record<ActionId, string>;
  for (const a of Object.values(ACTIONS)) defaultModels[a.id] = str(reader, a.setting, a.defaultModel);
  return {
    assetsFolder: safeAssetsFolder(reader.get<unknown>('assetsFolder'), warnings),
    fileNamePattern: str(reader, 'fileNamePattern', DEFAULTS.fileNamePattern),
    notifications: NOTIFICATION_LEVELS.includes(level as NotificationLevel) ? (level as NotificationLevel) : DEFAULTS.notifications,
    openOutputsWhenDone: reader.get<unknown>('openOutputsWhenDone') === true,
    modelsFile: str(reader, 'modelsFile', DEFAULTS.modelsFile),
    apiBaseUrl: machineScopedUrl('apiBaseUrl', reader.inspect<string>('apiBaseUrl'), DEFAULT_API_URL, warnings),
    uploadBaseUrl: machineScopedUrl('uploadBaseUrl', reader.inspect<string>('uploadBaseUrl'), DEFAULT_UPLOAD_URL, warnings),
    callbackUrl: callbackRaw || undefined,
    upscaleFactor: [1, 2, 4].includes(factor) ? factor : DEFAULTS.upscaleFactor,
    animatePrompt: str(reader, 'animatePrompt', DEFAULTS.animatePrompt),
    demoSpeed: Number.isFinite(speed) && speed > 0 ? Math.min(100, Math.max(0.001, speed)) : DEFAULTS.demoSpeed,
    demoAutoStart: reader.get<unknown>('demo.autoStart') === true,
    defaultModels,
    warnings,
  };
}

/** Does a model fit an action: known, not retired, and taking a file of the action's kind? */
export function fitsAction(entry: ModelEntry | undefined, action: ActionSpec): boolean {
  return !!entry && !entry.retired && entry.media.some((m) => m.kind === action.input);
}

export interface CatalogLike {
  get(id: string): ModelEntry | undefined;
  all(): ModelEntry[];
}

/**
 * The model an action uses: the configured one if it fits, else the built-in default, else the
 * first model of the action's category that takes the right kind of file.
 */
export function resolveActionModel(action: ActionSpec, configured: string | undefined, catalog: CatalogLike): { entry: ModelEntry; warning?: string } {
  const wanted = configured?.trim() || action.defaultModel;
  const first = catalog.get(wanted);
  if (first && fitsAction(first, action)) return { entry: first };
  const why = !first ? 'is not in the catalog' : first.retired ? `is retired (${first.retired})` : `takes no ${action.input} file`;
  const fallback = [catalog.get(action.defaultModel), ...catalog.all().filter((e) => e.category === action.category)].find((e): e is ModelEntry => fitsAction(e, action));
  if (!fallback) throw new Error(`No model can ${action.verb.toLowerCase()} ${action.input} files: "${wanted}" ${why}.`);
  return { entry: fallback, warning: `The model "${wanted}" ${why}; using "${fallback.id}" instead.` };
}

/** The media field an action fills with the file: a required one of the right kind first. */
export function mediaFieldFor(entry: ModelEntry, kind: MediaKind): { field: string; multiple: boolean } | undefined {
  const m = entry.media.find((x) => x.kind === kind && x.required) ?? entry.media.find((x) => x.kind === kind);
  return m ? { field: m.field, multiple: m.multiple } : undefined;
}

const FACTOR_FIELDS = ['upscale_factor', 'upscaleFactor', 'scale', 'factor'];
const PROMPT_FIELDS = ['prompt', 'text'];

/**
 * The input of an explorer action: the file's path in the media field (the engine uploads local
 * paths), the upscale factor in the model's own format, and a prompt when the model takes one.
 */
export function buildActionInput(entry: ModelEntry, action: ActionSpec, filePath: string, opts: { factor?: number; prompt?: string } = {}): Record<string, unknown> {
  const media = mediaFieldFor(entry, action.input);
  if (!media) throw new Error(`${entry.id} takes no ${action.input} file.`);
  const input: Record<string, unknown> = {};
  for (const f of entry.fields) if (f.required && f.default !== undefined && f.default !== null) input[f.name] = f.default;
  input[media.field] = media.multiple ? [filePath] : filePath;
  const factorField = entry.fields.find((f) => FACTOR_FIELDS.includes(f.name));
  if (factorField && opts.factor !== undefined) {
    const allowed = factorField.enum?.map(String);
    const wanted = String(opts.factor);
    const chosen = !allowed || allowed.includes(wanted) ? wanted : factorField.default !== undefined ? String(factorField.default) : allowed[0];
    input[factorField.name] = factorField.type === 'string' ? chosen : Number(chosen);
  }
  const promptField = entry.fields.find((f) => PROMPT_FIELDS.includes(f.name));
  if (promptField && opts.prompt?.trim()) input[promptField.name] = opts.prompt.trim();
  return input;
}

/** Paths of the models files to load: relative to each workspace folder; none when untrusted. */
export function modelsFilePaths(setting: string, folders: readonly string[], trusted: boolean, join: (...p: string[]) => string): string[] {
  if (!trusted) return [];
  if (setting.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(setting)) return [setting];
  return folders.map((f) => join(f, setting));
}
