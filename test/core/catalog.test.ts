import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { builtInModels, Catalog, CURATED_MODELS, jsonSchemaOf, validateInput } from '../../src/core/catalog/catalog';
import { loadModelsFile, ModelsFileError, parseModelsFile } from '../../src/core/catalog/userModels';
import type { FieldSpec, ModelEntry } from '../../src/core/catalog/types';
import { sharedJson, type MarketModel } from '../helpers/shared';

const market = sharedJson<{ models: MarketModel[] }>('kie-api/market-models.json');
const entries = builtInModels();

/** A copy of the input with one field made wrong, and the field that must be named. */
function breakInput(entry: ModelEntry): { input: Record<string, unknown>; field: string } {
  const input = { ...entry.example };
  const required = entry.fields.find((f) => f.required);
  if (required) {
    delete input[required.name];
    return { input, field: required.name };
  }
  const f: FieldSpec | undefined = entry.fields[0];
  if (!f) return { input: 42 as never, field: '(input)' };
  input[f.name] = f.type === 'string' ? 12345 : 'not-valid-here';
  return { input, field: f.name };
}

describe('catalog', () => {
  it('holds every curated model of the product guide and the issue', () => {
    const ids = new Set(entries.map((e) => e.id));
    for (const id of [
      'veo3', 'veo3_fast', 'veo3_lite', 'runway/generate', 'runway/extend', 'runway/aleph', 'luma/modify',
      'wan/2-2-a14b-text-to-video-turbo', 'wan/2-2-a14b-image-to-video-turbo', 'wan/2-2-animate-replace', 'wan/2-6-text-to-video',
      'wan/2-6-image-to-video', 'kling/v2-1-master-text-to-video', 'kling/v2-1-master-image-to-video', 'kling/v2-1-standard',
      'sora-2-pro-text-to-video', 'sora-2-pro-image-to-video', 'sora-watermark-remover', 'bytedance/v1-lite-text-to-video',
      'bytedance/v1-lite-image-to-video', 'bytedance/v1-pro-image-to-video', 'hailuo/02-text-to-video-pro',
      'hailuo/02-text-to-video-standard', 'hailuo/02-image-to-video-pro', 'grok-imagine/text-to-video', 'grok-imagine/image-to-video',
      'suno/generate', 'suno/extend', 'elevenlabs/text-to-speech-multilingual-v2', 'elevenlabs/speech-to-text', 'elevenlabs/audio-isolation',
      'gpt4o-image', 'flux-kontext-pro', 'flux-kontext-max', 'ideogram/v3-text-to-image', 'ideogram/character', 'ideogram/character-edit',
      'ideogram/v3-reframe', 'recraft/remove-background', 'recraft/crisp-upscale', 'topaz/image-upscale', 'bytedance/seedream',
      'bytedance/seedream-v4-text-to-image', 'seedream/4.5-text-to-image', 'grok-imagine/text-to-image', 'grok-imagine/upscale',
      'nano-banana-2', 'nano-banana-pro', 'google/nano-banana', 'google/nano-banana-edit', 'google/imagen4', 'gpt-image-2-text-to-image',
      'gpt-image-2-image-to-image', 'seedream/5-lite-text-to-image', 'bytedance/seedance-2', 'kling-3.0/video', 'hailuo/2-3-image-to-video-pro',
      'topaz/video-upscale', 'elevenlabs/text-to-speech-turbo-2-5', 'elevenlabs/sound-effect-v2',
    ]) assert.ok(ids.has(id), `missing ${id}`);
    assert.equal(ids.size, entries.length, 'ids are unique');
  });

  it('marks the Sora 2 models as retired upstream', () => {
    for (const id of ['sora-2-pro-text-to-video', 'sora-2-pro-image-to-video', 'sora-watermark-remover']) {
      assert.match(entries.find((e) => e.id === id)!.retired ?? '', /withdrew/);
    }
  });

  it('offers every other Market model through a generated entry', { skip: !market && 'market-models.json is absent' }, () => {
    const ids = new Set(entries.map((e) => e.id));
    for (const m of market!.models) assert.ok(ids.has(m.model_values[0]), `no entry for ${m.model_values[0]}`);
    assert.ok(entries.filter((e) => e.origin === 'generated').length > 80);
  });

  it('matches Kie\'s published schema for each curated Market model, except where written down', { skip: !market && 'market-models.json is absent' }, () => {
    const byId = new Map(market!.models.map((m) => [m.model_values[0], m]));
    const problems: string[] = [];
    for (const curated of CURATED_MODELS) {
      const published = byId.get(curated.id);
      if (!published || (curated.family ?? 'market') !== 'market') continue;
      const deviations = curated.deviations ?? {};
      const theirs = new Map((published.input_fields ?? []).map((f) => [f.name, f]));
      const ours = new Map(curated.fields.map((f) => [f.name, f]));
      for (const name of new Set([...theirs.keys(), ...ours.keys()])) {
        if (deviations[name]) continue;
        const a = ours.get(name);
        const b = theirs.get(name);
        if (!a || !b) {
          problems.push(`${curated.id}.${name}: ${a ? 'not in Kie\'s schema' : 'missing from the catalog'}`);
          continue;
        }
        if (a.type !== b.type) problems.push(`${curated.id}.${name}: type ${a.type} vs ${b.type}`);
        if (!!a.required !== !!b.required) problems.push(`${curated.id}.${name}: required ${!!a.required} vs ${b.required}`);
        if (JSON.stringify(a.enum ?? null) !== JSON.stringify(b.enum ?? null)) problems.push(`${curated.id}.${name}: enum differs`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('every deviation names a field that exists on one side', () => {
    for (const m of CURATED_MODELS) {
      for (const [name, why] of Object.entries(m.deviations ?? {})) {
        assert.ok(why.length > 10, `${m.id}.${name} needs a reason`);
      }
    }
  });

  for (const entry of entries) {
    it(`validates ${entry.id}: its example passes, a broken input names the field`, () => {
      const good = validateInput(entry, entry.example);
      assert.ok(good.ok, `${entry.id} example rejected: ${JSON.stringify(!good.ok && good.issues)}`);
      const { input, field } = breakInput(entry);
      const bad = validateInput(entry, input);
      assert.equal(bad.ok, false, `${entry.id}: broken input accepted`);
      if (!bad.ok) assert.ok(bad.issues.some((i) => i.field === field || i.field.startsWith(`${field}.`)), `${entry.id}: ${JSON.stringify(bad.issues)} should name ${field}`);
      const schema = jsonSchemaOf(entry);
      assert.equal(schema.type, 'object');
      assert.ok(entry.cost(entry.example).credits >= 0 && entry.cost(entry.example).estimate);
    });
  }

  it('rejects unknown fields so a typo costs nothing', () => {
    const entry = entries.find((e) => e.id === 'topaz/image-upscale')!;
    const r = validateInput(entry, { ...entry.example, upscale_factr: '2' });
    assert.equal(r.ok, false);
    assert.deepEqual(!r.ok && r.issues.map((i) => i.field), ['upscale_factr']);
  });

  it('words length and range problems for people', () => {
    const get = (id: string) => entries.find((e) => e.id === id)!;
    const long = validateInput(get('google/nano-banana'), { prompt: 'x'.repeat(5001) });
    assert.deepEqual(!long.ok && long.issues, [{ field: 'prompt', message: 'must be at most 5,000 characters (it has 5,001)' }]);
    const range = validateInput(get('kling/v2-1-standard'), { prompt: 'x', image_url: 'https://a.b/c.png', cfg_scale: 7 });
    assert.deepEqual(!range.ok && range.issues, [{ field: 'cfg_scale', message: 'must be at most 1' }]);
  });

  it('checks rules across fields: Runway 10 s at 1080p, Suno custom mode, Veo modes', () => {
    const get = (id: string) => entries.find((e) => e.id === id)!;
    const runway = validateInput(get('runway/generate'), { prompt: 'x', duration: 10, quality: '1080p', aspectRatio: '16:9' });
    assert.deepEqual(!runway.ok && runway.issues.map((i) => i.field), ['quality']);
    const suno = validateInput(get('suno/generate'), { customMode: true, instrumental: false, model: 'V5', prompt: 'la la' });
    assert.deepEqual(!suno.ok && suno.issues.map((i) => i.field).sort(), ['style', 'title']);
    const longSimple = validateInput(get('suno/generate'), { customMode: false, instrumental: true, model: 'V5', prompt: 'x'.repeat(501) });
    assert.equal(longSimple.ok, false);
    const veo = validateInput(get('veo3'), { prompt: 'x', generationType: 'REFERENCE_2_VIDEO', imageUrls: ['https://a.b/c.png'] });
    assert.deepEqual(!veo.ok && veo.issues.map((i) => i.field), ['generationType']);
  });

  it('estimates cost from the input', () => {
    const tts = entries.find((e) => e.id === 'elevenlabs/text-to-speech-multilingual-v2')!;
    assert.equal(tts.cost({ text: 'x'.repeat(2000) }).credits, 24);
    const topaz = entries.find((e) => e.id === 'topaz/image-upscale')!;
    assert.equal(topaz.cost({ upscale_factor: '4' }).credits, 40);
    const o4 = entries.find((e) => e.id === 'gpt4o-image')!;
    assert.equal(o4.cost({ nVariants: 4 }).credits, 24);
  });
});

describe('user models file', () => {
  it('adds and overrides models', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kie-models-'));
    const file = join(dir, 'models.json');
    writeFileSync(file, JSON.stringify({
      models: [
        { id: 'acme/new-model', category: 'image', title: 'Acme New', fields: [{ name: 'prompt', type: 'string', required: true, maxLength: 10 }], costCredits: 3 },
        { id: 'topaz/image-upscale', category: 'image', title: 'My Topaz', fields: [{ name: 'image_url', type: 'string', required: true }] },
      ],
    }));
    const catalog = new Catalog(builtInModels(), await loadModelsFile(file));
    const added = catalog.require('acme/new-model');
    assert.equal(added.origin, 'user');
    assert.equal(added.cost({}).credits, 3);
    assert.ok(validateInput(added, { prompt: 'short' }).ok);
    assert.equal(validateInput(added, { prompt: 'far too long here' }).ok, false);
    assert.equal(catalog.require('topaz/image-upscale').title, 'My Topaz');
  });

  it('names the entry and the field of a malformed model', () => {
    const text = JSON.stringify({ models: [{ id: 'ok/one', category: 'image', title: 'One', fields: [] }, { id: 'bad/two', category: 'picture', title: 'Two', fields: [{ name: 'x', type: 'strng' }] }] });
    assert.throws(() => parseModelsFile(text, 'models.json'), (err: unknown) => {
      assert.ok(err instanceof ModelsFileError);
      assert.match(err.message, /model "bad\/two" \(entry 2\): category/);
      assert.match(err.message, /model "bad\/two" \(entry 2\): fields\[0\]\.type/);
      assert.doesNotMatch(err.message, /ok\/one/);
      return true;
    });
  });

  it('reports a file that is not JSON', () => {
    assert.throws(() => parseModelsFile('{ models: [', 'm.json'), /m\.json: not valid JSON/);
  });
});
