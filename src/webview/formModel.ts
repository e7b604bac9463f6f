/**
 * The generator form as data: which controls a model's fields get, their defaults, how control
 * values become a model input, and how validation issues map back to fields. DOM-free, so it is
 * unit-tested in plain Node; `main.ts` renders it.
 */
import { validateInput } from '../core/catalog/catalog';
import { inferMediaKind } from '../core/catalog/fields';
import type { Category, FieldSpec, MediaKind, ModelEntry, ModelInput, ValidationIssue } from '../core/catalog/types';
import type { Account } from './protocol';
import { isLocalPath, normaliseMediaValue, withPlaceholders } from './mediaPaths';

export type ControlKind = 'text' | 'textarea' | 'select' | 'number' | 'checkbox' | 'media' | 'mediaList' | 'lines' | 'json';

/** What a control holds: text for most, a flag for checkboxes, a list for media lists. */
export type ControlValue = string | boolean | string[];
export type FormValues = Record<string, ControlValue>;

export interface FormOption {
  /** The string the select control carries. */
  key: string;
  label: string;
  /** The typed value sent to the model (numbers stay numbers). */
  value: string | number | boolean;
}

export interface FormField {
  name: string;
  label: string;
  kind: ControlKind;
  required: boolean;
  advanced: boolean;
  description?: string;
  /** Select options; an optional select without default starts with an empty "model default" option. */
  options?: FormOption[];
  min?: number;
  max?: number;
  integer?: boolean;
  minLength?: number;
  maxLength?: number;
  media?: MediaKind;
  maxItems?: number;
  /** Item type of a `lines` field. */
  itemType?: 'string' | 'number' | 'integer';
  rows?: number;
  defaultValue: ControlValue;
  spec?: FieldSpec;
}

/** The one field of a model whose fields are not documented: its whole input as JSON. */
export const RAW_INPUT = '__input';

const ADVANCED_NAMES = /(^|_)(seed|seeds|negative_prompt|nsfw_checker|enable_safety_checker|safety_checker|num_inference_steps|guidance_scale|cfg_scale|acceleration|watermark|prompt_extend|expand_prompt|enable_prompt_expansion|sync_mode|output_format|strength)$/i;
const LONG_TEXT_NAMES = /prompt|lyrics|(^|_)text$|script|transcript|dialogue/i;
const ACRONYMS: Record<string, string> = { url: 'URL', urls: 'URLs', id: 'ID', ids: 'IDs', nsfw: 'NSFW', cfg: 'CFG', tts: 'TTS', fps: 'FPS', hd: 'HD', api: 'API' };

/** "aspect_ratio" → "Aspect ratio", "imageUrls" → "Image URLs". */
export function humanise(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[_\s-]+/)
    .filter(Boolean)
    .map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase());
  if (!words.length) return name;
  const first = words[0];
  words[0] = first === first.toUpperCase() ? first : first[0].toUpperCase() + first.slice(1);
  return words.join(' ');
}

function optionsOf(f: FieldSpec): FormOption[] {
  const values = f.enum ?? [];
  const seen = new Set<string>();
  const out: FormOption[] = [];
  for (const v of values) {
    let key = String(v);
    if (seen.has(key)) key = `${typeof v}:${key}`;
    seen.add(key);
    out.push({ key, label: String(v), value: v });
  }
  return out;
}

/** Kie's docs leave form-builder placeholders ("Radio description") in some fields: show nothing instead. */
const PLACEHOLDER_HELP = /^\s*(radio|select|input|switch|checkbox|text|upload)\s+description\.?\s*$/i;

/** Limits Kie writes into help text, which the form already shows (character counter, ranges). */
const LIMIT_NOTES = /\s*\((?:max length|min length|min|max|step)[^()]*\)/gi;

function helpText(description: string | undefined): string | undefined {
  if (!description || PLACEHOLDER_HELP.test(description)) return undefined;
  return description.replace(LIMIT_NOTES, '').trim() || undefined;
}

