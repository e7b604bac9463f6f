/** A minimal stand-in for the `vscode` module, enough for the generator view provider. */
import * as nodePath from 'node:path';

export class Uri {
  private constructor(readonly scheme: string, readonly path: string) {}
  static file(p: string): Uri {
    return new Uri('file', nodePath.resolve(p));
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, nodePath.join(base.path, ...parts));
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

type Listener<T> = (e: T) => unknown;
export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  event = (l: Listener<T>) => {
    this.listeners.push(l);
    return { dispose: () => { this.listeners = this.listeners.filter((x) => x !== l); } };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export const calls: { command: string; args: unknown[] }[] = [];
export const fake = {
  openDialogResult: undefined as Uri[] | undefined,
  openDialogOptions: undefined as unknown,
  found: [] as Uri[],
  existing: new Set<string>(),
  onCommand: undefined as ((command: string) => void) | undefined,
};

export const commands = {
  executeCommand: async (command: string, ...args: unknown[]) => {
    calls.push({ command, args });
    fake.onCommand?.(command);
  },
};

export const window = {
  showOpenDialog: async (options: unknown) => {
    fake.openDialogOptions = options;
    return fake.openDialogResult;
  },
  registerWebviewViewProvider: () => ({ dispose() {} }),
};

export const workspace = {
  workspaceFolders: [{ name: 'ws', uri: Uri.file('/ws'), index: 0 }],
  findFiles: async () => fake.found,
  fs: {
    stat: async (uri: Uri) => {
      if (!fake.existing.has(uri.fsPath)) throw new Error('ENOENT');
      return {};
    },
  },
};
