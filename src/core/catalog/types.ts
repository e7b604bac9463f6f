import type * as z from 'zod';

export const API_FAMILIES = ['market', 'veo', 'runway', 'aleph', 'luma', 'suno', 'gpt4o-image', 'flux-kontext'] as const;
export type ApiFamily = (typeof API_FAMILIES)[number];

export const CATEGORIES = ['image', 'video', 'audio'] as const;
export type Category = (typeof CATEGORIES)[number];

export type MediaKind = 'image' | 'video' | 'audio';
export type OutputKind = MediaKind | 'text';

/** One input field, in the shape of Kie's documented Market schemas (market-models.json). */
export interface FieldSpec {
  name: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  required?: boolean;
  description?: string;
  enum?: (string | number)[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  itemType?: 'string' | 'number' | 'integer' | 'object' | 'array';
  itemFormat?: string;
  format?: string;
  pattern?: string;
  /** The field takes a media URL (or a list of them): a UI may offer a local file instead. */
  media?: MediaKind;
  /** UI hints. */
  label?: string;
  advanced?: boolean;
  multiline?: boolean;
}

/** A media input of a model, derived from its fields. */
export interface MediaInput {
  field: string;
  kind: MediaKind;
  multiple: boolean;
  maxItems?: number;
  required: boolean;
}

/** The JSON form of a model, used by the generated data file and by users' own model files. */
export interface ModelSpec {
  id: string;
  family?: ApiFamily;
  category: Category;
  title: string;
  description?: string;
  fields: FieldSpec[];
  output?: OutputKind;
  /** A flat cost estimate in credits, when no better rule is known. */
  costCredits?: number;
  /** Median seconds a task of this model takes, a prior for polling. */
  expectedSeconds?: number;
  /** Set when Kie has withdrawn the model: the reason shown to users. */
  retired?: string;
  sourceUrl?: string;
}

export interface CostEstimate {
  credits: number;
  /** How the figure was reached, e.g. "12 credits per 1000 characters". */
  basis: string;
  /** Always true: prices change, the balance is the truth. */
  estimate: true;
}

export interface ValidationIssue {
  field: string;
  message: string;
}

export type ModelInput = Record<string, unknown>;

export interface ModelEntry {
  /** Catalog id; for Market models it is the exact wire id. */
  id: string;
  /** The `model` value sent on the wire, when the family takes one. */
  wireModel?: string;
  family: ApiFamily;
  /** Operation within a family endpoint set (e.g. Runway "generate" vs "extend"). */
  operation: 'generate' | 'extend';
  category: Category;
  title: string;
  description: string;
  fields: FieldSpec[];
  schema: z.ZodType<ModelInput>;
  media: MediaInput[];
  output: OutputKind;
  cost: (input: ModelInput) => CostEstimate;
  /** Expected duration prior, in seconds (median and a slow-case 90th percentile). */
  duration: { median: number; p90: number };
  retired?: string;
  origin: 'curated' | 'generated' | 'user';
  /** A valid input, used by tests, the simulator and as a form starting point. */
  example: ModelInput;
  sourceUrl?: string;
}
