// Identifies media files from their leading bytes, independent of names or headers a server sends.

export type MediaType = 'png' | 'jpeg' | 'webp' | 'gif' | 'mp4' | 'mp3' | 'wav' | 'json' | 'text';
export type MediaKind = 'image' | 'video' | 'audio' | 'text';

const EXTENSIONS: Record<MediaType, string> = {
  png: 'png',
  jpeg: 'jpg',
  webp: 'webp',
  gif: 'gif',
  mp4: 'mp4',
  mp3: 'mp3',
  wav: 'wav',
  json: 'json',
  text: 'txt',
};

const MIME_TYPES: Record<MediaType, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  mp4: 'video/mp4',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  json: 'application/json',
  text: 'text/plain',
};

const EXTENSION_ALIASES: Record<string, MediaType> = {
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  jfif: 'jpeg',
  webp: 'webp',
  gif: 'gif',
  mp4: 'mp4',
  m4v: 'mp4',
  mov: 'mp4',
  mp3: 'mp3',
  mpga: 'mp3',
  wav: 'wav',
  wave: 'wav',
  json: 'json',
  txt: 'text',
  text: 'text',
};

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  if (bytes.length < offset + length) return '';
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((b, i) => bytes[offset + i] === b);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

function isMp3FrameSync(bytes: Uint8Array): boolean {
  // 11 set sync bits, then a layer field that is not the reserved value 00.
  return bytes.length >= 2 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0 && (bytes[1] & 0x06) !== 0;
}

function sniffText(bytes: Uint8Array): 'json' | 'text' | undefined {
  const sample = bytes.subarray(0, 4096);
  if (sample.length === 0) return undefined;
  for (const b of sample) {
    // Control characters other than tab, newline, carriage return mean binary data.
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b) || b === 0x7f) return undefined;
  }
  let text: string;
  try {
    // stream: true tolerates a multi-byte character cut off at the end of the sample.
    text = new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
  } catch {
    return undefined;
  }
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  return first === '{' || first === '[' ? 'json' : 'text';
}

export function sniffMediaType(bytes: Uint8Array): MediaType | undefined {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(bytes, 0, 4) === 'RIFF') {
    const form = ascii(bytes, 8, 4);
    if (form === 'WEBP') return 'webp';
    if (form === 'WAVE') return 'wav';
  }
  if (ascii(bytes, 4, 4) === 'ftyp') return 'mp4';
  if (ascii(bytes, 0, 3) === 'ID3' || isMp3FrameSync(bytes)) return 'mp3';
  return sniffText(bytes);
}

export function mediaKindOf(type: MediaType): MediaKind {
  switch (type) {
    case 'png':
    case 'jpeg':
    case 'webp':
    case 'gif':
      return 'image';
    case 'mp4':
      return 'video';
    case 'mp3':
    case 'wav':
      return 'audio';
    case 'json':
    case 'text':
      return 'text';
  }
}

export function extensionFor(type: MediaType): string {
  return EXTENSIONS[type];
}

export function mimeFor(type: MediaType): string {
  return MIME_TYPES[type];
}

/** Accepts "png", ".PNG" or a file name / URL path ending in an extension. */
export function typeFromExtension(ext: string): MediaType | undefined {
  const clean = ext.trim().toLowerCase().replace(/[?#].*$/, '');
  const dot = clean.lastIndexOf('.');
  const bare = dot >= 0 ? clean.slice(dot + 1) : clean;
  return Object.prototype.hasOwnProperty.call(EXTENSION_ALIASES, bare) ? EXTENSION_ALIASES[bare] : undefined;
}

export interface ImageSize {
  width: number;
  height: number;
}

function u16be(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}
function u32be(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}
function u16le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
function u24le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16);
}
function i32le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
}

function pngDimensions(b: Uint8Array): ImageSize | undefined {
  if (b.length < 24 || ascii(b, 12, 4) !== 'IHDR') return undefined;
  return { width: u32be(b, 16), height: u32be(b, 20) };
}

// Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegDimensions(b: Uint8Array): ImageSize | undefined {
  let o = 2;
  while (o + 4 <= b.length) {
    if (b[o] !== 0xff) return undefined;
    const marker = b[o + 1];
    if (marker === 0xff) {
      o += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      o += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image or scan data before any frame
    const length = u16be(b, o + 2);
    if (isStartOfFrame(marker)) {
      if (o + 9 > b.length) return undefined;
      return { width: u16be(b, o + 7), height: u16be(b, o + 5) };
    }
    o += 2 + length;
  }
  return undefined;
}

function gifDimensions(b: Uint8Array): ImageSize | undefined {
  if (b.length < 10) return undefined;
  return { width: u16le(b, 6), height: u16le(b, 8) };
}

function webpDimensions(b: Uint8Array): ImageSize | undefined {
  if (b.length < 30) return undefined;
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') {
    // Key frame: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height.
    if (!startsWith(b, [0x9d, 0x01, 0x2a], 23)) return undefined;
    return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) return undefined;
    const bits = (b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24)) >>> 0;
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  }
  return undefined;
}

function bmpDimensions(b: Uint8Array): ImageSize | undefined {
  if (b.length < 26) return undefined;
  const headerSize = b[14] | (b[15] << 8) | (b[16] << 16) | (b[17] << 24);
  if (headerSize === 12) return { width: u16le(b, 18), height: u16le(b, 20) }; // OS/2 BITMAPCOREHEADER
  // Negative height marks a top-down bitmap.
  return { width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)) };
}

export function imageDimensions(bytes: Uint8Array): ImageSize | undefined {
  if (startsWith(bytes, PNG_SIGNATURE)) return pngDimensions(bytes);
  if (startsWith(bytes, [0xff, 0xd8])) return jpegDimensions(bytes);
  const head = ascii(bytes, 0, 6);
  if (head === 'GIF87a' || head === 'GIF89a') return gifDimensions(bytes);
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return webpDimensions(bytes);
  if (ascii(bytes, 0, 2) === 'BM') return bmpDimensions(bytes);
  return undefined;
}
