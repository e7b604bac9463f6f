import * as z from 'zod';
import { defineModel, modelFromSpec } from './define';
import { familyModels } from './curated/families';
import { marketAudio } from './curated/marketAudio';
import { marketExtra } from './curated/marketExtra';
import { marketImage } from './curated/marketImage';
import { marketVideo } from './curated/marketVideo';
import generated from './generated/market-models.generated.json';
import type { Category, ModelEntry, ModelInput, ModelSpec, ValidationIssue } from './types';

export const CURATED_MODELS = [...familyModels, ...marketVideo, ...marketImage, ...marketAudio, ...marketExtra];

let builtIn: ModelEntry[] | undefined;

/** The models shipped with Kie Studio: curated entries first, then the generated Market ones. */
export function builtInModels(): ModelEntry[] {
  if (!builtIn) {
    const curated = CURATED_MODELS.map((m) => defineModel(m));
    const taken = new Set(curated.map((m) => m.id));
    const rest = (generated.models as ModelSpec[]).filter((s) => !taken.has(s.id)).map((s) => modelFromSpec(s, 'generated'));
    builtIn = [...curated, ...rest];
  }
  return builtIn;
}

export type ValidationResult =
  | { ok: true; input: ModelInput }
  | { ok: false; issues: ValidationIssue[] };

export function validateInput(entry: ModelEntry, input: unknown): ValidationResult {
  const parsed = entry.schema.safeParse(input);
  if (parsed.success) return { ok: true, input: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => {
      const keys = i.code === 'unrecognized_keys' ? (i as { keys: string[] }).keys : [];
      const field = keys.length ? keys.join(', ') : i.path.map(String).join('.');
      const missing = !keys.length && i.code !== 'custom' && i.path.length === 1 && (input as Record<string, unknown> | null)?.[String(i.path[0])] === undefined;
      const message = keys.length ? 'is not a field of this model' : missing ? 'is required' : i.message;
      return { field: field || '(input)', message };
    }),
  };
}

export function jsonSchemaOf(entry: ModelEntry): Record<string, unknown> {
  return z.toJSONSchema(entry.schema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
}

/** The catalog a host works with: built-in models, overridden or extended by a user's models. */
export class Catalog {
  private readonly byId = new Map<string, ModelEntry>();

  constructor(entries: ModelEntry[] = builtInModels(), extra: ModelEntry[] = []) {
    for (const e of entries) this.byId.set(e.id, e);
    for (const e of extra) this.byId.set(e.id, e);
  }

  all(): ModelEntry[] {
    return [...this.byId.values()];
  }

  get(id: string): ModelEntry | undefined {
    return this.byId.get(id);
  }

  require(id: string): ModelEntry {
    const entry = this.byId.get(id);
    if (!entry) throw new Error(`Unknown model "${id}". Run "kie-studio models" to list them, or add it to your models file.`);
    return entry;
  }

  byCategory(category: Category): ModelEntry[] {
    return this.all().filter((e) => e.category === category);
  }
}
