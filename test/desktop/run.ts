// `npm run test:desktop`: the checks of suite.ts inside a desktop VS Code, through
// @vscode/test-electron. For contributors with a desktop VS Code: VSCODE_EXECUTABLE_PATH names one,
// else test-electron downloads one (which needs Microsoft's servers). Where neither works (CI here)
// it still builds the extension and bundles the checks (out/desktop-tests.js), then says it skipped.
// The code-server suite (npm run test:e2e) is the one CI runs; this one is optional.
//
// `npm run test:desktop -- --code-server` runs the same module in code-server's extension host
// instead (the web workbench takes extensionDevelopmentPath and extensionTestsPath in its `payload`
// query parameter), so the checks can be tried where no desktop VS Code is available.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import * as esbuild from 'esbuild';
import { makeDemoWorkspace } from '../../scripts/demo-workspace';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const testsBundle = join(repoRoot, 'out/desktop-tests.js');

async function main(): Promise<number> {
  const built = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`the build failed:\n${built.stdout}${built.stderr}`);
  mkdirSync(dirname(testsBundle), { recursive: true });
  await esbuild.build({
    entryPoints: [join(repoRoot, 'test/desktop/suite.ts')],
    outfile: testsBundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  console.log(`built dist/ and ${testsBundle.slice(repoRoot.length + 1)}`);

  if (process.argv.includes('--code-server')) return inCodeServer();

  let vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH;
  if (!vscodeExecutablePath) {
    try {
      vscodeExecutablePath = await downloadAndUnzipVSCode({ cachePath: join(repoRoot, '.vscode-test'), timeout: 60_000 });
    } catch (err) {
      const why = (err instanceof Error ? err.message : String(err)).split('\n')[0];
      console.log(`skipped: no desktop VS Code (VSCODE_EXECUTABLE_PATH is not set and downloading one failed: ${why})`);
      console.log('Set VSCODE_EXECUTABLE_PATH to a VS Code binary to run these checks; npm run test:e2e covers the same ground in code-server.');
      return 0;
    }
  }

  const root = mkdtempSync(join(tmpdir(), 'kie-desktop-'));
  const workspace = join(root, 'workspace');
  makeDemoWorkspace(workspace);
  try {
    const code = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: testsBundle,
      launchArgs: [workspace, '--disable-extensions', '--user-data-dir', join(root, 'user-data'), '--extensions-dir', join(root, 'extensions')],
    });
    return code;
  } catch (err) {
    console.log(`desktop checks failed: ${err instanceof Error ? err.message : err}`);
    return 1;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The checks in code-server's extension host, their output read from the browser's console. */
async function inCodeServer(): Promise<number> {
  const { launchBrowser, makeTempDir, newPage, startCodeServer, waitUntil } = await import('../e2e/harness');
  const root = makeTempDir('kie-desktop-cs-');
  const workspace = join(root, 'workspace');
  makeDemoWorkspace(workspace);
  const server = await startCodeServer({ workspace, userDataDir: join(root, 'user-data'), extensionsDir: join(root, 'extensions') });
  const browser = await launchBrowser();
  const lines: string[] = [];
  try {
    const page = await newPage(browser);
    page.on('console', (m) => {
      // The extension host's console.log arrives as "%c INFO color: #33f <text>".
      const text = m.text().replace(/^%c\s+\w+\s+color:\s*\S+\s/, '');
      if (/^(ok|FAIL) |^ {2}|^\d+ passed, \d+ failed$/.test(text)) {
        lines.push(text);
        console.log(text);
      }
    });
    const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = JSON.stringify([['extensionDevelopmentPath', remote(repoRoot)], ['extensionTestsPath', remote(testsBundle)]]);
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    const summary = await waitUntil(() => lines.find((l) => /^\d+ passed, \d+ failed$/.test(l)), 'the checks to finish', 180_000);
    return /^0 passed|[1-9]\d* failed$/.test(summary) ? 1 : 0;
  } finally {
    await browser.close();
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
