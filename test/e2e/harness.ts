// Small library for end-to-end tests in a real VS Code workbench: code-server (from npm) driven
// in Debian's Chromium by playwright-core. See shared/vscode-e2e.md and scripts/setup-e2e.sh.
//
// Functions passed to page.evaluate / waitForFunction are strings or contain no named inner
// functions: tsx compiles with keepNames, and the injected `__name(...)` helper does not exist
// in the page ("ReferenceError: __name is not defined").
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const resultsDir = join(repoRoot, 'test-results/e2e');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** RegExp matching exactly `text` (for Playwright's hasText, which is otherwise a substring match). */
export const exact = (text: string) => new RegExp(`^\\s*${escapeRe(text)}\\s*$`);

/** Polls `check` until it returns a truthy value; throws `what` on timeout. */
export async function waitUntil<T>(check: () => T | Promise<T>, what: string, timeout = 15_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(200);
  }
}

export function makeTempDir(prefix = 'kie-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

// ---------------------------------------------------------------- code-server

export function codeServerBin(): string {
  const bin = process.env.CODE_SERVER_BIN ?? join(repoRoot, '.vscode-test/code-server/node_modules/.bin/code-server');
  if (!existsSync(bin)) throw new Error(`code-server not found at ${bin}: run scripts/setup-e2e.sh`);
  return bin;
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((res, rej) => {
    execFile(cmd, args, { timeout: 120_000 }, (err, stdout, stderr) => {
      const out = `${stdout}${stderr}`;
      if (err) rej(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${out}`));
      else res(out);
    });
  });
}

export async function installExtension(o: { vsix: string; userDataDir: string; extensionsDir: string }): Promise<void> {
  const out = await run(codeServerBin(), [
    '--user-data-dir', o.userDataDir, '--extensions-dir', o.extensionsDir, '--install-extension', resolve(o.vsix), '--force',
  ]);
  if (!/successfully installed/i.test(out)) throw new Error(`installing ${o.vsix} failed:\n${out}`);
}

export interface CodeServer {
  url: string; // ends with '/'
  port: number;
  userDataDir: string;
  stop(): Promise<void>;
  logs(): string;
  /** How many extension hosts of this user data dir have finished activating their eager extensions. */
  extensionHostsReady(): number;
}

/** Settings that keep the workbench quiet and fast; the caller's settings win. */
export const defaultSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
};

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}

const live = new Set<ChildProcess>();
function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    /* already gone */
  }
}
process.once('exit', () => live.forEach((c) => killGroup(c, 'SIGKILL')));

export async function startCodeServer(o: {
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  settings?: object;
  /**
   * Settings with `"scope": "machine"` (code-server ignores them in User/settings.json): written to
   * `<userDataDir>/Machine/settings.json`.
   */
  machineSettings?: object;
  env?: Record<string, string>;
  port?: number;
  timeout?: number;
}): Promise<CodeServer> {
  mkdirSync(join(o.userDataDir, 'User'), { recursive: true });
  writeFileSync(join(o.userDataDir, 'User/settings.json'), JSON.stringify({ ...defaultSettings, ...o.settings }, null, 2));
  if (o.machineSettings) {
    mkdirSync(join(o.userDataDir, 'Machine'), { recursive: true });
    writeFileSync(join(o.userDataDir, 'Machine/settings.json'), JSON.stringify(o.machineSettings, null, 2));
  }
  // Our own config file, so ~/.config/code-server/config.yaml (password, cert, ...) plays no part.
  const config = join(o.userDataDir, 'code-server.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  const port = o.port ?? (await freePort());
  const child = spawn(
    codeServerBin(),
    [
      '--config', config, '--user-data-dir', o.userDataDir, '--extensions-dir', o.extensionsDir,
      '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--disable-getting-started-override', o.workspace,
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...o.env } },
  );
  live.add(child);
  let out = '';
  let exited = false;
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<void>((r) => child.once('exit', () => ((exited = true), live.delete(child), r())));

  const stop = async () => {
    if (exited) return;
    killGroup(child, 'SIGTERM');
    const t = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
    await exit;
    clearTimeout(t);
  };
  try {
    await waitUntil(() => exited || out.includes('HTTP server listening on'), 'code-server to listen', o.timeout ?? 60_000);
    if (exited) throw new Error('code-server exited');
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n--- code-server output ---\n${out}`);
  }

  const logsDir = join(o.userDataDir, 'logs');
  const extensionHostsReady = () => {
    let n = 0;
    for (const session of existsSync(logsDir) ? readdirSync(logsDir) : []) {
      const sdir = join(logsDir, session);
      for (const host of readdirSync(sdir).filter((d) => d.startsWith('exthost'))) {
        const f = join(sdir, host, 'remoteexthost.log');
        if (existsSync(f) && readFileSync(f, 'utf8').includes('Eager extensions activated')) n++;
      }
    }
    return n;
  };
  return { url: `http://127.0.0.1:${port}/`, port, userDataDir: o.userDataDir, stop, logs: () => out, extensionHostsReady };
}

// ---------------------------------------------------------------- browser and workbench

export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
}

/** A page sized so that a side bar, an editor and notifications all fit in screenshots. */
export function newPage(browser: Browser): Promise<Page> {
  return browser.newPage({ viewport: { width: 1400, height: 900 } });
}

/**
 * Opens the workbench on `folder` and waits for it. Given the CodeServer (not just its url), it also
 * waits until a new extension host has activated its eager extensions; `statusText` waits for a
 * status bar item, e.g. one the extension under test shows when it activates.
 */
export async function openWorkbench(
  page: Page,
  server: CodeServer | string,
  folder: string,
  opts: { statusText?: string | RegExp; timeout?: number } = {},
): Promise<void> {
  const timeout = opts.timeout ?? 90_000;
  const url = typeof server === 'string' ? server : server.url;
  const hostsBefore = typeof server === 'string' ? 0 : server.extensionHostsReady();
  await page.goto(`${url.replace(/\/?$/, '/')}?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout });
  await page.locator('.part.statusbar').waitFor({ timeout });
  if (typeof server !== 'string') {
    await waitUntil(() => server.extensionHostsReady() > hostsBefore, 'the extension host', timeout);
  }
  if (opts.statusText) await statusBarItem(page, opts.statusText).waitFor({ timeout });
}

/** Runs a command by its palette title ("Category: Title", or any unique part of it). */
export async function runCommand(page: Page, title: string, timeout = 15_000): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press('Control+Shift+P');
    try {
      await input.waitFor({ state: 'visible', timeout: 3000 });
      break;
    } catch (e) {
      if (attempt === 2) throw e;
      // The keys went nowhere: let the body (whose keydown reaches the workbench) have the focus,
      // then try a click on the middle of the status bar, where no item usually is.
      if (attempt === 0) await page.evaluate('document.activeElement && document.activeElement.blur()');
      else await page.locator('.part.statusbar').click({ position: { x: (page.viewportSize()?.width ?? 1400) / 2, y: 5 }, timeout: 2000 }).catch(() => {});
    }
  }
  await input.fill(`>${title}`);
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  // List rows are absolutely positioned and not in DOM order: go by data-index.
  const index = await waitUntil(async () => {
    const found = (
      await rows.evaluateAll((els) => els.map((e) => ({ i: Number(e.getAttribute('data-index')), label: e.querySelector('.label-name')?.textContent?.trim() ?? '' })))
    ).sort((a, b) => a.i - b.i);
    return found.find((r) => r.label === title) ?? found.find((r) => r.label.endsWith(`: ${title}`)) ?? found.find((r) => r.label.includes(title));
  }, `command "${title}" in the palette`, timeout);
  await rows.and(page.locator(`[data-index="${index.i}"]`)).click();
  // Done when the palette closed or now shows something else (e.g. the command's own quick pick).
  await waitUntil(
    async () => !(await widget.isVisible()) || (await input.inputValue().catch(() => '')) !== `>${title}`,
    `the palette to run "${title}"`,
    5000,
  );
}

// ---------------------------------------------------------------- selectors

/** A view pane (tree or webview view) by the name shown in its header. */
export function view(page: Page, name: string): Locator {
  return page.locator('.pane').filter({ has: page.locator('.pane-header .title', { hasText: exact(name) }) });
}

/** A tree item in a view, by its label (or by its aria-label, which is the tooltip when one is set). */
export function treeItem(page: Page, viewName: string, label: string): Locator {
  const rows = view(page, viewName).locator('.monaco-list-row');
  return rows.filter({ has: page.locator('.label-name', { hasText: exact(label) }) }).or(rows.and(page.locator(`[aria-label=${JSON.stringify(label)}]`)));
}

/** Opens a contributed view (runs its generated "Focus on NAME View" command). */
export async function focusView(page: Page, viewName: string): Promise<Locator> {
  await runCommand(page, `Focus on ${viewName} View`);
  const pane = view(page, viewName);
  await pane.waitFor();
  return pane;
}

export function statusBarItem(page: Page, text: string | RegExp): Locator {
  return page.locator('.part.statusbar .statusbar-item').filter({ hasText: text });
}

export function activityBarItem(page: Page, title: string): Locator {
  return page.locator(`.activitybar .action-item a[aria-label^="${title}"]`);
}

export function explorerItem(page: Page, name: string): Locator {
  return page.locator('.explorer-folders-view .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact(name) }) });
}

/** An entry of the open context menu (or one of its open submenus), by its label. */
export function menuItem(page: Page, label: string): Locator {
  return page.locator('.monaco-menu a.action-menu-item').filter({ has: page.locator('.action-label', { hasText: exact(label) }) });
}

/**
 * Right-clicks `name` in the explorer and follows `labels` through the context menu:
 * every label but the last opens a submenu, the last is clicked. The file must be visible in the
 * explorer tree (top level, or inside an expanded folder).
 */
export async function explorerContextMenu(page: Page, name: string, ...labels: string[]): Promise<void> {
  const item = explorerItem(page, name);
  if (!(await item.isVisible())) await runCommand(page, 'View: Show Explorer');
  await item.waitFor();
  await item.click({ button: 'right' });
  for (const [i, label] of labels.entries()) {
    const entry = menuItem(page, label);
    await entry.waitFor();
    if (i === labels.length - 1) {
      // Now and then the click reaches a submenu that is being drawn again (its hover timer fired)
      // and does nothing; the menu then stays open. Click again until it closes: while it is open
      // the command has not run.
      for (let attempt = 0; ; attempt++) {
        if (attempt > 0 && !(await entry.isVisible())) break;
        await entry.click({ timeout: attempt ? 3000 : undefined });
        const closed = await entry.waitFor({ state: 'hidden', timeout: 2000 }).then(() => true, () => false);
        if (closed) break;
        if (attempt === 2) throw new Error(`the context menu stayed open after clicking "${label}"`);
      }
    } else {
      await entry.hover();
      const next = menuItem(page, labels[i + 1]);
      await next.waitFor({ timeout: 2000 }).catch(async () => {
        await entry.click();
        await next.waitFor();
      });
    }
  }
}

/**
 * The first ready webview's content, per shared/vscode-e2e.md. With several webviews open, or to
 * survive the stuck-webview race (see recreateViewWebview), use viewWebviewFrame or webviewFrameWith.
 */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
}

const webviewIframe = (name: string) => `iframe.webview.ready[name="${name}"]`;
const frameByName = (page: Page, name: string) => page.frameLocator(webviewIframe(name)).frameLocator('#active-frame');
const hasContent = async (page: Page, name: string) => (await page.frameLocator(webviewIframe(name)).locator('#active-frame').count()) > 0;

/** Visible webview iframes, each with the title of the view pane it is drawn over (if any). */
const visibleWebviews = (page: Page): Promise<{ name: string; view: string | null }[]> =>
  page.evaluate(`(() => {
    const panes = [...document.querySelectorAll('.pane')].map((p) => ({ r: p.getBoundingClientRect(), title: p.querySelector('.pane-header .title')?.textContent?.trim() }));
    return [...document.querySelectorAll('iframe.webview.ready')]
      .filter((f) => f.getBoundingClientRect().width > 0 && getComputedStyle(f.parentElement).visibility !== 'hidden')
      .map((f) => {
        const b = f.getBoundingClientRect();
        const x = b.left + b.width / 2, y = b.top + b.height / 2;
        const pane = panes.find((p) => x > p.r.left && x < p.r.right && y > p.r.top && y < p.r.bottom);
        return { name: f.name, view: pane ? pane.title : null };
      });
  })()`);

/**
 * In VS Code 1.100 web all webviews share one origin, and two that start at the same time can race
 * on the service worker: one then waits forever ("Found unexpected service worker controller ...
 * Waiting for controllerchange" in its console) and never gets its #active-frame. "Developer:
 * Reload Webviews" does not help (it re-sends the content to the same stuck frame); a new frame
 * does. Without retainContextWhenHidden, hiding a webview view disposes its frame, so collapse and
 * expand the view's pane, or, with no pane header (a container's only view), show another container
 * and come back.
 */
async function recreateViewWebview(page: Page, viewName: string): Promise<void> {
  console.log(`  [harness] the webview of "${viewName}" is stuck loading; re-creating it`);
  const pane = view(page, viewName);
  const title = pane.locator('.pane-header .title');
  if (await title.isVisible()) {
    await title.click();
    await pane.locator('.pane-header[aria-expanded="false"]').waitFor();
    await title.click();
    await pane.locator('.pane-header[aria-expanded="true"]').waitFor();
  } else {
    await runCommand(page, 'View: Show Explorer');
    await focusView(page, viewName);
  }
}

/**
 * The content of the webview view named `viewName`. Webview iframes live in an overlay outside
 * the view's DOM, so the one drawn over the view pane is picked.
 */
export async function viewWebviewFrame(page: Page, viewName: string, timeout = 45_000): Promise<FrameLocator> {
  const end = Date.now() + timeout;
  for (let attempt = 0; ; attempt++) {
    const name = await waitUntil(
      async () => (await visibleWebviews(page)).find((w) => w.view === viewName)?.name,
      `the webview of view "${viewName}"`,
      Math.max(end - Date.now(), 1000),
    );
    const wait = Math.min(10_000, Math.max(end - Date.now(), 1000));
    if (await waitUntil(() => hasContent(page, name), 'webview content', wait).catch(() => false)) return frameByName(page, name);
    if (attempt === 2 || Date.now() > end) throw new Error(`the webview of view "${viewName}" never loaded its content`);
    await recreateViewWebview(page, viewName);
  }
}

/** The content of the (first) ready webview that contains an element matching `selector`. */
export async function webviewFrameWith(page: Page, selector: string, timeout = 45_000): Promise<FrameLocator> {
  let nextRecovery = Date.now() + 10_000;
  const name = await waitUntil(async () => {
    const webviews = await visibleWebviews(page);
    for (const w of webviews) {
      if ((await frameByName(page, w.name).locator(selector).count()) > 0) return w.name;
    }
    if (Date.now() > nextRecovery) {
      for (const w of webviews) if (w.view && !(await hasContent(page, w.name))) await recreateViewWebview(page, w.view);
      nextRecovery = Date.now() + 10_000;
    }
    return null;
  }, `a webview containing ${selector}`, timeout);
  return frameByName(page, name);
}

// ---------------------------------------------------------------- notifications, files, screenshots

/** Texts of the notifications currently shown (toasts, and the notification center if open). */
export async function notifications(page: Page): Promise<string[]> {
  const texts = await page
    .locator('.notifications-toasts .notification-list-item-message, .notifications-center .notification-list-item-message')
    .allTextContents();
  return [...new Set(texts.map((t) => t.trim()))];
}

export async function waitForNotification(page: Page, text: string | RegExp, timeout = 15_000): Promise<string> {
  return waitUntil(
    async () => (await notifications(page)).find((t) => (typeof text === 'string' ? t.includes(text) : text.test(t))),
    `a notification matching ${text}`,
    timeout,
  );
}

/** Waits for a file to exist (and to contain `contains`, if given); returns its contents. */
export async function waitForFile(path: string, opts: { timeout?: number; contains?: string } = {}): Promise<string> {
  return waitUntil(
    () => {
      if (!existsSync(path)) return null;
      const text = readFileSync(path, 'utf8');
      return !opts.contains || text.includes(opts.contains) ? { text } : null;
    },
    `file ${path}${opts.contains ? ` containing "${opts.contains}"` : ''}`,
    opts.timeout ?? 15_000,
  ).then((r) => r.text);
}

/** Saves a PNG of the page to test-results/e2e/NAME.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

// ---------------------------------------------------------------- scenario runner

type Scenario = { name: string; fn: () => unknown | Promise<unknown> };
const scenarios: Scenario[] = [];

export function scenario(name: string, fn: () => unknown | Promise<unknown>): void {
  scenarios.push({ name, fn });
}

/**
 * Runs the registered scenarios in order (only those whose name contains $E2E_GREP, if set),
 * prints one line per result and finally exactly "N passed, N failed". Returns the exit code.
 */
export async function runScenarios(opts: {
  onFailure?: (name: string, error: unknown) => unknown;
  /** Runs after the last scenario, before the summary line (e.g. to print timings or clean up). */
  beforeSummary?: (result: { passed: number; failed: number }) => unknown;
} = {}): Promise<number> {
  let passed = 0;
  let failed = 0;
  const grep = process.env.E2E_GREP;
  for (const s of scenarios.splice(0).filter((x) => !grep || x.name.includes(grep))) {
    const start = Date.now();
    const secs = () => ((Date.now() - start) / 1000).toFixed(1);
    try {
      await s.fn();
      passed++;
      console.log(`ok   ${s.name} (${secs()} s)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${s.name} (${secs()} s)\n  ${String((e as Error)?.stack ?? e).replace(/\n/g, '\n  ')}`);
      try {
        await opts.onFailure?.(s.name, e);
      } catch (hookError) {
        console.log(`  (onFailure hook failed: ${hookError})`);
      }
    }
  }
  try {
    await opts.beforeSummary?.({ passed, failed });
  } catch (e) {
    console.log(`(beforeSummary hook failed: ${e})`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}
