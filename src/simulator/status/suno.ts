// Suno record-info: PENDING → TEXT_SUCCESS → FIRST_SUCCESS → SUCCESS, two tracks, stream links first.
import { failureCode, phase, type StatusContext } from './common';
import { progressOf, type SimTask } from '../tasks/task';

type SunoStatus = 'PENDING' | 'TEXT_SUCCESS' | 'FIRST_SUCCESS' | 'SUCCESS';

export function sunoStatus(task: SimTask, ctx: StatusContext): SunoStatus {
  const p = phase(task, ctx);
  if (p === 'succeeded') return 'SUCCESS';
  if (p === 'queued') return 'PENDING';
  const progress = progressOf(task, ctx.now);
  if (progress < 0.35) return 'PENDING';
  return progress < 0.7 ? 'TEXT_SUCCESS' : 'FIRST_SUCCESS';
}

const MODEL_NAMES: Record<string, string> = {
  V3_5: 'chirp-v3-5', V4: 'chirp-v4', V4_5: 'chirp-auk', V4_5PLUS: 'chirp-bluejay', V4_5ALL: 'chirp-auk', V5: 'chirp-crow', V5_5: 'chirp-crow',
};

export function sunoRecord(task: SimTask, ctx: StatusContext): Record<string, unknown> {
  const p = phase(task, ctx);
  const operation = task.entry.operation;
  const param: Record<string, unknown> = { ...task.input };
  if (task.callBackUrl) param.callBackUrl = task.callBackUrl;
  const common = {
    taskId: task.id,
    parentMusicId: operation === 'extend' ? String(task.input.audioId ?? '') : '',
    param: JSON.stringify(param),
  };
  if (p === 'failed') {
    const code = failureCode(task);
    return {
      ...common,
      response: { taskId: task.id, sunoData: [] },
      status: code === 400 ? 'SENSITIVE_WORD_ERROR' : 'GENERATE_AUDIO_FAILED',
      type: operation === 'extend' ? 'EXTEND' : 'GENERATE',
      operationType: operation,
      errorCode: code,
      errorMessage: task.failure?.message ?? 'Generation failed',
    };
  }
  const status = sunoStatus(task, ctx);
  const tracks = status === 'PENDING' ? [] : (task.tracks ?? []);
  const complete = (i: number) => status === 'SUCCESS' || (status === 'FIRST_SUCCESS' && i === 0);
  const sunoData = tracks.map((t, i) => {
    const stream = ctx.state.fileUrlOf(task, `stream${i}`);
    const audio = complete(i) ? ctx.state.fileUrlOf(task, `main${i}`) : '';
    const cover = ctx.state.fileUrlOf(task, `cover${i}`);
    return {
      id: t.id,
      audioUrl: audio,
      sourceAudioUrl: audio,
      streamAudioUrl: stream,
      sourceStreamAudioUrl: stream,
      imageUrl: cover,
      sourceImageUrl: cover,
      prompt: typeof task.input.prompt === 'string' ? task.input.prompt : '',
      modelName: MODEL_NAMES[String(task.input.model)] ?? 'chirp-auk',
      title: t.title,
      tags: t.tags,
      createTime: task.createdAt,
      duration: complete(i) ? t.duration : null,
    };
  });
  return {
    ...common,
    response: { taskId: task.id, sunoData },
    status,
    type: operation === 'extend' ? 'EXTEND' : 'GENERATE',
    operationType: operation,
    errorCode: null,
    errorMessage: null,
  };
}
