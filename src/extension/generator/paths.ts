/**
 * Paths shown in the generator form versus paths on disk. vscode-free (plain Node), so tested
 * without VS Code. In a single-folder workspace a file inside it is shown relative to it
 * ("assets/cat.png"); with several folders the folder's name comes first ("site/assets/cat.png");
 * anything outside the workspace stays absolute.
 */
import * as nodePath from 'node:path';

export interface FolderRef {
  /** The workspace folder's name (as VS Code shows it). */
  name: string;
  /** Its absolute path on disk. */
  path: string;
}

type PathApi = Pick<typeof nodePath, 'resolve' | 'relative' | 'isAbsolute' | 'join' | 'sep'>;

function inside(p: PathApi, root: string, target: string): string | undefined {
  const rel = p.relative(p.resolve(root), p.resolve(target));
  if (rel === '') return '';
  if (rel.startsWith('..') || p.isAbsolute(rel)) return undefined;
  return rel;
}

/** Whether `target` is `root` or below it. */
export function isWithin(root: string, target: string, p: PathApi = nodePath): boolean {
  return inside(p, root, target) !== undefined;
}

/** How a file is shown in the form: workspace-relative (with "/"), or absolute outside the workspace. */
export function toDisplayPath(absolute: string, folders: readonly FolderRef[], p: PathApi = nodePath): string {
  for (const f of folders) {
    const rel = inside(p, f.path, absolute);
    if (rel === undefined || rel === '') continue;
    const posix = rel.split(p.sep).join('/');
    return folders.length > 1 ? `${f.name}/${posix}` : posix;
  }
  return absolute;
}

/**
 * The absolute path of a path from the form: absolute ones as they are; relative ones against
 * the workspace folder whose name they start with (several folders), else the first folder.
 * Undefined when a relative path cannot be placed (no folder open).
 */
export function resolveDisplayPath(shown: string, folders: readonly FolderRef[], p: PathApi = nodePath): string | undefined {
  const value = shown.trim();
  if (p.isAbsolute(value) || /^[a-z]:[\\/]/i.test(value)) return value;
  if (!folders.length) return undefined;
  if (folders.length > 1) {
    const [head, ...rest] = value.split(/[\\/]/);
    const named = folders.find((f) => f.name === head);
    if (named && rest.length) return p.join(named.path, ...rest);
  }
  return p.join(folders[0].path, ...value.split(/[\\/]/));
}
