import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JournalState, TaskRecord } from '../../src/core/engine/types';
import {
  CONTEXT, contextValueOf, iconOf, liveCount, outputView, reasonView, RefreshPlanner, sortTasks, subjectOf,
  taskChildren, taskDescription, taskLabel, taskTooltip, taskView,
} from '../../src/extension/model/taskTree';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

function task(over: Partial<TaskRecord> & { id: string; state: JournalState }): TaskRecord {
  return {
    model: 'flux-kontext-pro',
    category: 'image',
    input: { prompt: 'A red fox in fresh snow' },
    uploads: [],
    estimatedCredits: 5,
    destination: { root: '/ws' },
    createdAt: T0,
    updatedAt: T0,
    outputs: [],
    ...over,
  };
}

const titles: Record<string, string> = { 'flux-kontext-pro': 'Flux Kontext Pro', 'topaz/image-upscale': 'Topaz · image upscale' };
const titleOf = (id: string) => titles[id];

describe('task tree order', () => {
  it('puts running tasks first (newest first), then finished ones by finish time', () => {
    const tasks = [
      task({ id: 'done-old', state: 'succeeded', createdAt: T0, finishedAt: T0 + 10_000 }),
      task({ id: 'run-old', state: 'running', createdAt: T0 + 1000 }),
      task({ id: 'failed-new', state: 'failed', createdAt: T0 + 2000, finishedAt: T0 + 50_000 }),
      task({ id: 'run-new', state: 'queued', createdAt: T0 + 5000 }),
      task({ id: 'stopped', state: 'stopped', createdAt: T0 + 3000, finishedAt: T0 + 20_000 }),
      task({ id: 'upload', state: 'uploading', createdAt: T0 + 4000 }),
    ];
    assert.deepEqual(sortTasks(tasks).map((t) => t.id), ['run-new', 'upload', 'run-old', 'failed-new', 'stopped', 'done-old']);
  });

  it('does not modify its input and sorts thousands quickly', () => {
    const many = Array.from({ length: 5000 }, (_, i) => task({ id: `t${i}`, state: i % 7 === 0 ? 'running' : 'succeeded', createdAt: T0 + i, finishedAt: T0 + ((i * 7919) % 5000) }));
    const copy = many.slice();
    const started = performance.now();
    const sorted = sortTasks(many);
    assert.ok(performance.now() - started < 200);
    assert.deepEqual(many, copy);
    assert.equal(sorted.length, many.length);
    const firstDone = sorted.findIndex((t) => t.state === 'succeeded');
    assert.ok(sorted.slice(0, firstDone).every((t) => t.state === 'running'));
  });
});

