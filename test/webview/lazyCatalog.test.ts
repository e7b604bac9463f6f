import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtInModels, Catalog, jsonSchemaOf } from '../../src/core/catalog/catalog';
import { modelFromSpec } from '../../src/core/catalog/define';
import type { ModelSpec } from '../../src/core/catalog/types';
import { LazyCatalog } from '../../src/webview/lazyCatalog';

const user: ModelSpec[] = [
  { id: 'my/own', category: 'audio', title: 'Mine', fields: [{ name: 'text', type: 'string', required: true }] },
  { id: 'veo3', category: 'video', title: 'My Veo', fields: [{ name: 'prompt', type: 'string', required: true }], retired: 'test' },
];

describe('lazy catalog (webview)', () => {
  const core = new Catalog(builtInModels(), user.map((s) => modelFromSpec(s, 'user')));
  const lazy = new LazyCatalog(user);

  it('lists the same models, in the same order, as the core catalog', () => {
    assert.deepEqual(
      lazy.all().map((m) => [m.id, m.title, m.category, m.retired, m.origin, m.description]),
      core.all().map((e) => [e.id, e.title, e.category, e.retired, e.origin, e.description]),
    );
  });

  it('builds the very same schemas as the core, on demand', () => {
    for (const e of core.all()) {
      const l = lazy.get(e.id);
      assert.ok(l, e.id);
      assert.deepEqual(jsonSchemaOf(l), jsonSchemaOf(e), e.id);
      assert.deepEqual(l.media, e.media, e.id);
      assert.deepEqual(l.cost(e.example), e.cost(e.example), e.id);
    }
    assert.equal(lazy.get('nope'), undefined);
  });
});
