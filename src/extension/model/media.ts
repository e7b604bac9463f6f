/**
 * File extensions of the explorer actions. package.json's `when` clauses use the same lists
 * (a unit test keeps them in step).
 */
import type { MediaKind } from '../../core/catalog/types';

export const MEDIA_EXTENSIONS: Record<MediaKind, readonly string[]> = {
  image: ['png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp'],
  video: ['mp4', 'mov', 'webm', 'm4v', 'mkv'],
  audio: ['mp3', 'wav', 'm4a', 'ogg', 'flac', 'aac', 'opus'],
};

export function mediaKindOf(path: string): MediaKind | undefined {
  const m = /\.([a-z0-9]+)$/i.exec(path);
  if (!m) return undefined;
  const ext = m[1].toLowerCase();
  for (const kind of ['image', 'video', 'audio'] as const) if (MEDIA_EXTENSIONS[kind].includes(ext)) return kind;
  return undefined;
}
