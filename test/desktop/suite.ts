// Checks that run inside a desktop VS Code's extension host (see run.ts). No mocha: VS Code calls
// `run()` of this module (bundled to out/desktop-tests.js) and counts a rejection as a failure.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { KieStudioApi } from '../../src/extension/extension';
import type { SetKeyResult } from '../../src/extension/commands';
import type { TaskRecord } from '../../src/core/engine/types';
import { startSimulator, type Simulator } from '../../src/simulator';

const EXTENSION_ID = 'kie-studio.kie-studio';
const KEY = 'desktop-test-key-0123456789';

type Check = { name: string; fn: () => Promise<void> };
const checks: Check[] = [];
const check = (name: string, fn: () => Promise<void>) => void checks.push({ name, fn });

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let api: KieStudioApi;
let sim: Simulator;
const config = () => vscode.workspace.getConfiguration('kieStudio');

check('the extension activates and returns its API', async () => {
  const ext = vscode.extensions.getExtension<KieStudioApi>(EXTENSION_ID);
  assert(ext, `${EXTENSION_ID} is installed`);
  const started = Date.now();
  api = await ext.activate();
  console.log(`  activated in ${Date.now() - started} ms`);
  assert(api && typeof api.statusBarText === 'function', 'activate() returns the API');
  assert(api.mode === 'real', `mode ${api.mode}`);
});

check('every command of the manifest is registered', async () => {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  const declared = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
  const registered = new Set(await vscode.commands.getCommands(true));
  const missing = declared.filter((c) => !registered.has(c));
  assert(declared.length > 20, `${declared.length} commands declared`);
  assert(!missing.length, `missing: ${missing.join(', ')}`);
});

check('Set API Key with a key checks it against the API URL (a simulator) and saves it', async () => {
  sim = await startSimulator({ apiKey: KEY, credits: 750, speed: 0.01 });
  await config().update('apiBaseUrl', sim.apiUrl, vscode.ConfigurationTarget.Global);
  await config().update('uploadBaseUrl', sim.uploadUrl, vscode.ConfigurationTarget.Global);
  const wrong = await vscode.commands.executeCommand<SetKeyResult>('kieStudio.setApiKey', 'not-the-key');
  assert(wrong && !wrong.saved, 'a wrong key is not saved');
  const right = await vscode.commands.executeCommand<SetKeyResult>('kieStudio.setApiKey', KEY);
  assert(right?.saved && right.credits === 750, `saved with the balance: ${JSON.stringify(right)}`);
  assert(api.account.hasKey, 'the account has a key');
  await until('the balance in the status bar', () => api.statusBarText().includes('750'));
});

check('the offline demo generates an image that is saved in the workspace', async () => {
  await config().update('demo.speed', 0.01, vscode.ConfigurationTarget.Global);
  await vscode.commands.executeCommand('kieStudio.startDemo');
  assert(api.mode === 'demo', `mode ${api.mode}`);
  assert(/DEMO/.test(api.statusBarText()), api.statusBarText());
  const task = await vscode.commands.executeCommand<TaskRecord>('kieStudio.generateImage', { model: 'google/nano-banana', prompt: 'a desk lamp at night' });
  assert(task?.id, 'generateImage returns a task record');
  const done = await until('the task to finish', () => {
    const t = api.engine.get(task.id);
    return t && ['succeeded', 'failed', 'unknown', 'stopped'].includes(t.state) ? t : undefined;
  }, 60_000);
  assert(done.state === 'succeeded', `state ${done.state}: ${done.error?.message ?? ''}`);
  const file = done.outputs[0]?.savedPath;
  assert(file && existsSync(file) && existsSync(`${file}.json`), `saved with its record: ${file}`);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert(folder && file.startsWith(folder), `inside the workspace: ${file}`);
});

check('the demo stops and the key is removed', async () => {
  await vscode.commands.executeCommand('kieStudio.stopDemo');
  assert(api.mode === 'real', `mode ${api.mode}`);
  assert((await vscode.commands.executeCommand('kieStudio.removeApiKey')) === true, 'a key was removed');
  assert(!api.account.hasKey, 'no key left');
});

export async function run(): Promise<void> {
  let passed = 0;
  let failed = 0;
  for (const c of checks) {
    const t = Date.now();
    try {
      await c.fn();
      passed++;
      console.log(`ok   ${c.name} (${Date.now() - t} ms)`);
    } catch (err) {
      failed++;
      console.log(`FAIL ${c.name} (${Date.now() - t} ms)\n  ${String((err as Error)?.stack ?? err).replace(/\n/g, '\n  ')}`);
    }
  }
  await sim?.stop().catch(() => undefined);
  console.log(`${passed} passed, ${failed} failed`);
  if (failed) throw new Error(`${failed} desktop check(s) failed`);
}
