import { flatCost } from '../define';
import type { CuratedModel } from '../define';
import type { FieldSpec, ModelInput, ValidationIssue } from '../types';

const veoFields: FieldSpec[] = [
  { name: 'prompt', type: 'string', required: true, maxLength: 5000, multiline: true, description: 'What happens in the video. English works best.' },
  { name: 'generationType', type: 'string', enum: ['TEXT_2_VIDEO', 'FIRST_AND_LAST_FRAMES_2_VIDEO', 'REFERENCE_2_VIDEO'], default: 'TEXT_2_VIDEO', label: 'Mode', description: 'Text only, first/last frames (1–2 images), or reference images (1–3, veo3_fast only).' },
  { name: 'imageUrls', type: 'array', itemType: 'string', itemFormat: 'uri', maxItems: 3, media: 'image', label: 'Images', description: 'Frames or references, depending on the mode.' },
  { name: 'aspectRatio', type: 'string', enum: ['16:9', '9:16', 'Auto'], default: '16:9', label: 'Aspect ratio' },
  { name: 'resolution', type: 'string', enum: ['720p', '1080p'], default: '720p', advanced: true },
  { name: 'seeds', type: 'integer', minimum: 10000, maximum: 99999, advanced: true, description: 'Same seed, similar result.' },
  { name: 'enableTranslation', type: 'boolean', default: true, advanced: true, description: 'Translate the prompt to English first.' },
  { name: 'watermark', type: 'string', maxLength: 100, advanced: true, description: 'Text watermark to add.' },
];

function veoCheck(model: string) {
  return (input: ModelInput): ValidationIssue[] => {
    const mode = (input.generationType as string | undefined) ?? 'TEXT_2_VIDEO';
    const images = Array.isArray(input.imageUrls) ? input.imageUrls.length : 0;
    if (mode === 'TEXT_2_VIDEO' && images > 0) return [{ field: 'generationType', message: 'images need the first/last frames or reference mode' }];
    if (mode === 'FIRST_AND_LAST_FRAMES_2_VIDEO' && (images < 1 || images > 2)) return [{ field: 'imageUrls', message: 'first/last frames mode takes 1 or 2 images' }];
    if (mode === 'REFERENCE_2_VIDEO') {
      if (model !== 'veo3_fast') return [{ field: 'generationType', message: 'reference mode works with veo3_fast only' }];
      if (images < 1) return [{ field: 'imageUrls', message: 'reference mode takes 1 to 3 images' }];
    }
    return [];
  };
}

function veo(model: string, title: string, description: string, credits: number): CuratedModel {
  return {
    id: model, wireModel: model, family: 'veo', category: 'video', title, description, output: 'video',
    fields: [...veoFields], cost: credits, duration: { median: model === 'veo3' ? 180 : 90, p90: model === 'veo3' ? 480 : 240 },
    check: veoCheck(model), example: { prompt: 'A paper boat drifting down a rain gutter, macro shot', aspectRatio: '16:9' },
  };
}

const runwayQualityCost = (input: ModelInput) => {
  const seconds = Number(input.duration ?? 5);
  const quality = (input.quality as string | undefined) ?? '720p';
  const credits = quality === '1080p' ? 30 : seconds === 10 ? 30 : 12;
  return flatCost(credits, `${credits} credits for ${seconds} s at ${quality}`);
};

function runwayCheck(input: ModelInput): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (Number(input.duration) === 10 && input.quality === '1080p') issues.push({ field: 'quality', message: '1080p is only available for 5-second videos' });
  if (!input.imageUrl && !input.aspectRatio && 'prompt' in input) issues.push({ field: 'aspectRatio', message: 'required when no image is given' });
  return issues;
}

function sunoCheck(input: ModelInput): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const prompt = typeof input.prompt === 'string' ? input.prompt : '';
  if (input.customMode) {
    if (!input.style) issues.push({ field: 'style', message: 'required in custom mode' });
    if (!input.title) issues.push({ field: 'title', message: 'required in custom mode' });
    if (!input.instrumental && !prompt) issues.push({ field: 'prompt', message: 'lyrics are required in custom mode unless instrumental' });
  } else {
    if (!prompt) issues.push({ field: 'prompt', message: 'required unless custom mode is on' });
    if (prompt.length > 500) issues.push({ field: 'prompt', message: 'at most 500 characters unless custom mode is on' });
  }
  return issues;
}

const SUNO_MODELS = ['V3_5', 'V4', 'V4_5', 'V4_5PLUS', 'V4_5ALL', 'V5', 'V5_5'];

