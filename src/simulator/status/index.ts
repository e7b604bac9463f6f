// The status record of a task, in its family's shape.
import type { ApiFamily } from '../../core/catalog/types';
import type { SimTask } from '../tasks/task';
import type { StatusContext } from './common';
import { alephRecord, fluxRecord, gpt4oRecord, lumaRecord, veoRecord } from './flagged';
import { marketRecord } from './market';
import { runwayRecord } from './runway';
import { sunoRecord } from './suno';

export type { StatusContext } from './common';

export const RECORD_BUILDERS: Record<ApiFamily, (task: SimTask, ctx: StatusContext) => Record<string, unknown>> = {
  market: marketRecord,
  veo: veoRecord,
  runway: runwayRecord,
  aleph: alephRecord,
  luma: lumaRecord,
  suno: sunoRecord,
  'gpt4o-image': gpt4oRecord,
  'flux-kontext': fluxRecord,
};

export function statusRecord(task: SimTask, ctx: StatusContext): Record<string, unknown> {
  return RECORD_BUILDERS[task.entry.family](task, ctx);
}
