// Deterministic randomness derived from a prompt, so the same prompt always yields the same media.

/** 32-bit FNV-1a over the UTF-8 bytes of the text, mixed with an optional seed. */
export function hashPrompt(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export { seededRandom as createRandom } from '../random';
