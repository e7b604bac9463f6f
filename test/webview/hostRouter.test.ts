import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtInModels, Catalog } from '../../src/core/catalog/catalog';
import type { SubmitRequest, TaskEngineApi, TaskRecord } from '../../src/core/engine/types';
import { KieError } from '../../src/core/kie/errors';
import { resolveDisplayPath, toDisplayPath, isWithin } from '../../src/extension/generator/paths';
import { Outbox, parseWebviewMessage, routeWebviewMessage, type GeneratorServices, type ReplyMessage } from '../../src/extension/generator/router';
import type { HostMessage } from '../../src/webview/protocol';

const catalog = new Catalog(builtInModels());

function fakeServices(over: Partial<GeneratorServices> = {}) {
  const logs: string[] = [];
  const submitted: SubmitRequest[] = [];
  const calls: string[] = [];
  const engine = {
    submit: async (r: SubmitRequest) => {
      submitted.push(r);
      return { id: 'local-1', taskId: 'kie-1' } as TaskRecord;
    },
  } as unknown as TaskEngineApi;
  const s: GeneratorServices = {
    catalog: () => catalog,
    engine: () => engine,
    destination: async () => ({ root: '/ws' }),
    assetsFolder: () => 'assets',
    resolvePath: (p) => resolveDisplayPath(p, [{ name: 'ws', path: '/ws' }]),
    pickFile: async () => ({ files: [] }),
    listMedia: async () => ({ files: [{ path: 'a.png' }] }),
    preview: async () => ({}),
    refreshBalance: async () => { calls.push('refresh'); },
    rememberModel: (c, id) => { calls.push(`remember ${c} ${id}`); },
    runCommand: async (c) => { calls.push(`run ${c}`); },
    ready: () => { calls.push('ready'); },
    formReady: () => { calls.push('formReady'); },
    log: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${String(m)}`) },
    ...over,
  };
  return { s, logs, submitted, calls };
}

async function route(raw: unknown, s: GeneratorServices): Promise<ReplyMessage[]> {
  const replies: ReplyMessage[] = [];
  await routeWebviewMessage(raw, s, (r) => replies.push(r));
  return replies;
}

describe('webview message parsing', () => {
  it('accepts every message of the protocol', () => {
    for (const m of [
      { type: 'ready' }, { type: 'formReady' }, { type: 'refreshBalance' },
      { type: 'generate', requestId: 1, modelId: 'veo3', input: { prompt: 'x' } },
      { type: 'pickFile', requestId: 2, field: 'imageUrls', kind: 'image', multiple: true },
      { type: 'listMedia', requestId: 3, kind: 'audio' },
      { type: 'preview', requestId: 4, path: 'a.png' },
      { type: 'rememberModel', category: 'video', modelId: 'veo3' },
      { type: 'runCommand', command: 'kieStudio.setApiKey' },
    ]) assert.equal(parseWebviewMessage(m).ok, true, JSON.stringify(m));
  });

  it('refuses bad ones, keeping the requestId to answer', () => {
    for (const m of [null, 42, {}, { type: 'hack' }, { type: 'ready', extra: 1 }, { type: 'runCommand', command: 'workbench.action.quit' },
      { type: 'generate', requestId: -1, modelId: 'x', input: {} }, { type: 'preview', requestId: 1, path: 'x'.repeat(5000) }]) {
      assert.equal(parseWebviewMessage(m).ok, false, JSON.stringify(m)?.slice(0, 80));
    }
    const r = parseWebviewMessage({ type: 'generate', requestId: 7, modelId: '' , input: {} });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.requestId, 7);
  });
});

describe('routing webview messages', () => {
  it('logs and drops invalid messages, answers those with a requestId', async () => {
    const { s, logs } = fakeServices();
    assert.deepEqual(await route({ type: 'hack' }, s), []);
    assert.match(logs.join('\n'), /warn Generator view: Invalid "hack" message/);
    const [reply] = await route({ type: 'preview', requestId: 3 }, s);
    assert.equal(reply.ok, false);
    assert.equal(reply.requestId, 3);
  });

  it('checks the input before any engine call', async () => {
    const { s, submitted } = fakeServices();
    const [reply] = await route({ type: 'generate', requestId: 1, modelId: 'veo3_fast', input: { prompt: 5 } }, s);
    assert.equal(reply.ok, false);
    assert.deepEqual(reply.issues?.map((i) => i.field), ['prompt']);
    assert.equal(submitted.length, 0);
    const [unknown] = await route({ type: 'generate', requestId: 2, modelId: 'no/such', input: {} }, s);
    assert.match(unknown.error ?? '', /Unknown model/);
  });

  it('submits with absolute paths and the destination, replying with the ids', async () => {
    const { s, submitted } = fakeServices();
    const [reply] = await route({ type: 'generate', requestId: 4, modelId: 'veo3_fast', input: { prompt: 'Waves', generationType: 'FIRST_AND_LAST_FRAMES_2_VIDEO', imageUrls: ['assets/a.png', 'https://x.test/b.png'] } }, s);
    assert.deepEqual(reply, { type: 'reply', requestId: 4, ok: true, result: { taskId: 'kie-1', localId: 'local-1' } });
    assert.deepEqual(submitted, [{
      model: 'veo3_fast',
      input: { prompt: 'Waves', generationType: 'FIRST_AND_LAST_FRAMES_2_VIDEO', imageUrls: ['/ws/assets/a.png', 'https://x.test/b.png'] },
      destination: { root: '/ws', assetsFolder: 'assets' },
    }]);
  });

  it('stops when the user declines a destination, or a relative path has no folder', async () => {
    const declined = fakeServices({ destination: async () => undefined });
    const [r1] = await route({ type: 'generate', requestId: 1, modelId: 'veo3_fast', input: { prompt: 'x', generationType: 'TEXT_2_VIDEO' } }, declined.s);
    assert.equal(r1.ok, false);
    assert.equal(declined.submitted.length, 0);
    const noFolder = fakeServices({ resolvePath: (p) => resolveDisplayPath(p, []) });
    const [r2] = await route({ type: 'generate', requestId: 2, modelId: 'veo3_fast', input: { prompt: 'x', generationType: 'FIRST_AND_LAST_FRAMES_2_VIDEO', imageUrls: ['a.png'] } }, noFolder.s);
    assert.deepEqual(r2.issues?.map((i) => i.field), ['imageUrls']);
  });

  it('passes engine errors on: input issues, Kie messages', async () => {
    const inputError = Object.assign(new Error('The input is not valid'), { name: 'InputError', issues: [{ field: 'imageUrls', message: 'file not found' }] });
    const a = fakeServices({ engine: () => ({ submit: async () => { throw inputError; } }) as unknown as TaskEngineApi });
    const [r1] = await route({ type: 'generate', requestId: 1, modelId: 'veo3_fast', input: { prompt: 'x', generationType: 'TEXT_2_VIDEO' } }, a.s);
    assert.deepEqual(r1, { type: 'reply', requestId: 1, ok: false, error: 'The input is not valid', issues: [{ field: 'imageUrls', message: 'file not found' }] });
    const kie = new KieError({ kind: 'credits', message: 'Not enough Kie.ai credits for this generation.' });
    const b = fakeServices({ engine: () => ({ submit: async () => { throw kie; } }) as unknown as TaskEngineApi });
    const [r2] = await route({ type: 'generate', requestId: 2, modelId: 'veo3_fast', input: { prompt: 'x', generationType: 'TEXT_2_VIDEO' } }, b.s);
    assert.deepEqual(r2, { type: 'reply', requestId: 2, ok: false, error: 'Not enough Kie.ai credits for this generation.' });
  });

  it('says "not started" when the engine records the task as failed at once (e.g. a 402 on the create)', async () => {
    const failed = { id: 'local-9', model: 'veo3_fast', state: 'failed', error: { code: 'credits', message: 'Not enough Kie.ai credits for this generation.' } };
    const { s } = fakeServices({ engine: () => ({ submit: async () => failed }) as unknown as TaskEngineApi });
    const [reply] = await route({ type: 'generate', requestId: 3, modelId: 'veo3_fast', input: { prompt: 'x', generationType: 'TEXT_2_VIDEO' } }, s);
    assert.deepEqual(reply, { type: 'reply', requestId: 3, ok: false, error: 'Not started: Not enough Kie.ai credits for this generation.' });
  });

  it('answers the other requests and runs the notifications', async () => {
    const { s, calls, logs } = fakeServices({ preview: async () => { throw new Error('disk gone'); } });
    assert.deepEqual(await route({ type: 'listMedia', requestId: 5, kind: 'image' }, s), [{ type: 'reply', requestId: 5, ok: true, result: { files: [{ path: 'a.png' }] } }]);
    const [p] = await route({ type: 'preview', requestId: 6, path: 'a.png' }, s);
    assert.deepEqual(p, { type: 'reply', requestId: 6, ok: false, error: 'disk gone' });
    assert.match(logs.join('\n'), /error Generator view: preview failed: disk gone/);
    for (const m of [{ type: 'ready' }, { type: 'formReady' }, { type: 'refreshBalance' }, { type: 'rememberModel', category: 'audio', modelId: 'suno/generate' }, { type: 'runCommand', command: 'kieStudio.showTasks' }]) {
      assert.deepEqual(await route(m, s), []);
    }
    assert.deepEqual(calls, ['ready', 'formReady', 'refresh', 'remember audio suno/generate', 'run kieStudio.showTasks']);
  });
});

describe('outbox', () => {
  const balance = (credits: number): HostMessage => ({ type: 'balance', account: { credits, demo: false, hasKey: true } });
  const initMsg: HostMessage = { type: 'init', userModels: [], lastModelByCategory: {}, account: { credits: 1, demo: false, hasKey: true }, assetsFolder: 'assets' };
  const fill = (id: string): HostMessage => ({ type: 'fill', modelId: id, input: {} });
  const flush = () => new Promise((r) => setImmediate(r));

  it('holds messages until the webview is ready, init first, no message lost', async () => {
    const delivered: HostMessage[] = [];
    const box = new Outbox(async (m) => { delivered.push(m); return true; });
    box.post(fill('a'));
    box.post(balance(1));
    box.post(balance(2));
    box.post(fill('b'));
    assert.equal(delivered.length, 0);
    assert.deepEqual(box.waiting.map((m) => m.type), ['fill', 'balance', 'fill'], 'only the newest balance waits');
    box.open([initMsg]);
    assert.deepEqual(delivered.map((m) => m.type === 'fill' ? `fill ${m.modelId}` : m.type), ['init', 'fill a', 'fill b'], 'init carries the account, so a waiting balance is dropped');
    box.post(balance(3));
    assert.equal(delivered.at(-1)?.type, 'balance');
    box.close();
    box.post(fill('c'));
    assert.equal(delivered.length, 4);
    box.open([initMsg]);
    await flush();
    assert.equal((delivered.at(-1) as { modelId: string }).modelId, 'c');
  });

  it('puts back what the webview did not take', async () => {
    let accept = false;
    const delivered: HostMessage[] = [];
    const box = new Outbox(async (m) => { if (accept) delivered.push(m); return accept; });
    box.open([]);
    box.post(fill('x'));
    await flush();
    assert.equal(box.ready, false);
    assert.deepEqual(box.waiting.map((m) => m.type), ['fill']);
    accept = true;
    box.open([initMsg]);
    await flush();
    assert.deepEqual(delivered.map((m) => m.type), ['init', 'fill']);
  });
});

describe('display paths', () => {
  const one = [{ name: 'site', path: '/ws/site' }];
  const two = [...one, { name: 'docs', path: '/ws/docs' }];
  it('shows workspace files relative (folder name first with several), others absolute', () => {
    assert.equal(toDisplayPath('/ws/site/assets/a.png', one), 'assets/a.png');
    assert.equal(toDisplayPath('/ws/docs/img/b.png', two), 'docs/img/b.png');
    assert.equal(toDisplayPath('/elsewhere/c.png', two), '/elsewhere/c.png');
    assert.equal(toDisplayPath('/ws/site-other/c.png', one), '/ws/site-other/c.png');
  });
  it('resolves them back', () => {
    assert.equal(resolveDisplayPath('assets/a.png', one), '/ws/site/assets/a.png');
    assert.equal(resolveDisplayPath('docs/img/b.png', two), '/ws/docs/img/b.png');
    assert.equal(resolveDisplayPath('img/b.png', two), '/ws/site/img/b.png');
    assert.equal(resolveDisplayPath('/abs/x.png', []), '/abs/x.png');
    assert.equal(resolveDisplayPath('rel.png', []), undefined);
    assert.equal(isWithin('/ws/site', '/ws/site/a/b'), true);
    assert.equal(isWithin('/ws/site', '/ws/sites'), false);
  });
});
