import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shared folder beside the repository (../shared), holding Kie's schemas and recordings. */
export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));

export function sharedJson<T>(relative: string): T | undefined {
  const path = `${SHARED_DIR}${relative}`;
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

export interface MarketModel {
  model_values: string[];
  input_fields?: { name: string; type: string; required: boolean; enum?: (string | number)[] }[];
}

export interface Recording {
  recording: string;
  method: string;
  url: string;
  request_body: string | null;
  status: number;
  response_body: string | null;
}
