/**
 * Activates the extension against a fake `vscode` module (./fakeVscode.ts) and drives its
 * commands end to end against the simulator: the offline demo, explorer actions, the key check
 * against a configured (machine-scoped) API URL, generating through the real client, the tree,
 * the status bar, notifications and a restart that resumes the journal.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { installFakeVscode, makeContext, setUserSetting, state, Uri } from './fakeVscode';

installFakeVscode();

type Api = Awaited<ReturnType<typeof import('../../src/extension/extension').activate>>;
type Sim = Awaited<ReturnType<typeof import('../../src/simulator').startSimulator>>;

const repo = fileURLToPath(new URL('../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'kie-ext-'));
const ws = join(tmp, 'ws');
const storage = join(tmp, 'storage');
mkdirSync(ws, { recursive: true });

async function until<T>(what: string, fn: () => T | undefined | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const run = <T = unknown>(id: string, ...args: unknown[]) => (state.commands.get(id)!(...args) as Promise<T>);

describe('extension activation (fake vscode, simulator)', { timeout: 120_000 }, () => {
  let ext: typeof import('../../src/extension/extension');
  let api: Api;
  let context: ReturnType<typeof makeContext>;
  let sim: Sim;

  before(async () => {
    state.folders = [{ uri: Uri.file(ws), name: 'ws', index: 0 }];
    setUserSetting('kieStudio.demo.speed', 0.002);
    ext = await import('../../src/extension/extension');
    const { startSimulator } = await import('../../src/simulator');
    sim = await startSimulator({ speed: 0.002, credits: 1000, apiKey: 'real-key-123456' });
    context = makeContext(storage, repo);
    api = await ext.activate(context as never);
  });

  after(async () => {
    if (process.env.KIE_DUMP_LOG) console.log(state.logLines.filter((l) => !l.startsWith('[debug]')).join('\n'));
    await ext.deactivate();
    for (const d of context.subscriptions) d.dispose();
    await sim.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('activates, registers every command and logs its activation time', async () => {
    const { COMMANDS } = await import('../../src/extension/model/commands');
    for (const id of Object.values(COMMANDS)) assert.ok(state.commands.has(id), id);
    assert.ok(state.logLines.some((l) => /Kie Studio activated in \d+ ms/.test(l)));
    assert.equal(state.context.get('kieStudio.hasKey'), false);
    assert.equal(state.context.get('kieStudio.demo'), false);
    assert.equal(api.mode, 'real');
    assert.ok(existsSync(api.storageDir));
    assert.ok(state.treeViews.has('kieStudio.tasks'));
    assert.ok(state.webviewProviders.has('kieStudio.generator'));
    assert.match(api.statusBarText(), /no key/);
  });

  it('without a key or the demo, generate and Explorer actions send nothing and offer both', async () => {
    const before = state.messages.length;
    const source = join(ws, 'no-key.png');
    writeFileSync(source, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
    assert.equal(await run('kieStudio.upscaleImage', Uri.file(source)), undefined);
    assert.equal(await run('kieStudio.generateImage', { model: 'flux-kontext-pro', prompt: 'x' }), undefined);
    const offers = state.messages.slice(before).filter((m) => /needs a Kie\.ai API key/.test(m.text));
    assert.equal(offers.length, 2);
    assert.equal(api.engine.list().length, 0, 'no task was made');
  });

  it('starts the offline demo and generates from the palette arguments', async () => {
    const account = await run<{ demo: boolean; credits: number }>('kieStudio.startDemo');
    assert.equal(account.demo, true);
    assert.equal(state.context.get('kieStudio.demo'), true);
    assert.equal(api.mode, 'demo');
    assert.match(api.statusBarText(), /DEMO/);
    assert.equal(state.treeViews.get('kieStudio.tasks')!.view.description, 'Offline demo');

    const task = await run<{ id: string; state: string }>('kieStudio.generateImage', { model: 'flux-kontext-pro', prompt: 'A red fox in fresh snow' });
    assert.ok(task?.id, 'a task record');
    await api.engine.idle();
    const done = api.engine.get(task.id)!;
    assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
    const file = done.outputs[0].savedPath!;
    assert.ok(file.startsWith(join(ws, 'assets')), file);
    assert.ok(existsSync(file));
    assert.ok(state.messages.some((m) => /^\[Demo\] Started: /.test(m.text)));
    await until('the success notice', () => state.messages.find((m) => /^\[Demo\] .*saved/.test(m.text)));

    const tree = await until('the tree', () => { const t = api.tree(); return t.length ? t : undefined; });
    assert.equal(tree[0].contextValue, 'task.succeeded');
    assert.match(tree[0].label, /A red fox/);
    assert.equal(tree[0].children[0].contextValue, 'output.file');
    await until('hasOutputs', () => state.context.get('kieStudio.hasOutputs') === true);
  });

  it('runs explorer actions on a file Uri', async () => {
    const source = api.engine.list().find((t) => t.state === 'succeeded')!.outputs[0].savedPath!;
    const up = await run<{ id: string; model: string; input: Record<string, unknown> }>('kieStudio.upscaleImage', Uri.file(source));
    assert.equal(up.model, 'topaz/image-upscale');
    assert.deepEqual(up.input, { image_url: source, upscale_factor: '2' });
    const animated = await run<{ id: string; input: Record<string, unknown> }>('kieStudio.animateImage', Uri.file(source), { prompt: 'The fox turns its head' });
    assert.equal(animated.input.prompt, 'The fox turns its head');
    state.inputs.push('Snow falls');
    const asked = await run<{ input: Record<string, unknown> }>('kieStudio.animateImage', Uri.file(source));
    assert.equal(asked.input.prompt, 'Snow falls');
    await api.engine.idle();
    for (const id of [up.id, animated.id]) assert.equal(api.engine.get(id)!.state, 'succeeded', id);

    const edit = await run<{ model: string; input: Record<string, unknown> }>('kieStudio.editImage', Uri.file(source));
    assert.deepEqual(edit, { model: 'flux-kontext-pro', input: { inputImage: source } });

    const before = state.messages.length;
    assert.equal(await run('kieStudio.upscaleVideo', Uri.file(source)), undefined, 'an image is not a video');
    assert.match(state.messages.slice(before).find((m) => m.severity === 'error')!.text, /is not a video file/);
  });

  it('offers item commands on tasks: details, copy URL, generate again, retry, remove, clear', async () => {
    const task = api.engine.list().find((t) => t.state === 'succeeded')!;
    assert.equal((await run<{ id: string }>('kieStudio.showTaskDetails', task.id)).id, task.id);
    assert.equal(await run('kieStudio.copyOutputUrl', { kind: 'output', taskId: task.id, index: 0 }), task.outputs[0].url);
    assert.equal(state.clipboard, task.outputs[0].url);
    assert.equal(await run('kieStudio.openOutput', { kind: 'task', id: task.id }), task.outputs.find((o) => o.savedPath)!.savedPath);
    assert.deepEqual(await run('kieStudio.generateAgain', { kind: 'task', id: task.id }), { model: task.model, input: task.input });
    const again = await run<{ id: string; retryOf?: string }>('kieStudio.retryTask', task.id);
    assert.equal(again.retryOf, task.id);
    await api.engine.idle();
    assert.equal(await run('kieStudio.removeTask', again.id), again.id);
    assert.equal(api.engine.get(again.id), undefined);
    const n = await run<number>('kieStudio.clearFinished');
    assert.ok(n >= 1);
    assert.equal(api.engine.list().length, 0);
  });

  it('stays in the demo across a restart, and stops watching demo tasks the old simulator took along', async () => {
    setUserSetting('kieStudio.demo.speed', 1);
    const slow = await run<{ id: string }>('kieStudio.generateVideo', { model: 'veo3_fast', prompt: 'Waves at dusk' });
    assert.ok(slow?.id);
    await ext.deactivate();
    for (const d of context.subscriptions.splice(0)) d.dispose();
    state.commands.clear();
    setUserSetting('kieStudio.demo.speed', 0.002);

    api = await ext.activate(context as never);
    assert.equal(api.mode, 'demo', 'the demo restarts with the window');
    assert.ok(api.demo?.apiUrl);
    assert.equal(api.engine.get(slow.id)!.state, 'stopped');
    assert.ok(state.messages.some((m) => /^\[Demo\] 1 unfinished demo task could not continue/.test(m.text)));
    assert.equal(await run('kieStudio.removeTask', slow.id), slow.id);
  });

  it('stops the demo and returns to the real API', async () => {
    const account = await run<{ demo: boolean }>('kieStudio.stopDemo');
    assert.equal(account.demo, false);
    assert.equal(api.mode, 'real');
    assert.equal(state.context.get('kieStudio.demo'), false);
    assert.equal(state.treeViews.get('kieStudio.tasks')!.view.description, undefined);
  });

  it('checks a key against the machine-scoped API URL before saving it', async () => {
    setUserSetting('kieStudio.apiBaseUrl', sim.apiUrl);
    setUserSetting('kieStudio.uploadBaseUrl', sim.uploadUrl);
    const wrong = await run<{ saved: boolean }>('kieStudio.setApiKey', 'not-the-key');
    assert.equal(wrong.saved, false);
    assert.equal(context.secretsMap.size, 0);
    state.inputs.push('real-key-123456');
    const right = await run<{ saved: boolean; credits: number }>('kieStudio.setApiKey');
    assert.deepEqual(right, { saved: true, credits: 1000 });
    assert.equal(context.secretsMap.get('kieStudio.apiKey'), 'real-key-123456');
    assert.equal(state.context.get('kieStudio.hasKey'), true);
    assert.match(api.statusBarText(), /1,000/);
    assert.ok(!state.logLines.some((l) => l.includes('real-key-123456')), 'the key never reaches the log');
  });

  it('ignores a workspace value of the API URL', async () => {
    state.workspace['kieStudio.apiBaseUrl'] = 'https://evil.example';
    const credits = await run<number>('kieStudio.showCredits');
    assert.equal(credits, 1000);
    delete state.workspace['kieStudio.apiBaseUrl'];
  });

  it('generates through the real client, and a fresh activation resumes the journal', async () => {
    const task = await run<{ id: string; state: string }>('kieStudio.generateAudio', { model: 'elevenlabs/text-to-speech-turbo-2-5', prompt: 'Hello from Kie Studio' });
    assert.ok(task?.id);
    assert.ok(['queued', 'running', 'pending-create'].includes(api.engine.get(task.id)!.state), api.engine.get(task.id)!.state);
    await ext.deactivate();
    for (const d of context.subscriptions.splice(0)) d.dispose();
    state.commands.clear();

    api = await ext.activate(context as never);
    assert.equal(api.mode, 'real');
    assert.ok(api.engine.get(task.id), 'the task is in the journal');
    await api.engine.idle();
    const done = api.engine.get(task.id)!;
    assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
    assert.ok(readdirSync(join(ws, 'assets'), { recursive: true }).some((f) => String(f).endsWith('.mp3')));
  });

  it('offers to open a folder when none is open, without waiting for the answer', async () => {
    const folders = state.folders;
    state.folders = [];
    try {
      assert.equal(await run('kieStudio.generateImage', { model: 'flux-kontext-pro', prompt: 'x' }), undefined);
      const m = state.messages.at(-1)!;
      assert.match(m.text, /Open a folder first/);
      assert.deepEqual(m.actions, ['Open Folder…']);
    } finally {
      state.folders = folders;
    }
  });

  it('removes the key', async () => {
    assert.equal(await run('kieStudio.removeApiKey'), true);
    assert.equal(context.secretsMap.size, 0);
    assert.equal(state.context.get('kieStudio.hasKey'), false);
  });

  it('demo.autoStart starts the demo on activation without a key, and not once it was stopped there', async () => {
    const reactivate = async (fresh: boolean) => {
      await ext.deactivate();
      for (const d of context.subscriptions.splice(0)) d.dispose();
      state.commands.clear();
      if (fresh) context = makeContext(join(tmp, 'storage-autostart'), repo);
      api = await ext.activate(context as never);
    };
    setUserSetting('kieStudio.demo.autoStart', true);
    try {
      await reactivate(true);
      assert.equal(api.mode, 'demo');
      assert.match(api.statusBarText(), /DEMO/);
      await run('kieStudio.stopDemo');
      await reactivate(false);
      assert.equal(api.mode, 'real', 'stopped in this workspace: stays off');
    } finally {
      setUserSetting('kieStudio.demo.autoStart', undefined);
    }
  });
});
