// Market recordInfo: state strings, `param` and `resultJson` as JSON strings (input double-encoded).
import { costSeconds, phase, urls, type StatusContext } from './common';
import type { SimTask } from '../tasks/task';

const STATE = { queued: 'waiting', running: 'generating', succeeded: 'success', failed: 'fail' } as const;

export function marketRecord(task: SimTask, ctx: StatusContext): Record<string, unknown> {
  const p = phase(task, ctx);
  const finished = p === 'succeeded' || p === 'failed';
  const model = task.wireModel ?? task.entry.wireModel ?? task.entry.id;
  const param: Record<string, unknown> = { input: JSON.stringify(task.input), model };
  if (task.callBackUrl) param.callBackUrl = task.callBackUrl;
  let resultJson = '';
  if (p === 'succeeded') {
    resultJson = task.entry.output === 'text'
      ? JSON.stringify({ resultObject: task.resultObject })
      : JSON.stringify({ resultUrls: urls(task, ctx, 'main') });
  }
  return {
    taskId: task.id,
    model,
    state: STATE[p],
    param: JSON.stringify(param),
    resultJson,
    failCode: p === 'failed' ? String(task.failure?.code ?? '500') : null,
    failMsg: p === 'failed' ? (task.failure?.message ?? 'Generation failed') : null,
    costTime: finished ? costSeconds(task) : null,
    completeTime: finished ? task.completeAt : null,
    createTime: task.createdAt,
  };
}
