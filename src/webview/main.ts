/**
 * Entry of the generator webview (bundled to dist/webview.js). Loads the vscode-elements it uses,
 * restores the saved state, says `ready` and renders once the host sends `init`.
 */
import './zodSetup';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { GeneratorApp } from './app';
import type { WebviewMessage } from './protocol';
import type { ViewState } from './state';
import { GeneratorView } from './view';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: ViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

function boot(): void {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('app');
  if (!root) return;
  const app = new GeneratorApp(
    {
      post: (m) => vscode.postMessage(m),
      saveState: (s) => vscode.setState(s),
      log: (m) => console.warn(`[Kie Studio] ${m}`),
    },
    vscode.getState(),
  );
  let view: GeneratorView | undefined;
  app.onChange((kind) => {
    if (view || kind !== 'form' || !app.initialised) return;
    // First render after init: build the view, then tell the host the form is usable.
    view = new GeneratorView(root, app);
    view.renderForm();
    const select = root.querySelector('#model-select') as (HTMLElement & { updateComplete?: Promise<unknown> }) | null;
    void Promise.resolve(select?.updateComplete).then(() => requestAnimationFrame(() => app.formRendered()));
  });
  window.addEventListener('message', (ev: MessageEvent) => {
    try {
      app.handleHostMessage(ev.data);
    } catch (err) {
      console.error('[Kie Studio] handling a message failed', err);
    }
  });
  app.start();
}

boot();
