import { readFile } from 'node:fs/promises';
import { modelFromSpec } from './define';
import { modelSpecSchema, modelsFileSchema } from './modelSpecSchema';
import type { ModelEntry, ModelSpec } from './types';

export class ModelsFileError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'ModelsFileError';
  }
}

function describe(path: PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

/** Parses the text of a models file; every problem names the entry (by id when it has one) and the field. */
export function parseModelsFile(text: string, file: string): ModelSpec[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ModelsFileError(file, [`not valid JSON (${(err as Error).message})`]);
  }
  const top = modelsFileSchema.safeParse(json);
  if (!top.success) throw new ModelsFileError(file, ['expected an object with a "models" array']);
  const problems: string[] = [];
  const specs: ModelSpec[] = [];
  top.data.models.forEach((raw, index) => {
    const parsed = modelSpecSchema.safeParse(raw);
    const id = (raw as { id?: unknown })?.id;
    const name = typeof id === 'string' ? `model "${id}" (entry ${index + 1})` : `entry ${index + 1}`;
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = describe(issue.path as PropertyKey[]);
        problems.push(`${name}: ${field || 'entry'}: ${issue.message}`);
      }
      return;
    }
    specs.push(parsed.data as ModelSpec);
  });
  if (problems.length) throw new ModelsFileError(file, problems);
  return specs;
}

export async function loadModelsFile(file: string): Promise<ModelEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ModelsFileError(file, [`cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
  return parseModelsFile(text, file).map((spec) => modelFromSpec(spec, 'user'));
}
