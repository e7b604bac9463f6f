// `npm run demo`: Kie Studio in a real VS Code (code-server) in your browser, in offline demo mode:
// no key, no network. Installs code-server when missing (scripts/setup-e2e.sh), builds and packages
// the extension, makes a sample workspace in .vscode-test/demo-workspace (kept between runs; files
// you changed are never overwritten), installs the extension into its own user data folder
// (.vscode-test/demo-user) with kieStudio.demo.autoStart on, starts code-server on 127.0.0.1:8080
// (or the next free port) and prints the URL. Ctrl-C stops it.
//
//   npm run demo                  the browser version
//   npm run demo -- --port 9000   another first port to try
//   npm run demo -- --desktop     a desktop VS Code (`code` on the PATH) with the extension loaded
//                                 from this folder (--extensionDevelopmentPath), if there is one
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeDemoWorkspace } from './demo-workspace';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const testDir = join(root, '.vscode-test');
const workspace = join(testDir, 'demo-workspace');
const userDataDir = join(testDir, 'demo-user');
const extensionsDir = join(userDataDir, 'extensions');
const codeServer = join(testDir, 'code-server/node_modules/.bin/code-server');

/** The demo's user settings; a value the user changed in the demo's VS Code stays theirs. */
const DEMO_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'readme',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
};
/** Always set: the point of the demo. */
const FORCED_SETTINGS: Record<string, unknown> = { 'kieStudio.demo.autoStart': true };

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
};

function step(text: string): void {
  console.log(`[demo] ${text}`);
}

function run(cmd: string, argv: string[], what: string, quiet = true): void {
  const r = spawnSync(cmd, argv, { cwd: root, encoding: 'utf8', stdio: quiet ? 'pipe' : 'inherit' });
  if (r.status !== 0) {
    if (quiet) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    throw new Error(`${what} failed (${cmd} ${argv.join(' ')})`);
  }
}

/** Every file below `dir`, relative to it. */
function filesBelow(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

/** The sample workspace: files that are missing are (re)made; existing ones are left alone. */
function prepareWorkspace(): void {
  const fresh = mkdtempSync(join(tmpdir(), 'kie-demo-ws-'));
  try {
    makeDemoWorkspace(fresh);
    let added = 0;
    for (const f of filesBelow(fresh)) {
      const target = join(workspace, f);
      if (existsSync(target)) continue;
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(join(fresh, f), target);
      added++;
    }
    step(`sample workspace: ${relative(root, workspace)} (${added ? `${added} file(s) added` : 'unchanged'})`);
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

/** Merges the demo's settings into a user settings file, keeping what the user set. */
function writeSettings(file: string): void {
  let current: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      current = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      step(`${relative(root, file)} is not plain JSON (comments?): leaving it as it is`);
      return;
    }
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...DEMO_SETTINGS, ...current, ...FORCED_SETTINGS }, null, 2)}\n`);
}

function portFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const srv = createServer();
    srv.once('error', () => res(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => res(true)));
  });
}

async function firstFreePort(from: number): Promise<number> {
  for (let p = from; p < from + 50; p++) if (await portFree(p)) return p;
  throw new Error(`no free port in ${from}–${from + 49}`);
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, command);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

function desktop(): number {
  const code = onPath('code');
  if (!code) {
    console.log('[demo] --desktop: no desktop VS Code here (`code` is not on the PATH), so it is not available.');
    console.log('[demo] Run `npm run demo` without --desktop for VS Code in the browser (code-server).');
    return 1;
  }
  step('building the extension (dist/)');
  run(process.execPath, ['esbuild.mjs'], 'the build');
  prepareWorkspace();
  const desktopUser = join(testDir, 'demo-desktop-user');
  writeSettings(join(desktopUser, 'User/settings.json'));
  step(`opening ${code} with the extension from ${root}`);
  // A user data folder of its own, so the demo settings do not touch yours; `code` returns at once.
  const r = spawnSync(code, ['--user-data-dir', desktopUser, '--extensionDevelopmentPath', root, '--new-window', workspace], { stdio: 'inherit' });
  return r.status ?? 1;
}

async function browser(): Promise<number> {
  const started = Date.now();
  if (!existsSync(codeServer)) {
    step('code-server is not installed yet: running scripts/setup-e2e.sh (about 2 minutes, once)');
    run('bash', [join(root, 'scripts/setup-e2e.sh')], 'scripts/setup-e2e.sh', false);
  }
  step('building and packaging the extension');
  run('npm', ['run', '--silent', 'package'], 'npm run package');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const vsix = join(root, `kie-studio-${version}.vsix`);
  prepareWorkspace();
  step(`installing ${relative(root, vsix)} into ${relative(root, userDataDir)}`);
  run(codeServer, ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'], 'installing the extension');
  writeSettings(join(userDataDir, 'User/settings.json'));
  const config = join(userDataDir, 'code-server.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');

  const first = Number(option('port') ?? process.env.PORT ?? 8080);
  const port = await firstFreePort(first);
  if (port !== first) step(`port ${first} is taken: using ${port}`);
  const child: ChildProcess = spawn(codeServer, [
    '--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', workspace,
  ], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  const exited = new Promise<number>((res) => child.once('exit', (code, signal) => res(code ?? (signal ? 0 : 1))));

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[demo] ${signal}: stopping code-server`);
    const kill = (s: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, s); // its whole process group: the server, the extension host, …
      } catch {
        /* already gone */
      }
    };
    kill('SIGTERM');
    setTimeout(() => kill('SIGKILL'), 5000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  await new Promise<void>((res, rej) => {
    const onData = (d: Buffer) => {
      output += d;
      if (process.env.KIE_DEMO_VERBOSE) process.stdout.write(d);
      if (output.includes('HTTP server listening on')) res();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => rej(new Error(`code-server exited before it listened:\n${output}`)));
  });
  console.log('');
  console.log(`[demo] Kie Studio is ready (${((Date.now() - started) / 1000).toFixed(0)} s). Open this URL in your browser:`);
  console.log('');
  console.log(`    ${url}`);
  console.log('');
  console.log('[demo] Click the Kie Studio icon in the activity bar: the offline demo is on (DEMO in the status bar).');
  console.log('[demo] Ctrl-C stops the server. Your workspace and settings stay in .vscode-test/ for next time.');
  const code = await exited;
  if (!stopping) {
    console.log(`[demo] code-server stopped (exit code ${code}):\n${output.split('\n').slice(-20).join('\n')}`);
    return code || 1;
  }
  console.log('[demo] stopped.');
  return 0;
}

(flag('desktop') ? Promise.resolve(desktop()) : browser()).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[demo] ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  },
);
