import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import {
  assetsDir, expandPattern, isInside, outputBaseName, placeExclusive, safeBaseName, shortModelName, slugify, UnsafePathError, writeExclusive,
} from '../../src/core/engine/index';

const vars = (over: Partial<Parameters<typeof expandPattern>[1]> = {}) => ({
  createdAt: new Date(2026, 10, 23, 14, 5, 9).getTime(),
  model: 'topaz/image-upscale',
  category: 'image' as const,
  input: { prompt: 'A red fox in snow' },
  taskId: '3f2a9c0d1e2f3a4b5c6d7e8f9a0b1c2d',
  index: 0,
  ...over,
});

describe('file names', () => {
  it('follows the default pattern', () => {
    const dest = { root: '/w' };
    assert.equal(outputBaseName(dest, vars()), '2026-11-23-topaz-image-upscale-a-red-fox-in-snow-3f2a9c-1');
    assert.equal(outputBaseName(dest, vars({ index: 5 })), '2026-11-23-topaz-image-upscale-a-red-fox-in-snow-3f2a9c-6');
    assert.equal(shortModelName('bytedance/v1-pro/image-to-video'), 'v1-pro-image-to-video');
    assert.equal(shortModelName('google/nano-banana'), 'nano-banana');
    assert.equal(shortModelName('suno/generate'), 'suno-generate');
    assert.equal(shortModelName('grok-imagine/text-to-image'), 'grok-imagine-text-to-image');
    assert.equal(shortModelName('veo3_fast'), 'veo3-fast');
  });

  it('names a task without words after the file it works on', () => {
    const dest = { root: '/w', pattern: '{prompt}' };
    assert.equal(outputBaseName(dest, vars({ input: { image_url: '/w/photos/Sunrise Hills.png', upscale_factor: '2' } })), 'sunrise-hills');
    assert.equal(outputBaseName(dest, vars({ input: { image_urls: ['https://x.test/a/harbour.jpg?sig=1'] } })), 'harbour');
    assert.equal(outputBaseName(dest, vars({ input: { upscale_factor: '2' } })), 'output');
  });

  it('slugs prompts to ASCII, at most 40 characters, cut at a word', () => {
    assert.equal(slugify('Crème brûlée — à la carte!'), 'creme-brulee-a-la-carte');
    const long = slugify('a very long prompt about a fox that walks through fresh snow at golden hour');
    assert.ok(long.length <= 40, long);
    assert.equal(long, 'a-very-long-prompt-about-a-fox-that');
    assert.equal(slugify('日本語のプロンプト'), '');
  });

  it('keeps every name a plain file name, whatever prompt, model or pattern say', () => {
    const nasty = [
      vars({ input: { prompt: '../../etc/passwd' } }),
      vars({ model: '../../../etc/cron.d/x' }),
      vars({ input: { prompt: '/etc/shadow\u0000.png' } }),
      vars({ input: { prompt: 'C:\\Windows\\System32\\evil' } }),
    ];
    for (const v of nasty) {
      for (const pattern of ['{date}-{model}-{prompt}-{id}-{index}', '../../{prompt}', '/abs/{prompt}', '..\\..\\{model}', '{prompt}/../../x', '\u0000', '..', '.', '']) {
        const name = outputBaseName({ root: '/w', pattern }, v);
        assert.ok(name.length > 0 && name.length <= 130, name);
        assert.ok(!name.includes('/') && !name.includes('\\') && !name.includes('\u0000'), name);
        assert.ok(!name.startsWith('.') && !name.includes('..'), name);
        assert.ok(isInside('/w/assets/image', resolve('/w/assets/image', `${name}.png`)), name);
      }
    }
  });

  it('avoids Windows reserved names and very long names', () => {
    for (const n of ['CON', 'con', 'nul', 'COM1', 'lpt9', 'aux.txt', 'PRN']) {
      const s = safeBaseName(n);
      assert.notEqual(s.split('.')[0].toLowerCase(), n.split('.')[0].toLowerCase(), s);
    }
    assert.equal(outputBaseName({ root: '/w', pattern: '{prompt}' }, vars({ input: { prompt: 'con' } })), 'con_');
    assert.ok(safeBaseName('x'.repeat(5000)).length <= 130);
  });

  it('keeps the assets folder below the root', () => {
    assert.equal(assetsDir({ root: '/w' }), join('/w', 'assets'));
    assert.equal(assetsDir({ root: '/w', assetsFolder: 'media/kie' }), join('/w', 'media', 'kie'));
    for (const assetsFolder of ['../../etc', '/etc', '..', '.', '', 'a/../../b']) {
      const dir = assetsDir({ root: '/w', assetsFolder });
      assert.ok(dir.startsWith(`${join('/w')}${sep}`), `${assetsFolder} → ${dir}`);
    }
    assert.throws(() => assetsDir({ root: 'relative/root' }), UnsafePathError);
  });
});

describe('placing files', () => {
  it('never overwrites: suffixes -2, -3 and exclusive links even in a race', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kie-place-'));
    const temps = Array.from({ length: 12 }, (_, i) => {
      const p = join(dir, `t${i}.part`);
      writeFileSync(p, `content ${i}`);
      return p;
    });
    writeFileSync(join(dir, 'out.png'), 'someone else');
    const placed = await Promise.all(temps.map((t) => placeExclusive(t, dir, 'out', 'png', { within: dir, withRecord: true })));
    const names = placed.map((p) => p.path.slice(dir.length + 1)).sort();
    assert.equal(new Set(names).size, 12);
    assert.ok(!names.includes('out.png'));
    assert.ok(names.includes('out-2.png') && names.includes('out-13.png'));
    assert.equal(readFileSync(join(dir, 'out.png'), 'utf8'), 'someone else');
    for (const p of placed) assert.match(readFileSync(p.path, 'utf8'), /^content \d+$/);
  });

  it('skips a name whose record file is taken, and refuses to leave its folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kie-place-'));
    writeFileSync(join(dir, 't.part'), 'x');
    writeFileSync(join(dir, 'a.png.json'), '{}');
    const placed = await placeExclusive(join(dir, 't.part'), dir, 'a', 'png', { within: dir, withRecord: true });
    assert.equal(placed.path, join(dir, 'a-2.png'));
    writeFileSync(join(dir, 't2.part'), 'x');
    await assert.rejects(placeExclusive(join(dir, 't2.part'), join(dir, '..'), 'b', 'png', { within: dir }), UnsafePathError);
    assert.equal(await writeExclusive(join(dir, 'a.png.json'), 'new', dir), false);
    assert.equal(readFileSync(join(dir, 'a.png.json'), 'utf8'), '{}');
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  });
});
