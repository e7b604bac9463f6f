import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Catalog, validateInput } from '../../src/core/catalog/catalog';
import { buildPromptInput, modelPickItems, promptFieldOf, promptOnlyModels } from '../../src/extension/model/quickPick';

const catalog = new Catalog();

describe('palette model pick', () => {
  it('offers only models a prompt alone can run, per category', () => {
    for (const category of ['image', 'video', 'audio'] as const) {
      const models = promptOnlyModels(catalog.all(), category);
      assert.ok(models.length > 0, category);
      for (const m of models) {
        assert.equal(m.category, category);
        assert.ok(!m.retired);
        assert.ok(validateInput(m, buildPromptInput(m, 'Hello there')).ok, m.id);
      }
    }
    const images = promptOnlyModels(catalog.all(), 'image').map((m) => m.id);
    assert.ok(images.includes('flux-kontext-pro'));
    assert.ok(!images.includes('topaz/image-upscale'), 'needs a file');
    const audio = promptOnlyModels(catalog.all(), 'audio').map((m) => m.id);
    assert.ok(audio.includes('elevenlabs/text-to-speech-multilingual-v2'));
    assert.ok(!audio.includes('elevenlabs/audio-isolation'));
  });

  it('puts the last used model first and ends with the generator', () => {
    const items = modelPickItems(catalog.all(), 'image', 'google/imagen4');
    assert.equal(items[0].modelId, 'google/imagen4');
    assert.match(items[0].detail!, /^Last used/);
    assert.equal(items.at(-2)!.kind, 'separator');
    assert.equal(items.at(-1)!.openGenerator, true);
    const ids = items.filter((i) => i.modelId).map((i) => i.modelId);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(items.filter((i) => i.modelId).every((i) => i.description!.startsWith(i.modelId!)));
  });

  it('puts the prompt in the model\'s own field', () => {
    assert.equal(promptFieldOf(catalog.require('flux-kontext-pro')), 'prompt');
    assert.deepEqual(buildPromptInput(catalog.require('elevenlabs/text-to-speech-multilingual-v2'), 'Hi'), { voice: 'EkK5I93UQWFDigLMpZcX', text: 'Hi' });
    assert.throws(() => buildPromptInput(catalog.require('topaz/image-upscale'), 'x'), /takes no prompt/);
  });
});
