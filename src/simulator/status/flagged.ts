// Families that report `successFlag` and a `response` object: Veo, Runway Aleph, Luma modify, Flux Kontext, 4o Image.
import { failureCode, paramJson, phase, urls, type StatusContext } from './common';
import { progressOf, type SimTask } from '../tasks/task';

type Phase = ReturnType<typeof phase>;

/** The fields every flagged family's record has; `response` is null until the task succeeds. */
function flaggedRecord(task: SimTask, ctx: StatusContext, response: (p: Phase) => Record<string, unknown>) {
  const p = phase(task, ctx);
  const finished = p === 'succeeded' || p === 'failed';
  return {
    p,
    record: {
      taskId: task.id,
      paramJson: paramJson(task),
      completeTime: finished ? task.completeAt : null,
      response: p === 'succeeded' ? response(p) : null,
      successFlag: p === 'succeeded' ? 1 : p === 'failed' ? 3 : 0,
      errorCode: p === 'failed' ? failureCode(task) : null,
      errorMessage: p === 'failed' ? (task.failure?.message ?? 'Generation failed') : null,
      createTime: task.createdAt,
    } as Record<string, unknown>,
  };
}

export function veoRecord(task: SimTask, ctx: StatusContext): Record<string, unknown> {
  const origin = urls(task, ctx, 'origin');
  const { record } = flaggedRecord(task, ctx, () => ({
    taskId: task.id, resultUrls: urls(task, ctx, 'main'), originUrls: origin.length ? origin : null, resolution: '720p',
  }));
  return { ...record, fallbackFlag: false };
}

export function alephRecord(task: SimTask, ctx: StatusContext): Record<string, unknown> {
  return flaggedRecord(task, ctx, () => ({
    taskId: task.id, resultVideoUrl: urls(task, ctx, 'main')[0], resultImageUrl: urls(task, ctx, 'cover')[0] ?? '',
  })).record;
}

export function lumaRecord(task: SimTask, ctx: StatusContext): Record<string, unknown> {
  return flaggedRecord(task, ctx, () => ({ taskId: task.id, resultUrls: urls(task, ctx, 'main'), originUrls: [] })).record;
}

export function fluxRecord(task: SimTask, ctx: StatusContext): Record<string, unknown> {
  return flaggedRecord(task, ctx, () => ({
    originImageUrl: urls(task, ctx, 'origin')[0] ?? null, resultImageUrl: urls(task, ctx, 'main')[0],
  })).record;
}

export function gpt4oRecord(task: SimTask, ctx: StatusContext): Record<string, unknown> {
  const { p, record } = flaggedRecord(task, ctx, () => ({ resultUrls: urls(task, ctx, 'main') }));
  const progress = p === 'succeeded' ? 1 : p === 'queued' ? 0 : Math.min(0.99, progressOf(task, ctx.now));
  return {
    ...record,
    successFlag: p === 'failed' ? 2 : record.successFlag,
    status: p === 'succeeded' ? 'SUCCESS' : p === 'failed' ? 'GENERATE_FAILED' : 'GENERATING',
    progress: progress.toFixed(2),
    isFallback: false,
  };
}
