import type { CuratedModel } from '../define';
import type { FieldSpec } from '../types';
import { perThousandChars } from '../costs';

/** ElevenLabs voice ids Kie accepts (both speech models take the same list). */
const ELEVENLABS_VOICES = [
  'EkK5I93UQWFDigLMpZcX', 'Z3R5wn05IrDiVCyEkUrK', 'NNl6r8mD7vthiJatiJt1', 'YOq2y2Up4RgXP2HyXjE5',
  'B8gJV1IhpuegLxdpXFOE', '2zRM7PkgwBPiau2jvVXc', '1SM7GgM6IMuvQlz2BwM3', '5l5f8iK3YPeGga21rQIX',
  'scOwDtmlUjD3prqpp97I', 'NOpBlnGInO9m6vDvFkFC', 'BZgkqPqms7Kj9ulSkVzn', 'wo6udizrrtpIxWGp2qJk',
  'gU0LNdkMOQCOrPrwtbee', 'DGzg6RaUqxGRTHSBjfgF', 'x70vRnQBMBu4FAYhjJbO', 'Sm1seazb4gs7RSlUVw7c',
  'P1bg08DkjqiVEzOn76yG', 'qDuRKMlYmrm8trt5QyBn', 'qXpMhyvQqiRxWQs4qSSB', 'TX3LPaxmHKxFdv7VOQHJ',
  'N2lVS1w4EtoT3dr4eOWO', 'FGY2WhTYpPnrIDTdsKH5', 'kPzsL2i3teMYv0FxEYQ6', 'UgBBYS2sOqTuMpoF3BR0',
  'hpp4J3VqNfWAUOO0d1Us', 'nPczCjzI2devNBz1zQrb', 'uYXf8XasLslADfZ2MB4u', 'gs0tAILXbY5DNrJrsM6F',
  'DTKMou8ccj1ZaWGBiotd', 'vBKc2FfBKJfcZNyEt1n6', 'DYkrAHD8iwork3YSUBbs', '56AoDkrOh6qfVPDXZ7Pt',
  'eR40ATw9ArzDf9h3v7t7', 'g6xIsTj2HwM6VR4iXFCw', 'lcMyyd2HUfFzxdCaC4Ta', '6aDn1KB0hjpdcocrUkmq',
  'Sq93GQT4X1lKDXsQcixO', 'flHkNRp1BlvT73UL6gyz', '9yzdeviXkFddZ4Oz8Mok', 'pPdl9cQBQq4p6mRkZy2Z',
  'zYcjlYFOd3taleS0gkk3', 'nzeAacJi50IvxcyDnMXa', 'ruirxsoakN0GWmGNIo04', 'TC0Zp7WVFzhA8zpTlRqV',
  'ljo9gAlSqKOvF6D8sOsX', 'PPzYpIqttlTYA83688JI', '8JVbfL6oEdmuxKn5DK2C', 'iCrDUkL56s3C8sCRl7wb',
  'wJqPPQ618aTW29mptyoc', 'EiNlNiXeDU1pqqOPrYMO', '4YYIPFl9wE5c4L2eu2Gb', '6F5Zhi321D3Oq7v1oNT4',
  'YXpFCvM1S3JbWEJhoskW', 'LG95yZDEHg6fCZdQjLqj', 'CeNX9CMwmxDxUF5Q2Inm', 'aD6riP1btT197c6dACmy',
  'mtrellq69YZsNwzUSyXh', 'dHd5gvgSOzSfduK4CvEg', 'eVItLK1UvXctxuaRV2Oq', 'esy0r39YPLQjOczyOib8',
  'Tsns2HvNFKfGiNjllgqo', '1U02n4nD6AdIZ9CjF053', 'AeRdCCKzvd23BpJoofzx', 'LruHrtVF6PSyGItzMNHS',
  '1wGbFxmAM3Fgw63G1zZJ', 'hqfrgApggtO1785R4Fsn', 'MJ0RnG71ty4LH3dvNfSd',
];

