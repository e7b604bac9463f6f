import * as z from 'zod';
import type { FieldSpec, MediaInput, MediaKind, ModelInput } from './types';

/** Guesses whether a field takes media URLs from its name, as Kie names them. */
export function inferMediaKind(field: FieldSpec): MediaKind | undefined {
  if (field.media) return field.media;
  const isUrlish = field.type === 'string' || (field.type === 'array' && field.itemType === 'string');
  if (!isUrlish) return undefined;
  const n = field.name.toLowerCase();
  if (n === 'task_id' || n.startsWith('callback')) return undefined;
  if (/(^|_)audio(_url|_urls|_file)?$|audio_urls?$|(^|_)audio_input/.test(n)) return 'audio';
  if (/video_urls?$|(^|_)video$|video_input/.test(n)) return 'video';
  if (/(image|frame|mask|photo|face|avatar|input|reference|element)_?urls?$|^image$|^image_input$|^reference_image$|^input_image$|^image_urls?$/.test(n)) {
    return 'image';
  }
  if (field.itemFormat === 'uri' || field.format === 'uri') return 'image';
  return undefined;
}

export function mediaInputs(fields: FieldSpec[]): MediaInput[] {
  const found: MediaInput[] = [];
  for (const f of fields) {
    const kind = inferMediaKind(f);
    if (!kind) continue;
    found.push({ field: f.name, kind, multiple: f.type === 'array', maxItems: f.maxItems, required: !!f.required });
  }
  return found;
}

/** 5000 → "5,000" (no Intl, which is slow to load in the webview). */
const grouped = (n: number) => String(n).replace(/^(-?\d+)/, (int) => int.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
const plural = (n: number, word: string) => `${grouped(n)} ${word}${n === 1 ? '' : 's'}`;
/** The text's length, for "(it has N)" in a length message. */
const lengthOf = (input: unknown) => (typeof input === 'string' ? ` (it has ${grouped(input.length)})` : '');

// Messages are worded to follow the field's name ("prompt must be at most 5,000 characters"),
// like the other issues; the generator shows them beside the field with a capital first letter.
function scalar(type: string | undefined, f: Partial<FieldSpec>, isMedia: boolean): z.ZodType {
  switch (type) {
    case 'string': {
      if (isMedia) return z.url({ protocol: /^https?$/, error: 'must be an http(s) URL (upload a local file first)' });
      let s = z.string();
      const { minLength: min, maxLength: max } = f;
      if (min !== undefined) s = s.min(min, { error: (iss) => `must be at least ${plural(min, 'character')}${lengthOf(iss.input)}` });
      if (max !== undefined) s = s.max(max, { error: (iss) => `must be at most ${plural(max, 'character')}${lengthOf(iss.input)}` });
      if (f.pattern) s = s.regex(new RegExp(f.pattern));
      return s;
    }
    case 'integer':
    case 'number': {
      let n = type === 'integer' ? z.number().int({ error: 'must be a whole number' }) : z.number();
      const { minimum: min, maximum: max } = f;
      if (min !== undefined) n = n.min(min, { error: `must be at least ${grouped(min)}` });
      if (max !== undefined) n = n.max(max, { error: `must be at most ${grouped(max)}` });
      return n;
    }
    case 'boolean':
      return z.boolean();
    case 'array':
      return z.array(z.unknown());
    default:
      return z.record(z.string(), z.unknown());
  }
}

function enumSchema(values: (string | number)[]): z.ZodType {
  if (values.every((v) => typeof v === 'string')) return z.enum(values as [string, ...string[]]);
  const literals = values.map((v) => z.literal(v));
  return literals.length === 1 ? literals[0] : z.union(literals as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
}

export function fieldSchema(f: FieldSpec): z.ZodType {
  const media = !!inferMediaKind(f);
  let s: z.ZodType;
  if (f.enum && f.enum.length) {
    s = enumSchema(f.enum);
  } else if (f.type === 'array') {
    const item = scalar(f.itemType ?? 'string', { }, media && (f.itemType ?? 'string') === 'string');
    let a = z.array(item);
    const { minItems, maxItems } = f;
    if (minItems !== undefined) a = a.min(minItems, { error: `needs at least ${plural(minItems, 'item')}` });
    if (maxItems !== undefined) a = a.max(maxItems, { error: `takes at most ${plural(maxItems, 'item')}` });
    if (f.required && minItems === undefined) a = a.min(1, { error: 'needs at least 1 item' });
    s = a;
  } else {
    s = scalar(f.type, f, media);
  }
  const meta: Record<string, unknown> = {};
  if (f.description) meta.description = f.description;
  if (f.default !== undefined) meta.default = f.default;
  if (f.label) meta.title = f.label;
  if (Object.keys(meta).length) s = s.meta(meta);
  return f.required ? s : s.optional();
}

/**
 * Builds the input schema of a model. Unknown keys are rejected so a typo in a field name is
 * caught before credits are spent; a model whose fields are not documented takes anything.
 */
export function fieldsToSchema(
  fields: FieldSpec[],
  check?: (input: ModelInput) => { field: string; message: string }[],
): z.ZodType<ModelInput> {
  const shape: Record<string, z.ZodType> = {};
  for (const f of fields) shape[f.name] = fieldSchema(f);
  const base = fields.length ? z.strictObject(shape) : z.looseObject({});
  if (!check) return base as unknown as z.ZodType<ModelInput>;
  return base.superRefine((value, ctx) => {
    for (const issue of check(value as ModelInput)) {
      ctx.addIssue({ code: 'custom', path: issue.field ? [issue.field] : [], message: issue.message });
    }
  }) as unknown as z.ZodType<ModelInput>;
}

/** An input built from each field's default, or a plausible value for required fields. */
export function exampleFromFields(fields: FieldSpec[], prompt = 'A red fox in fresh snow, golden hour'): ModelInput {
  const out: ModelInput = {};
  for (const f of fields) {
    if (!f.required && f.default === undefined) continue;
    const media = inferMediaKind(f);
    if (f.default !== undefined && !media && (!f.enum || f.enum.includes(f.default as string | number))) {
      out[f.name] = f.default;
      continue;
    }
    if (f.enum?.length) out[f.name] = f.enum[0];
    else if (media) {
      const url = `https://example.com/sample.${media === 'image' ? 'png' : media === 'video' ? 'mp4' : 'mp3'}`;
      out[f.name] = f.type === 'array' ? [url] : url;
    } else if (f.type === 'string') out[f.name] = f.name.includes('prompt') || f.name === 'text' ? prompt : 'example';
    else if (f.type === 'number' || f.type === 'integer') out[f.name] = f.minimum ?? 1;
    else if (f.type === 'boolean') out[f.name] = false;
    else if (f.type === 'array') out[f.name] = f.itemType === 'object' ? [{}] : f.itemType === 'number' || f.itemType === 'integer' ? [1] : ['example'];
    else out[f.name] = {};
  }
  return out;
}
