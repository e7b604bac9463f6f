// Exercises every function of harness.ts against a throwaway extension (not part of `npm test`).
// Usage: node --import tsx test/e2e/harness-selftest.ts path/to/harness-selftest.vsix
//        (or HARNESS_SELFTEST_VSIX=...). The extension must contribute what the scenarios use:
//   command "Harness: Write Marker File" writing marker.txt and notifying "Harness: marker written";
//   status bar item "Harness Ready"; tree view "Harness Tree" with "Alpha item" and "Beta item";
//   webview views "Harness Panel" and "Harness Other", each with h3#title (Panel/Other), button#go
//   writing clicked-<title>.txt, setting #status to "clicked!" and notifying "<title> button clicked";
//   explorer/context submenu "Harness Tools" on .png with "Harness: Describe Image" writing NAME.info.txt.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  activityBarItem, explorerContextMenu, focusView, installExtension, launchBrowser, makeTempDir, newPage, notifications,
  openWorkbench, runCommand, runScenarios, scenario, screenshot, startCodeServer, statusBarItem, treeItem, view,
  viewWebviewFrame, waitForFile, waitForNotification, webviewFrame, webviewFrameWith, codeServerBin,
} from './harness';

const vsix = process.argv[2] ?? process.env.HARNESS_SELFTEST_VSIX;
if (!vsix || !existsSync(vsix)) {
  console.error('usage: node --import tsx test/e2e/harness-selftest.ts EXTENSION.vsix');
  process.exit(2);
}

// Top-level await is not available: the package is CommonJS for tsx.
async function main(): Promise<number> {
  const t0 = Date.now();
  const since = (t: number) => `${((Date.now() - t) / 1000).toFixed(1)} s`;
  function assert(cond: unknown, msg: string): asserts cond {
    if (!cond) throw new Error(`assertion failed: ${msg}`);
  }

  const root = makeTempDir('harness-selftest-');
  const ws = join(root, 'workspace');
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  mkdirSync(ws, { recursive: true });
  // A 1x1 PNG, for the explorer context menu on .png files.
  writeFileSync(join(ws, 'pic.png'), Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));

  console.log(`code-server: ${codeServerBin()}`);
  let t = Date.now();
  await installExtension({ vsix, userDataDir, extensionsDir });
  console.log(`install extension: ${since(t)}`);
  t = Date.now();
  const server = await startCodeServer({ workspace: ws, userDataDir, extensionsDir, settings: { 'window.zoomLevel': 0 } });
  console.log(`code-server listening: ${since(t)} at ${server.url}`);
  t = Date.now();
  const browser = await launchBrowser();
  const page = await newPage(browser);
  console.log(`browser launch: ${since(t)}`);

  scenario('runner counts passes and failures', async () => {
    scenario('inner pass', () => {});
    scenario('inner fail', () => {
      throw new Error('expected');
    });
    const lines: string[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => void lines.push(a.join(' '));
    const code = await runScenarios().finally(() => (console.log = log));
    assert(code === 1, `exit code ${code}`);
    assert(lines.at(-1) === '1 passed, 1 failed', `last line ${lines.at(-1)}`);
  });

  scenario('workbench opens with the extension host ready', async () => {
    const t1 = Date.now();
    await openWorkbench(page, server, ws, { statusText: 'Harness Ready' });
    console.log(`  workbench + extension ready: ${since(t1)}`);
    await statusBarItem(page, 'Harness Ready').waitFor();
    await activityBarItem(page, 'Harness').waitFor();
  });

  scenario('palette command writes a file into the workspace', async () => {
    await runCommand(page, 'Harness: Write Marker File');
    assert((await waitForFile(join(ws, 'marker.txt'))) === 'written by harness selftest', 'marker.txt contents');
    await waitForNotification(page, 'Harness: marker written');
    assert((await notifications(page)).includes('Harness: marker written'), 'notifications() lists it');
  });

  scenario('tree items are visible', async () => {
    await focusView(page, 'Harness Tree');
    await treeItem(page, 'Harness Tree', 'Alpha item').waitFor();
    await treeItem(page, 'Harness Tree', 'Beta item').waitFor();
    assert((await view(page, 'Harness Tree').locator('.monaco-list-row').count()) === 2, 'two rows');
  });

  scenario('webview button click reaches the extension', async () => {
    await focusView(page, 'Harness Panel');
    const panel = await viewWebviewFrame(page, 'Harness Panel');
    const other = await viewWebviewFrame(page, 'Harness Other');
    assert((await panel.locator('#title').textContent()) === 'Panel', 'Harness Panel frame');
    assert((await other.locator('#title').textContent()) === 'Other', 'Harness Other frame');
    await webviewFrame(page).locator('#go').waitFor();
    const byContent = await webviewFrameWith(page, '#title:text-is("Other")');
    assert((await byContent.locator('#go').textContent()) === 'Click Other', 'webviewFrameWith');

    await panel.locator('#go').click();
    await waitForFile(join(ws, 'clicked-Panel.txt'));
    await panel.locator('#status', { hasText: 'clicked!' }).waitFor();
    await waitForNotification(page, 'Panel button clicked');
    assert(!existsSync(join(ws, 'clicked-Other.txt')), 'only the Panel webview was clicked');
  });

  scenario('explorer context submenu runs a command on a .png', async () => {
    await explorerContextMenu(page, 'pic.png', 'Harness Tools', 'Harness: Describe Image');
    await waitForFile(join(ws, 'pic.png.info.txt'), { contains: 'pic.png' });
  });

  scenario('screenshot is saved', async () => {
    await focusView(page, 'Harness Panel');
    // Webview views are re-created when shown again: wait for their content before the picture.
    await (await viewWebviewFrame(page, 'Harness Panel')).locator('#go').waitFor();
    await (await viewWebviewFrame(page, 'Harness Other')).locator('#go').waitFor();
    const path = await screenshot(page, 'harness-selftest');
    assert(readFileSync(path).subarray(1, 4).toString() === 'PNG', `${path} is a PNG`);
    console.log(`  screenshot: ${path}`);
  });

  scenario('a webview stuck on the service worker race is re-created', async () => {
    // Simulates the VS Code 1.100 web race (see recreateViewWebview in harness.ts): the first webview
    // host frame of a fresh page never gets its service worker.
    const page2 = await newPage(browser);
    await page2.addInitScript(`if (location.pathname.endsWith('/pre/index.html') && !window.parent.__harnessStuck) {
      window.parent.__harnessStuck = true;
      navigator.serviceWorker.register = () => new Promise(() => {});
    }`);
    try {
      await openWorkbench(page2, server, ws, { statusText: 'Harness Ready' });
      await focusView(page2, 'Harness Panel');
      const titles = [];
      for (const name of ['Harness Panel', 'Harness Other']) {
        titles.push(await (await viewWebviewFrame(page2, name)).locator('#title').textContent());
      }
      assert(titles.join() === 'Panel,Other', `titles ${titles}`);
      assert(await page2.evaluate('window.__harnessStuck === true'), 'one webview was made stuck');
    } finally {
      await page2.close();
    }
  });

  const code = await runScenarios({ onFailure: (name) => screenshot(page, `failure-${name.replace(/\W+/g, '-')}`) });
  t = Date.now();
  await browser.close();
  await server.stop();
  console.error(`browser close + code-server stop: ${since(t)}`);
  if (code) console.log(`--- code-server output ---\n${server.logs()}\n(user data and workspace kept in ${root})`);
  else rmSync(root, { recursive: true, force: true });
  console.error(`whole selftest: ${since(t0)}`);
  return code;
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(e);
    process.exitCode = 1;
  },
);
