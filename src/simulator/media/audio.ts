// Audio the simulator returns: prompt-dependent WAV melodies and the shipped MP3 clips.
import { createRandom, hashPrompt } from './prompt-hash';
import { SAMPLE_MUSIC_MP3_BASE64, SAMPLE_SPEECH_MP3_BASE64 } from './samples';
import { encodeWav } from './wav';

export interface WavOptions {
  sampleRate?: number;
}

const PENTATONIC = [0, 2, 4, 7, 9]; // major pentatonic: no note clashes, whatever the hash picks

function noteFrequency(root: number, degree: number): number {
  const octave = Math.floor(degree / PENTATONIC.length);
  const step = PENTATONIC[((degree % PENTATONIC.length) + PENTATONIC.length) % PENTATONIC.length];
  return root * 2 ** (octave + step / 12);
}

/** A short plucked melody over a bass note; tempo, key and notes all come from the prompt. */
export function renderWav(prompt: string, seconds: number, options: WavOptions = {}): Uint8Array {
  const sampleRate = options.sampleRate ?? 22050;
  if (!(seconds > 0)) throw new Error(`renderWav: seconds must be positive, got ${seconds}`);
  const rand = createRandom(hashPrompt(prompt));
  const root = 196 * 2 ** (Math.floor(rand() * 12) / 12); // somewhere between G3 and F#4
  const noteSeconds = 60 / (90 + Math.floor(rand() * 50)) / 2; // eighth notes at 90–139 bpm
  const total = Math.max(1, Math.round(seconds * sampleRate));
  const mix = new Float32Array(total);

  let degree = Math.floor(rand() * 5);
  const noteCount = Math.ceil(seconds / noteSeconds);
  for (let n = 0; n < noteCount; n++) {
    degree = Math.max(-2, Math.min(9, degree + Math.floor(rand() * 5) - 2));
    const rest = rand() < 0.12;
    const start = Math.round(n * noteSeconds * sampleRate);
    const melody = noteFrequency(root, degree);
    const bass = n % 4 === 0 ? noteFrequency(root / 2, degree - (degree % 5)) : 0;
    const length = Math.min(total - start, Math.round(noteSeconds * (bass ? 4 : 1.5) * sampleRate));
    for (let i = 0; i < length; i++) {
      const t = i / sampleRate;
      const envelope = Math.min(1, t * 200) * Math.exp(-t * 6);
      if (!rest) {
        const phase = 2 * Math.PI * melody * t;
        mix[start + i] += 0.35 * envelope * (Math.sin(phase) + 0.3 * Math.sin(2 * phase) + 0.1 * Math.sin(3 * phase));
      }
      if (bass) mix[start + i] += 0.25 * Math.min(1, t * 100) * Math.exp(-t * 2) * Math.sin(2 * Math.PI * bass * t);
    }
  }

  const fade = Math.min(total, Math.round(0.05 * sampleRate)); // avoid a click at the end
  let peak = 0;
  for (let i = 0; i < total; i++) {
    if (i >= total - fade) mix[i] *= (total - i) / fade;
    peak = Math.max(peak, Math.abs(mix[i]));
  }
  const gain = peak > 0 ? 0.7 / peak : 0;
  const pcm = new Int16Array(total);
  for (let i = 0; i < total; i++) pcm[i] = Math.round(mix[i] * gain * 32767);
  return encodeWav(pcm, sampleRate);
}

const decoded = new Map<string, Uint8Array>();

function fromBase64(base64: string): Uint8Array {
  let bytes = decoded.get(base64);
  if (!bytes) {
    bytes = new Uint8Array(Buffer.from(base64, 'base64'));
    decoded.set(base64, bytes);
  }
  return bytes.slice(); // callers may mutate their copy
}

export const SAMPLE_MP3_COUNT = SAMPLE_MUSIC_MP3_BASE64.length + 1;

/** Cycles through the music clips, then the speech clip. Any integer index works. */
export function sampleMp3(index: number): Uint8Array {
  const i = ((Math.trunc(index) % SAMPLE_MP3_COUNT) + SAMPLE_MP3_COUNT) % SAMPLE_MP3_COUNT;
  return i < SAMPLE_MUSIC_MP3_BASE64.length ? fromBase64(SAMPLE_MUSIC_MP3_BASE64[i]) : speechMp3();
}

export function musicMp3(index: number): Uint8Array {
  const n = SAMPLE_MUSIC_MP3_BASE64.length;
  return fromBase64(SAMPLE_MUSIC_MP3_BASE64[((Math.trunc(index) % n) + n) % n]);
}

/** espeak-ng reading "This is Kie Studio's offline demo voice." */
export function speechMp3(): Uint8Array {
  return fromBase64(SAMPLE_SPEECH_MP3_BASE64);
}
