import { exampleFromFields, fieldsToSchema, mediaInputs } from './fields';
import type {
  ApiFamily, Category, CostEstimate, FieldSpec, ModelEntry, ModelInput, ModelSpec, OutputKind, ValidationIssue,
} from './types';

export interface CuratedModel {
  id: string;
  wireModel?: string;
  family?: ApiFamily;
  operation?: 'generate' | 'extend';
  category: Category;
  title: string;
  description: string;
  fields: FieldSpec[];
  output: OutputKind;
  /** Flat credits, or a rule from the input. */
  cost: number | ((input: ModelInput) => CostEstimate);
  duration?: { median: number; p90: number };
  example?: ModelInput;
  check?: (input: ModelInput) => ValidationIssue[];
  retired?: string;
  sourceUrl?: string;
  /**
   * Fields where this entry deliberately differs from Kie's published schema
   * (market-models.json), with the reason. The catalog test fails on any other difference.
   */
  deviations?: Record<string, string>;
}

const DEFAULT_DURATION: Record<Category, { median: number; p90: number }> = {
  image: { median: 20, p90: 60 },
  video: { median: 120, p90: 360 },
  audio: { median: 60, p90: 180 },
};

const CATEGORY_COST: Record<Category, number> = { image: 5, video: 60, audio: 12 };

export function flatCost(credits: number, basis = `${credits} credits per task`): CostEstimate {
  return { credits, basis, estimate: true };
}

export function defineModel(m: CuratedModel, origin: ModelEntry['origin'] = 'curated'): ModelEntry {
  const cost = typeof m.cost === 'number' ? (() => flatCost(m.cost as number)) : m.cost;
  let schema: ModelEntry['schema'] | undefined;
  return {
    id: m.id,
    wireModel: m.wireModel,
    family: m.family ?? 'market',
    operation: m.operation ?? 'generate',
    category: m.category,
    title: m.title,
    description: m.description,
    fields: m.fields,
    // Built on first use: making all ~150 schemas up front costs half a second at activation.
    get schema() {
      schema ??= fieldsToSchema(m.fields, m.check);
      return schema;
    },
    media: mediaInputs(m.fields),
    output: m.output,
    cost,
    duration: m.duration ?? DEFAULT_DURATION[m.category],
    retired: m.retired,
    origin,
    example: m.example ?? exampleFromFields(m.fields),
    sourceUrl: m.sourceUrl,
  };
}

/** An entry from the JSON form (generated data file or a user's models file). */
export function modelFromSpec(spec: ModelSpec, origin: 'generated' | 'user'): ModelEntry {
  const expected = spec.expectedSeconds;
  const credits = spec.costCredits;
  return defineModel(
    {
      id: spec.id,
      family: spec.family ?? 'market',
      category: spec.category,
      title: spec.title,
      description: spec.description ?? spec.title,
      fields: spec.fields,
      output: spec.output ?? spec.category,
      cost: credits !== undefined
        ? flatCost(credits).credits
        : () => flatCost(CATEGORY_COST[spec.category], `typical ${spec.category} price; this model's price is not known`),
      duration: expected ? { median: expected, p90: expected * 3 } : undefined,
      retired: spec.retired,
      sourceUrl: spec.sourceUrl,
    },
    origin,
  );
}
