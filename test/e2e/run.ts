// End-to-end tests of Kie Studio in a real VS Code: code-server (from npm) in Debian's Chromium,
// the packaged .vsix installed into it, requests going to the offline Kie.ai simulator started
// here on loopback. Usage: npm run test:e2e   (E2E_GREP=name runs only the scenarios whose name
// contains it; E2E_SKIP_PACKAGE=1 reuses the last .vsix; E2E_KEEP=1 keeps the temp folders).
// See shared/vscode-e2e.md and test/e2e/harness.ts.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { makeDemoWorkspace } from '../../scripts/demo-workspace';
import { imageDimensions } from '../../src/core/media/sniff';
import { startSimulator, type Simulator } from '../../src/simulator';
import type { SimTask } from '../../src/simulator';
import {
  activityBarItem, codeServerBin, exact, explorerContextMenu, explorerItem, installExtension, launchBrowser, makeTempDir, newPage,
  notifications, openWorkbench, repoRoot, resultsDir, runCommand, runScenarios, scenario, screenshot, startCodeServer,
  statusBarItem, view, viewWebviewFrame, waitForNotification, waitUntil, webviewFrameWith, type CodeServer,
} from './harness';

const SPEED = 0.05; // simulator speed: a 12 s image takes 0.6 s, a 150 s video 7.5 s
const API_KEY = 'e2e-kie-key-0123456789';
const CREDITS = 1000;

function assert(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}
const since = (t: number) => `${((Date.now() - t) / 1000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every file below `dir` (relative paths), skipping dot folders (the engine's partial downloads). */
function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name.startsWith('.')) continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** Files that appeared below `dir` since `before`, matching `re`. */
const newFiles = (dir: string, before: string[], re: RegExp) => filesBelow(dir).filter((f) => !before.includes(f) && re.test(f));

/** Create requests the simulator received (any family's create endpoint). */
function creates(sim: Simulator): number {
  return sim.received.filter((r) => r.origin === 'api' && r.method === 'POST' && /createTask|\/generate$|\/generate\/|\/extend$/.test(r.path)).length;
}

/**
 * Keeps the simulator's next task of `model` running until `release()`: it is created as usual,
 * then its completion is pushed into the future, so a scenario can look at it while it runs.
 */
function holdNextTask(sim: Simulator, model: string): { task: () => SimTask | undefined; release: () => void; dispose: () => void } {
  const state = sim.state;
  const original = state.addTask;
  let held: SimTask | undefined;
  state.addTask = function (this: typeof state, ...args: Parameters<typeof original>) {
    const task = original.apply(this, args);
    if (!held && task.entry.id === model) {
      held = task;
      task.completeAt = task.createdAt + 3600_000;
    }
    return task;
  } as typeof original;
  const dispose = () => {
    state.addTask = original;
  };
  return {
    task: () => held,
    release: () => {
      dispose();
      if (held) held.completeAt = Date.now();
    },
    dispose,
  };
}

/** The Kie Studio log of the newest extension host session (the LogOutputChannel's file). */
function extensionLog(userDataDir: string): string {
  const logs = join(userDataDir, 'logs');
  const found: { path: string; mtime: number }[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/Kie Studio\.log$/.test(name)) found.push({ path: p, mtime: statSync(p).mtimeMs });
    }
  };
  walk(logs);
  return found.sort((a, b) => a.mtime - b.mtime).map((f) => readFileSync(f.path, 'utf8')).join('\n');
}

/** All values of `N` in lines `<label> N ms` of the extension log. */
function timings(log: string, label: string): number[] {
  return [...log.matchAll(new RegExp(`${label} in (\\d+) ms`, 'g'))].map((m) => Number(m[1]));
}

// ---------------------------------------------------------------- page helpers

/** Rows of the Tasks tree whose label shows `text` (labels cut a long prompt after ~28 characters). */
function taskRow(page: Page, text: string): Locator {
  return view(page, 'Tasks').locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: text.slice(0, 24) }) });
}

async function taskDescription(page: Page, text: string): Promise<string> {
  return ((await taskRow(page, text).first().locator('.label-description').textContent({ timeout: 2000 }).catch(() => '')) ?? '').trim();
}

/** Shows the Tasks view unless it is showing. */
async function showTasks(page: Page): Promise<void> {
  if (!(await view(page, 'Tasks').isVisible())) await runCommand(page, 'Kie Studio: Show Tasks');
  await view(page, 'Tasks').waitFor({ timeout: 15_000 });
}

async function waitForTaskState(page: Page, text: string, re: RegExp, timeout = 30_000): Promise<string> {
  await showTasks(page);
  return waitUntil(async () => {
    const d = await taskDescription(page, text);
    return re.test(d) ? d : null;
  }, `the task "${text}" to show ${re} in the Tasks view`, timeout);
}

async function openSidebar(page: Page): Promise<FrameLocator> {
  // A click on the container's icon while it shows would close the side bar.
  if (!(await view(page, 'Generate').isVisible())) await activityBarItem(page, 'Kie Studio').click();
  await view(page, 'Generate').waitFor({ timeout: 15_000 });
  const frame = await viewWebviewFrame(page, 'Generate');
  await frame.locator('#model-select').waitFor({ timeout: 30_000 });
  return frame;
}

/** Picks a model in the generator's combobox by typing its title. */
async function pickModel(frame: FrameLocator, title: string, id: string): Promise<void> {
  const select = frame.locator('#model-select');
  const current = await select.evaluate((el) => (el as HTMLElement & { value: string }).value);
  if (current === id) return;
  await select.locator('input').click();
  await select.locator('input').fill(title);
  // Several titles may contain the one typed ("Nano Banana 2"): click the exact one.
  await select.locator('li.option').filter({ hasText: exact(title) }).first().click();
  await waitUntil(async () => (await select.evaluate((el) => (el as HTMLElement & { value: string }).value)) === id, `model ${id} to be chosen`, 5000);
}

async function fillText(frame: FrameLocator, field: string, text: string): Promise<void> {
  const inner = frame.locator(`#field-${field}`).locator('textarea, input').first();
  await inner.fill(text);
}

