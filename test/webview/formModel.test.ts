import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Catalog } from '../../src/core/catalog/catalog';
import { modelFromSpec } from '../../src/core/catalog/define';
import type { FieldSpec, ModelEntry, ModelSpec } from '../../src/core/catalog/types';
import {
  balanceLabel, buildInput, canGenerate, charCountLabel, checkForm, costLabel, defaultValues, describeField, formFields,
  formatCredits, humanise, mapIssues, modelChoices, pickModel, RAW_INPUT, sanitizeValues, valuesFromInput,
} from '../../src/webview/formModel';

const spec: ModelSpec = {
  id: 'test/model',
  category: 'image',
  title: 'Test model',
  costCredits: 4,
  fields: [
    { name: 'prompt', type: 'string', required: true, maxLength: 20 },
    { name: 'aspect_ratio', type: 'string', enum: ['1:1', '16:9'], default: '16:9' },
    { name: 'n', type: 'number', enum: [1, 2, 4] },
    { name: 'steps', type: 'integer', minimum: 1, maximum: 50 },
    { name: 'enhance', type: 'boolean' },
    { name: 'safety', type: 'boolean', default: true },
    { name: 'image_urls', type: 'array', itemType: 'string', maxItems: 2 },
    { name: 'mask_url', type: 'string' },
    { name: 'tags', type: 'array', itemType: 'string' },
    { name: 'weights', type: 'array', itemType: 'number' },
    { name: 'extra', type: 'object' },
    { name: 'seed', type: 'integer' },
    { name: 'name', type: 'string', label: 'Your name', advanced: true },
  ],
};
const entry: ModelEntry = modelFromSpec(spec, 'user');
const fields = formFields(entry);
const byName = (n: string) => fields.find((f) => f.name === n)!;

describe('form fields', () => {
  it('gives each field type its control', () => {
    assert.deepEqual(
      Object.fromEntries(fields.map((f) => [f.name, f.kind])),
      {
        prompt: 'textarea', aspect_ratio: 'select', n: 'select', steps: 'number', enhance: 'checkbox', safety: 'checkbox',
        image_urls: 'mediaList', mask_url: 'media', tags: 'lines', weights: 'lines', extra: 'json', seed: 'number', name: 'text',
      },
    );
    assert.equal(byName('image_urls').media, 'image');
    assert.equal(byName('image_urls').maxItems, 2);
    assert.equal(byName('steps').integer, true);
    assert.equal(byName('steps').min, 1);
  });

  it('labels from hints or names, advanced from hints or well-known names', () => {
    assert.equal(byName('name').label, 'Your name');
    assert.equal(byName('aspect_ratio').label, 'Aspect ratio');
    assert.equal(humanise('imageUrls'), 'Image URLs');
    assert.equal(humanise('nsfw_checker'), 'NSFW checker');
    assert.equal(byName('name').advanced, true);
    assert.equal(byName('seed').advanced, true, 'seed is advanced by name');
    assert.equal(byName('prompt').advanced, false);
  });

  it('keeps enum values typed: numbers stay numbers', () => {
    const n = byName('n');
    assert.deepEqual(n.options?.map((o) => o.value), [1, 2, 4]);
    const { input } = buildInput(fields, { ...defaultValues(fields), n: '2' });
    assert.equal(input.n, 2);
  });

  it('fills defaults: enum default, booleans, required enum without default takes the first', () => {
    const values = defaultValues(fields);
    assert.equal(values.aspect_ratio, '16:9');
    assert.equal(values.n, '', 'optional enum without default: model default');
    assert.equal(values.safety, true);
    assert.equal(values.enhance, false);
    const req = describeField({ name: 'mode', type: 'string', required: true, enum: ['a', 'b'] });
    assert.equal(req.defaultValue, 'a');
  });

  it("drops the docs' form-builder placeholders as help text", () => {
    assert.equal(describeField({ name: 'aspect_ratio', type: 'string', enum: ['1:1'], description: 'Radio description' }).description, undefined);
    assert.equal(describeField({ name: 'prompt', type: 'string', maxLength: 5000, description: 'The prompt for image generation (Max length: 5000 characters)' }).description, 'The prompt for image generation');
    assert.equal(describeField({ name: 'style', type: 'number', description: 'Style exaggeration (0-1) (Min: 0, Max: 1, Step: 0.01) (step: 0.01)' }).description, 'Style exaggeration (0-1)');
    assert.equal(describeField({ name: 'size', type: 'string', description: 'Select description' }).description, undefined);
    assert.equal(describeField({ name: 'size', type: 'string', description: 'Image size description.' }).description, 'Image size description.');
  });

  it('models without documented fields get one JSON field for the whole input', () => {
    const raw = modelFromSpec({ id: 'x/raw', category: 'video', title: 'Raw', fields: [] }, 'user');
    const f = formFields(raw);
    assert.equal(f.length, 1);
    assert.equal(f[0].name, RAW_INPUT);
    const built = buildInput(f, { [RAW_INPUT]: '{"prompt":"hi","n":2}' });
    assert.deepEqual(built.input, { prompt: 'hi', n: 2 });
    assert.ok(buildInput(f, { [RAW_INPUT]: '[1]' }).parseErrors[RAW_INPUT]);
    assert.deepEqual(valuesFromInput(f, { a: 1 }).values[RAW_INPUT], JSON.stringify({ a: 1 }, null, 2));
  });
});

