// Every curated model, end to end through the real client: upload inputs, create, poll, download, sniff.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { builtInModels, validateInput } from '../../src/core/catalog/catalog';
import type { KieClient } from '../../src/core/kie/client';
import { imageDimensions, mediaKindOf, sniffMediaType } from '../../src/core/media/sniff';
import type { Simulator } from '../../src/simulator';
import { decodeImage } from '../../src/simulator/media/image';
import { download, simulatorAndClient, uploadSamples, waitForTask, withUploadedMedia, type SampleFiles } from './helpers';

const curated = builtInModels().filter((e) => e.origin === 'curated');

describe('every curated model through the simulator', () => {
  let sim: Simulator;
  let client: KieClient;
  let files: SampleFiles;
  let tmp: string;

  before(async () => {
    ({ sim, client } = await simulatorAndClient({ credits: 100_000, rateLimits: { createsPer10s: Infinity } }));
    tmp = await mkdtemp(join(tmpdir(), 'kie-sim-'));
    files = await uploadSamples(client, tmp);
  });

  after(async () => {
    await sim.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  test('the catalog has curated models to try', () => {
    assert.ok(curated.length >= 40, `only ${curated.length} curated models`);
  });

  describe('create, poll, download and sniff', { concurrency: 8 }, () => {
  for (const entry of curated) {
    test(`${entry.id} (${entry.family}, ${entry.output})`, async () => {
      const input = withUploadedMedia(entry.example, files);
      assert.ok(validateInput(entry, input).ok, 'the example is valid input');
      const createdAt = Date.now();
      const taskId = await client.createTask(entry, input);
      assert.match(taskId, /^[0-9a-f]{32}$/);
      const status = await waitForTask(client, entry, taskId, createdAt);
      assert.equal(status.state, 'succeeded', JSON.stringify(status.error));
      assert.ok(status.outputs.length >= 1, 'at least one output');

      for (const output of status.outputs) {
        if (entry.output === 'text') {
          assert.equal(output.kind, 'text');
          const parsed = JSON.parse(output.text ?? '');
          assert.equal(typeof parsed.text, 'string');
          continue;
        }
        const urls = [output.url, output.streamUrl, output.coverUrl].filter((u): u is string => !!u);
        for (const url of urls) {
          assert.ok(url.startsWith(sim.fileUrl), `${url} is on the file origin`);
          const res = await download(url);
          assert.equal(res.status, 200, url);
          const type = sniffMediaType(res.bytes);
          assert.ok(type, `${url} sniffs as a known type`);
          const expected: string = url === output.coverUrl ? 'image' : entry.output;
          assert.equal(mediaKindOf(type), expected, `${url} is ${expected}, got ${type}`);
          assert.ok(res.bytes.length > 200 && res.bytes.length < 50 * 1024 * 1024, `sane size: ${res.bytes.length}`);
          assert.equal(Number(res.headers['content-length']), res.bytes.length);
          if (entry.output === 'image' && url === output.url) assert.ok(imageDimensions(res.bytes), 'image has dimensions');
        }
      }
      if (entry.family === 'suno') {
        assert.equal(status.outputs.length, 2, 'Suno makes two tracks');
        assert.ok(status.outputs.every((o) => o.streamUrl && o.trackId && o.durationSec));
      }
    });
  }
  });

  test('multi-output and format rules', async () => {
    const byId = (id: string) => curated.find((e) => e.id === id)!;
    const run = async (id: string, input: Record<string, unknown>) => {
      const entry = byId(id);
      const createdAt = Date.now();
      const status = await waitForTask(client, entry, await client.createTask(entry, input), createdAt);
      assert.equal(status.state, 'succeeded');
      return Promise.all(status.outputs.map(async (o) => (await download(o.url)).bytes));
    };
    const grok = await run('grok-imagine/text-to-image', { prompt: 'six foxes', aspect_ratio: '16:9' });
    assert.equal(grok.length, 6, 'Grok text-to-image returns 6 images');
    assert.ok(grok.every((b) => sniffMediaType(b) === 'jpeg'), 'Grok answers JPEG');
    const dims = imageDimensions(grok[0])!;
    assert.ok(dims.width > dims.height, '16:9 is landscape');

    const four = await run('gpt4o-image', { prompt: 'four variants', size: '3:2', nVariants: 4 });
    assert.equal(four.length, 4, 'nVariants');
    const seedream = await run('bytedance/seedream-v4-text-to-image', { prompt: 'three', max_images: 3 });
    assert.equal(seedream.length, 3, 'max_images');
    const ideogram = await run('ideogram/character', { prompt: 'two', reference_image_urls: [files.image], num_images: '2' });
    assert.equal(ideogram.length, 2, 'num_images');
    const jpg = await run('nano-banana-pro', { prompt: 'jpeg please', output_format: 'jpg' });
    assert.equal(sniffMediaType(jpg[0]), 'jpeg', 'output_format jpg');
    const png = await run('google/nano-banana', { prompt: 'png please' });
    assert.equal(sniffMediaType(png[0]), 'png', 'PNG by default');
  });

  test('upscale, remove-background and edit use the uploaded image', async () => {
    const source = imageDimensions((await download(files.image)).bytes)!;
    const run = async (id: string, input: Record<string, unknown>) => {
      const entry = curated.find((e) => e.id === id)!;
      const createdAt = Date.now();
      const status = await waitForTask(client, entry, await client.createTask(entry, input), createdAt);
      return (await download(status.outputs[0].url)).bytes;
    };
    const topaz = imageDimensions(await run('topaz/image-upscale', { image_url: files.image, upscale_factor: '4' }))!;
    assert.deepEqual(topaz, { width: source.width * 4, height: source.height * 4 });
    const crisp = imageDimensions(await run('recraft/crisp-upscale', { image: files.image }))!;
    assert.deepEqual(crisp, { width: source.width * 2, height: source.height * 2 });
    const cutout = await run('recraft/remove-background', { image: files.image });
    assert.equal(sniffMediaType(cutout), 'png');
    const raster = decodeImage(cutout);
    assert.deepEqual({ width: raster.width, height: raster.height }, source);
    let transparent = 0;
    for (let i = 3; i < raster.data.length; i += 4) if (raster.data[i] < 255) transparent++;
    assert.ok(transparent > 0, 'the cut-out has transparent pixels');
    const edited = imageDimensions(await run('google/nano-banana-edit', { prompt: 'watercolor', image_urls: [files.image], aspect_ratio: 'auto' }))!;
    assert.deepEqual(edited, source, 'an edit keeps the source size when no aspect is asked');
  });

  test('the file origin never saw an Authorization header', () => {
    const fileRequests = sim.received.filter((r) => r.origin === 'file');
    assert.ok(fileRequests.length > curated.length, 'downloads went to the file origin');
    assert.equal(fileRequests.filter((r) => r.hadAuthorization).length, 0);
    assert.equal(sim.state.fileAuthorizationSeen, 0);
    assert.ok(sim.received.filter((r) => r.origin !== 'file').every((r) => r.hadAuthorization), 'API and upload calls carry the key');
  });
});
