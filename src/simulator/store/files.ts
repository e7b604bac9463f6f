// In-memory storage behind the file origin: uploaded files, and expiring links to task results.
import { hexId } from '../random';

export interface StoredUpload {
  /** Path on the file origin, without the leading slash: kieai/<account>/<uploadPath>/<fileName>. */
  path: string;
  fileName: string;
  bytes: Uint8Array;
  mimeType: string;
  uploadedAt: number;
}

export const ACCOUNT_ID = '100001';

export class UploadStore {
  private readonly byPath = new Map<string, StoredUpload>();

  put(uploadPath: string, fileName: string, bytes: Uint8Array, mimeType: string): StoredUpload {
    const folder = uploadPath.split('/').map((s) => s.trim()).filter((s) => s && s !== '.' && s !== '..').join('/');
    const safeName = fileName.replace(/[/\\]/g, '_') || 'file';
    const path = ['kieai', ACCOUNT_ID, folder, safeName].filter(Boolean).join('/');
    const stored: StoredUpload = { path, fileName: safeName, bytes, mimeType, uploadedAt: Date.now() };
    this.byPath.set(path, stored);
    return stored;
  }

  get(path: string): StoredUpload | undefined {
    return this.byPath.get(path.replace(/^\/+/, ''));
  }

  get size(): number {
    return this.byPath.size;
  }
}

/** A link to one file of a task: `role` and `index` name it (e.g. main 0, stream 1, cover 0). */
export interface ResultLink {
  token: string;
  taskId: string;
  fileKey: string;
  /** File name at the end of the URL (carries the extension). */
  name: string;
  expiresAt: number;
  /** Forced expiry (fault injection or a test helper). */
  revoked: boolean;
}

export class LinkRegistry {
  private readonly byToken = new Map<string, ResultLink>();

  create(taskId: string, fileKey: string, name: string, expiresAt: number): ResultLink {
    const link: ResultLink = { token: hexId(12), taskId, fileKey, name, expiresAt, revoked: false };
    this.byToken.set(link.token, link);
    return link;
  }

  get(token: string): ResultLink | undefined {
    return this.byToken.get(token);
  }

  isLive(link: ResultLink, now: number): boolean {
    return !link.revoked && now < link.expiresAt;
  }

  /** The path part of a link's URL on the file origin. */
  static pathOf(link: ResultLink): string {
    return `/r/${link.token}/${link.name}`;
  }

  /** The token of a result path, or undefined for other paths. */
  static tokenOf(path: string): string | undefined {
    return /^\/r\/([0-9a-f]+)\/[^/]+$/.exec(path)?.[1];
  }

  expireTask(taskId: string): number {
    let n = 0;
    for (const link of this.byToken.values()) {
      if (link.taskId === taskId && !link.revoked) {
        link.revoked = true;
        n++;
      }
    }
    return n;
  }
}
