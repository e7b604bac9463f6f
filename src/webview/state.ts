/**
 * What the webview keeps across hiding and reloads (vscode.setState/getState): the category, the
 * model per category, the control values per model and whether "Advanced" is open. DOM-free.
 */
import * as z from 'zod';
import { CATEGORIES, type Category } from '../core/catalog/types';
import type { ControlValue, FormValues } from './formModel';

export interface ViewState {
  v: 1;
  category: Category;
  modelByCategory: Partial<Record<Category, string>>;
  /** Control values by model id, most recently used last. */
  values: Record<string, FormValues>;
  advancedOpen: boolean;
}

/** Models whose values are kept; the least recently used go first. */
export const MAX_MODELS_KEPT = 30;

const controlValue = z.union([z.string(), z.boolean(), z.array(z.string())]);
const stateSchema = z.object({
  v: z.literal(1),
  category: z.enum(CATEGORIES).catch('image'),
  modelByCategory: z.record(z.string(), z.string()).catch({}),
  values: z.record(z.string(), z.record(z.string(), controlValue)).catch({}),
  advancedOpen: z.boolean().catch(false),
});

export function emptyState(): ViewState {
  return { v: 1, category: 'image', modelByCategory: {}, values: {}, advancedOpen: false };
}

/** The stored state, or a fresh one when there is none or it is not ours. */
export function parseState(raw: unknown): ViewState {
  const parsed = stateSchema.safeParse(raw);
  if (!parsed.success) return emptyState();
  const modelByCategory: Partial<Record<Category, string>> = {};
  for (const c of CATEGORIES) {
    const id = parsed.data.modelByCategory[c];
    if (id) modelByCategory[c] = id;
  }
  return { ...parsed.data, modelByCategory, values: parsed.data.values as Record<string, FormValues> };
}

/** A copy with the values of `modelId` stored (as most recent), keeping at most MAX_MODELS_KEPT models. */
export function withValues(state: ViewState, modelId: string, values: FormValues): ViewState {
  const next: Record<string, FormValues> = {};
  for (const [id, v] of Object.entries(state.values)) if (id !== modelId) next[id] = v;
  const copy: FormValues = {};
  for (const [k, v] of Object.entries(values)) copy[k] = (Array.isArray(v) ? [...v] : v) as ControlValue;
  next[modelId] = copy;
  const ids = Object.keys(next);
  for (const id of ids.slice(0, Math.max(0, ids.length - MAX_MODELS_KEPT))) delete next[id];
  return { ...state, values: next };
}

export function withModel(state: ViewState, category: Category, modelId: string): ViewState {
  return { ...state, category, modelByCategory: { ...state.modelByCategory, [category]: modelId } };
}
