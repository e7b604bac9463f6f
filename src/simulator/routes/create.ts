// Create calls: which model, is the input valid, is there credit, then a new task.
import { validateInput } from '../../core/catalog/catalog';
import type { ApiFamily, ModelEntry, ModelInput } from '../../core/catalog/types';
import { ENDPOINTS } from '../../core/kie/endpoints';
import type { SimContext } from '../context';
import { CONTENT_POLICY_MESSAGE } from '../faults';
import { envelope } from '../http/serve';
import { aspectOf } from '../tasks/outputs';

export type Envelope = ReturnType<typeof envelope>;

const DEFAULT_MODEL: Partial<Record<ApiFamily, string>> = { veo: 'veo3_fast', 'flux-kontext': 'flux-kontext-pro' };

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function wireId(entry: ModelEntry): string {
  return entry.wireModel ?? entry.id;
}

/** The catalog entry a create call is for, or an error envelope. */
function resolveEntry(ctx: SimContext, family: ApiFamily, operation: 'generate' | 'extend', body: Record<string, unknown>): ModelEntry | Envelope {
  const candidates = ctx.catalog.all().filter((e) => e.family === family && e.operation === operation);
  if (family === 'market') {
    if (typeof body.model !== 'string' || !body.model) return envelope(422, 'model is required');
    const entry = candidates.find((e) => wireId(e) === body.model);
    return entry ?? envelope(422, `The model ${body.model} is not supported`);
  }
  if (!candidates.length) return envelope(422, `This ${family} operation is not available`);
  if (!ENDPOINTS[family].modelInBody) return candidates[0];
  const wanted = typeof body.model === 'string' && body.model ? body.model : DEFAULT_MODEL[family];
  const entry = wanted ? candidates.find((e) => wireId(e) === wanted) : candidates[0];
  return entry ?? envelope(422, `model ${String(body.model)} is not supported`);
}

/** "prompt is required", "aspect_ratio: Invalid option ..." */
function validationMessage(issues: { field: string; message: string }[]): string {
  return issues.map((i) => (/^is /.test(i.message) ? `${i.field} ${i.message}` : `${i.field}: ${i.message}`)).join('; ');
}

interface Accepted {
  entry: ModelEntry;
  input: ModelInput;
  wireModel?: string;
}

function acceptInput(ctx: SimContext, family: ApiFamily, operation: 'generate' | 'extend', body: Record<string, unknown>): Accepted | Envelope {
  if (family === 'veo' && operation === 'extend' && !ctx.catalog.all().some((e) => e.family === 'veo' && e.operation === 'extend')) {
    return veoExtend(ctx, body);
  }
  const found = resolveEntry(ctx, family, operation, body);
  if ('code' in found) return found;
  const entry = found;
  let input: unknown;
  if (family === 'market') {
    if (!isObject(body.input)) return envelope(422, 'input is required');
    input = body.input;
  } else {
    const { callBackUrl: _cb, ...rest } = body;
    if (ENDPOINTS[family].modelInBody) delete rest.model;
    input = rest;
  }
  const checked = validateInput(entry, input);
  if (!checked.ok) return envelope(422, validationMessage(checked.issues));
  return { entry, input: checked.input, wireModel: family === 'market' || ENDPOINTS[family].modelInBody ? wireId(entry) : undefined };
}

/** Veo extend has no catalog entry: it continues an earlier Veo task at that task's model and price. */
function veoExtend(ctx: SimContext, body: Record<string, unknown>): Accepted | Envelope {
  const parent = typeof body.taskId === 'string' ? ctx.state.tasks.get(body.taskId) : undefined;
  if (!parent || parent.entry.family !== 'veo') return envelope(422, 'Record does not exist');
  if (typeof body.prompt !== 'string' || !body.prompt.trim()) return envelope(422, 'prompt is required');
  const input: ModelInput = { prompt: body.prompt, aspectRatio: aspectOf(parent.input) ?? '16:9' };
  return { entry: parent.entry, input, wireModel: parent.wireModel };
}


/** Handles one create call whose key and rate limit were already checked. */
export function createTask(ctx: SimContext, family: ApiFamily, operation: 'generate' | 'extend', path: string, body: unknown): Envelope {
  if (!isObject(body)) return envelope(422, 'The request body must be a JSON object');
  const callBackUrl = typeof body.callBackUrl === 'string' && body.callBackUrl.trim() ? body.callBackUrl : undefined;
  if (family === 'suno' && !callBackUrl) return envelope(422, 'Please enter callBackUrl.');
  const accepted = acceptInput(ctx, family, operation, body);
  if ('code' in accepted) return accepted;
  const { entry, input, wireModel } = accepted;
  const credits = entry.cost(input).credits;
  if (!ctx.state.charge(credits)) return envelope(402, 'Credits insufficient. Please top up your account.');
  // Task-level faults: an accepted task that later fails, or whose links are born expired.
  const fault = ctx.faults.take('createTask', path, ['task-fail', 'expired']);
  const failure = fault?.kind === 'task-fail'
    ? { code: fault.failCode ?? '400', message: fault.failMsg ?? CONTENT_POLICY_MESSAGE }
    : undefined;
  const task = ctx.state.addTask({ entry, input, wireModel, callBackUrl, credits, failure, linksBornExpired: fault?.kind === 'expired' });
  return envelope(200, 'success', family === 'market' ? { taskId: task.id, recordId: task.id } : { taskId: task.id });
}
