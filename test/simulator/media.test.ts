import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import {
  extensionFor,
  imageDimensions,
  mediaKindOf,
  mimeFor,
  sniffMediaType,
  typeFromExtension,
} from '../../src/core/media/sniff';
import { crc32, decodePng, encodePng } from '../../src/simulator/media/png';
import {
  decodeImage,
  deriveFrom,
  encodeImage,
  removeBackground,
  renderPrompt,
  sizeForAspect,
  upscale,
  type Raster,
} from '../../src/simulator/media/image';
import { musicMp3, renderWav, sampleMp3, speechMp3 } from '../../src/simulator/media/audio';
import {
  closestSampleAspect,
  LARGE_FILE_BLOCK,
  largeFileSlice,
  largeFileStream,
  SAMPLE_ASPECTS,
  sampleMp4,
} from '../../src/simulator/media/video';

const ascii = (text: string) => new TextEncoder().encode(text);

function indexOfAscii(bytes: Uint8Array, text: string): number {
  return Buffer.from(bytes).indexOf(text, 0, 'latin1');
}

function solidRaster(width: number, height: number, rgba: [number, number, number, number]): Raster {
  const data = new Uint8Array(width * height * 4);
  for (let p = 0; p < data.length; p += 4) data.set(rgba, p);
  return { width, height, data };
}

function pixel(r: Raster, x: number, y: number): number[] {
  const o = (y * r.width + x) * 4;
  return Array.from(r.data.subarray(o, o + 4));
}

function pngColourType(png: Uint8Array): { depth: number; colourType: number } {
  return { depth: png[24], colourType: png[25] };
}

