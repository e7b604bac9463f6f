// Runway record-detail: `state` strings, `videoInfo`, and `expireFlag` once the links have expired.
import { failureCode, phase, urls, type StatusContext } from './common';
import type { SimTask } from '../tasks/task';

const STATE = { queued: 'wait', running: 'generating', succeeded: 'success', failed: 'fail' } as const;

export function runwayRecord(task: SimTask, ctx: StatusContext): Record<string, unknown> {
  const p = phase(task, ctx);
  // Between waiting and generating, Runway reports "queueing".
  const state = p === 'queued' && ctx.now - task.createdAt > task.timing.queueMs / 2 ? 'queueing' : STATE[p];
  const videoUrl = p === 'succeeded' ? urls(task, ctx, 'main')[0] : undefined;
  const links = [...task.links.values()];
  const expired = p === 'succeeded' && links.length > 0 && links.every((l) => !ctx.state.links.isLive(l, ctx.now));
  const input = task.input as { prompt?: string; imageUrl?: string; taskId?: string };
  return {
    taskId: task.id,
    parentTaskId: input.taskId ?? '',
    generateParam: { prompt: input.prompt ?? '', imageUrl: input.imageUrl ?? '', expandPrompt: false },
    state,
    generateTime: new Date(task.createdAt).toISOString().replace('T', ' ').slice(0, 19),
    videoInfo: videoUrl ? { videoId: task.id, taskId: task.id, videoUrl, imageUrl: urls(task, ctx, 'cover')[0] ?? '' } : null,
    failCode: p === 'failed' ? failureCode(task) : null,
    failMsg: p === 'failed' ? (task.failure?.message ?? 'Generation failed') : '',
    expireFlag: expired ? 1 : 0,
  };
}
