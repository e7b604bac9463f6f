// Pieces shared by the status answers of every family.
import type { SimState } from '../state';
import { filesWithRole, phaseOf, type FileRole, type Phase, type SimTask } from '../tasks/task';

export interface StatusContext {
  state: SimState;
  now: number;
}

export function phase(task: SimTask, ctx: StatusContext): Phase {
  return phaseOf(task, ctx.now);
}

/** URLs of the task's files with this role, in order. */
export function urls(task: SimTask, ctx: StatusContext, role: FileRole): string[] {
  return filesWithRole(task, role).map((f) => ctx.state.fileUrlOf(task, f.key));
}

/** The request as the family endpoints echo it in `paramJson`. */
export function paramJson(task: SimTask): string {
  const body: Record<string, unknown> = { ...task.input };
  if (task.wireModel) body.model = task.wireModel;
  if (task.callBackUrl) body.callBackUrl = task.callBackUrl;
  return JSON.stringify(body);
}

/** Kie's generation time in whole seconds (the simulated time, before `speed`). */
export function costSeconds(task: SimTask): number {
  return Math.max(1, Math.round(task.timing.seconds));
}

export function failureCode(task: SimTask): number {
  const n = Number(task.failure?.code);
  return Number.isFinite(n) ? n : 500;
}