const imageMagickAvailable = (() => {
  const r = spawnSync('convert', ['-version'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('ImageMagick');
})();

/** One convert call per test: each call can cost most of a second where convert is a wrapper script. */
function convert(args: string[], cwd: string): void {
  const r = spawnSync('convert', args, { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `convert ${args.join(' ')}: ${r.stderr}`);
}

// ---------- sniffing ----------

test('sniffMediaType recognises each supported format from magic bytes', () => {
  const png = encodePng(solidRaster(3, 2, [1, 2, 3, 255]));
  assert.equal(sniffMediaType(png), 'png');
  assert.equal(sniffMediaType(encodeImage(solidRaster(8, 8, [9, 9, 9, 255]), 'jpeg')), 'jpeg');
  assert.equal(sniffMediaType(ascii('GIF89a\x01\x00\x01\x00')), 'gif');
  assert.equal(sniffMediaType(ascii('GIF87a\x01\x00\x01\x00')), 'gif');
  assert.equal(sniffMediaType(ascii('RIFF\x00\x00\x00\x00WEBPVP8 ')), 'webp');
  assert.equal(sniffMediaType(ascii('RIFF\x24\x00\x00\x00WAVEfmt ')), 'wav');
  assert.equal(sniffMediaType(ascii('\x00\x00\x00\x18ftypisom\x00\x00\x02\x00')), 'mp4');
  assert.equal(sniffMediaType(ascii('ID3\x04\x00\x00\x00\x00\x00\x00')), 'mp3');
  assert.equal(sniffMediaType(Uint8Array.from([0xff, 0xfb, 0x90, 0x64])), 'mp3');
  assert.equal(sniffMediaType(Uint8Array.from([0xff, 0xf3, 0x48, 0xc4])), 'mp3'); // MPEG-2 layer 3
  assert.equal(sniffMediaType(Uint8Array.from([0xff, 0xf1, 0x50, 0x80])), undefined); // AAC ADTS, not MP3
  assert.equal(sniffMediaType(ascii('  {"data": {"taskId": "x"}}')), 'json');
  assert.equal(sniffMediaType(ascii('[1, 2]')), 'json');
  assert.equal(sniffMediaType(ascii('Hello, world\nsecond line é')), 'text');
  assert.equal(sniffMediaType(Uint8Array.from([0, 1, 2, 3, 4, 5])), undefined);
  assert.equal(sniffMediaType(new Uint8Array(0)), undefined);
});

test('text sniffing tolerates a multi-byte character cut at the sample boundary', () => {
  const text = 'a'.repeat(4095) + 'é' + 'tail';
  assert.equal(sniffMediaType(ascii(text)), 'text');
});

test('kind, extension, mime and extension lookup agree', () => {
  assert.equal(mediaKindOf('png'), 'image');
  assert.equal(mediaKindOf('webp'), 'image');
  assert.equal(mediaKindOf('mp4'), 'video');
  assert.equal(mediaKindOf('mp3'), 'audio');
  assert.equal(mediaKindOf('wav'), 'audio');
  assert.equal(mediaKindOf('json'), 'text');
  assert.equal(extensionFor('jpeg'), 'jpg');
  assert.equal(extensionFor('text'), 'txt');
  assert.equal(mimeFor('mp3'), 'audio/mpeg');
  assert.equal(mimeFor('mp4'), 'video/mp4');
  assert.equal(mimeFor('webp'), 'image/webp');
  assert.equal(typeFromExtension('.JPG'), 'jpeg');
  assert.equal(typeFromExtension('jpeg'), 'jpeg');
  assert.equal(typeFromExtension('clip.mp4?token=abc'), 'mp4');
  assert.equal(typeFromExtension('https://x.test/a/b/song.mp3#t=1'), 'mp3');
  assert.equal(typeFromExtension('wav'), 'wav');
  assert.equal(typeFromExtension('exe'), undefined);
  assert.equal(typeFromExtension('constructor'), undefined);
});

test('imageDimensions reads GIF, WEBP (VP8, VP8L, VP8X) and BMP headers', () => {
  assert.deepEqual(imageDimensions(Uint8Array.from([...ascii('GIF89a'), 0x2c, 0x01, 0xc8, 0x00, 0, 0, 0])), {
    width: 300,
    height: 200,
  });

  const riff = (chunk: string, body: number[]) =>
    Uint8Array.from([...ascii('RIFF'), 0, 0, 0, 0, ...ascii('WEBP'), ...ascii(chunk), 0, 0, 0, 0, ...body, ...new Array(16).fill(0)]);
  // VP8: frame tag (3 bytes), start code, 14-bit width/height (little-endian)
  assert.deepEqual(imageDimensions(riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01])), {
    width: 640,
    height: 480,
  });
  // VP8L: signature 0x2f, then width-1 (14 bits) and height-1 (14 bits)
  const w = 1023;
  const h = 767;
  const bits = (w - 1) | ((h - 1) << 14);
  assert.deepEqual(imageDimensions(riff('VP8L', [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, (bits >>> 24) & 0xff])), {
    width: 1023,
    height: 767,
  });
  // VP8X: flags (4 bytes), then 24-bit width-1 and height-1
  assert.deepEqual(imageDimensions(riff('VP8X', [0x10, 0, 0, 0, 0x7f, 0x07, 0x00, 0x37, 0x04, 0x00])), {
    width: 1920,
    height: 1080,
  });

  const bmp = new Uint8Array(54);
  bmp.set(ascii('BM'));
  const view = new DataView(bmp.buffer);
  view.setUint32(14, 40, true);
  view.setInt32(18, 123, true);
  view.setInt32(22, -45, true); // top-down bitmap
  assert.deepEqual(imageDimensions(bmp), { width: 123, height: 45 });

  assert.equal(imageDimensions(ascii('not an image at all')), undefined);
});

test('imageDimensions finds the JPEG frame header after APP segments', () => {
  const jpeg = encodeImage(solidRaster(77, 33, [200, 100, 50, 255]), 'jpeg');
  assert.deepEqual(imageDimensions(jpeg), { width: 77, height: 33 });
  // An APP1 segment whose payload contains a fake SOF0 marker must be skipped by length.
  const fakeSof = [0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x01, 0x00, 0x01];
  const app1 = [0xff, 0xe1, 0x00, 2 + fakeSof.length, ...fakeSof];
  const withApp1 = Uint8Array.from([0xff, 0xd8, ...app1, ...jpeg.subarray(2)]);
  assert.deepEqual(imageDimensions(withApp1), { width: 77, height: 33 });
});

// ---------- PNG ----------

test('PNG encode/decode round-trips odd-sized RGBA exactly', () => {
  const width = 37;
  const height = 23;
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7919 + (i >> 3) * 31) & 0xff;
  const png = encodePng({ width, height, data });
  assert.equal(sniffMediaType(png), 'png');
  assert.deepEqual(imageDimensions(png), { width, height });
  assert.deepEqual(pngColourType(png), { depth: 8, colourType: 6 });
  const back = decodePng(png);
  assert.equal(back.width, width);
  assert.equal(back.height, height);
  assert.deepEqual(back.data, data);
});