/** Options both ElevenLabs speech models take, as Kie documents them. */
const ELEVENLABS_SPEECH_OPTIONS: FieldSpec[] = [
      {"name": "language_code", "type": "string", "maxLength": 500, "description": "Language code (ISO 639-1) used to enforce a language for the model."},
      {"name": "next_text", "type": "string", "maxLength": 5000, "description": "The text that comes after the text of the current request."},
      {"name": "previous_text", "type": "string", "maxLength": 5000, "description": "The text that came before the text of the current request."},
      {"name": "similarity_boost", "type": "number", "default": 0.75, "minimum": 0, "maximum": 1, "description": "Similarity boost (0-1) (Min: 0, Max: 1, Step: 0.01) (step: 0.01)"},
      {"name": "speed", "type": "number", "default": 1, "minimum": 0.7, "maximum": 1.2, "description": "Speech speed (0.7-1.2)."},
      {"name": "stability", "type": "number", "default": 0.5, "minimum": 0, "maximum": 1, "description": "Voice stability (0-1) (Min: 0, Max: 1, Step: 0.01) (step: 0.01)"},
      {"name": "style", "type": "number", "default": 0, "minimum": 0, "maximum": 1, "description": "Style exaggeration (0-1) (Min: 0, Max: 1, Step: 0.01) (step: 0.01)"},
      {"name": "timestamps", "type": "boolean", "description": "Whether to return timestamps for each word in the generated speech (Boolean value (true/false))"},
];

export const marketAudio: CuratedModel[] = [
  {
    id: "elevenlabs/text-to-speech-multilingual-v2",
    category: 'audio',
    title: "ElevenLabs · multilingual speech v2",
    description: "Natural speech in 29 languages from text.",
    output: 'audio',
    cost: perThousandChars('text', 12),
    duration: { median: 10, p90: 40 },
    sourceUrl: "https://docs.kie.ai/market/elevenlabs/text-to-speech-multilingual-v2.md",
    fields: [
      {"name": "text", "type": "string", "required": true, "maxLength": 5000, "description": "The text to convert to speech (Max length: 5000 characters)"},
      {"name": "voice", "type": "string", "required": true, "enum": ELEVENLABS_VOICES, "default": "EkK5I93UQWFDigLMpZcX", "description": "The voice to use for speech generation."},
      ...ELEVENLABS_SPEECH_OPTIONS,
    ],
  },
  {
    id: "elevenlabs/text-to-speech-turbo-2-5",
    category: 'audio',
    title: "ElevenLabs · turbo speech 2.5",
    description: "Fast, low-cost speech from text.",
    output: 'audio',
    cost: perThousandChars('text', 6),
    duration: { median: 8, p90: 30 },
    sourceUrl: "https://docs.kie.ai/market/elevenlabs/text-to-speech-turbo-2-5.md",
    fields: [
      {"name": "text", "type": "string", "required": true, "maxLength": 5000, "description": "The text to convert to speech (Max length: 5000 characters)"},
      ...ELEVENLABS_SPEECH_OPTIONS,
      {"name": "voice", "type": "string", "enum": ELEVENLABS_VOICES, "default": "EkK5I93UQWFDigLMpZcX", "description": "The voice to use for speech generation."},
    ],
  },
  {
    id: "elevenlabs/audio-isolation",
    category: 'audio',
    title: "ElevenLabs · isolate voice",
    description: "Removes background noise and music, keeping the voice.",
    output: 'audio',
    cost: 2,
    duration: { median: 15, p90: 60 },
    sourceUrl: "https://docs.kie.ai/market/elevenlabs/audio-isolation.md",
    fields: [
      {"name": "audio_url", "type": "string", "required": true, "description": "URL of the audio file to isolate voice from (File URL after upload, not file content; Accepted types: audio/mpeg, audio/wav, audio/x-wav, audio/aac, audio/mp4, "},
    ],
  },
];