describe('task items', () => {
  it('labels with the model title and a prompt excerpt', () => {
    assert.equal(taskLabel(task({ id: 'a', state: 'running' }), titleOf), 'Flux Kontext Pro · A red fox in fresh snow');
    const long = task({ id: 'b', state: 'running', input: { prompt: 'word '.repeat(40) } });
    const label = taskLabel(long, titleOf);
    assert.ok(label.endsWith('…'));
    assert.ok(label.length <= 'Flux Kontext Pro · '.length + 28);
    assert.equal(taskLabel(task({ id: 'c', state: 'running', model: 'unknown/model' })), 'unknown/model · A red fox in fresh snow');
  });

  it('names the input file when there is no prompt', () => {
    const t = task({ id: 'u', state: 'running', model: 'topaz/image-upscale', input: { image_url: '/ws/assets/cat.png', upscale_factor: '2' }, uploads: [{ field: 'image_url', path: '/ws/assets/cat.png' }] });
    assert.equal(subjectOf(t), 'cat.png');
    assert.equal(taskLabel(t, titleOf), 'Topaz · image upscale · cat.png');
  });

  it('describes state, progress and elapsed time', () => {
    const now = T0 + 65_000;
    assert.equal(taskDescription(task({ id: 'r', state: 'running', progress: 0.42, submittedAt: T0 }), now), 'running 42% · 1m 05s');
    assert.equal(taskDescription(task({ id: 'q', state: 'queued' }), T0 + 3000), 'queued · 3s');
    assert.equal(taskDescription(task({ id: 'up', state: 'uploading' }), T0 + 1000), 'uploading · 1s');
    assert.equal(taskDescription(task({ id: 's', state: 'succeeded', submittedAt: T0, finishedAt: T0 + 30_000 }), now), 'done in 30s');
    assert.equal(
      taskDescription(task({ id: 's2', state: 'succeeded', finishedAt: T0 + 1000, outputs: [{ url: 'u', kind: 'image', index: 0 }, { url: 'v', kind: 'image', index: 1 }] }), now),
      'done in 1s · 2 files',
    );
    assert.equal(taskDescription(task({ id: 'f', state: 'failed', error: { code: '501', message: 'Content policy violation' } }), now), 'failed · Content policy violation');
    assert.equal(taskDescription(task({ id: 'x', state: 'unknown' }), now), 'outcome unknown');
    assert.equal(taskDescription(task({ id: 'y', state: 'stopped' }), now), 'stopped watching');
  });

  it('has a context value and an icon per state', () => {
    const cases: [JournalState, string, string, string | undefined][] = [
      ['uploading', CONTEXT.running, 'loading~spin', undefined],
      ['pending-create', CONTEXT.running, 'loading~spin', undefined],
      ['queued', CONTEXT.running, 'loading~spin', undefined],
      ['running', CONTEXT.running, 'loading~spin', undefined],
      ['downloading', CONTEXT.running, 'loading~spin', undefined],
      ['succeeded', CONTEXT.succeeded, 'pass', 'charts.green'],
      ['failed', CONTEXT.failed, 'error', 'errorForeground'],
      ['unknown', CONTEXT.unknown, 'question', 'charts.yellow'],
      ['stopped', CONTEXT.stopped, 'debug-stop', undefined],
    ];
    for (const [state, ctx, icon, color] of cases) {
      const t = task({ id: state, state });
      assert.equal(contextValueOf(t), ctx, state);
      assert.deepEqual(iconOf(t), color ? { id: icon, color } : { id: icon }, state);
    }
    assert.deepEqual(Object.values(CONTEXT).sort(), ['output.file', 'output.pending', 'task.failed', 'task.reason', 'task.running', 'task.stopped', 'task.succeeded', 'task.unknown']);
  });

  it('writes the input, cost and ids into a Markdown tooltip, with user text escaped', () => {
    const t = task({ id: 'loc1', taskId: 'kie123', state: 'running', estimatedCredits: 12.5, input: { prompt: 'A [link](command:evil) | pipe *bold*', aspectRatio: '16:9' } });
    const md = taskTooltip(t, T0 + 2000, titleOf);
    assert.match(md, /\*\*Flux Kontext Pro\*\* · `flux-kontext-pro`/);
    assert.match(md, /\| Input \| Value \|/);
    assert.match(md, /\| aspectRatio \| 16:9 \|/);
    assert.ok(md.includes('\\[link\\]\\(command:evil\\) \\| pipe \\*bold\\*'), md);
    assert.ok(!md.includes('[link](command:evil)'));
    assert.match(md, /~12\.5 credits/);
    assert.match(md, /`kie123`/);
    assert.match(md, /`loc1`/);
  });

  it('gives failed tasks their reason as a child, and outputs as file children', () => {
    const failed = task({ id: 'f', state: 'failed', error: { code: '501', message: 'The prompt was flagged.' } });
    assert.deepEqual(taskChildren(failed), [{ kind: 'reason', taskId: 'f' }]);
    assert.equal(reasonView(failed)?.label, 'The prompt was flagged.');
    assert.equal(reasonView(failed)?.contextValue, 'task.reason');
    assert.equal(taskView(failed, T0).collapsible, 'expanded');

    const ok = task({
      id: 's', state: 'succeeded', finishedAt: T0 + 1000,
      outputs: [
        { url: 'https://x/1.png', kind: 'image', index: 0, savedPath: '/ws/assets/images/fox-0.png', bytes: 2_500_000 },
        { url: 'https://x/2.png', kind: 'image', index: 1, error: 'HTTP 403' },
      ],
    });
    assert.deepEqual(taskChildren(ok), [{ kind: 'output', taskId: 's', index: 0 }, { kind: 'output', taskId: 's', index: 1 }]);
    const file = outputView(ok, 0)!;
    assert.equal(file.label, 'fox-0.png');
    assert.equal(file.contextValue, 'output.file');
    assert.equal(file.openPath, '/ws/assets/images/fox-0.png');
    assert.equal(file.description, 'image · 2.4 MB');
    const pending = outputView(ok, 1)!;
    assert.equal(pending.contextValue, 'output.pending');
    assert.equal(pending.openPath, undefined);
    assert.match(pending.description!, /not saved: HTTP 403/);
    assert.equal(taskView(ok, T0).collapsible, 'collapsed');
    assert.equal(taskView(task({ id: 'r', state: 'running' }), T0).collapsible, 'none');
    assert.equal(outputView(ok, 5), undefined);
  });

  it('uses stable ids', () => {
    const t = task({ id: 'abc', state: 'succeeded', outputs: [{ url: 'u', kind: 'image', index: 0, savedPath: '/a.png' }] });
    assert.equal(taskView(t, T0).id, 'task:abc');
    assert.equal(outputView(t, 0)!.id, 'output:abc:0');
  });

  it('counts live tasks', () => {
    assert.equal(liveCount([task({ id: 'a', state: 'running' }), task({ id: 'b', state: 'succeeded' }), task({ id: 'c', state: 'downloading' })]), 2);
  });
});