test('PNG chunks carry correct CRCs, and a corrupted chunk is rejected', () => {
  const png = encodePng(solidRaster(4, 4, [10, 20, 30, 255]));
  // IHDR: length at 8, type+data 12..29, CRC at 29..33
  assert.equal(Buffer.from(png).readUInt32BE(29), crc32(png, 12, 29));
  assert.equal(crc32(ascii('IEND')), 0xae426082);
  const broken = png.slice();
  broken[20] ^= 0xff;
  assert.throws(() => decodePng(broken), /CRC/);
  assert.throws(() => decodePng(ascii('definitely not a png')), /not a PNG/);
  assert.throws(() => encodePng({ width: 2, height: 2, data: new Uint8Array(3) }), /expected 16/);
});

/** Builds an 8-bit RGB PNG whose row y uses filter type y % 5, to exercise every unfilter path. */
function pngWithEveryFilter(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const stride = width * 3;
  const bpp = 3;
  const raw = new Uint8Array((stride + 1) * height);
  const at = (x: number, y: number) => (x < 0 || y < 0 ? 0 : rgb[y * stride + x]);
  for (let y = 0; y < height; y++) {
    const filter = y % 5;
    raw[y * (stride + 1)] = filter;
    for (let x = 0; x < stride; x++) {
      const v = at(x, y);
      const a = at(x - bpp, y);
      const b = at(x, y - 1);
      const c = at(x - bpp, y - 1);
      let predicted = 0;
      if (filter === 1) predicted = a;
      if (filter === 2) predicted = b;
      if (filter === 3) predicted = (a + b) >> 1;
      if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      raw[y * (stride + 1) + 1 + x] = (v - predicted) & 0xff;
    }
  }
  const chunk = (type: string, body: Uint8Array) => {
    const out = Buffer.alloc(12 + body.length);
    out.writeUInt32BE(body.length, 0);
    out.write(type, 4, 'latin1');
    out.set(body, 8);
    out.writeUInt32BE(crc32(out, 4, 8 + body.length), 8 + body.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

test('decodePng undoes all five filter types', () => {
  const width = 16;
  const height = 20; // four rows of each filter
  const rgb = new Uint8Array(width * height * 3);
  // Coarsely quantised values make Paeth ties common, so its tie-breaking order is exercised too.
  for (let i = 0; i < rgb.length; i++) {
    const x = Math.floor(i / 3) % width;
    const y = Math.floor(i / 3 / width);
    rgb[i] = y % 2 ? (i * 37 + ((i * i) >> 2)) & 0xff : ((x * 13) ^ (y * 7) ^ ((i % 3) * 50)) & 0xe0;
  }
  const decoded = decodePng(pngWithEveryFilter(width, height, rgb));
  for (let p = 0; p < width * height; p++) {
    assert.deepEqual(
      Array.from(decoded.data.subarray(p * 4, p * 4 + 4)),
      [rgb[p * 3], rgb[p * 3 + 1], rgb[p * 3 + 2], 255],
      `pixel ${p}`,
    );
  }
});

test('decodePng matches ImageMagick for palette, RGB, grey, grey+alpha, RGBA and 16-bit files', (t) => {
  if (!imageMagickAvailable) {
    t.skip('ImageMagick convert is not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'kie-media-png-'));
  try {
    const alphaRamp = ['-alpha', 'set', '-channel', 'A', '-fx', 'j/h', '+channel'];
    const cases: { name: string; args: string[]; depth: number; colourType: number }[] = [
      { name: 'palette.png', args: ['-size', '40x30', 'xc:white', '-fill', 'red', '-draw', 'rectangle 5,5 20,20', '-fill', 'blue', '-draw', 'circle 30,20 35,20', '-write', 'PNG8:palette.png'], depth: 8, colourType: 3 },
      { name: 'rgb.png', args: ['mpr:scene', '-write', 'PNG24:rgb.png'], depth: 8, colourType: 2 },
      { name: 'grey.png', args: ['mpr:scene', '-colorspace', 'Gray', '-define', 'png:color-type=0', '-depth', '8', '-write', 'PNG:grey.png', '+define', 'png:color-type'], depth: 8, colourType: 0 },
      { name: 'grey-alpha.png', args: ['mpr:scene', '-colorspace', 'Gray', ...alphaRamp, '-define', 'png:color-type=4', '-depth', '8', '-write', 'PNG:grey-alpha.png', '+define', 'png:color-type'], depth: 8, colourType: 4 },
      { name: 'rgba.png', args: ['mpr:scene', ...alphaRamp, '-write', 'PNG32:rgba.png'], depth: 8, colourType: 6 },
      { name: 'rgb16.png', args: ['mpr:scene', '-depth', '16', '-write', 'PNG48:rgb16.png'], depth: 16, colourType: 2 },
      { name: 'rgba16.png', args: ['mpr:scene', ...alphaRamp, '-depth', '16', '-write', 'PNG64:rgba16.png'], depth: 16, colourType: 6 },
    ];
    // Settings such as -define persist across parentheses, so cases that set them also reset them.
    convert(
      [
        '-size', '40x30', 'gradient:orange-navy', '-fill', 'red', '-draw', 'rectangle 5,5 20,20', '-write', 'mpr:scene', '+delete',
        ...cases.flatMap((c) => ['(', ...c.args, ')', '+delete']),
        'mpr:scene', '-interlace', 'PNG', 'PNG24:interlaced.png',
      ],
      dir,
    );
    // ImageMagick's own reading of each file, as ground truth.
    convert([...cases.map((c) => c.name), '-depth', '8', '+adjoin', 'rgba:truth-%d.rgba'], dir);

    for (const [i, c] of cases.entries()) {
      const bytes = new Uint8Array(readFileSync(join(dir, c.name)));
      assert.deepEqual(pngColourType(bytes), { depth: c.depth, colourType: c.colourType }, c.name);
      const decoded = decodePng(bytes);
      assert.equal(decoded.width, 40, c.name);
      assert.equal(decoded.height, 30, c.name);
      const expected = new Uint8Array(readFileSync(join(dir, `truth-${i}.rgba`)));
      assert.equal(expected.length, decoded.data.length, c.name);
      let worst = 0;
      for (let k = 0; k < expected.length; k++) worst = Math.max(worst, Math.abs(expected[k] - decoded.data[k]));
      // 16-bit samples are truncated to their high byte; ImageMagick rounds, so allow one step.
      assert.ok(worst <= (c.depth === 16 ? 1 : 0), `${c.name}: max channel difference ${worst}`);
    }
    const palette = decodePng(new Uint8Array(readFileSync(join(dir, 'palette.png'))));
    assert.deepEqual(pixel(palette, 0, 0), [255, 255, 255, 255]);
    assert.deepEqual(pixel(palette, 10, 10), [255, 0, 0, 255]);
    assert.deepEqual(pixel(palette, 30, 20), [0, 0, 255, 255]);
    const rgba = decodePng(new Uint8Array(readFileSync(join(dir, 'rgba.png'))));
    assert.ok(pixel(rgba, 0, 0)[3] < 10 && pixel(rgba, 0, 29)[3] > 245, 'alpha ramp survives');

    assert.throws(() => decodePng(new Uint8Array(readFileSync(join(dir, 'interlaced.png')))), /interlaced/i);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('imageDimensions agrees with ImageMagick for progressive JPEG, GIF, BMP and WEBP', (t) => {
  if (!imageMagickAvailable) {
    t.skip('ImageMagick convert is not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'kie-media-dims-'));
  try {
    convert(
      ['-size', '123x45', 'plasma:', '-seed', '1', '-write', 'image.gif', '-write', 'image.bmp', '-interlace', 'JPEG', 'progressive.jpg'],
      dir,
    );
    const files: [string, string | undefined][] = [
      ['progressive.jpg', 'jpeg'],
      ['image.gif', 'gif'],
      ['image.bmp', undefined],
    ];
    // WEBP is an optional ImageMagick delegate; check it only where this build can write it.
    if (spawnSync('convert', ['-size', '123x45', 'plasma:', 'image.webp'], { cwd: dir }).status === 0) {
      files.push(['image.webp', 'webp']);
    }
    const progressive = new Uint8Array(readFileSync(join(dir, 'progressive.jpg')));
    assert.ok(Buffer.from(progressive).includes(Buffer.from([0xff, 0xc2])), 'JPEG is progressive (SOF2)');
    for (const [name, type] of files) {
      const bytes = new Uint8Array(readFileSync(join(dir, name)));
      assert.deepEqual(imageDimensions(bytes), { width: 123, height: 45 }, name);
      assert.equal(sniffMediaType(bytes), type, name);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------- images ----------

test('sizeForAspect follows the requested aspect with a 512 long side by default', () => {
  assert.deepEqual(sizeForAspect('16:9'), { width: 512, height: 288 });
  assert.deepEqual(sizeForAspect('9:16'), { width: 288, height: 512 });
  assert.deepEqual(sizeForAspect('1:1'), { width: 512, height: 512 });
  assert.deepEqual(sizeForAspect('4:3'), { width: 512, height: 384 });
  assert.deepEqual(sizeForAspect('21:9'), { width: 512, height: 219 });
  assert.deepEqual(sizeForAspect('auto'), { width: 512, height: 512 });
  assert.deepEqual(sizeForAspect(undefined), { width: 512, height: 512 });
  assert.deepEqual(sizeForAspect('landscape_16_9'), { width: 512, height: 288 });
  assert.deepEqual(sizeForAspect('portrait_4_3'), { width: 384, height: 512 });
  assert.deepEqual(sizeForAspect('square_hd'), { width: 512, height: 512 });
  assert.deepEqual(sizeForAspect('3:2', 300), { width: 300, height: 200 });
});

test('renderPrompt is deterministic, differs by prompt and seed, and is smooth rather than noise', () => {
  const a = encodeImage(renderPrompt('a red fox in snow', 96, 64), 'png');
  const a2 = encodeImage(renderPrompt('a red fox in snow', 96, 64), 'png');
  const b = encodeImage(renderPrompt('a blue whale at night', 96, 64), 'png');
  const seeded = encodeImage(renderPrompt('a red fox in snow', 96, 64, 42), 'png');
  assert.deepEqual(a, a2);
  assert.notDeepEqual(a, b);
  assert.notDeepEqual(a, seeded);

  const picture = renderPrompt('a red fox in snow', 256, 256);
  let totalStep = 0;
  const distinct = new Set<number>();
  for (let y = 0; y < picture.height; y++) {
    for (let x = 1; x < picture.width; x++) {
      const [r, g, b2] = pixel(picture, x, y);
      const [pr, pg, pb] = pixel(picture, x - 1, y);
      totalStep += Math.abs(r - pr) + Math.abs(g - pg) + Math.abs(b2 - pb);
      distinct.add((r << 16) | (g << 8) | b2);
    }
  }
  const meanStep = totalStep / (picture.height * (picture.width - 1));
  assert.ok(meanStep < 6, `neighbouring pixels differ by ${meanStep} on average`);
  assert.ok(distinct.size > 200, `only ${distinct.size} colours`);
  assert.ok(pixel(picture, 0, 0).every((v, i) => i === 3 ? v === 255 : true));
});

test('rendered images follow the requested aspect ratio', () => {
  for (const aspect of ['16:9', '9:16', '1:1', '21:9']) {
    const { width, height } = sizeForAspect(aspect, 160);
    const png = encodeImage(renderPrompt('city', width, height), 'png');
    assert.deepEqual(imageDimensions(png), { width, height }, aspect);
  }
});

test('upscale multiplies width and height exactly and interpolates', () => {
  const source = renderPrompt('mountains', 60, 34);
  for (const factor of [2, 4]) {
    const png = encodeImage(upscale(source, factor), 'png');
    assert.deepEqual(imageDimensions(png), { width: 60 * factor, height: 34 * factor }, `x${factor}`);
  }
  const jpeg = encodeImage(upscale(source, 4), 'jpeg');
  assert.deepEqual(imageDimensions(jpeg), { width: 240, height: 136 });

  const black = [0, 0, 0, 255];
  const white = [255, 255, 255, 255];
  const twoPixels: Raster = { width: 2, height: 1, data: Uint8Array.from([...black, ...white]) };
  const wide = upscale(twoPixels, 4);
  assert.equal(wide.width, 8);
  assert.equal(wide.height, 4);
  const row = Array.from({ length: 8 }, (_, x) => pixel(wide, x, 0)[0]);
  assert.deepEqual(row.slice(0, 2), [0, 0]);
  assert.deepEqual(row.slice(6), [255, 255]);
  for (let x = 1; x < 8; x++) assert.ok(row[x] >= row[x - 1], `row is monotonic: ${row}`);
  assert.ok(row.some((v) => v > 0 && v < 255), `has in-between values: ${row}`);
  assert.throws(() => upscale(twoPixels, 0), /factor/);
});

test('removeBackground makes the border-coloured backdrop transparent with a soft edge', () => {
  const size = 64;
  const img = solidRaster(size, size, [240, 240, 235, 255]);
  for (let y = 20; y < 44; y++) for (let x = 20; x < 44; x++) img.data.set([200, 30, 40, 255], (y * size + x) * 4);
  const cut = removeBackground(img);
  const png = encodeImage(cut, 'png');
  assert.deepEqual(pngColourType(png), { depth: 8, colourType: 6 });
  const back = decodeImage(png);
  assert.equal(pixel(back, 0, 0)[3], 0);
  assert.equal(pixel(back, 10, 50)[3], 0);
  assert.deepEqual(pixel(back, 32, 32), [200, 30, 40, 255]);
  assert.equal(pixel(back, 20, 32)[3] > 0 && pixel(back, 20, 32)[3] < 255, true, `edge alpha ${pixel(back, 20, 32)[3]}`);
  const alphas = new Set<number>();
  for (let p = 3; p < back.data.length; p += 4) alphas.add(back.data[p]);
  assert.ok(alphas.has(0) && alphas.has(255) && alphas.size > 2, `alphas ${[...alphas]}`);

  // A same-coloured region not connected to the border is kept.
  for (let y = 30; y < 34; y++) for (let x = 30; x < 34; x++) img.data.set([240, 240, 235, 255], (y * size + x) * 4);
  assert.ok(pixel(removeBackground(img), 31, 31)[3] > 0);
});

test('JPEG encode/decode keeps the size and roughly the colours', () => {
  const source = renderPrompt('desert dunes', 200, 120);
  const jpeg = encodeImage(source, 'jpeg');
  assert.equal(sniffMediaType(jpeg), 'jpeg');
  assert.deepEqual(imageDimensions(jpeg), { width: 200, height: 120 });
  const back = decodeImage(jpeg);
  assert.equal(back.width, 200);
  assert.equal(back.height, 120);
  assert.equal(back.data.length, 200 * 120 * 4);
  let error = 0;
  for (let i = 0; i < back.data.length; i++) if (i % 4 !== 3) error += Math.abs(back.data[i] - source.data[i]);
  assert.ok(error / (200 * 120 * 3) < 6, `mean error ${error / (200 * 120 * 3)}`);
  assert.throws(() => decodeImage(ascii('GIF89a....')), /unsupported image type gif/);
});

test('deriveFrom stays close to the source but visibly changes it, and can reframe', () => {
  const source = renderPrompt('portrait of a dog', 120, 80);
  const edited = deriveFrom(source, 'make it neon');
  assert.equal(edited.width, 120);
  assert.equal(edited.height, 80);
  assert.notDeepEqual(edited.data, source.data);
  assert.notDeepEqual(deriveFrom(source, 'make it sepia').data, edited.data);
  // Correlated with the source: brighter source pixels stay brighter on average.
  const luma = (r: Raster, p: number) => r.data[p] + r.data[p + 1] + r.data[p + 2];
  let agree = 0;
  let pairs = 0;
  for (let p = 0; p + 4 * 997 < source.data.length; p += 4 * 13) {
    const q = p + 4 * 997;
    const ds = luma(source, p) - luma(source, q);
    if (Math.abs(ds) < 30) continue;
    pairs++;
    if (Math.sign(luma(edited, p) - luma(edited, q)) === Math.sign(ds)) agree++;
  }
  assert.ok(pairs > 20 && agree / pairs > 0.9, `${agree}/${pairs} pairs keep their order`);
  const reframed = deriveFrom(source, 'make it neon', { width: 64, height: 64 });
  assert.deepEqual(imageDimensions(encodeImage(reframed, 'png')), { width: 64, height: 64 });
  assert.equal(source.width, 120, 'source is not modified');
});

// ---------- audio ----------

test('renderWav writes a valid 16-bit mono PCM WAV whose melody depends on the prompt', () => {
  const wav = renderWav('lofi beats to relax', 2);
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  const text = (o: number) => String.fromCharCode(...wav.subarray(o, o + 4));
  assert.equal(sniffMediaType(wav), 'wav');
  assert.equal(mediaKindOf(sniffMediaType(wav)!), 'audio');
  assert.equal(text(0), 'RIFF');
  assert.equal(view.getUint32(4, true), wav.length - 8);
  assert.equal(text(8), 'WAVE');
  assert.equal(text(12), 'fmt ');
  assert.equal(view.getUint32(16, true), 16);
  assert.equal(view.getUint16(20, true), 1, 'PCM');
  assert.equal(view.getUint16(22, true), 1, 'mono');
  assert.equal(view.getUint32(24, true), 22050);
  assert.equal(view.getUint32(28, true), 44100, 'byte rate');
  assert.equal(view.getUint16(32, true), 2, 'block align');
  assert.equal(view.getUint16(34, true), 16, 'bits');
  assert.equal(text(36), 'data');
  assert.equal(view.getUint32(40, true), 2 * 22050 * 2);
  assert.equal(wav.length, 44 + 2 * 22050 * 2);

  let peak = 0;
  for (let i = 44; i < wav.length; i += 2) peak = Math.max(peak, Math.abs(view.getInt16(i, true)));
  assert.ok(peak > 10000 && peak < 32767, `peak ${peak}`);

  assert.deepEqual(renderWav('lofi beats to relax', 2), wav);
  assert.notDeepEqual(renderWav('epic orchestral battle', 2), wav);
  const hiFi = renderWav('x', 0.5, { sampleRate: 44100 });
  assert.equal(new DataView(hiFi.buffer).getUint32(24, true), 44100);
  assert.equal(hiFi.length, 44 + 22050 * 2);
});

test('shipped MP3 samples sniff as MP3 and are distinct', () => {
  const clips = [0, 1, 2].map((i) => sampleMp3(i));
  for (const [i, clip] of clips.entries()) {
    assert.equal(sniffMediaType(clip), 'mp3', `sample ${i}`);
    assert.ok(clip.length > 5_000 && clip.length < 60_000, `sample ${i} is ${clip.length} bytes`);
  }
  assert.notDeepEqual(clips[0], clips[1]);
  assert.notDeepEqual(clips[1], clips[2]);
  assert.deepEqual(sampleMp3(3), clips[0]);
  assert.deepEqual(sampleMp3(-1), clips[2]);
  assert.deepEqual(speechMp3(), clips[2]);
  assert.deepEqual(musicMp3(1), clips[1]);
  clips[0][0] = 0;
  assert.equal(sniffMediaType(sampleMp3(0)), 'mp3', 'callers get copies');
});

// ---------- video ----------

function avcSize(mp4: Uint8Array): { width: number; height: number } {
  // 'avc1' can also appear as a compatible brand in ftyp; the sample entry lives inside stsd.
  const at = Buffer.from(mp4).indexOf('avc1', indexOfAscii(mp4, 'stsd'), 'latin1');
  assert.ok(at > 0, 'avc1 sample entry present');
  const view = new DataView(mp4.buffer, mp4.byteOffset, mp4.byteLength);
  // VisualSampleEntry: 6 reserved + 2 data ref + 16 pre-defined/reserved bytes, then width, height.
  return { width: view.getUint16(at + 28), height: view.getUint16(at + 30) };
}

test('every sample MP4 is H.264 without audio, fast-start, small, and matches its aspect', () => {
  let total = 0;
  for (const aspect of SAMPLE_ASPECTS) {
    const mp4 = sampleMp4(aspect);
    total += mp4.length;
    assert.equal(sniffMediaType(mp4), 'mp4', aspect);
    assert.equal(mediaKindOf('mp4'), 'video');
    assert.ok(indexOfAscii(mp4, 'avc1') > 0, `${aspect} has avc1`);
    assert.equal(indexOfAscii(mp4, 'mp4a'), -1, `${aspect} has no AAC track`);
    assert.equal(indexOfAscii(mp4, 'soun'), -1, `${aspect} has no sound handler`);
    assert.ok(indexOfAscii(mp4, 'moov') < indexOfAscii(mp4, 'mdat'), `${aspect} is fast-start`);
    assert.ok(mp4.length < 60_000, `${aspect} is ${mp4.length} bytes`);
    const { width, height } = avcSize(mp4);
    const [w, h] = aspect.split(':').map(Number);
    assert.equal(Math.max(width, height), 320, aspect);
    assert.ok(Math.abs(width / height - w / h) / (w / h) < 0.03, `${aspect}: ${width}x${height}`);
  }
  const mp3s = [0, 1, 2].reduce((n, i) => n + sampleMp3(i).length, 0);
  assert.ok(total + mp3s < 400_000, `samples total ${total + mp3s} bytes`);
});

test('sampleMp4 picks the closest aspect', () => {
  assert.deepEqual(SAMPLE_ASPECTS.slice().sort(), ['16:9', '1:1', '21:9', '3:4', '4:3', '9:16'].sort());
  assert.equal(closestSampleAspect('16:9'), '16:9');
  assert.equal(closestSampleAspect('landscape_16_9'), '16:9');
  assert.equal(closestSampleAspect('2:1'), '16:9');
  assert.equal(closestSampleAspect('5:4'), '4:3');
  assert.equal(closestSampleAspect('2:3'), '3:4');
  assert.equal(closestSampleAspect('1:3'), '9:16');
  assert.equal(closestSampleAspect('3:1'), '21:9');
  assert.equal(closestSampleAspect(undefined), '1:1');
  assert.equal(closestSampleAspect('auto'), '1:1');
  assert.deepEqual(avcSize(sampleMp4('9:16')), { width: 180, height: 320 });
});

test('largeFileStream yields exactly N bytes in chunks of at most 64 KiB, resumable at an offset', async () => {
  const total = 3 * LARGE_FILE_BLOCK + 123;
  const chunks: Buffer[] = [];
  for await (const chunk of largeFileStream(total)) {
    assert.ok(chunk.length > 0 && chunk.length <= LARGE_FILE_BLOCK);
    chunks.push(chunk);
  }
  const whole = Buffer.concat(chunks);
  assert.equal(whole.length, total);
  assert.equal(chunks.length, 4);
  assert.deepEqual([...whole.subarray(LARGE_FILE_BLOCK, LARGE_FILE_BLOCK + 4)], [0, 0, 0, 1], 'block number stamp');
  assert.notDeepEqual(whole.subarray(0, LARGE_FILE_BLOCK), whole.subarray(LARGE_FILE_BLOCK, 2 * LARGE_FILE_BLOCK));

  const start = 70_001;
  const tail: Buffer[] = [];
  for await (const chunk of largeFileStream(total, start)) tail.push(chunk);
  assert.deepEqual(Buffer.concat(tail), whole.subarray(start));
  assert.deepEqual(largeFileSlice(2, 65_540), whole.subarray(2, 65_542));

  let count = 0;
  for await (const chunk of largeFileStream(0)) count += chunk.length;
  assert.equal(count, 0);
  assert.throws(() => largeFileStream(10, 11), /bad start/);

  // 20 MB arrive without buffering the whole body.
  const big = 20 * 1024 * 1024 + 7;
  let seen = 0;
  for await (const chunk of largeFileStream(big)) seen += chunk.length;
  assert.equal(seen, big);
});
