import type { CuratedModel } from '../define';
import { byField } from '../costs';

const SORA_RETIRED = 'Kie withdrew the Sora 2 models in May 2026; new tasks will likely be refused.';

/** Curated Market models that Kie's machine-read schemas (market-models.json) do not list. */
export const marketExtra: CuratedModel[] = [
  {
    id: 'sora-2-pro-text-to-video', category: 'video', title: 'Sora 2 Pro · text to video', output: 'video',
    description: "OpenAI's Sora 2 Pro from a prompt.", retired: SORA_RETIRED,
    cost: byField('n_frames', { '10': 150, '15': 270 }, 150, ' s'), duration: { median: 300, p90: 900 },
    fields: [
      { name: 'prompt', type: 'string', required: true, maxLength: 10000, multiline: true },
      { name: 'aspect_ratio', type: 'string', enum: ['portrait', 'landscape'], default: 'landscape' },
      { name: 'n_frames', type: 'string', enum: ['10', '15'], default: '10', label: 'Seconds' },
      { name: 'size', type: 'string', enum: ['standard', 'high'], default: 'standard' },
      { name: 'remove_watermark', type: 'boolean', default: true, advanced: true },
    ],
  },
  {
    id: 'sora-2-pro-image-to-video', category: 'video', title: 'Sora 2 Pro · image to video', output: 'video',
    description: "OpenAI's Sora 2 Pro animating an image.", retired: SORA_RETIRED,
    cost: byField('n_frames', { '10': 150, '15': 270 }, 150, ' s'), duration: { median: 300, p90: 900 },
    fields: [
      { name: 'prompt', type: 'string', required: true, maxLength: 10000, multiline: true },
      { name: 'image_urls', type: 'array', required: true, itemType: 'string', itemFormat: 'uri', maxItems: 1 },
      { name: 'aspect_ratio', type: 'string', enum: ['portrait', 'landscape'], default: 'landscape' },
      { name: 'n_frames', type: 'string', enum: ['10', '15'], default: '10', label: 'Seconds' },
      { name: 'size', type: 'string', enum: ['standard', 'high'], default: 'standard' },
      { name: 'remove_watermark', type: 'boolean', default: true, advanced: true },
    ],
  },
  {
    id: 'sora-watermark-remover', category: 'video', title: 'Sora · watermark remover', output: 'video',
    description: 'Removes the watermark from a Sora video.', retired: SORA_RETIRED,
    cost: 10, duration: { median: 60, p90: 180 },
    fields: [{ name: 'video_url', type: 'string', required: true, maxLength: 500, description: 'A public sora.chatgpt.com link.' }],
  },
  {
    id: 'elevenlabs/speech-to-text', category: 'audio', title: 'ElevenLabs · speech to text', output: 'text',
    description: 'Transcribes speech in an audio file, with speakers and sound events.',
    cost: 3.5, duration: { median: 15, p90: 60 },
    fields: [
      { name: 'audio_url', type: 'string', required: true },
      { name: 'language_code', type: 'string', maxLength: 500, advanced: true },
      { name: 'tag_audio_events', type: 'boolean', default: true, advanced: true },
      { name: 'diarize', type: 'boolean', default: true, advanced: true, description: 'Label who speaks when.' },
    ],
  },
  {
    id: 'elevenlabs/sound-effect-v2', category: 'audio', title: 'ElevenLabs · sound effect', output: 'audio',
    description: 'A sound effect from a description, up to 22 seconds.',
    cost: 1.2, duration: { median: 10, p90: 40 },
    fields: [
      { name: 'text', type: 'string', required: true, maxLength: 5000, multiline: true, label: 'Description' },
      { name: 'duration_seconds', type: 'number', minimum: 0.5, maximum: 22, label: 'Seconds' },
      { name: 'prompt_influence', type: 'number', minimum: 0, maximum: 1, default: 0.3, advanced: true },
      { name: 'loop', type: 'boolean', default: false, advanced: true },
      { name: 'output_format', type: 'string', enum: ['mp3_44100_128', 'mp3_44100_192', 'pcm_44100'], default: 'mp3_44100_128', advanced: true },
    ],
  },
  {
    id: 'ideogram/v3-reframe', category: 'image', title: 'Ideogram 3 · reframe', output: 'image',
    description: 'Extends an image to a new aspect ratio, painting in what is missing.',
    cost: byField('rendering_speed', { TURBO: 3.5, BALANCED: 7, QUALITY: 10 }, 7), duration: { median: 20, p90: 60 },
    fields: [
      { name: 'image_url', type: 'string', required: true },
      { name: 'image_size', type: 'string', required: true, enum: ['square', 'square_hd', 'portrait_4_3', 'portrait_16_9', 'landscape_4_3', 'landscape_16_9'], default: 'landscape_16_9' },
      { name: 'rendering_speed', type: 'string', enum: ['TURBO', 'BALANCED', 'QUALITY'], default: 'BALANCED' },
      { name: 'style', type: 'string', enum: ['AUTO', 'GENERAL', 'REALISTIC', 'DESIGN'], default: 'AUTO', advanced: true },
      { name: 'num_images', type: 'string', enum: ['1', '2', '3', '4'], default: '1', advanced: true },
      { name: 'seed', type: 'integer', advanced: true },
    ],
  },
];
