/**
 * The catalog as the webview needs it: the list of models at once (ids, titles, categories) and
 * a model's entry, with its zod schema, only when it is chosen. Building every schema up front
 * (`builtInModels()`) costs about half a second, which the sidebar would wait for.
 *
 * Entries are made by the core's own `defineModel` / `modelFromSpec` from the same sources and
 * in the same order as `builtInModels()` + `new Catalog(builtIns, userEntries)`, so validation in
 * the webview uses exactly the host's schemas (test/webview/lazyCatalog.test.ts checks this).
 */
import { CURATED_MODELS } from '../core/catalog/catalog';
import { defineModel, modelFromSpec, type CuratedModel } from '../core/catalog/define';
import generated from '../core/catalog/generated/market-models.generated.json';
import type { Category, ModelEntry, ModelSpec } from '../core/catalog/types';

export interface ModelSummary {
  id: string;
  title: string;
  category: Category;
  description: string;
  retired?: string;
  origin: ModelEntry['origin'];
}

export interface CatalogSources {
  curated: CuratedModel[];
  generated: ModelSpec[];
}

export function defaultSources(): CatalogSources {
  return { curated: CURATED_MODELS, generated: generated.models as ModelSpec[] };
}

type Source = { kind: 'curated'; model: CuratedModel } | { kind: 'spec'; spec: ModelSpec; origin: 'generated' | 'user' };

export class LazyCatalog {
  private readonly sources = new Map<string, Source>();
  private readonly built = new Map<string, ModelEntry | null>();
  private readonly list: ModelSummary[];

  constructor(userSpecs: ModelSpec[] = [], sources: CatalogSources = defaultSources(), private readonly onError?: (message: string) => void) {
    for (const m of sources.curated) this.sources.set(m.id, { kind: 'curated', model: m });
    const taken = new Set(sources.curated.map((m) => m.id));
    for (const s of sources.generated) if (!taken.has(s.id)) this.sources.set(s.id, { kind: 'spec', spec: s, origin: 'generated' });
    // A user model with a built-in's id replaces it in place (as Map.set does in Catalog).
    for (const s of userSpecs) this.sources.set(s.id, { kind: 'spec', spec: s, origin: 'user' });
    this.list = [...this.sources.entries()].map(([id, src]) => (src.kind === 'curated'
      ? { id, title: src.model.title, category: src.model.category, description: src.model.description, retired: src.model.retired, origin: 'curated' as const }
      : { id, title: src.spec.title, category: src.spec.category, description: src.spec.description ?? src.spec.title, retired: src.spec.retired, origin: src.origin }));
  }

  /** Every model, in the catalog's order. */
  all(): ModelSummary[] {
    return this.list;
  }

  has(id: string): boolean {
    return this.sources.has(id);
  }

  summary(id: string): ModelSummary | undefined {
    return this.list.find((m) => m.id === id);
  }

  /** The full entry (schema, cost rule, media inputs), built on first use. */
  get(id: string): ModelEntry | undefined {
    if (this.built.has(id)) return this.built.get(id) ?? undefined;
    const src = this.sources.get(id);
    if (!src) return undefined;
    let entry: ModelEntry | null = null;
    try {
      entry = src.kind === 'curated' ? defineModel(src.model) : modelFromSpec(src.spec, src.origin);
    } catch (err) {
      this.onError?.(`Model ${id} could not be loaded: ${(err as Error).message}`);
    }
    this.built.set(id, entry);
    return entry ?? undefined;
  }
}