/** The control a field gets, from its spec and UI hints. */
export function describeField(f: FieldSpec): FormField {
  const media = inferMediaKind(f);
  const base = {
    name: f.name,
    label: f.label ?? humanise(f.name),
    required: !!f.required,
    advanced: f.advanced ?? (!f.required && ADVANCED_NAMES.test(f.name)),
    description: helpText(f.description),
    spec: f,
  };
  let field: Omit<FormField, 'defaultValue'>;
  if (f.enum?.length) {
    field = { ...base, kind: 'select', options: optionsOf(f) };
  } else if (media) {
    field = f.type === 'array'
      ? { ...base, kind: 'mediaList', media, maxItems: f.maxItems }
      : { ...base, kind: 'media', media };
  } else if (f.type === 'boolean') {
    field = { ...base, kind: 'checkbox' };
  } else if (f.type === 'number' || f.type === 'integer') {
    field = { ...base, kind: 'number', min: f.minimum, max: f.maximum, integer: f.type === 'integer' };
  } else if (f.type === 'string') {
    const long = f.multiline || LONG_TEXT_NAMES.test(f.name) || (f.maxLength ?? 0) >= 500;
    field = long
      ? { ...base, kind: 'textarea', minLength: f.minLength, maxLength: f.maxLength, rows: /negative/i.test(f.name) ? 2 : 4 }
      : { ...base, kind: 'text', minLength: f.minLength, maxLength: f.maxLength };
  } else if (f.type === 'array' && (f.itemType === undefined || f.itemType === 'string' || f.itemType === 'number' || f.itemType === 'integer')) {
    field = { ...base, kind: 'lines', itemType: f.itemType ?? 'string', maxItems: f.maxItems, rows: 3 };
  } else {
    field = { ...base, kind: 'json', rows: 4 };
  }
  return { ...field, defaultValue: defaultFor(field, f) };
}

function defaultFor(field: Omit<FormField, 'defaultValue'>, f: FieldSpec): ControlValue {
  const d = f.default;
  switch (field.kind) {
    case 'select': {
      const opts = field.options ?? [];
      const match = d === undefined ? undefined : opts.find((o) => o.value === d) ?? opts.find((o) => o.key === String(d));
      if (match) return match.key;
      return f.required && opts.length ? opts[0].key : '';
    }
    case 'checkbox':
      return d === true;
    case 'number':
      return typeof d === 'number' ? String(d) : '';
    case 'text':
    case 'textarea':
      return typeof d === 'string' || typeof d === 'number' ? String(d) : '';
    case 'media':
      return typeof d === 'string' ? d : '';
    case 'mediaList':
      return Array.isArray(d) ? d.filter((x): x is string => typeof x === 'string') : [];
    case 'lines':
      return Array.isArray(d) ? d.map(String).join('\n') : '';
    case 'json':
      return d === undefined ? '' : JSON.stringify(d, null, 2);
  }
}

/** The form of a model: its fields in order, or one JSON field when the model documents none. */
export function formFields(entry: Pick<ModelEntry, 'fields'>): FormField[] {
  if (!entry.fields.length) {
    return [{
      name: RAW_INPUT, label: 'Input (JSON)', kind: 'json', required: false, advanced: false, rows: 6,
      description: 'This model does not document its fields: write its input as a JSON object.', defaultValue: '{}',
    }];
  }
  return entry.fields.map(describeField);
}

export function defaultValues(fields: FormField[]): FormValues {
  const out: FormValues = {};
  for (const f of fields) out[f.name] = Array.isArray(f.defaultValue) ? [...f.defaultValue] : f.defaultValue;
  return out;
}

function valueFits(f: FormField, v: unknown): v is ControlValue {
  switch (f.kind) {
    case 'checkbox':
      return typeof v === 'boolean';
    case 'mediaList':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'select':
      return typeof v === 'string' && (v === '' || !!f.options?.some((o) => o.key === v));
    default:
      return typeof v === 'string';
  }
}

/** Stored control values made safe for the current fields (a model's fields may have changed). */
export function sanitizeValues(fields: FormField[], stored: unknown): FormValues {
  const values = defaultValues(fields);
  if (!stored || typeof stored !== 'object') return values;
  for (const f of fields) {
    const v = (stored as Record<string, unknown>)[f.name];
    if (valueFits(f, v)) values[f.name] = Array.isArray(v) ? [...v] : v;
  }
  return values;
}

