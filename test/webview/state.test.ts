import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyState, MAX_MODELS_KEPT, parseState, withModel, withValues } from '../../src/webview/state';

describe('view state', () => {
  it('starts fresh from nothing or from something that is not ours', () => {
    assert.deepEqual(parseState(undefined), emptyState());
    assert.deepEqual(parseState({ v: 2 }), emptyState());
    assert.deepEqual(parseState('x'), emptyState());
  });

  it('keeps good parts of a damaged state', () => {
    const s = parseState({ v: 1, category: 'music', modelByCategory: { video: 'veo3', other: 'x' }, values: { veo3: { prompt: 'hi', n: 3 } }, advancedOpen: 'yes' });
    assert.equal(s.category, 'image');
    assert.deepEqual(s.modelByCategory, { video: 'veo3' });
    assert.deepEqual(s.values, {}, 'a values map with a bad value is dropped');
    assert.equal(s.advancedOpen, false);
  });

  it('round-trips through JSON (as setState does)', () => {
    let s = withModel(emptyState(), 'video', 'veo3');
    s = withValues(s, 'veo3', { prompt: 'a', urls: ['x'], flag: true });
    assert.deepEqual(parseState(JSON.parse(JSON.stringify(s))), s);
  });

  it('keeps the values of the most recently used models only', () => {
    let s = emptyState();
    for (let i = 0; i < MAX_MODELS_KEPT + 5; i++) s = withValues(s, `m${i}`, { prompt: String(i) });
    s = withValues(s, 'm10', { prompt: 'again' });
    const ids = Object.keys(s.values);
    assert.equal(ids.length, MAX_MODELS_KEPT);
    assert.equal(ids.includes('m0'), false);
    assert.equal(ids[ids.length - 1], 'm10');
  });
});
