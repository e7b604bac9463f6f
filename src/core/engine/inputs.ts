import { open, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateInput } from '../catalog/catalog';
import type { MediaKind, ModelEntry, ValidationIssue } from '../catalog/types';
import { MAX_UPLOAD_BYTES } from '../kie/client';
import { mediaKindOf, sniffMediaType } from '../media/sniff';
import type { LocalUpload } from './types';

/** Invalid input: nothing was uploaded or sent. `issues` lists every problem, per field. */
export class InputError extends Error {
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[], message?: string) {
    super(message ?? `Invalid input: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`);
    this.name = 'InputError';
    this.issues = issues;
  }
}

/** A URL that stands in for a local file while the input is validated (never sent). */
export const PLACEHOLDER_ORIGIN = 'https://local-file.kie-studio.invalid';
const placeholder = (field: string, index: number) => `${PLACEHOLDER_ORIGIN}/${encodeURIComponent(field)}/${index}`;

const SUPPORTED: Record<MediaKind, string> = {
  image: 'PNG, JPEG, WebP or GIF',
  video: 'MP4 or MOV',
  audio: 'MP3, WAV or M4A',
};

const isRemote = (v: string) => /^https?:\/\//i.test(v);

/** Local path named by a media value (absolute, relative to the root, or a file: URL). */
export function localPathOf(value: string, root: string): string {
  if (/^file:/i.test(value)) return fileURLToPath(value);
  return isAbsolute(value) ? value : resolve(root, value);
}

export interface PreparedInput {
  /** Local files to upload, in order. `index` is the position in a list field (0 for single fields). */
  uploads: LocalUpload[];
  /** The input with placeholders for local files, validated. */
  checked: Record<string, unknown>;
}

/**
 * Finds local files in media fields and validates the input with placeholder URLs in their place,
 * then checks each file (exists, at most 100 MB, a type Kie takes for that kind of media). Throws
 * InputError before anything is sent.
 */
export async function prepareInput(entry: ModelEntry, input: Record<string, unknown>, root: string): Promise<PreparedInput> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new InputError([{ field: '(input)', message: 'must be an object' }]);
  const uploads: (LocalUpload & { kind: MediaKind })[] = [];
  const substituted: Record<string, unknown> = { ...input };
  for (const m of entry.media) {
    const value = input[m.field];
    if (typeof value === 'string' && value && !isRemote(value)) {
      uploads.push({ field: m.field, index: 0, path: localPathOf(value, root), kind: m.kind });
      substituted[m.field] = placeholder(m.field, 0);
    } else if (Array.isArray(value)) {
      substituted[m.field] = value.map((v, i) => {
        if (typeof v === 'string' && v && !isRemote(v)) {
          uploads.push({ field: m.field, index: i, path: localPathOf(v, root), kind: m.kind });
          return placeholder(m.field, i);
        }
        return v;
      });
    }
  }
  const issues: ValidationIssue[] = [];
  const checked = validateInput(entry, substituted);
  if (!checked.ok) issues.push(...checked.issues);
  for (const u of uploads) {
    const label = u.index && Array.isArray(input[u.field]) ? `${u.field}.${u.index}` : u.field;
    const problem = await checkLocalFile(u.path, u.kind);
    if (problem) issues.push({ field: label, message: problem });
  }
  if (issues.length) throw new InputError(issues);
  return { uploads: uploads.map(({ kind: _kind, ...u }) => u), checked: checked.ok ? checked.input : substituted };
}

/** Why a local file cannot be used for a media input, or undefined when it can. */
export async function checkLocalFile(path: string, kind: MediaKind): Promise<string | undefined> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return `no such file: ${path}`;
  }
  if (!info.isFile()) return `${path} is not a file`;
  if (info.size === 0) return `${path} is empty`;
  if (info.size > MAX_UPLOAD_BYTES) return `${path} is ${(info.size / 1048576).toFixed(0)} MB; Kie.ai takes files up to 100 MB`;
  const handle = await open(path, 'r');
  let head: Uint8Array;
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const type = sniffMediaType(head);
  const ok = type !== undefined && (mediaKindOf(type) === kind || (kind === 'audio' && type === 'mp4'));
  if (!ok) return `${path} is not a supported ${kind} file (${SUPPORTED[kind]})${type ? `: it looks like ${type}` : ''}`;
  return undefined;
}

/** The input as sent: each placeholder replaced by its uploaded URL. */
export function substituteUploads(input: Record<string, unknown>, uploads: LocalUpload[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input };
  for (const u of uploads) {
    if (!u.url) throw new Error(`${u.path} has not been uploaded yet.`);
    const v = out[u.field];
    if (Array.isArray(v)) {
      const list = [...v];
      list[u.index ?? 0] = u.url;
      out[u.field] = list;
    } else {
      out[u.field] = u.url;
    }
  }
  return out;
}
