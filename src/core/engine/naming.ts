import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Category } from '../catalog/types';
import type { Destination } from './types';

export const DEFAULT_ASSETS_FOLDER = 'assets';
export const DEFAULT_PATTERN = '{date}-{model}-{prompt}-{id}-{index}';
/** Hidden folder inside the assets folder where downloads are written before they are complete. */
export const PARTIAL_FOLDER = '.kie-partial';
export const PROMPT_SLUG_MAX = 40;
/** Longest file name we make, extension and suffix included (most file systems allow 255 bytes). */
export const NAME_MAX = 150;

const WINDOWS_RESERVED = /^(con|prn|aux|nul|clock\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/** Last segments of ids that say what was done rather than by whom ("suno/generate"). */
const GENERIC_SEGMENT = /^(generate|extend|modify|video|image|upscale|aleph|v\d|text-to-|image-to-|speech-to-|audio-|sound-|remove-|crisp-)/;

/**
 * The model's short name: the last segment of its id ("google/nano-banana" → "nano-banana"), with
 * the one before it when the last alone is generic ("suno/generate" → "suno-generate",
 * "topaz/image-upscale" → "topaz-image-upscale").
 */
export function shortModelName(model: string): string {
  const parts = model.split(/[/\\]/).filter(Boolean);
  const last = parts.pop() ?? model;
  const name = GENERIC_SEGMENT.test(last) && parts.length ? `${parts.pop()}-${last}` : last;
  return slugify(name, 40) || 'model';
}

/** Lower-case ASCII words joined by dashes, at most `max` characters, cut at a word end when possible. */
export function slugify(text: string, max = PROMPT_SLUG_MAX): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (ascii.length <= max) return ascii;
  const cut = ascii.slice(0, max + 1);
  const lastDash = cut.lastIndexOf('-');
  return (lastDash >= max / 2 ? cut.slice(0, lastDash) : ascii.slice(0, max)).replace(/-+$/g, '');
}

const PROMPT_FIELDS = ['prompt', 'text', 'title', 'style', 'lyrics', 'description', 'negative_prompt'];

/** The words that describe a task best, for its file names. */
export function promptOf(input: Record<string, unknown>): string {
  for (const name of PROMPT_FIELDS) {
    const v = input[name];
    if (typeof v === 'string' && v.trim()) return v;
  }
  for (const [name, v] of Object.entries(input)) {
    if (/prompt|text/i.test(name) && typeof v === 'string' && v.trim()) return v;
  }
  // No words (an upscale, a background removal): the name of the file it works on.
  for (const v of Object.values(input)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first !== 'string') continue;
    const file = /^(?:\/|[a-zA-Z]:[\\/]|https?:\/\/)[^?#]*?([^/\\?#]+)\.[A-Za-z0-9]{2,5}(?:[?#].*)?$/.exec(first.trim());
    if (file) return file[1];
  }
  return '';
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export interface NameVars {
  createdAt: number;
  model: string;
  category: Category;
  input: Record<string, unknown>;
  /** Kie's task id, or the local id before there is one. */
  taskId: string;
  /** 0-based output index. */
  index: number;
  title?: string;
}

/** Expands a name pattern. Tokens: {date} {time} {model} {prompt} {id} {index} {category} {title}. */
export function expandPattern(pattern: string, v: NameVars): string {
  const d = new Date(v.createdAt);
  const values: Record<string, string> = {
    date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
    time: `${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`,
    model: shortModelName(v.model),
    prompt: slugify(promptOf(v.input)),
    id: slugify(v.taskId, 64).replace(/-/g, '').slice(0, 6),
    index: String(v.index + 1),
    category: v.category,
    title: slugify(v.title ?? '', PROMPT_SLUG_MAX),
  };
  return pattern.replace(/\{([a-z]+)\}/gi, (_, token: string) => values[token.toLowerCase()] ?? '');
}

/**
 * Makes any text a safe single file name (without extension): no path separators, no `..`,
 * no leading dot, no control characters, no Windows reserved names, at most `max` characters.
 */
export function safeBaseName(name: string, max = NAME_MAX - 20): string {
  let s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-') // separators, NUL, spaces, anything odd
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '');
  if (s.length > max) s = s.slice(0, max).replace(/[-._]+$/g, '');
  if (!s) s = 'output';
  const stem = s.split('.')[0];
  if (WINDOWS_RESERVED.test(stem)) s = `${stem}_${s.slice(stem.length)}`;
  return s;
}

/** A safe extension: 1-8 lower-case letters or digits. */
export function safeExtension(ext: string | undefined, fallback: string): string {
  const e = (ext ?? '').toLowerCase().replace(/^\.+/, '');
  return /^[a-z0-9]{1,8}$/.test(e) ? e : fallback;
}

/** True when `path` is `dir` itself or below it. */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(resolve(dir), resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..'));
}

export class UnsafePathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafePathError';
  }
}

/** The assets folder of a destination: always a folder below its root. */
export function assetsDir(dest: Destination): string {
  if (!dest.root || !isAbsolute(dest.root)) throw new UnsafePathError(`The destination root must be an absolute path, got "${dest.root}".`);
  const root = resolve(dest.root);
  const parts = (dest.assetsFolder ?? DEFAULT_ASSETS_FOLDER)
    .split(/[/\\]+/)
    .filter((p) => p && p !== '.' && p !== '..')
    .map((p) => safeBaseName(p, 80));
  const dir = join(root, ...(parts.length ? parts : [DEFAULT_ASSETS_FOLDER]));
  if (!isInside(root, dir) || dir === root) throw new UnsafePathError(`The assets folder "${dest.assetsFolder}" is not below ${root}.`);
  return dir;
}

export function categoryDir(dest: Destination, category: Category): string {
  return join(assetsDir(dest), category);
}

export function partialDir(dest: Destination): string {
  return join(assetsDir(dest), PARTIAL_FOLDER);
}

/** The base file name (no extension, no collision suffix) of one output of a task. */
export function outputBaseName(dest: Destination, v: NameVars): string {
  const expanded = expandPattern(dest.pattern || DEFAULT_PATTERN, v);
  return safeBaseName(expanded);
}
