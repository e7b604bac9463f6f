import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GeneratorApp, type ChangeKind } from '../../src/webview/app';
import type { HostMessage, WebviewMessage } from '../../src/webview/protocol';
import type { ViewState } from '../../src/webview/state';

const account = { credits: 100, demo: false, hasKey: true };
const init = (over: Partial<Extract<HostMessage, { type: 'init' }>> = {}): HostMessage => ({
  type: 'init', userModels: [], lastModelByCategory: {}, account, assetsFolder: 'assets', ...over,
});

function setup(stored?: unknown) {
  const sent: WebviewMessage[] = [];
  let saved: ViewState | undefined;
  const changes: ChangeKind[] = [];
  const app = new GeneratorApp({ post: (m) => sent.push(m), saveState: (s) => { saved = s; } }, stored);
  app.onChange((k) => changes.push(k));
  return { app, sent, changes, saved: () => saved };
}

/** Answers the last request of `type` the app sent. */
function answer(app: GeneratorApp, sent: WebviewMessage[], type: string, reply: Record<string, unknown>) {
  const req = [...sent].reverse().find((m) => m.type === type) as { requestId: number };
  app.handleHostMessage({ type: 'reply', requestId: req.requestId, ...reply });
}

describe('generator app', () => {
  it('says ready, then renders the remembered model of the category on init', () => {
    const { app, sent, changes } = setup();
    app.start();
    assert.deepEqual(sent, [{ type: 'ready' }]);
    assert.equal(app.initialised, false);
    app.handleHostMessage(init({ lastModelByCategory: { image: 'ideogram/v3-text-to-image', video: 'veo3_fast' } }));
    assert.equal(app.initialised, true);
    assert.equal(app.modelId, 'ideogram/v3-text-to-image');
    assert.equal(app.state.modelByCategory.video, 'veo3_fast');
    assert.ok(changes.includes('form') && changes.includes('account'));
    app.formRendered();
    app.formRendered();
    assert.equal(sent.filter((m) => m.type === 'formReady').length, 1);
  });

  it('ignores invalid host messages', () => {
    const { app } = setup();
    assert.equal(app.handleHostMessage({ type: 'init' }), undefined);
    assert.equal(app.handleHostMessage({ type: 'nope' }), undefined);
    assert.equal(app.handleHostMessage(null), undefined);
    assert.equal(app.initialised, false);
  });

  it('restores its own state over the host memory, and values per model', () => {
    const first = setup();
    first.app.handleHostMessage(init());
    first.app.setCategory('video');
    first.app.selectModel('veo3_fast');
    first.app.setValue('prompt', 'A dolly shot');
    first.app.setAdvancedOpen(true);
    assert.deepEqual(first.sent.filter((m) => m.type === 'rememberModel'), [{ type: 'rememberModel', category: 'video', modelId: 'veo3_fast' }]);

    const second = setup(JSON.parse(JSON.stringify(first.saved())));
    second.app.handleHostMessage(init({ lastModelByCategory: { video: 'veo3' } }));
    assert.equal(second.app.category, 'video');
    assert.equal(second.app.modelId, 'veo3_fast');
    assert.equal(second.app.values.prompt, 'A dolly shot');
    assert.equal(second.app.state.advancedOpen, true);
  });

  it('fills the form from the host: model, defaults, then the input', () => {
    const { app, sent } = setup();
    app.handleHostMessage(init());
    app.handleHostMessage({ type: 'fill', modelId: 'veo3_fast', input: { prompt: 'Waves', aspectRatio: '9:16', bogus: 1 } });
    assert.equal(app.category, 'video');
    assert.equal(app.modelId, 'veo3_fast');
    assert.equal(app.values.prompt, 'Waves');
    assert.equal(app.values.aspectRatio, '9:16');
    assert.match(app.generalProblems().join(' '), /bogus/);
    assert.deepEqual(sent.at(-1), { type: 'rememberModel', category: 'video', modelId: 'veo3_fast' });

    // An empty input only selects the model and keeps what the user had typed.
    app.setValue('prompt', 'Changed');
    app.handleHostMessage({ type: 'fill', modelId: 'ideogram/v3-text-to-image', input: {} });
    app.handleHostMessage({ type: 'fill', modelId: 'veo3_fast', input: {} });
    assert.equal(app.values.prompt, 'Changed');

    app.handleHostMessage({ type: 'fill', modelId: 'no/such', input: {} });
    assert.equal(app.modelId, 'veo3_fast');
    assert.match(app.generalProblems().join(' '), /unknown model "no\/such"/);
  });

  it('blocks Generate while invalid or without key, shows errors once touched', () => {
    const { app } = setup();
    app.handleHostMessage(init({ account: { credits: null, demo: false, hasKey: false } }));
    app.handleHostMessage({ type: 'fill', modelId: 'ideogram/v3-text-to-image', input: { prompt: 'x' } });
    assert.match(app.blocker() ?? '', /API key/);
    app.handleHostMessage({ type: 'balance', account: { credits: 10, demo: true, hasKey: false } });
    assert.equal(app.blocker(), undefined);
    app.setValue('prompt', '');
    assert.equal(app.blocker(), 'Fill in: Prompt.');
    assert.equal(app.visibleErrors().prompt, 'Required.');
  });

  it('generates: sends the input with local paths, shows the start, maps reply issues', async () => {
    const { app, sent } = setup();
    app.handleHostMessage(init());
    app.handleHostMessage({ type: 'fill', modelId: 'veo3_fast', input: { prompt: 'Waves', generationType: 'FIRST_AND_LAST_FRAMES_2_VIDEO', imageUrls: ['assets/a.png'] } });
    assert.equal(app.blocker(), undefined, JSON.stringify(app.check().errors));
    const ok = app.generate();
    const req = sent.at(-1) as Extract<WebviewMessage, { type: 'generate' }>;
    assert.equal(req.type, 'generate');
    assert.deepEqual(req.input.imageUrls, ['assets/a.png']);
    assert.equal(app.status.kind, 'busy');
    assert.ok(app.blocker(), 'no second Generate while starting');
    answer(app, sent, 'generate', { ok: true, result: { taskId: 't1', localId: 'l1' } });
    assert.equal(await ok, true);
    assert.deepEqual(app.status, { kind: 'started', text: 'Started — see the Tasks view' });

    const failed = app.generate();
    answer(app, sent, 'generate', { ok: false, error: 'Kie.ai refused the input', issues: [{ field: 'imageUrls.0', message: 'could not be fetched' }, { field: '(input)', message: 'odd' }] });
    assert.equal(await failed, false);
    assert.deepEqual(app.status, { kind: 'error', text: 'Kie.ai refused the input' });
    assert.equal(app.visibleErrors().imageUrls, 'Could not be fetched');
    assert.deepEqual(app.generalProblems(), ['Odd']);
    app.setValue('imageUrls', ['https://x.test/b.png']);
    assert.equal(app.visibleErrors().imageUrls, undefined, 'editing the field clears the host issue');
    assert.equal(app.status.kind, 'idle');
  });

  it('puts picked files into media fields and asks previews once', async () => {
    const { app, sent } = setup();
    app.handleHostMessage(init());
    app.handleHostMessage({ type: 'fill', modelId: 'veo3_fast', input: { prompt: 'p' } });
    const field = app.fields.find((f) => f.name === 'imageUrls')!;
    const pick = app.pickFile(field);
    assert.deepEqual({ ...sent.at(-1), requestId: 0 }, { type: 'pickFile', field: 'imageUrls', kind: 'image', multiple: true, requestId: 0 });
    answer(app, sent, 'pickFile', { ok: true, result: { files: [{ path: 'a.png', previewUri: 'vscode-webview://x/a.png' }, { path: 'b.png' }] } });
    await pick;
    assert.deepEqual(app.values.imageUrls, ['a.png', 'b.png']);
    assert.equal(await app.previewUri('a.png'), 'vscode-webview://x/a.png');
    const p = app.previewUri('b.png');
    answer(app, sent, 'preview', { ok: true, result: {} });
    assert.equal(await p, undefined);
    const before = sent.length;
    await app.previewUri('b.png');
    assert.equal(sent.length, before, 'no second request for the same path');
    app.removeFile(field, 0);
    assert.deepEqual(app.values.imageUrls, ['b.png']);
  });

  it('follows changes of the user models', () => {
    const { app } = setup();
    const mine = { id: 'my/model', category: 'audio' as const, title: 'Mine', fields: [{ name: 'text', type: 'string' as const, required: true }] };
    app.handleHostMessage(init({ userModels: [mine] }));
    app.setCategory('audio');
    app.selectModel('my/model');
    assert.equal(app.modelId, 'my/model');
    app.handleHostMessage({ type: 'models', userModels: [] });
    assert.notEqual(app.modelId, 'my/model');
    assert.equal(app.category, 'audio');
  });
});