describe('building the input from control values', () => {
  it('leaves out empty controls and coerces the rest', () => {
    const values = {
      ...defaultValues(fields),
      prompt: 'A fox',
      steps: ' 12 ',
      enhance: false,
      safety: false,
      image_urls: ['assets/a.png', 'https://x.test/b.png'],
      mask_url: '  ',
      tags: 'one\n\n two \n',
      weights: '1\n2.5',
      extra: '{"k": [1]}',
    };
    const { input, parseErrors } = buildInput(fields, values);
    assert.deepEqual(parseErrors, {});
    assert.deepEqual(input, {
      prompt: 'A fox',
      aspect_ratio: '16:9',
      steps: 12,
      safety: false,
      image_urls: ['assets/a.png', 'https://x.test/b.png'],
      tags: ['one', 'two'],
      weights: [1, 2.5],
      extra: { k: [1] },
    });
  });

  it('reports what cannot be converted', () => {
    const { parseErrors } = buildInput(fields, { ...defaultValues(fields), steps: '12abc', extra: '{nope', weights: 'x' });
    assert.deepEqual(Object.keys(parseErrors).sort(), ['extra', 'steps', 'weights']);
  });

  it('turns file URIs typed into media fields into paths', () => {
    const { input } = buildInput(fields, { ...defaultValues(fields), mask_url: 'file:///home/me/mask%20one.png' });
    assert.equal(input.mask_url, '/home/me/mask one.png');
  });
});

describe('validation with the core schema', () => {
  it('accepts local paths in media fields (they are uploaded later) and maps issues to fields', () => {
    const ok = checkForm(entry, fields, { ...defaultValues(fields), prompt: 'A fox', image_urls: ['assets/a.png'], mask_url: 'C:\\m.png' });
    assert.equal(ok.ok, true, JSON.stringify(ok.errors));
    assert.deepEqual(ok.input.image_urls, ['assets/a.png'], 'the input keeps the paths');

    const bad = checkForm(entry, fields, { ...defaultValues(fields), prompt: 'x'.repeat(21), steps: '99', image_urls: ['a', 'b', 'c'], mask_url: 'ftp://x/y' });
    assert.equal(bad.ok, false);
    assert.deepEqual(Object.keys(bad.errors).sort(), ['image_urls', 'mask_url', 'prompt', 'steps']);
  });

  it('says a missing required field is required', () => {
    const r = checkForm(entry, fields, defaultValues(fields));
    assert.equal(r.errors.prompt, 'Required.');
  });

  it('puts issues of unknown fields in the general list', () => {
    const mapped = mapIssues(fields, [
      { field: 'image_urls.1', message: 'must be an http(s) URL' },
      { field: 'bogus', message: 'is not a field of this model' },
      { field: '(input)', message: 'something' },
    ]);
    assert.deepEqual(mapped.byField, { image_urls: 'Must be an http(s) URL' });
    assert.deepEqual(mapped.general, ['bogus: Not a field of this model.', 'Something']);
  });
});

