import assert from 'node:assert/strict';
import Module from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// The provider imports 'vscode'; point it at the fake before loading it.
const fakePath = join(__dirname, 'fakes', 'vscode.ts');
const M = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolve = M._resolveFilename;
M._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? fakePath : resolve.call(this, request, ...rest);
};

/* eslint-disable @typescript-eslint/no-require-imports */
const vscode = require('./fakes/vscode') as typeof import('./fakes/vscode');
const { GeneratorViewProvider, LAST_MODEL_KEY } = require('../../src/extension/generator/generatorView') as typeof import('../../src/extension/generator/generatorView');
const { Catalog, builtInModels } = require('../../src/core/catalog/catalog') as typeof import('../../src/core/catalog/catalog');
import type { GeneratorHost } from '../../src/extension/generator/host';
import type { Account, HostMessage } from '../../src/webview/protocol';

function setup(account: Account = { credits: 50, demo: false, hasKey: true }) {
  const logs: string[] = [];
  const state = new Map<string, unknown>();
  const accountChanged = new vscode.EventEmitter<Account>();
  const modelsChanged = new vscode.EventEmitter<void>();
  const submitted: unknown[] = [];
  const ran: string[] = [];
  const host = {
    catalog: () => new Catalog(builtInModels()),
    userModelSpecs: () => [],
    engine: () => ({ submit: async (r: unknown) => { submitted.push(r); return { id: 'loc', taskId: 'kie' }; } }),
    destination: async () => ({ root: '/ws' }),
    assetRoots: () => [vscode.Uri.file('/ws')],
    account: async () => account,
    onAccountChanged: accountChanged.event,
    onModelsChanged: modelsChanged.event,
    assetsFolder: () => 'assets',
    log: { info: (m: string) => logs.push(`info ${m}`), warn: (m: string) => logs.push(`warn ${m}`), error: (m: unknown) => logs.push(`error ${String(m)}`) },
    runCommand: async (c: string) => { ran.push(c); },
  } as unknown as GeneratorHost;
  const context = {
    extensionUri: vscode.Uri.file('/ext'),
    subscriptions: [] as { dispose(): void }[],
    globalState: { get: (k: string, d: unknown) => (state.has(k) ? state.get(k) : d), update: async (k: string, v: unknown) => { state.set(k, v); } },
  };
  const provider = new GeneratorViewProvider(context as never, host);

  const posted: HostMessage[] = [];
  let receive: (m: unknown) => void = () => {};
  const visibility = new vscode.EventEmitter<void>();
  const disposed = new vscode.EventEmitter<void>();
  const view = {
    visible: true,
    webview: {
      options: {} as { localResourceRoots?: { fsPath: string }[]; enableScripts?: boolean },
      html: '',
      cspSource: 'https://webview.test',
      asWebviewUri: (u: { path: string }) => ({ toString: () => `https://webview.test${u.path}` }),
      postMessage: async (m: HostMessage) => { posted.push(m); return true; },
      onDidReceiveMessage: (l: (m: unknown) => void) => { receive = l; return { dispose() {} }; },
    },
    onDidChangeVisibility: visibility.event,
    onDidDispose: disposed.event,
    show() {},
  };
  /** The webview sends a message; resolves when the host handled it. */
  const send = async (m: unknown) => {
    receive(m);
    await new Promise((r) => setTimeout(r, 5));
  };
  return { provider, view, posted, send, logs, state, submitted, ran, accountChanged, visibility };
}

