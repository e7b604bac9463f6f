import type { ApiFamily, ModelEntry } from '../catalog/types';

interface FamilyEndpoints {
  create: Record<'generate' | 'extend', string | undefined>;
  status: string;
  /** Sends the model id in the body as `model`. */
  modelInBody: boolean;
}

export const ENDPOINTS: Record<ApiFamily, FamilyEndpoints> = {
  market: { create: { generate: '/api/v1/jobs/createTask', extend: undefined }, status: '/api/v1/jobs/recordInfo', modelInBody: true },
  veo: { create: { generate: '/api/v1/veo/generate', extend: '/api/v1/veo/extend' }, status: '/api/v1/veo/record-info', modelInBody: true },
  runway: { create: { generate: '/api/v1/runway/generate', extend: '/api/v1/runway/extend' }, status: '/api/v1/runway/record-detail', modelInBody: false },
  aleph: { create: { generate: '/api/v1/aleph/generate', extend: undefined }, status: '/api/v1/aleph/record-info', modelInBody: false },
  luma: { create: { generate: '/api/v1/modify/generate', extend: undefined }, status: '/api/v1/modify/record-info', modelInBody: false },
  suno: { create: { generate: '/api/v1/generate', extend: '/api/v1/generate/extend' }, status: '/api/v1/generate/record-info', modelInBody: false },
  'gpt4o-image': { create: { generate: '/api/v1/gpt4o-image/generate', extend: undefined }, status: '/api/v1/gpt4o-image/record-info', modelInBody: false },
  'flux-kontext': { create: { generate: '/api/v1/flux/kontext/generate', extend: undefined }, status: '/api/v1/flux/kontext/record-info', modelInBody: true },
};

export function createPath(entry: ModelEntry): string {
  const path = ENDPOINTS[entry.family].create[entry.operation];
  if (!path) throw new Error(`The ${entry.family} API has no ${entry.operation} operation.`);
  return path;
}

/** The JSON body of a create call for this model. */
export function createBody(entry: ModelEntry, input: Record<string, unknown>, callBackUrl?: string): Record<string, unknown> {
  const cb = callBackUrl ? { callBackUrl } : {};
  if (entry.family === 'market') return { model: entry.wireModel ?? entry.id, input, ...cb };
  const body: Record<string, unknown> = { ...input, ...cb };
  if (ENDPOINTS[entry.family].modelInBody) body.model = entry.wireModel ?? entry.id;
  return body;
}
