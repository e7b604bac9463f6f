import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JournalState, TaskRecord } from '../../src/core/engine/types';
import { demoPrefix, finishedNotice, requestErrorMessage, startedNotice } from '../../src/extension/model/notify';
import { statusView } from '../../src/extension/model/statusBar';

function task(state: JournalState, over: Partial<TaskRecord> = {}): TaskRecord {
  return {
    id: 'l1', model: 'flux-kontext-pro', category: 'image', input: { prompt: 'A fox' }, uploads: [], estimatedCredits: 5,
    state, destination: { root: '/ws' }, createdAt: 0, updatedAt: 0, outputs: [], ...over,
  };
}
const titleOf = (id: string) => (id === 'flux-kontext-pro' ? 'Flux Kontext Pro' : undefined);
const saved = { outputs: [{ url: 'u', kind: 'image' as const, index: 0, savedPath: '/ws/assets/fox.png' }] };

describe('notification policy', () => {
  it('at "all": successes with Open and Reveal, failures with the reason and Retry', () => {
    assert.deepEqual(finishedNotice(task('succeeded', saved), 'all', false, titleOf), {
      severity: 'info', message: 'Flux Kontext Pro (A fox) saved fox.png.', actions: ['Open', 'Reveal'],
    });
    const failed = finishedNotice(task('failed', { error: { code: '501', message: 'Flagged by the content filter.' } }), 'all', false, titleOf)!;
    assert.equal(failed.severity, 'error');
    assert.equal(failed.message, 'Flux Kontext Pro (A fox) failed: Flagged by the content filter.');
    assert.deepEqual(failed.actions, ['Retry', 'Show Details']);
    assert.equal(finishedNotice(task('unknown'), 'all', false)!.severity, 'warning');
  });

  it('at "failures": only failures; at "none": nothing', () => {
    assert.equal(finishedNotice(task('succeeded', saved), 'failures', false), undefined);
    assert.ok(finishedNotice(task('failed'), 'failures', false));
    assert.ok(finishedNotice(task('unknown'), 'failures', false));
    for (const s of ['succeeded', 'failed', 'unknown', 'stopped'] as const) assert.equal(finishedNotice(task(s), 'none', false), undefined);
    assert.equal(finishedNotice(task('stopped'), 'all', false), undefined);
    assert.equal(startedNotice('Upscaling', 'cat.png', 'Topaz', 'failures', false), undefined);
    assert.equal(startedNotice('Upscaling', 'cat.png', 'Topaz', 'none', false), undefined);
  });

  it('counts several files and offers the tasks when nothing was saved', () => {
    const two = task('succeeded', { outputs: [...saved.outputs, { url: 'v', kind: 'image', index: 1, savedPath: '/ws/b.png' }] });
    assert.match(finishedNotice(two, 'all', false)!.message, /saved 2 files/);
    assert.deepEqual(finishedNotice(task('succeeded'), 'all', false)!.actions, ['Show Tasks']);
  });

  it('prefixes everything with [Demo] in the demo', () => {
    assert.equal(demoPrefix(true), '[Demo] ');
    assert.equal(demoPrefix(false), '');
    assert.match(finishedNotice(task('succeeded', saved), 'all', true)!.message, /^\[Demo\] /);
    assert.match(finishedNotice(task('failed'), 'all', true)!.message, /^\[Demo\] .* failed: no reason given$/);
    assert.equal(startedNotice('Upscaling', 'cat.png', 'Topaz · image upscale', 'all', true)!.message, '[Demo] Started: Upscaling cat.png with Topaz · image upscale.');
    assert.equal(requestErrorMessage(new Error('Not enough credits.'), true), '[Demo] Not enough credits.');
  });
});

describe('status bar', () => {
  it('shows the balance and the running count', () => {
    assert.deepEqual(statusView({ demo: false, hasKey: true, credits: 1234.5, running: 0 }).text, '$(sparkle) 1,234.5');
    const busy = statusView({ demo: false, hasKey: true, credits: 80, running: 2 });
    assert.equal(busy.text, '$(sparkle) 80 $(loading~spin) 2');
    assert.match(busy.tooltip, /Kie\.ai balance: 80 credits/);
    assert.match(busy.tooltip, /2 tasks running/);
    assert.equal(busy.warning, false);
  });

  it('says when the balance is unknown or there is no key', () => {
    const unknown = statusView({ demo: false, hasKey: true, credits: null, running: 1, error: 'timeout' });
    assert.equal(unknown.text, '$(sparkle) — $(loading~spin) 1');
    assert.match(unknown.tooltip, /unknown \(timeout\)/);
    assert.equal(statusView({ demo: false, hasKey: false, credits: null, running: 0 }).text, '$(key) Kie: no key');
  });

  it('says DEMO in the demo, on the warning background', () => {
    const demo = statusView({ demo: true, hasKey: false, credits: 497.5, running: 1 });
    assert.equal(demo.text, '$(beaker) DEMO 497.5 $(loading~spin) 1');
    assert.match(demo.tooltip, /offline demo/);
    assert.equal(demo.warning, true);
  });
});
