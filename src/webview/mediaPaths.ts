/**
 * Local files versus URLs in media fields. DOM-free and vscode-free: the webview and the host
 * both use it, so a form that passes in the webview passes the same check on the host.
 */
import type { MediaKind, ModelEntry, ModelInput } from '../core/catalog/types';

/** File extensions offered for each media kind (pick dialog, workspace list). */
export const MEDIA_EXTENSIONS: Record<MediaKind, readonly string[]> = {
  image: ['png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp'],
  video: ['mp4', 'mov', 'webm', 'm4v', 'mkv'],
  audio: ['mp3', 'wav', 'm4a', 'ogg', 'flac', 'aac'],
};

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** A URL (any scheme but file:), as opposed to a local path. */
export function isUrl(value: string): boolean {
  return SCHEME.test(value.trim()) && !/^file:/i.test(value.trim());
}

/** A non-empty value that is not a URL: a local path the engine uploads before the create call. */
export function isLocalPath(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '' && !isUrl(value);
}

export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** A stand-in URL for a local file, so the URL check of the schema passes before the upload. */
export function placeholderUrl(path: string): string {
  return `https://local-file.invalid/${encodeURIComponent(baseName(path.trim()))}`;
}

/** A copy of `input` with local paths in the model's media fields replaced by placeholder URLs. */
export function withPlaceholders(entry: Pick<ModelEntry, 'media'>, input: ModelInput): ModelInput {
  const out: ModelInput = { ...input };
  for (const m of entry.media) {
    const v = out[m.field];
    if (isLocalPath(v)) out[m.field] = placeholderUrl(v);
    else if (Array.isArray(v)) out[m.field] = v.map((x) => (isLocalPath(x) ? placeholderUrl(x) : x));
  }
  return out;
}

/** Applies `fn` to every local path in the model's media fields (e.g. to make them absolute). */
export function mapLocalPaths(entry: Pick<ModelEntry, 'media'>, input: ModelInput, fn: (path: string) => string): ModelInput {
  const out: ModelInput = { ...input };
  for (const m of entry.media) {
    const v = out[m.field];
    if (isLocalPath(v)) out[m.field] = fn(v.trim());
    else if (Array.isArray(v)) out[m.field] = v.map((x) => (isLocalPath(x) ? fn(x.trim()) : x));
  }
  return out;
}

/** Every local path in the model's media fields. */
export function localPathsOf(entry: Pick<ModelEntry, 'media'>, input: ModelInput): string[] {
  const found: string[] = [];
  mapLocalPaths(entry, input, (p) => {
    found.push(p);
    return p;
  });
  return found;
}

/**
 * The local path of a `file:` URI (or of a `vscode-remote:`/`vscode-file:` one, whose path is a
 * path on the machine the extension host runs on). Undefined for anything else.
 */
export function fileUriToPath(uri: string): string | undefined {
  const m = /^(file|vscode-remote|vscode-file|vscode-userdata):\/\/([^/]*)(\/.*)?$/i.exec(uri.trim());
  if (!m) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(m[3] ?? '/');
  } catch {
    return undefined;
  }
  // file:///c%3A/x or file:///c:/x → c:/x (Windows drive letters)
  if (/^\/[a-z]:([/\\]|$)/i.test(path)) path = path.slice(1);
  // file://server/share/x → //server/share/x (UNC), only for file: URIs
  if (m[1].toLowerCase() === 'file' && m[2] && m[2].toLowerCase() !== 'localhost') path = `//${m[2]}${path}`;
  return path;
}

/** Normalises what a user typed or dropped in a media field: file URIs become paths. */
export function normaliseMediaValue(value: string): string {
  const trimmed = value.trim();
  return fileUriToPath(trimmed) ?? trimmed;
}

/**
 * The files (paths) and URLs of a drop, from the data transfer's formats:
 * `application/vnd.code.uri-list` and `text/uri-list` (one URI a line, `#` comments) and the
 * older `resourceurls` (a JSON array of URIs). Plain text is taken when it looks like a path or URL.
 */
export function parseDrop(data: { codeUriList?: string; uriList?: string; resourceUrls?: string; text?: string }): string[] {
  const uris: string[] = [];
  const lines = (s: string | undefined) => (s ?? '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  uris.push(...lines(data.codeUriList));
  if (!uris.length) uris.push(...lines(data.uriList));
  if (!uris.length && data.resourceUrls) {
    try {
      const parsed: unknown = JSON.parse(data.resourceUrls);
      if (Array.isArray(parsed)) uris.push(...parsed.filter((u): u is string => typeof u === 'string'));
    } catch {
      // not JSON: ignore
    }
  }
  if (!uris.length && data.text) {
    const t = data.text.trim();
    if (t && !t.includes('\n') && (isUrl(t) || /^file:/i.test(t) || /^([a-z]:)?[\\/]/i.test(t))) uris.push(t);
  }
  const out: string[] = [];
  for (const u of uris) {
    const value = fileUriToPath(u) ?? (isUrl(u) ? (/^https?:/i.test(u) ? u : undefined) : /^([a-z]:)?[\\/]/i.test(u) ? u : undefined);
    if (value && !out.includes(value)) out.push(value);
  }
  return out;
}

/** Whether a path or URL names a file of the given kind, by its extension (URLs without one pass). */
export function matchesKind(value: string, kind: MediaKind): boolean {
  const name = isUrl(value) ? value.split(/[?#]/)[0] : value;
  const ext = /\.([a-z0-9]+)$/i.exec(baseName(name))?.[1]?.toLowerCase();
  if (!ext) return isUrl(value);
  return MEDIA_EXTENSIONS[kind].includes(ext);
}
