/**
 * The palette's "Generate Image/Video/Audio…": which models can run from a prompt alone, their
 * quick-pick items, and the input built from the prompt. No vscode import.
 */
import { validateInput } from '../../core/catalog/catalog';
import type { Category, ModelEntry } from '../../core/catalog/types';
import { formatCredits } from './format';

const PROMPT_FIELDS = ['prompt', 'text'];

/** The field a model's prompt goes in, if it has one. */
export function promptFieldOf(entry: ModelEntry): string | undefined {
  const f = PROMPT_FIELDS.map((name) => entry.fields.find((x) => x.name === name)).find(Boolean);
  return f?.name;
}

/** Defaults of required fields (e.g. a TTS voice): what a form would have pre-filled. */
export function requiredDefaults(entry: ModelEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of entry.fields) if (f.required && f.default !== undefined && f.default !== null) out[f.name] = f.default;
  return out;
}

export function buildPromptInput(entry: ModelEntry, prompt: string): Record<string, unknown> {
  const field = promptFieldOf(entry);
  if (!field) throw new Error(`${entry.id} takes no prompt.`);
  return { ...requiredDefaults(entry), [field]: prompt };
}

/** Models of a category that accept an input made of a prompt alone, and are not retired. */
export function promptOnlyModels(entries: readonly ModelEntry[], category: Category): ModelEntry[] {
  return entries.filter((e) => {
    if (e.category !== category || e.retired || e.operation !== 'generate') return false;
    if (!promptFieldOf(e)) return false;
    return validateInput(e, buildPromptInput(e, 'A quiet lake at dawn')).ok;
  });
}

export interface ModelPickItem {
  label: string;
  description?: string;
  detail?: string;
  modelId?: string;
  /** The "more models" item that opens the generator instead. */
  openGenerator?: boolean;
  kind?: 'separator';
}

function costText(entry: ModelEntry, field: string): string | undefined {
  try {
    const c = entry.cost({ [field]: 'x' });
    return Number.isFinite(c.credits) && c.credits > 0 ? `~${formatCredits(c.credits)} credits` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Items for the model pick: the last used model first, then curated ones, then the rest by
 * title; a last item opens the generator for models that need more than a prompt.
 */
export function modelPickItems(entries: readonly ModelEntry[], category: Category, lastModelId?: string): ModelPickItem[] {
  const eligible = promptOnlyModels(entries, category);
  const rank = (e: ModelEntry) => (e.id === lastModelId ? 0 : e.origin === 'user' ? 1 : e.origin === 'curated' ? 2 : 3);
  eligible.sort((a, b) => rank(a) - rank(b) || a.title.localeCompare(b.title));
  const items: ModelPickItem[] = eligible.map((e) => ({
    label: e.title,
    description: [e.id, costText(e, promptFieldOf(e)!)].filter(Boolean).join(' · '),
    detail: e.id === lastModelId ? `Last used. ${e.description}`.trim() : e.description || undefined,
    modelId: e.id,
  }));
  items.push({ label: '', kind: 'separator' });
  items.push({ label: '$(layout-sidebar-left) More models in the generator…', detail: 'Models that take files or more settings.', openGenerator: true });
  return items;
}