describe('generator view provider', () => {
  it('serves a page with a strict CSP, its script by nonce and limited resource roots', () => {
    const { provider, view } = setup();
    provider.resolveWebviewView(view as never);
    const html = view.webview.html;
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce && nonce.length >= 16);
    assert.match(csp, /^default-src 'none'; script-src 'nonce-[^']+'; style-src https:\/\/webview\.test; img-src https:\/\/webview\.test data:; media-src https:\/\/webview\.test; font-src https:\/\/webview\.test$/);
    assert.doesNotMatch(csp, /unsafe/);
    assert.match(html, new RegExp(`<script nonce="${nonce}" src="https://webview.test/ext/dist/webview.js"></script>`));
    assert.match(html, /<link rel="stylesheet" href="https:\/\/webview.test\/ext\/media\/webview.css">/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.deepEqual(view.webview.options.localResourceRoots?.map((u) => u.fsPath), ['/ext/dist', '/ext/media', '/ws']);
    assert.equal(view.webview.options.enableScripts, true);
  });

  it('holds a fill made before the view exists until after init, and logs the form-ready time', async () => {
    const { provider, view, posted, send, logs } = setup();
    const { calls } = vscode;
    await provider.fill('veo3_fast', { prompt: 'Waves' });
    assert.equal(calls.at(-1)?.command, 'kieStudio.generator.focus');
    provider.resolveWebviewView(view as never);
    assert.equal(posted.length, 0, 'nothing before ready');
    await send({ type: 'ready' });
    assert.deepEqual(posted.map((m) => m.type), ['init', 'fill']);
    const init = posted[0] as Extract<HostMessage, { type: 'init' }>;
    assert.deepEqual(init.account, { credits: 50, demo: false, hasKey: true });
    assert.equal(init.assetsFolder, 'assets');
    await send({ type: 'formReady' });
    assert.ok(logs.some((l) => /^info Generator form ready in \d+ ms$/.test(l)), logs.join('\n'));
  });

  it('answers requests and remembers models', async () => {
    const { provider, view, posted, send, state, submitted, ran } = setup();
    provider.resolveWebviewView(view as never);
    await send({ type: 'ready' });
    await send({ type: 'rememberModel', category: 'video', modelId: 'veo3_fast' });
    assert.deepEqual(state.get(LAST_MODEL_KEY), { video: 'veo3_fast' });
    await send({ type: 'generate', requestId: 1, modelId: 'veo3_fast', input: { prompt: 'Waves', generationType: 'TEXT_2_VIDEO' } });
    assert.deepEqual(posted.at(-1), { type: 'reply', requestId: 1, ok: true, result: { taskId: 'kie', localId: 'loc' } });
    assert.equal(submitted.length, 1);

    vscode.fake.openDialogResult = [vscode.Uri.file('/ws/assets/a.png'), vscode.Uri.file('/else/b.png')];
    await send({ type: 'pickFile', requestId: 2, field: 'imageUrls', kind: 'image', multiple: true });
    assert.deepEqual(posted.at(-1), { type: 'reply', requestId: 2, ok: true, result: { files: [{ path: 'assets/a.png', previewUri: 'https://webview.test/ws/assets/a.png' }, { path: '/else/b.png' }] } });
    const opts = vscode.fake.openDialogOptions as { canSelectMany: boolean; filters: Record<string, string[]> };
    assert.equal(opts.canSelectMany, true);
    assert.ok(opts.filters['Image files'].includes('png'));

    vscode.fake.existing.add('/ws/assets/a.png');
    await send({ type: 'preview', requestId: 3, path: 'assets/a.png' });
    assert.deepEqual(posted.at(-1), { type: 'reply', requestId: 3, ok: true, result: { uri: 'https://webview.test/ws/assets/a.png' } });
    await send({ type: 'preview', requestId: 4, path: '/etc/passwd' });
    assert.deepEqual(posted.at(-1), { type: 'reply', requestId: 4, ok: true, result: {} }, 'nothing outside the allowed roots');

    await send({ type: 'runCommand', command: 'kieStudio.startDemo' });
    assert.deepEqual(ran, ['kieStudio.startDemo']);
    await send({ type: 'runCommand', command: 'workbench.action.quit' });
    assert.deepEqual(ran, ['kieStudio.startDemo']);
  });

  it('sends balances when ready, holds them while hidden, and starts over on the reload', async () => {
    const { provider, view, posted, send, accountChanged, visibility } = setup();
    provider.resolveWebviewView(view as never);
    await send({ type: 'ready' });
    accountChanged.fire({ credits: 40, demo: false, hasKey: true });
    assert.deepEqual(posted.at(-1), { type: 'balance', account: { credits: 40, demo: false, hasKey: true } });
    view.visible = false;
    visibility.fire();
    const before = posted.length;
    provider.postAccount({ credits: 30, demo: false, hasKey: true });
    await provider.selectModel('ideogram/v3-text-to-image');
    assert.equal(posted.length, before, 'nothing goes to a hidden view');
    view.visible = true;
    visibility.fire();
    await send({ type: 'ready' });
    const after = posted.slice(before);
    assert.deepEqual(after.slice(0, 2).map((m) => m.type), ['init', 'fill']);
    assert.equal((after[0] as Extract<HostMessage, { type: 'init' }>).account.credits, 30, 'init carries the newest account known');
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(posted.at(-1), { type: 'balance', account: { credits: 50, demo: false, hasKey: true } }, 'then the fresh look-up');
    provider.dispose();
  });
});
