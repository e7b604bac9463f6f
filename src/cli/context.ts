import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Catalog, builtInModels } from '../core/catalog/catalog';
import { loadModelsFile } from '../core/catalog/userModels';
import { KieClient, DEFAULT_API_URL, DEFAULT_UPLOAD_URL } from '../core/kie/client';
import { flag, hasFlag, UsageError, type ParsedArgs } from './args';

export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  isTTY: boolean;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
}

export interface CliContext extends CliIO {
  args: ParsedArgs;
  json: boolean;
  /** Prints a value as JSON (one document) to stdout. */
  printJson(value: unknown): void;
  catalog(): Promise<Catalog>;
  client(): KieClient;
  apiBaseUrl(): string;
  uploadBaseUrl(): string;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Flags that take no value. */
  booleans?: string[];
  run(ctx: CliContext): Promise<number>;
}

/** Global flags every command understands. */
export const GLOBAL_BOOLEANS = ['json', 'help'];

export function makeContext(io: CliIO, args: ParsedArgs): CliContext {
  let catalog: Catalog | undefined;
  const ctx: CliContext = {
    ...io,
    args,
    json: hasFlag(args, 'json'),
    printJson: (value) => io.out(JSON.stringify(value, null, 2)),
    apiBaseUrl: () => flag(args, 'base-url') ?? io.env.KIE_BASE_URL ?? DEFAULT_API_URL,
    uploadBaseUrl: () => flag(args, 'upload-url') ?? io.env.KIE_UPLOAD_URL ?? DEFAULT_UPLOAD_URL,
    async catalog() {
      if (!catalog) {
        const given = flag(args, 'models');
        const file = given ? resolve(io.cwd, given) : join(io.cwd, '.kie', 'models.json');
        const extra = given || existsSync(file) ? await loadModelsFile(file) : [];
        catalog = new Catalog(builtInModels(), extra);
      }
      return catalog;
    },
    client() {
      const apiKey = flag(args, 'api-key') ?? io.env.KIE_API_KEY;
      if (!apiKey) throw new UsageError('No API key: pass --api-key or set KIE_API_KEY.');
      return new KieClient({
        apiKey,
        apiBaseUrl: ctx.apiBaseUrl(),
        uploadBaseUrl: ctx.uploadBaseUrl(),
        callBackUrl: flag(args, 'callback-url') ?? io.env.KIE_CALLBACK_URL,
      });
    },
  };
  return ctx;
}