export const familyModels: CuratedModel[] = [
  veo('veo3', 'Veo 3.1 Quality', "Google's Veo 3.1 with sound, highest quality.", 250),
  veo('veo3_fast', 'Veo 3.1 Fast', "Google's Veo 3.1 with sound, faster and cheaper.", 60),
  veo('veo3_lite', 'Veo 3.1 Lite', "Google's Veo 3.1, the lowest-cost tier.", 30),
  {
    id: 'runway/generate', family: 'runway', category: 'video', title: 'Runway · generate', output: 'video',
    description: 'Runway Gen video from a prompt, optionally starting from an image.',
    fields: [
      { name: 'prompt', type: 'string', required: true, maxLength: 1800, multiline: true },
      { name: 'imageUrl', type: 'string', media: 'image', label: 'Image', description: 'Optional first frame.' },
      { name: 'duration', type: 'number', enum: [5, 10], default: 5, required: true },
      { name: 'quality', type: 'string', enum: ['720p', '1080p'], default: '720p', required: true },
      { name: 'aspectRatio', type: 'string', enum: ['16:9', '9:16', '1:1', '4:3', '3:4'], default: '16:9', description: 'Needed when no image is given.' },
      { name: 'waterMark', type: 'string', maxLength: 100, advanced: true, description: 'Watermark text; empty for none.' },
    ],
    cost: runwayQualityCost, check: runwayCheck, duration: { median: 90, p90: 240 },
    example: { prompt: 'A fluffy orange cat dancing in a colorful room with disco lights', duration: 5, quality: '720p', aspectRatio: '16:9' },
  },
  {
    id: 'runway/extend', family: 'runway', operation: 'extend', category: 'video', title: 'Runway · extend', output: 'video',
    description: 'Continues an earlier Runway video by its task id.',
    fields: [
      { name: 'taskId', type: 'string', required: true, maxLength: 100, label: 'Runway task id' },
      { name: 'prompt', type: 'string', required: true, maxLength: 1800, multiline: true },
      { name: 'quality', type: 'string', enum: ['720p', '1080p'], default: '720p', required: true },
      { name: 'waterMark', type: 'string', maxLength: 100, advanced: true },
    ],
    cost: runwayQualityCost, duration: { median: 90, p90: 240 },
    example: { taskId: 'ee603959-debb-48d1-98c4-a6d1c717eba6', prompt: 'The cat keeps dancing as the lights change', quality: '720p' },
  },
  {
    id: 'runway/aleph', family: 'aleph', category: 'video', title: 'Runway Aleph · video to video', output: 'video',
    description: 'Restyles or changes an existing video with a prompt.',
    fields: [
      { name: 'prompt', type: 'string', required: true, maxLength: 1800, multiline: true },
      { name: 'videoUrl', type: 'string', required: true, media: 'video', label: 'Video' },
      { name: 'aspectRatio', type: 'string', enum: ['16:9', '9:16', '4:3', '3:4', '1:1', '21:9'], advanced: true },
      { name: 'seed', type: 'integer', minimum: 1, maximum: 999999, advanced: true },
      { name: 'referenceImage', type: 'string', media: 'image', advanced: true, label: 'Reference image' },
      { name: 'waterMark', type: 'string', maxLength: 100, advanced: true },
    ],
    cost: 110, duration: { median: 150, p90: 420 },
    example: { prompt: 'Make it snow', videoUrl: 'https://example.com/sample.mp4' },
  },
  {
    id: 'luma/modify', family: 'luma', category: 'video', title: 'Luma · modify video', output: 'video',
    description: "Changes an existing video's look with Luma Ray.",
    fields: [
      { name: 'prompt', type: 'string', required: true, maxLength: 1800, multiline: true },
      { name: 'videoUrl', type: 'string', required: true, media: 'video', label: 'Video' },
      { name: 'watermark', type: 'string', maxLength: 100, advanced: true },
    ],
    cost: 80, duration: { median: 150, p90: 420 },
    example: { prompt: 'Turn the scene into a watercolor painting', videoUrl: 'https://example.com/sample.mp4' },
  },
  {
    id: 'suno/generate', family: 'suno', category: 'audio', title: 'Suno · music', output: 'audio',
    description: 'A song (two takes) from a description, or from your lyrics and style.',
    fields: [
      { name: 'prompt', type: 'string', maxLength: 5000, multiline: true, description: 'A description (simple mode, ≤ 500 characters) or the lyrics (custom mode).' },
      { name: 'customMode', type: 'boolean', required: true, default: false, label: 'Custom mode', description: 'Write lyrics, style and title yourself.' },
      { name: 'instrumental', type: 'boolean', required: true, default: false },
      { name: 'model', type: 'string', required: true, enum: SUNO_MODELS, default: 'V4_5' },
      { name: 'style', type: 'string', maxLength: 1000, description: 'Genre, mood, instruments (custom mode).' },
      { name: 'title', type: 'string', maxLength: 100, description: 'Custom mode.' },
      { name: 'negativeTags', type: 'string', maxLength: 1000, advanced: true, description: 'Styles to avoid.' },
      { name: 'vocalGender', type: 'string', enum: ['m', 'f'], advanced: true },
      { name: 'styleWeight', type: 'number', minimum: 0, maximum: 1, advanced: true },
      { name: 'weirdnessConstraint', type: 'number', minimum: 0, maximum: 1, advanced: true },
      { name: 'audioWeight', type: 'number', minimum: 0, maximum: 1, advanced: true },
    ],
    cost: 12, check: sunoCheck, duration: { median: 90, p90: 240 },
    example: { prompt: 'A short upbeat lo-fi loop, gentle piano, summer afternoon', customMode: false, instrumental: true, model: 'V4_5' },
  },
  {
    id: 'suno/extend', family: 'suno', operation: 'extend', category: 'audio', title: 'Suno · extend track', output: 'audio',
    description: 'Continues one of your Suno tracks from a given second.',
    fields: [
      { name: 'audioId', type: 'string', required: true, maxLength: 100, label: 'Track id' },
      { name: 'defaultParamFlag', type: 'boolean', required: true, default: false, label: 'Custom parameters', description: 'On: use the prompt, style, title and start below.' },
      { name: 'model', type: 'string', required: true, enum: SUNO_MODELS, default: 'V4_5' },
      { name: 'prompt', type: 'string', maxLength: 5000, multiline: true },
      { name: 'style', type: 'string', maxLength: 1000 },
      { name: 'title', type: 'string', maxLength: 100 },
      { name: 'continueAt', type: 'number', minimum: 0, description: 'Second of the track to continue from.' },
    ],
    cost: 12, duration: { median: 90, p90: 240 },
    check: (input) => (input.defaultParamFlag && (input.continueAt === undefined || !input.style || !input.title)
      ? [{ field: 'continueAt', message: 'custom parameters need continueAt, style and title' }] : []),
    example: { audioId: 'e231b3f4-7c2a-4a52-a5c4-1f0a5d2f3b10', defaultParamFlag: false, model: 'V4_5' },
  },
  {
    id: 'gpt4o-image', family: 'gpt4o-image', category: 'image', title: '4o Image', output: 'image',
    description: "OpenAI's GPT-4o image generation and editing, up to 4 variants.",
    fields: [
      { name: 'prompt', type: 'string', maxLength: 5000, multiline: true },
      { name: 'size', type: 'string', required: true, enum: ['1:1', '3:2', '2:3'], default: '1:1', label: 'Aspect ratio' },
      { name: 'filesUrl', type: 'array', itemType: 'string', itemFormat: 'uri', maxItems: 5, media: 'image', label: 'Images to edit' },
      { name: 'nVariants', type: 'number', enum: [1, 2, 4], default: 1, label: 'Variants' },
      { name: 'maskUrl', type: 'string', media: 'image', advanced: true, label: 'Mask' },
      { name: 'isEnhance', type: 'boolean', advanced: true },
      { name: 'enableFallback', type: 'boolean', advanced: true },
      { name: 'fallbackModel', type: 'string', enum: ['GPT_IMAGE_1', 'FLUX_MAX'], advanced: true },
    ],
    cost: (input) => {
      const n = Number(input.nVariants ?? 1);
      return flatCost(6 * n, `6 credits per image × ${n}`);
    },
    check: (input) => (!input.prompt && !(Array.isArray(input.filesUrl) && input.filesUrl.length)
      ? [{ field: 'prompt', message: 'give a prompt, images, or both' }] : []),
    duration: { median: 60, p90: 180 },
    example: { prompt: 'A watercolor lighthouse at dawn', size: '1:1', nVariants: 1 },
  },
  ...(['pro', 'max'] as const).map((tier): CuratedModel => ({
    id: `flux-kontext-${tier}`, wireModel: `flux-kontext-${tier}`, family: 'flux-kontext', category: 'image',
    title: `Flux Kontext ${tier === 'pro' ? 'Pro' : 'Max'}`, output: 'image',
    description: tier === 'pro' ? 'Generate, or edit an image with a prompt; fast and consistent.' : 'The strongest Kontext model, for complex edits and typography.',
    fields: [
      { name: 'prompt', type: 'string', required: true, maxLength: 5000, multiline: true },
      { name: 'inputImage', type: 'string', media: 'image', label: 'Image to edit', description: 'Leave empty to generate a new image.' },
      { name: 'aspectRatio', type: 'string', enum: ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16'], default: '16:9' },
      { name: 'outputFormat', type: 'string', enum: ['jpeg', 'png'], default: 'jpeg' },
      { name: 'promptUpsampling', type: 'boolean', advanced: true },
      { name: 'enableTranslation', type: 'boolean', default: true, advanced: true },
      { name: 'safetyTolerance', type: 'integer', minimum: 0, maximum: 6, default: 2, advanced: true, description: '0 strictest; at most 2 when editing.' },
      { name: 'watermark', type: 'string', maxLength: 100, advanced: true },
    ],
    cost: tier === 'pro' ? 5 : 10,
    check: (input) => (input.inputImage && Number(input.safetyTolerance ?? 0) > 2 ? [{ field: 'safetyTolerance', message: 'at most 2 when editing an image' }] : []),
    duration: { median: 20, p90: 60 },
    example: { prompt: 'A neon sign that reads "KIE" on a brick wall', aspectRatio: '16:9', outputFormat: 'jpeg' },
  })),
];