/** Answers an input box or quick pick of the workbench: types `text` (if given) and presses Enter. */
async function answerQuickInput(page: Page, text?: string, opts: { password?: boolean; pick?: string } = {}): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator(opts.password ? '.quick-input-box input[type="password"]' : '.quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  if (text !== undefined) await input.fill(text);
  if (opts.pick) {
    const row = widget.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: opts.pick }) }).first();
    await row.waitFor({ timeout: 10_000 });
    await row.click();
  } else {
    await input.press('Enter');
  }
}

/** Drags the sash right of the side bar so task labels and their states fit. */
async function widenSidebar(page: Page, width = 440): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width >= width) return;
  const x = box.x + box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(x - 1, y);
  await page.mouse.down();
  await page.mouse.move(x + (width - box.width) / 2, y, { steps: 4 });
  await page.mouse.move(box.x + width - 1, y, { steps: 4 });
  await page.mouse.up();
}

/**
 * A picture for the README of one region (the side bar, a view pane): saved as
 * test-results/e2e/readme-NAME.png, and as docs/screenshots/NAME.png with E2E_UPDATE_SCREENSHOTS=1.
 */
async function readmeShot(page: Page, name: string, region: Locator, lastInside?: Locator): Promise<void> {
  const box = await region.boundingBox();
  assert(box, `${name}: the region is visible`);
  // Down to the lowest element of `lastInside` (and a margin), not the empty space below it.
  const boxes = lastInside ? await Promise.all((await lastInside.all()).map((l) => l.boundingBox())) : [];
  const bottom = Math.max(0, ...boxes.map((b) => (b ? b.y + b.height : 0)));
  const height = bottom ? Math.min(box.height, bottom + 14 - box.y) : box.height;
  const path = join(resultsDir, `readme-${name}.png`);
  await page.evaluate('document.activeElement && document.activeElement.blur()');
  await page.mouse.move(900, 300);
  await sleep(300);
  await page.screenshot({ path, clip: { x: box.x, y: box.y, width: box.width, height } });
  if (process.env.E2E_UPDATE_SCREENSHOTS) {
    mkdirSync(join(repoRoot, 'docs/screenshots'), { recursive: true });
    copyFileSync(path, join(repoRoot, 'docs/screenshots', `${name}.png`));
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  const t0 = Date.now();
  let t = Date.now();
  try {
    codeServerBin();
  } catch {
    console.log('code-server is missing: running scripts/setup-e2e.sh');
    const r = spawnSync('bash', [join(repoRoot, 'scripts/setup-e2e.sh')], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('scripts/setup-e2e.sh failed');
  }
  const vsix = join(repoRoot, `kie-studio-${JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version}.vsix`);
  if (!process.env.E2E_SKIP_PACKAGE || !existsSync(vsix)) {
    const built = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`npm run package failed:\n${built.stdout}${built.stderr}`);
  }
  console.log(`setup + package: ${since(t)}`);

  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  const root = makeTempDir('kie-e2e-');
  const ws = join(root, 'workspace');
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  makeDemoWorkspace(ws);
  const assets = join(ws, 'assets');

  const sim = await startSimulator({ apiKey: API_KEY, credits: CREDITS, speed: SPEED, seed: 7 });
  t = Date.now();
  await installExtension({ vsix, userDataDir, extensionsDir });
  console.log(`install extension: ${since(t)}`);
  const machineSettings = { 'kieStudio.apiBaseUrl': sim.apiUrl, 'kieStudio.uploadBaseUrl': sim.uploadUrl };
  const settings = { 'window.zoomLevel': 0, 'kieStudio.notifications': 'all' };
  // The engine's expected durations scaled like the simulator's (as the CLI does).
  const env = { KIE_STUDIO_DURATION_SCALE: String(SPEED) };
  t = Date.now();
  let server: CodeServer = await startCodeServer({ workspace: ws, userDataDir, extensionsDir, settings, machineSettings, env });
  console.log(`code-server listening: ${since(t)}`);
  const browser: Browser = await launchBrowser();
  let page = await newPage(browser);
  const servers: CodeServer[] = [server];

  t = Date.now();
  await openWorkbench(page, server, ws);
  console.log(`workbench: ${since(t)}`);
  await widenSidebar(page);

  // ---------------------------------------------------------------- 1
  scenario('01 set API key from the palette; the status bar shows the balance', async () => {
    await runCommand(page, 'Kie Studio: Set API Key');
    await answerQuickInput(page, API_KEY, { password: true });
    await waitForNotification(page, 'Kie.ai API key saved. Balance: 1,000 credits.', 20_000);
    await statusBarItem(page, '1,000').waitFor({ timeout: 10_000 });
    const received = sim.received.filter((r) => r.path.includes('/chat/credit'));
    assert(received.length > 0 && received.every((r) => r.hadAuthorization), 'the balance was asked with the key');
    await screenshot(page, '01-set-api-key');
  });

  // ---------------------------------------------------------------- 2
  scenario('02 generate an image from the sidebar: running, then done, file and record saved', async () => {
    const frame = await openSidebar(page);
    await frame.locator('#category-image').click();
    await pickModel(frame, 'Nano Banana', 'google/nano-banana');
    const prompt = 'a lighthouse on a cliff at sunrise';
    await fillText(frame, 'prompt', prompt);
    await frame.locator('#cost-estimate').filter({ hasText: /credit/ }).waitFor();
    // The README's picture of the form: the Tasks view folded, so the whole form shows.
    const tasksHeader = view(page, 'Tasks').locator('.pane-header');
    await tasksHeader.click();
    await view(page, 'Tasks').locator('.pane-header[aria-expanded="false"]').waitFor();
    await frame.locator('#generate-button').waitFor();
    await readmeShot(page, 'sidebar', page.locator('.part.sidebar'), frame.locator('#generate-button'));
    await tasksHeader.click();
    await view(page, 'Tasks').locator('.pane-header[aria-expanded="true"]').waitFor();
    const hold = holdNextTask(sim, 'google/nano-banana');
    const before = filesBelow(assets);
    try {
      await frame.locator('#generate-button').click();
      await frame.locator('#status-line').filter({ hasText: 'Started' }).waitFor({ timeout: 15_000 });
      await waitForTaskState(page, prompt, /^(queued|running)/, 15_000);
      await screenshot(page, '02-generate-running');
    } finally {
      hold.release();
    }
    await waitForTaskState(page, prompt, /^done in/, 30_000);
    const added = await waitUntil(() => {
      const f = newFiles(assets, before, /\.png$/);
      return f.length ? f : null;
    }, 'the image under assets/', 10_000);
    assert(added.length === 1, `one image saved: ${added}`);
    const png = join(assets, added[0]);
    const dims = imageDimensions(readFileSync(png));
    assert(dims && dims.width > 0, `${added[0]} is an image`);
    const record = JSON.parse(readFileSync(`${png}.json`, 'utf8'));
    assert(record.model === 'google/nano-banana', `record model ${record.model}`);
    await waitForNotification(page, /saved .*\.png/, 10_000);
    await screenshot(page, '02-generate-done');
  });

  // ---------------------------------------------------------------- 3
  scenario('03 an invalid form shows the problem by the field and sends nothing', async () => {
    const frame = await openSidebar(page);
    await pickModel(frame, 'Nano Banana', 'google/nano-banana');
    const before = creates(sim);
    const prompt = frame.locator('#field-prompt textarea');
    await prompt.fill('x'.repeat(5001));
    await frame.locator('#error-prompt').filter({ hasText: /5,?000/ }).waitFor({ timeout: 5000 });
    await frame.locator('#count-prompt.over').waitFor();
    assert(await frame.locator('#generate-button').evaluate((b) => (b as HTMLElement & { disabled: boolean }).disabled), 'Generate is disabled');
    await prompt.press('Control+Enter');
    await screenshot(page, '03-invalid-too-long');
    await prompt.fill('');
    await prompt.press('Control+Enter');
    await frame.locator('#error-prompt').filter({ hasText: 'Required' }).waitFor({ timeout: 5000 });
    await frame.locator('#generate-hint').filter({ hasText: 'Prompt' }).waitFor();
    await frame.locator('#generate-button').click({ force: true });
    await sleep(1000);
    assert(creates(sim) === before, `no create was sent (${creates(sim) - before} were)`);
    await screenshot(page, '03-invalid-missing');
  });

  // ---------------------------------------------------------------- 4
  scenario('04 Explorer → Kie Studio → Upscale Image saves a picture twice the size', async () => {
    const before = filesBelow(assets);
    await runCommand(page, 'View: Show Explorer');
    const folder = explorerItem(page, 'photos');
    await folder.waitFor();
    if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
    await explorerContextMenu(page, 'sunrise-hills.png', 'Kie Studio', 'Upscale Image');
    await waitForNotification(page, /Started: Upscaling sunrise-hills\.png/, 15_000);
    const added = await waitUntil(() => {
      const f = newFiles(assets, before, /\.(png|jpe?g|webp)$/);
      return f.length ? f : null;
    }, 'the upscaled picture under assets/', 30_000);
    const source = imageDimensions(readFileSync(join(ws, 'photos/sunrise-hills.png')));
    const dims = imageDimensions(readFileSync(join(assets, added[0])));
    assert(source && dims, 'both are images');
    assert(dims.width === source.width * 2 && dims.height === source.height * 2, `upscaled ${source.width}×${source.height} → ${dims.width}×${dims.height}`);
    await waitForNotification(page, /saved .*upscale/i, 10_000);
    await screenshot(page, '04-upscale');
  });

  // ---------------------------------------------------------------- 5
  scenario('05 Animate Image saves a video that opens in the preview', async () => {
    const before = filesBelow(assets);
    await explorerContextMenu(page, 'harbour-at-dusk.jpg', 'Kie Studio', 'Animate Image');
    await answerQuickInput(page); // the suggested motion prompt
    await waitForNotification(page, /Started: Animating harbour-at-dusk\.jpg/, 15_000);
    const added = await waitUntil(() => {
      const f = newFiles(assets, before, /\.mp4$/);
      return f.length ? f : null;
    }, 'the video under assets/', 60_000);
    const name = added[0].split('/').pop()!;
    const toast = page.locator('.notifications-toasts .notification-list-item').filter({ hasText: name });
    await toast.waitFor({ timeout: 15_000 });
    await toast.locator('.monaco-button', { hasText: exact('Open') }).click();
    await page.locator('.tabs-container .tab').filter({ hasText: name }).waitFor({ timeout: 15_000 });
    const preview = await webviewFrameWith(page, 'video', 30_000);
    await preview.locator('video').waitFor();
    await screenshot(page, '05-animate-video');
  });

  // ---------------------------------------------------------------- 6
  scenario('06 Suno from the palette saves two audio files', async () => {
    const before = filesBelow(assets);
    await runCommand(page, 'Kie Studio: Generate Audio…');
    await answerQuickInput(page, 'Suno', { pick: 'Suno · music' });
    const prompt = 'a calm piano loop for a rainy afternoon';
    await answerQuickInput(page, prompt);
    const added = await waitUntil(() => {
      const f = newFiles(assets, before, /\.(mp3|wav|m4a)$/);
      return f.length >= 2 ? f : null;
    }, 'two audio files under assets/', 60_000);
    assert(added.length === 2, `two audio files: ${added}`);
    await waitForTaskState(page, prompt, /^done in .*2 files/, 15_000);
    await screenshot(page, '06-suno');
  });

  // ---------------------------------------------------------------- 7
  scenario('07 a task running across a window reload continues and its file lands', async () => {
    const model = 'grok-imagine/text-to-image';
    const prompt = 'a paper boat on a long river';
    const before = filesBelow(assets);
    const createsBefore = creates(sim);
    const hold = holdNextTask(sim, model);
    try {
      await runCommand(page, 'Kie Studio: Generate Image…');
      await answerQuickInput(page, 'Grok Imagine', { pick: 'Grok Imagine · text to image' });
      await answerQuickInput(page, prompt);
      await waitForTaskState(page, prompt, /^(queued|running)/, 20_000);
      const held = await waitUntil(() => hold.task(), 'the task at the simulator');
      await screenshot(page, '07-before-reload');
      const hostsBefore = server.extensionHostsReady();
      await page.reload();
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await waitUntil(() => server.extensionHostsReady() > hostsBefore, 'a new extension host', 60_000);
      await view(page, 'Tasks').waitFor({ timeout: 30_000 });
      await waitForTaskState(page, prompt, /^(queued|running)/, 30_000);
      await screenshot(page, '07-after-reload');
      hold.release();
      await waitForTaskState(page, prompt, /^done in/, 30_000);
      // Grok Imagine makes several pictures per task: each one once, all of the held task.
      const added = newFiles(assets, before, /\.(png|jpe?g|webp)$/);
      assert(added.length === held.files.length, `${held.files.length} pictures saved: ${added}`);
      for (const f of added) {
        const record = JSON.parse(readFileSync(join(assets, `${f}.json`), 'utf8'));
        assert(record.taskId === held.id, `${f} is the held task's (${record.taskId} vs ${held.id})`);
      }
      assert(creates(sim) === createsBefore + 1, `one create (${creates(sim) - createsBefore})`);
    } finally {
      hold.release();
    }
    // The README's picture of the Tasks view: the finished tasks so far, the Suno one opened.
    const suno = taskRow(page, 'a calm piano loop');
    if ((await suno.getAttribute('aria-expanded')) === 'false') await suno.locator('.monaco-tl-twistie').click();
    await view(page, 'Tasks').locator('.monaco-list-row[aria-level="2"]').first().waitFor();
    // No selection, hover highlight or tooltip in the picture.
    const tasksBox = (await view(page, 'Tasks').boundingBox())!;
    await page.mouse.click(tasksBox.x + tasksBox.width / 2, tasksBox.y + tasksBox.height - 10);
    await readmeShot(page, 'tasks', view(page, 'Tasks'), view(page, 'Tasks').locator('.monaco-list-row'));
  });

  // ---------------------------------------------------------------- 8
  scenario('08 the simulator answers 402: a clear notification, the task failed with the reason, no file', async () => {
    const frame = await openSidebar(page);
    await frame.locator('#category-image').click();
    await pickModel(frame, 'Nano Banana', 'google/nano-banana');
    const prompt = 'an expensive castle made of gold';
    await fillText(frame, 'prompt', prompt);
    const before = filesBelow(assets);
    sim.faults.add('createTask:402:1');
    await frame.locator('#generate-button').click();
    const message = await waitForNotification(page, /credit/i, 15_000);
    console.log(`  notification: ${message}`);
    await frame.locator('#generate-error').filter({ hasText: /Not started: .*credits/ }).waitFor({ timeout: 10_000 });
    const state = await waitForTaskState(page, prompt, /^failed/, 15_000);
    console.log(`  task: ${state}`);
    assert(/credit/i.test(state), `the reason is in the tree: ${state}`);
    await sleep(1000);
    assert(newFiles(assets, before, /./).length === 0, 'no file written');
    await screenshot(page, '08-insufficient-credits');
  });

  // ---------------------------------------------------------------- 9
  scenario('09 offline demo from the welcome without a key: generate works, labelled DEMO', async () => {
    await server.stop(); // a fresh user (no key, no API URL) in a second code-server
    const demoWs = join(root, 'demo-workspace');
    makeDemoWorkspace(demoWs);
    const demoAssets = join(demoWs, 'assets');
    server = await startCodeServer({
      workspace: demoWs, userDataDir: join(root, 'demo-user-data'), extensionsDir, settings: { ...settings, 'kieStudio.demo.speed': SPEED },
    });
    servers.push(server);
    await page.close();
    page = await newPage(browser);
    await openWorkbench(page, server, demoWs);
    await widenSidebar(page);
    const frame = await openSidebar(page);
    await frame.locator('#setup-panel').waitFor({ timeout: 15_000 });
    await statusBarItem(page, 'no key').waitFor();
    await view(page, 'Tasks').locator('.welcome-view-content').filter({ hasText: 'Try Offline Demo' }).waitFor();
    await screenshot(page, '09-demo-welcome');
    await frame.locator('#start-demo-button').click();
    await statusBarItem(page, /DEMO/).waitFor({ timeout: 15_000 });
    await frame.locator('#balance').filter({ hasText: /Demo\s*500 credits/ }).waitFor({ timeout: 10_000 });
    await frame.locator('#setup-panel').waitFor({ state: 'hidden' });
    await frame.locator('#category-image').click();
    await pickModel(frame, 'Nano Banana', 'google/nano-banana');
    const prompt = 'a fox reading a map by lantern light';
    await fillText(frame, 'prompt', prompt);
    await frame.locator('#field-prompt textarea').press('Control+Enter');
    await frame.locator('#status-line').filter({ hasText: 'Started' }).waitFor({ timeout: 15_000 });
    const added = await waitUntil(() => {
      const f = newFiles(demoAssets, [], /\.png$/);
      return f.length ? f : null;
    }, 'the demo picture under assets/', 30_000);
    assert(imageDimensions(readFileSync(join(demoAssets, added[0]))), 'a real picture');
    await waitForNotification(page, /^\[Demo\] .*saved/, 15_000);
    await waitForTaskState(page, prompt, /^done in/, 15_000);
    await view(page, 'Tasks').locator('.pane-header').filter({ hasText: 'Offline demo' }).waitFor();
    await screenshot(page, '09-demo-generated');
  });

  const code = await runScenarios({
    onFailure: async (name) => {
      await screenshot(page, `failure-${name.replace(/\W+/g, '-')}`).catch(() => {});
      console.log(`  notifications: ${JSON.stringify(await notifications(page).catch(() => []))}`);
    },
    beforeSummary: async ({ failed }) => {
      const log = servers.map((s) => extensionLog(s.userDataDir)).join('\n');
      const act = timings(log, 'Kie Studio activated');
      const form = timings(log, 'Generator form ready');
      console.log(`extension activation: ${act.map((n) => `${n} ms`).join(', ') || 'not found in the log'}`);
      console.log(`sidebar shown → form usable: ${form.map((n) => `${n} ms`).join(', ') || 'not found in the log'}`);
      await browser.close();
      for (const s of servers) await s.stop();
      await sim.stop();
      if (failed || process.env.E2E_KEEP) console.log(`(user data, logs and workspaces kept in ${root})`);
      else rmSync(root, { recursive: true, force: true });
      console.log(`whole e2e run: ${since(t0)}`);
    },
  });
  return code;
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(e);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
  },
);