describe('stored and filled values', () => {
  it('sanitizes stored values against the current fields', () => {
    const v = sanitizeValues(fields, { prompt: 'kept', aspect_ratio: '4:3', enhance: 'yes', image_urls: ['a', 3], gone: 'x' });
    assert.equal(v.prompt, 'kept');
    assert.equal(v.aspect_ratio, '16:9', 'an option that no longer exists falls back to the default');
    assert.equal(v.enhance, false);
    assert.deepEqual(v.image_urls, []);
    assert.equal('gone' in v, false);
  });

  it('shows an input in the controls and reports fields the model lacks', () => {
    const { values, unknown } = valuesFromInput(fields, { prompt: 'p', n: 4, steps: 3, enhance: true, image_urls: 'one.png', tags: ['a', 'b'], extra: { a: 1 }, other: 1 });
    assert.equal(values.n, '4');
    assert.equal(values.steps, '3');
    assert.equal(values.enhance, true);
    assert.deepEqual(values.image_urls, ['one.png']);
    assert.equal(values.tags, 'a\nb');
    assert.deepEqual(unknown, ['other']);
    assert.deepEqual(buildInput(fields, values).input.n, 4);
  });
});

describe('labels', () => {
  it('estimates the cost from the entry', () => {
    assert.equal(costLabel(entry, {}).text, '≈ 4 credits (estimate)');
    assert.equal(formatCredits(1234.567), '1,234.57');
  });

  it('counts characters against the maximum', () => {
    assert.equal(charCountLabel('hello', 5000), '5 / 5,000');
    assert.equal(charCountLabel('hi'), '2 characters');
  });

  it('describes the account', () => {
    assert.equal(balanceLabel({ credits: 12.5, demo: false, hasKey: true }).text, 'Balance: 12.5 credits');
    assert.deepEqual(balanceLabel({ credits: 1000, demo: true, hasKey: false }), { text: 'Demo · 1,000 credits', title: 'Offline demo: nothing is sent to Kie.ai', demo: true, credits: '1,000 credits' });
    assert.equal(balanceLabel({ credits: null, demo: false, hasKey: false }).text, 'No API key');
    assert.equal(balanceLabel({ credits: null, demo: false, hasKey: true, error: 'boom' }).title, 'boom');
    assert.equal(canGenerate({ credits: null, demo: false, hasKey: false }), false);
    assert.equal(canGenerate({ credits: null, demo: true, hasKey: false }), true);
  });
});

describe('model picker', () => {
  const specs: ModelSpec[] = [
    { id: 'a', category: 'image', title: 'A', fields: [], retired: 'gone' },
    { id: 'b', category: 'image', title: 'B', fields: [] },
    { id: 'c', category: 'video', title: 'C', fields: [] },
  ];
  const entries = new Catalog([], specs.map((s) => modelFromSpec(s, 'user'))).all();

  it('lists a category with retired models last and marked', () => {
    assert.deepEqual(modelChoices(entries, 'image').map((c) => c.label), ['B', 'A (retired upstream)']);
  });

  it('restores the remembered model, else the first current one', () => {
    assert.equal(pickModel(entries, 'image', ['a']), 'a');
    assert.equal(pickModel(entries, 'image', ['c', undefined]), 'b');
    assert.equal(pickModel(entries, 'audio', []), undefined);
  });
});

describe('every built-in model', () => {
  it('gets a form whose defaults build an input without conversion errors', async () => {
    const { builtInModels } = await import('../../src/core/catalog/catalog');
    for (const e of builtInModels()) {
      const f = formFields(e);
      const { parseErrors } = buildInput(f, defaultValues(f));
      assert.deepEqual(parseErrors, {}, e.id);
      // The example input shows in the form and comes back the same.
      if (e.fields.length) {
        const { values, unknown } = valuesFromInput(f, e.example);
        assert.deepEqual(unknown, [], e.id);
        const back = buildInput(f, values).input;
        for (const [k, v] of Object.entries(e.example)) {
          const fs = e.fields.find((x) => x.name === k) as FieldSpec;
          if (fs.type === 'boolean' && v === false && fs.default === undefined && !fs.required) continue;
          assert.deepEqual(back[k], v, `${e.id} ${k}`);
        }
      }
    }
  });
});

describe("a model's own checks", () => {
  it('show their message rather than "Required" on an optional field', async () => {
    const { Catalog: C, builtInModels: b } = await import('../../src/core/catalog/catalog');
    const gpt = new C(b()).require('gpt4o-image');
    const f = formFields(gpt);
    const r = checkForm(gpt, f, defaultValues(f));
    assert.equal(r.errors.prompt, 'Give a prompt, images, or both');
  });
});