/** Control values showing a model input (for `fill`): defaults, overlaid by the input's fields. */
export function valuesFromInput(fields: FormField[], input: ModelInput): { values: FormValues; unknown: string[] } {
  const values = defaultValues(fields);
  const known = new Set(fields.map((f) => f.name));
  const raw = fields.find((f) => f.name === RAW_INPUT);
  if (raw) {
    values[RAW_INPUT] = JSON.stringify(input, null, 2);
    return { values, unknown: [] };
  }
  for (const f of fields) {
    if (!(f.name in input)) continue;
    const v = input[f.name];
    if (v === undefined || v === null) continue;
    switch (f.kind) {
      case 'select': {
        const match = f.options?.find((o) => o.value === v) ?? f.options?.find((o) => o.key === String(v));
        values[f.name] = match ? match.key : '';
        break;
      }
      case 'checkbox':
        values[f.name] = v === true || v === 'true';
        break;
      case 'mediaList':
        values[f.name] = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
        break;
      case 'lines':
        values[f.name] = Array.isArray(v) ? v.map(String).join('\n') : String(v);
        break;
      case 'json':
        values[f.name] = JSON.stringify(v, null, 2);
        break;
      default:
        values[f.name] = typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
  }
  return { values, unknown: Object.keys(input).filter((k) => !known.has(k)) };
}

export interface BuiltInput {
  input: ModelInput;
  /** Values the controls could not turn into the field's type (not a number, not JSON). */
  parseErrors: Record<string, string>;
}

/** The model input the controls describe: empty controls are left out, values get their types. */
export function buildInput(fields: FormField[], values: FormValues): BuiltInput {
  const input: ModelInput = {};
  const parseErrors: Record<string, string> = {};
  for (const f of fields) {
    const v = values[f.name] ?? f.defaultValue;
    switch (f.kind) {
      case 'select': {
        if (v === '' || typeof v !== 'string') break;
        const opt = f.options?.find((o) => o.key === v);
        if (opt) input[f.name] = opt.value;
        else parseErrors[f.name] = `"${v}" is not one of the choices`;
        break;
      }
      case 'checkbox': {
        const checked = v === true;
        const d = f.spec?.default;
        if (checked || f.required || d !== undefined) input[f.name] = checked;
        break;
      }
      case 'number': {
        const s = String(v).trim();
        if (!s) break;
        const n = Number(s);
        if (!Number.isFinite(n)) parseErrors[f.name] = 'Enter a number';
        else input[f.name] = n;
        break;
      }
      case 'text':
      case 'textarea': {
        const s = String(v);
        if (s.trim()) input[f.name] = s;
        break;
      }
      case 'media': {
        const s = normaliseMediaValue(String(v));
        if (s) input[f.name] = s;
        break;
      }
      case 'mediaList': {
        const list = (Array.isArray(v) ? v : [String(v)]).map(normaliseMediaValue).filter(Boolean);
        if (list.length) input[f.name] = list;
        break;
      }
      case 'lines': {
        const items = String(v).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
        if (!items.length) break;
        if (f.itemType === 'number' || f.itemType === 'integer') {
          const nums = items.map(Number);
          if (nums.some((n) => !Number.isFinite(n))) parseErrors[f.name] = 'Enter one number a line';
          else input[f.name] = nums;
        } else {
          input[f.name] = items;
        }
        break;
      }
      case 'json': {
        const s = String(v).trim();
        if (!s) break;
        let parsed: unknown;
        try {
          parsed = JSON.parse(s);
        } catch (err) {
          parseErrors[f.name] = `Not valid JSON (${(err as Error).message})`;
          break;
        }
        if (f.name === RAW_INPUT) {
          if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) parseErrors[f.name] = 'Write a JSON object: { "field": value }';
          else Object.assign(input, parsed);
        } else {
          input[f.name] = parsed;
        }
        break;
      }
    }
  }
  return { input, parseErrors };
}

/** "is required" → "Required."; other messages get a capital first letter. */
export function issueText(message: string): string {
  if (message === 'is required') return 'Required.';
  if (message === 'is not a field of this model') return 'Not a field of this model.';
  const m = message.trim();
  return m ? m[0].toUpperCase() + m.slice(1) : m;
}

export interface MappedIssues {
  /** One message per field (the first issue of each). */
  byField: Record<string, string>;
  /** Issues that belong to no field of the form. */
  general: string[];
}

/** Issues (from the schema, the host or the engine) placed next to the fields they name. */
export function mapIssues(fields: FormField[], issues: ValidationIssue[]): MappedIssues {
  const names = new Set(fields.map((f) => f.name));
  const raw = names.has(RAW_INPUT);
  const byField: Record<string, string> = {};
  const general: string[] = [];
  for (const issue of issues) {
    const first = issue.field.split('.')[0];
    const target = raw ? RAW_INPUT : names.has(issue.field) ? issue.field : names.has(first) ? first : undefined;
    const text = issueText(issue.message);
    if (raw) {
      byField[RAW_INPUT] ??= issue.field && issue.field !== '(input)' ? `${issue.field}: ${text}` : text;
    } else if (target) {
      byField[target] ??= text;
    } else {
      general.push(issue.field && issue.field !== '(input)' ? `${issue.field}: ${text}` : text);
    }
  }
  return { byField, general };
}

/**
 * validateInput words every issue at an absent field as "is required"; for an optional field the
 * issue comes from the model's own check (e.g. "give a prompt, images, or both"): show that one.
 */