describe('refresh planning', () => {
  it('refreshes only changed tasks while the order holds, everything when it changes', () => {
    const planner = new RefreshPlanner();
    const a = task({ id: 'a', state: 'running', progress: 0.1 });
    const b = task({ id: 'b', state: 'running', progress: 0.1 });
    planner.reset([a, b]);

    assert.deepEqual(planner.plan([{ type: 'changed', task: { ...a, progress: 0.5 } }]), { full: false, ids: ['a'] });
    assert.deepEqual(planner.plan([{ type: 'changed', task: { ...a, progress: 0.5, updatedAt: T0 + 5 } }]), { full: false, ids: [] }, 'no visible change');
    assert.deepEqual(planner.plan([
      { type: 'changed', task: { ...a, progress: 0.7 } },
      { type: 'changed', task: { ...a, progress: 0.8 } },
      { type: 'changed', task: { ...b, progress: 0.2 } },
    ]), { full: false, ids: ['a', 'b'] });
    assert.deepEqual(planner.plan([{ type: 'finished', task: { ...a, state: 'succeeded' } }]), { full: true, ids: [] }, 'moved to the finished group');
    assert.deepEqual(planner.plan([{ type: 'added', task: task({ id: 'c', state: 'uploading' }) }]), { full: true, ids: [] });
    assert.deepEqual(planner.plan([{ type: 'removed', id: 'b' }]), { full: true, ids: [] });
    const saved = { ...a, state: 'succeeded' as const, outputs: [{ url: 'u', kind: 'image' as const, index: 0, savedPath: '/x.png' }] };
    assert.deepEqual(planner.plan([{ type: 'output-saved', task: saved, output: saved.outputs[0] }]), { full: false, ids: ['a'] });
  });

  it('plans a full refresh for tasks it has never seen', () => {
    const planner = new RefreshPlanner();
    assert.deepEqual(planner.plan([{ type: 'changed', task: task({ id: 'z', state: 'running' }) }]), { full: true, ids: [] });
  });
});
