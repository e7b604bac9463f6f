// Decides which files a task produces, from the model and its input (kinds, counts, formats).
import type { ModelEntry, ModelInput } from '../../core/catalog/types';
import { uuid } from '../random';
import type { FileFormat, ImageOp, RenderSpec, ResultFile, SunoTrack } from './task';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

/** The prompt-like text of an input, for rendering. */
export function promptOf(entry: ModelEntry, input: ModelInput): string {
  return str(input.prompt) ?? str(input.text) ?? str(input.style) ?? entry.title;
}

/** The aspect ratio asked for, if any (Kie names it differently per model). */
export function aspectOf(input: ModelInput): string | undefined {
  for (const key of ['aspect_ratio', 'aspectRatio', 'image_size', 'size', 'ratio']) {
    const v = str(input[key]);
    if (v && v.toLowerCase() !== 'auto') return v;
  }
  return undefined;
}

/** The first media URL of the given kind in the input (following the catalog's media fields). */
export function mediaUrlOf(entry: ModelEntry, input: ModelInput, kind: 'image' | 'video' | 'audio'): string | undefined {
  const fields = entry.media.filter((m) => m.kind === kind).map((m) => m.field);
  // Fields the catalog does not mark as media but that carry one (e.g. speech-to-text's audio_url).
  fields.push(...Object.keys(input).filter((k) => new RegExp(`${kind}_?(url|urls|input)?$|^${kind}$`, 'i').test(k) && !fields.includes(k)));
  for (const field of fields) {
    const v = input[field];
    const first = Array.isArray(v) ? v.find((x) => typeof x === 'string' && x) : v;
    if (typeof first === 'string' && first) return first;
  }
  return undefined;
}

/** How many outputs the input asks for (num_images, nVariants, max_images, n), Grok's six, else one. */
export function outputCount(entry: ModelEntry, input: ModelInput): number {
  for (const key of ['num_images', 'nVariants', 'max_images', 'n', 'num_outputs']) {
    const n = Number(input[key]);
    if (input[key] !== undefined && Number.isInteger(n) && n >= 1) return Math.min(n, 16);
  }
  if (entry.id === 'grok-imagine/text-to-image') return 6;
  if (entry.id === 'grok-imagine/image-to-image') return 2;
  return 1;
}

function fieldDefault(entry: ModelEntry, name: string): unknown {
  return entry.fields.find((f) => f.name === name)?.default;
}

/** PNG unless the model says otherwise (output_format / outputFormat, or its default); Grok answers JPEG. */
export function imageFormatOf(entry: ModelEntry, input: ModelInput): FileFormat {
  if (/remove-background/.test(entry.id)) return 'png';
  if (entry.id.startsWith('grok-imagine/')) return 'jpeg';
  const asked = input.output_format ?? input.outputFormat ?? fieldDefault(entry, 'output_format') ?? fieldDefault(entry, 'outputFormat');
  return typeof asked === 'string' && /^(jpe?g)$/i.test(asked) ? 'jpeg' : 'png';
}

function imageOp(entry: ModelEntry, input: ModelInput): ImageOp {
  const source = mediaUrlOf(entry, input, 'image');
  if (/remove-background/.test(entry.id)) return { op: 'remove-background', source };
  if (/upscale/.test(entry.id)) {
    const factor = entry.id === 'recraft/crisp-upscale' ? 2 : Number(input.upscale_factor ?? fieldDefault(entry, 'upscale_factor') ?? 2) || 2;
    return { op: 'upscale', source, factor };
  }
  return source ? { op: 'derive', source } : { op: 'render' };
}

function speechLike(entry: ModelEntry): 'speech' | 'sound-effect' | 'music' {
  if (/sound-effect/.test(entry.id)) return 'sound-effect';
  if (/text-to-speech|dialogue|tts/.test(entry.id)) return 'speech';
  return 'music';
}

export interface PlannedOutputs {
  files: ResultFile[];
  tracks?: SunoTrack[];
}

export function planOutputs(entry: ModelEntry, input: ModelInput): PlannedOutputs {
  const prompt = promptOf(entry, input);
  const aspect = aspectOf(input);
  const files: ResultFile[] = [];
  const add = (role: ResultFile['role'], index: number, format: FileFormat, spec: RenderSpec) =>
    files.push({ key: `${role}${index}`, role, index, format, spec });
  const cover = (index: number) => add('cover', index, 'jpeg', { type: 'image', op: 'render', prompt, aspect: aspect ?? '16:9', seed: 100 + index });

  switch (entry.output) {
    case 'image': {
      const format = imageFormatOf(entry, input);
      const op = imageOp(entry, input);
      const count = op.op === 'render' || op.op === 'derive' ? outputCount(entry, input) : 1;
      for (let i = 0; i < count; i++) add('main', i, format, { type: 'image', prompt, aspect, seed: i, ...op });
      // Flux Kontext also reports an "origin" image link (short-lived upstream); same picture.
      if (entry.family === 'flux-kontext') add('origin', 0, format, { type: 'image', prompt, aspect, seed: 0, ...op });
      return { files };
    }
    case 'video': {
      const videoAspect = aspect ?? '16:9';
      const sourceTaskId = str(input.task_id) ?? str(input.taskId);
      add('main', 0, 'mp4', { type: 'video', aspect: videoAspect, seed: 0, sourceTaskId });
      if (entry.family === 'veo') {
        if (videoAspect !== '16:9') add('origin', 0, 'mp4', { type: 'video', aspect: videoAspect, seed: 0 });
        else add('hd', 0, 'mp4', { type: 'video', aspect: videoAspect, seed: 1 });
      }
      if (entry.family === 'runway' || entry.family === 'aleph') cover(0);
      return { files };
    }
    case 'audio': {
      if (entry.family === 'suno') {
        const tags = str(input.style) ?? 'lo-fi, piano, mellow';
        const title = str(input.title) ?? prompt.split(/[.,\n]/)[0].slice(0, 40);
        const tracks: SunoTrack[] = [0, 1].map((i) => ({ id: uuid(), title, tags, duration: 30 + i * 7.48 }));
        tracks.forEach((_, i) => {
          add('main', i, 'mp3', { type: 'music', seed: i });
          add('stream', i, 'mp3', { type: 'music', seed: i });
          cover(i);
        });
        return { files, tracks };
      }
      const kind = speechLike(entry);
      if (kind === 'sound-effect') {
        const seconds = Math.min(22, Math.max(0.5, Number(input.duration_seconds) || 2));
        add('main', 0, 'wav', { type: 'sound-effect', text: prompt, seconds });
      } else if (kind === 'speech') {
        add('main', 0, 'mp3', { type: 'speech', text: prompt });
      } else {
        add('main', 0, 'mp3', { type: 'music', seed: 0 });
      }
      return { files };
    }
    case 'text':
      // Carried inline in resultJson.resultObject; no file.
      return { files };
  }
}

/** The transcript a speech-to-text task returns, in ElevenLabs' shape. */
export function transcriptFor(input: ModelInput): Record<string, unknown> {
  const words = 'This is a simulated transcript from the Kie Studio simulator.'.split(' ');
  let t = 0;
  return {
    language_code: str(input.language_code) ?? 'eng',
    language_probability: 0.98,
    text: words.join(' '),
    words: words.map((w) => {
      const start = t;
      t += 0.35;
      return { text: w, start: Number(start.toFixed(2)), end: Number((t - 0.05).toFixed(2)), type: 'word', speaker_id: input.diarize === false ? undefined : 'speaker_0' };
    }),
  };
}