function withCheckMessages(entry: ModelEntry, input: ModelInput, issues: ValidationIssue[]): ValidationIssue[] {
  const optional = new Set(entry.fields.filter((f) => !f.required).map((f) => f.name));
  if (!issues.some((i) => i.message === 'is required' && optional.has(i.field))) return issues;
  const raw = entry.schema.safeParse(input);
  if (raw.success) return issues;
  return issues.map((i) => {
    if (i.message !== 'is required' || !optional.has(i.field)) return i;
    const original = raw.error.issues.find((r) => r.code === 'custom' && r.path.map(String).join('.') === i.field);
    return original ? { ...i, message: original.message } : i;
  });
}

export interface FormCheck {
  /** The input to send (local paths as given). */
  input: ModelInput;
  ok: boolean;
  errors: Record<string, string>;
  general: string[];
}

/** Validates the form with the model's own schema (local files stand in as placeholder URLs). */
export function checkForm(entry: ModelEntry, fields: FormField[], values: FormValues): FormCheck {
  const { input, parseErrors } = buildInput(fields, values);
  const checked = withPlaceholders(entry, input);
  const result = validateInput(entry, checked);
  const mapped = result.ok ? { byField: {}, general: [] } : mapIssues(fields, withCheckMessages(entry, checked, result.issues));
  const errors: Record<string, string> = { ...mapped.byField, ...parseErrors };
  return { input, ok: result.ok && !Object.keys(parseErrors).length, errors, general: mapped.general };
}

/** Whether a control holds something (errors of untouched empty fields are not shown yet). */
export function hasValue(v: ControlValue | undefined): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'boolean') return v;
  return !!v && v.trim() !== '';
}

/** 1234.5 → "1,234.5" (no Intl: its first use loads locale data, ~150 ms in a webview). */
export function groupDigits(n: number): string {
  const [int, frac] = String(Math.abs(n)).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

export function formatCredits(n: number): string {
  return groupDigits(Math.round(n * 100) / 100);
}

export function costLabel(entry: Pick<ModelEntry, 'cost' | 'media'>, input: ModelInput): { text: string; basis: string } {
  try {
    const c = entry.cost(withPlaceholders(entry, input));
    return { text: `≈ ${formatCredits(c.credits)} credits (estimate)`, basis: c.basis };
  } catch {
    return { text: 'Cost unknown', basis: '' };
  }
}

export function charCountLabel(value: string, maxLength?: number): string {
  const n = value.length;
  return maxLength ? `${groupDigits(n)} / ${groupDigits(maxLength)}` : `${groupDigits(n)} characters`;
}

export function balanceLabel(account: Account | undefined): { text: string; title: string; demo: boolean; credits?: string } {
  if (!account) return { text: 'Balance: …', title: 'Loading the balance', demo: false };
  const credits = account.credits === null ? undefined : `${formatCredits(account.credits)} credits`;
  if (account.demo) return { text: credits ? `Demo · ${credits}` : 'Demo', title: 'Offline demo: nothing is sent to Kie.ai', demo: true, credits };
  if (!account.hasKey) return { text: 'No API key', title: 'Set a Kie.ai API key to generate', demo: false };
  if (credits) return { text: `Balance: ${credits}`, title: 'Your Kie.ai balance', demo: false };
  return { text: 'Balance unavailable', title: account.error ?? 'The balance could not be read', demo: false };
}

/** Generating needs a key, or the offline demo. */
export function canGenerate(account: Account | undefined): boolean {
  return !account || account.hasKey || account.demo;
}

export interface ModelChoice {
  id: string;
  label: string;
  description: string;
  retired: boolean;
}

/** The models of a category for the picker: current ones first, retired ones last and marked. */
type ModelListing = Pick<ModelEntry, 'id' | 'title' | 'category' | 'retired'>;

export function modelChoices(entries: readonly ModelListing[], category: Category): ModelChoice[] {
  const inCategory = entries.filter((e) => e.category === category);
  const live = inCategory.filter((e) => !e.retired);
  const retired = inCategory.filter((e) => e.retired);
  return [...live, ...retired].map((e) => ({
    id: e.id,
    label: e.retired ? `${e.title} (retired upstream)` : e.title,
    description: e.id,
    retired: !!e.retired,
  }));
}

/** The first candidate that is a model of the category, else its first current model. */
export function pickModel(entries: readonly ModelListing[], category: Category, candidates: (string | undefined)[]): string | undefined {
  const inCategory = entries.filter((e) => e.category === category);
  for (const c of candidates) if (c && inCategory.some((e) => e.id === c)) return c;
  return (inCategory.find((e) => !e.retired) ?? inCategory[0])?.id;
}

/** Local files in a media control's value (for previews). */
export function localFiles(v: ControlValue | undefined): string[] {
  const list = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  return list.map(normaliseMediaValue).filter(isLocalPath);
}
