import * as z from 'zod';
import { API_FAMILIES, CATEGORIES } from './types';

const fieldSpec = z.strictObject({
  name: z.string().min(1),
  type: z.enum(['string', 'number', 'integer', 'boolean', 'array', 'object']),
  required: z.boolean().optional(),
  description: z.string().optional(),
  enum: z.array(z.union([z.string(), z.number()])).min(1).optional(),
  default: z.unknown().optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  minLength: z.number().int().nonnegative().optional(),
  maxLength: z.number().int().positive().optional(),
  minItems: z.number().int().nonnegative().optional(),
  maxItems: z.number().int().positive().optional(),
  itemType: z.enum(['string', 'number', 'integer', 'object', 'array']).optional(),
  itemFormat: z.string().optional(),
  format: z.string().optional(),
  pattern: z.string().optional(),
  media: z.enum(['image', 'video', 'audio']).optional(),
  label: z.string().optional(),
  advanced: z.boolean().optional(),
  multiline: z.boolean().optional(),
});

/** The JSON form of a model: the generated data file and users' `.kie/models.json` use it. */
export const modelSpecSchema = z.strictObject({
  id: z.string().min(1).max(200),
  family: z.enum(API_FAMILIES).optional(),
  category: z.enum(CATEGORIES),
  title: z.string().min(1),
  description: z.string().optional(),
  fields: z.array(fieldSpec),
  output: z.enum(['image', 'video', 'audio', 'text']).optional(),
  costCredits: z.number().nonnegative().optional(),
  expectedSeconds: z.number().positive().optional(),
  retired: z.string().optional(),
  sourceUrl: z.string().optional(),
});

export const modelsFileSchema = z.strictObject({
  $schema: z.string().optional(),
  source: z.string().optional(),
  models: z.array(z.unknown()),
});
