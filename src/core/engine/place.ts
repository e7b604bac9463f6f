import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isInside, NAME_MAX, UnsafePathError } from './naming';

/** Errors that mean "this file system has no hard links". */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EACCES', 'EMLINK']);

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The n-th candidate name for a base and extension: base.ext, base-2.ext, base-3.ext... */
export function candidateName(base: string, ext: string, n: number): string {
  const suffix = n > 1 ? `-${n}` : '';
  const room = NAME_MAX - suffix.length - ext.length - 1 - '.json'.length;
  return `${base.slice(0, Math.max(1, room))}${suffix}.${ext}`;
}

export interface PlaceOptions {
  /** Folder the final file must stay inside (the assets folder). */
  within: string;
  /** Called with each name about to be taken, before it is taken (to journal the intent). */
  beforeTake?: (path: string) => Promise<void>;
  /** Also require `<name>.json` to be free (the record written beside it). */
  withRecord?: boolean;
}

/**
 * Moves a complete temp file to `dir/base.ext`, or base-2.ext, base-3.ext... never replacing a
 * file: a hard link fails with EEXIST when the name is taken, so even a race cannot overwrite.
 * The temp file is left in place (the caller removes it once the new name is recorded), except
 * on file systems without hard links, where it is renamed onto an exclusively created name.
 */
export async function placeExclusive(temp: string, dir: string, base: string, ext: string, opts: PlaceOptions): Promise<{ path: string; linked: boolean }> {
  await mkdir(dir, { recursive: true });
  for (let n = 1; n < 10_000; n++) {
    const path = join(dir, candidateName(base, ext, n));
    if (!isInside(opts.within, path)) throw new UnsafePathError(`Refusing to write ${path}: it is outside ${opts.within}.`);
    if (opts.withRecord && (await exists(`${path}.json`))) continue;
    if (await exists(path)) continue;
    await opts.beforeTake?.(path);
    try {
      await link(temp, path);
      return { path, linked: true };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') continue;
      if (!NO_LINKS.has(code)) throw err;
    }
    // No hard links here: reserve the name exclusively, then rename the temp file onto it.
    try {
      const handle = await open(path, 'wx');
      await handle.close();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    await rename(temp, path);
    return { path, linked: false };
  }
  throw new Error(`No free file name for ${base}.${ext} in ${dir}.`);
}

/** Writes text to a new file and flushes it to disk before returning. */
export async function writeSynced(path: string, text: string, mode?: number): Promise<void> {
  const handle = await open(path, 'w', mode);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes a small file that must not replace anything: temp file, fsync, then an exclusive link. */
export async function writeExclusive(path: string, text: string, tempDir: string): Promise<boolean> {
  await mkdir(tempDir, { recursive: true });
  const temp = join(tempDir, `.rec-${randomBytes(6).toString('hex')}.tmp`);
  await writeSynced(temp, text);
  try {
    await link(temp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!NO_LINKS.has(code)) throw err;
    try {
      const h = await open(path, 'wx');
      await h.close();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
    await rename(temp, path);
    return true;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** Files in the partial folder, for clean-up. */
export async function listPartial(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}
