// Families that report `successFlag` and a `response` object: Veo, Runway Aleph, Luma modify, Flux Kontext, 4o Image.
import { failureCode, paramJson, phase, urls, type StatusContext } from './common';
import { progressOf, type SimTask } from '../tasks/task';

function base(task: SimTask, ctx: StatusContext) {
  const p = phase(task, ctx);
  const finished = p === 'succeeded' || p === 'failed';
  return {
    p,
    successFlag: p === 'succeeded' ? 1 : p === 'failed' ? 3 : 0,
    completeTime: finished ? task.completeAt : null,
    errorCode: p === 'failed' ? failureCode(task) : null,
    errorMessage: p === 'failed' ? (task.failure?.message ?? 'Generation failed') : null,
  };
}

export function veoRecord(task: SimTask, ctx: StatusContext): Record<string, unknown> {
  const b = base(task, ctx);
  const origin = urls(task, ctx, 'origin');
  return {
    taskId: task.id,
    paramJson: paramJson(task),
    completeTime: b.completeTime,
    response: b.p === 'succeeded'
      ? { taskId: task.id, resultUrls: urls(task, ctx, 'main'), originUrls: origin.length ? origin : null, resolution: '720p' }
      : null,
    successFlag: b.successFlag,
    errorCode: b.errorCode,
    errorMessage: b.errorMessage,
    createTime: task.createdAt,
    fallbackFlag: false,
  };
}

export function alephRecord(task: SimTask, ctx: StatusContext): Record<string, unknown> {
  const b = base(task, ctx);
  return {
    taskId: task.id,
    paramJson: paramJson(task),
    response: b.p === 'succeeded'
      ? { taskId: task.id, resultVideoUrl: urls(task, ctx, 'main')[0], resultImageUrl: urls(task, ctx, 'cover')[0] ?? '' }
      : null,
    completeTime: b.completeTime,
    createTime: task.createdAt,
    successFlag: b.successFlag,
    errorCode: b.errorCode,
    errorMessage: b.errorMessage,
  };
}

export function lumaRecord(task: SimTask, ctx: StatusContext): Record<string, unknown> {
  const b = base(task, ctx);
  return {
    taskId: task.id,
    paramJson: paramJson(task),
    completeTime: b.completeTime,
    response: b.p === 'succeeded' ? { taskId: task.id, resultUrls: urls(task, ctx, 'main'), originUrls: [] } : null,
    successFlag: b.successFlag,
    errorCode: b.errorCode,
    errorMessage: b.errorMessage,
    createTime: task.createdAt,
  };
}

export function fluxRecord(task: SimTask, ctx: StatusContext): Record<string, unknown> {
  const b = base(task, ctx);
  return {
    taskId: task.id,
    paramJson: paramJson(task),
    completeTime: b.completeTime,
    response: b.p === 'succeeded'
      ? { originImageUrl: urls(task, ctx, 'origin')[0] ?? null, resultImageUrl: urls(task, ctx, 'main')[0] }
      : null,
    successFlag: b.successFlag,
    errorCode: b.errorCode,
    errorMessage: b.errorMessage,
    createTime: task.createdAt,
  };
}

export function gpt4oRecord(task: SimTask, ctx: StatusContext): Record<string, unknown> {
  const b = base(task, ctx);
  const status = b.p === 'succeeded' ? 'SUCCESS' : b.p === 'failed' ? 'GENERATE_FAILED' : 'GENERATING';
  const progress = b.p === 'succeeded' ? 1 : b.p === 'queued' ? 0 : Math.min(0.99, progressOf(task, ctx.now));
  return {
    taskId: task.id,
    paramJson: paramJson(task),
    completeTime: b.completeTime,
    response: b.p === 'succeeded' ? { resultUrls: urls(task, ctx, 'main') } : null,
    successFlag: b.p === 'failed' ? 2 : b.successFlag,
    status,
    errorCode: b.errorCode,
    errorMessage: b.errorMessage,
    createTime: task.createdAt,
    progress: progress.toFixed(2),
    isFallback: false,
  };
}
