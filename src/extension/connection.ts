import * as vscode from 'vscode';
import { KieClient } from '../core/kie/client';
import { KieError } from '../core/kie/errors';
import type { Account } from '../webview/protocol';
import type { Logger } from './logger';
import { readSettings, SECTION, type Settings } from './model/settings';

const SECRET_KEY = 'kieStudio.apiKey';
const DEMO_STATE = 'kieStudio.demoActive';
/** The key the client sends to the in-process simulator (it accepts any key). */
export const DEMO_KEY = 'kie-studio-demo';
export const DEMO_CREDITS = 500;

export type Mode = 'real' | 'demo';

interface DemoSession {
  apiUrl: string;
  uploadUrl: string;
  stop(): Promise<void>;
}

export type KeyCheck =
  | { ok: true; credits: number }
  | { ok: false; kind: 'rejected' | 'unreachable'; message: string };

export function settings(scope?: vscode.Uri): Settings {
  return readSettings(vscode.workspace.getConfiguration(SECTION, scope ?? null));
}

/**
 * Where requests go: the real Kie.ai with the key from SecretStorage, or the offline demo
 * simulator running inside the extension host. Owns the account state (key, demo, balance)
 * and the context keys `kieStudio.hasKey` and `kieStudio.demo`.
 */
export class Connection implements vscode.Disposable {
  private key: string | undefined;
  private demo: DemoSession | undefined;
  private demoStarting: Promise<void> | undefined;
  private cached: { sig: string; client: KieClient } | undefined;
  private credits: number | null = null;
  private creditsError: string | undefined;
  private creditsSeq = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly modeChanged = new vscode.EventEmitter<Mode>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Fires when the key, the mode or the balance changes. */
  readonly onDidChange = this.changed.event;
  /** Fires after switching between the real API and the demo. */
  readonly onDidChangeMode = this.modeChanged.event;

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: Logger) {
    this.disposables.push(
      this.changed,
      this.modeChanged,
      context.secrets.onDidChange(async (e) => {
        if (e.key !== SECRET_KEY) return;
        const before = this.key;
        this.key = (await context.secrets.get(SECRET_KEY)) || undefined;
        this.log.addSecret(this.key);
        if (before !== this.key) {
          this.log.info(this.key ? 'The API key was changed (possibly in another window).' : 'The API key was removed.');
          this.cached = undefined;
          this.credits = null;
          await this.updateContext();
          this.changed.fire();
          if (this.key) void this.refreshCredits();
        }
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (['apiBaseUrl', 'uploadBaseUrl', 'callbackUrl'].some((k) => e.affectsConfiguration(`${SECTION}.${k}`))) {
          this.cached = undefined;
          const s = settings();
          this.log.info(`Kie.ai endpoints: API ${s.apiBaseUrl}, uploads ${s.uploadBaseUrl}.`);
          for (const w of s.warnings) this.log.warn(w);
          if (this.mode === 'real') void this.refreshCredits();
        }
      }),
    );
  }

  /**
   * Reads the key; restarts the demo if this workspace was in demo mode before a reload, or starts
   * it when `demo.autoStart` is on, no key is set and the demo was never stopped in this workspace.
   */
  async init(): Promise<void> {
    this.key = (await this.context.secrets.get(SECRET_KEY)) || undefined;
    this.log.addSecret(this.key);
    const s = settings();
    for (const w of s.warnings) this.log.warn(w);
    const remembered = this.context.workspaceState.get<boolean>(DEMO_STATE);
    const autoStart = remembered === undefined && s.demoAutoStart && !this.key;
    if (autoStart) this.log.info('No API key is set and kieStudio.demo.autoStart is on: starting the offline demo.');
    if (remembered || autoStart) {
      try {
        await this.startDemo();
      } catch (err) {
        this.log.error('Could not restart the offline demo', err);
        await this.context.workspaceState.update(DEMO_STATE, false);
      }
    }
    await this.updateContext();
  }

  get mode(): Mode {
    return this.demo ? 'demo' : 'real';
  }

  get hasKey(): boolean {
    return !!this.key;
  }

  get account(): Account {
    const account: Account = { credits: this.credits, demo: this.mode === 'demo', hasKey: this.hasKey };
    if (this.creditsError) account.error = this.creditsError;
    return account;
  }

  get demoUrls(): { apiUrl: string; uploadUrl: string } | undefined {
    return this.demo ? { apiUrl: this.demo.apiUrl, uploadUrl: this.demo.uploadUrl } : undefined;
  }

  /** The client of the current mode. Throws a KieError "auth" when there is no key outside the demo. */
  client = (): KieClient => {
    if (this.demo) return this.cachedClient(DEMO_KEY, this.demo.apiUrl, this.demo.uploadUrl, undefined);
    if (!this.key) throw new KieError({ kind: 'auth', message: 'No Kie.ai API key is set. Run "Kie Studio: Set API Key", or try the offline demo.' });
    const s = settings();
    return this.cachedClient(this.key, s.apiBaseUrl, s.uploadBaseUrl, s.callbackUrl);
  };

  private cachedClient(key: string, api: string, upload: string, callBackUrl: string | undefined): KieClient {
    const sig = JSON.stringify([key, api, upload, callBackUrl ?? '']);
    if (this.cached?.sig !== sig) {
      this.cached = { sig, client: new KieClient({ apiKey: key, apiBaseUrl: api, uploadBaseUrl: upload, callBackUrl, log: this.log.http }) };
    }
    return this.cached.client;
  }

  /** Checks a key against the real API's balance endpoint (never the demo). */
  async checkKey(key: string): Promise<KeyCheck> {
    const s = settings();
    this.log.addSecret(key);
    const client = new KieClient({ apiKey: key, apiBaseUrl: s.apiBaseUrl, uploadBaseUrl: s.uploadBaseUrl, log: this.log.http, timeoutMs: 15_000, retry: { attempts: 2, baseDelayMs: 300, maxDelayMs: 1000 } });
    try {
      return { ok: true, credits: await client.credits() };
    } catch (err) {
      const e = err instanceof KieError ? err : undefined;
      if (e && (e.kind === 'auth' || e.httpStatus === 401 || e.httpStatus === 403)) return { ok: false, kind: 'rejected', message: e.message };
      return { ok: false, kind: 'unreachable', message: err instanceof Error ? err.message : String(err) };
    }
  }

  async storeKey(key: string, credits?: number): Promise<void> {
    this.key = key;
    this.log.addSecret(key);
    this.cached = undefined;
    await this.context.secrets.store(SECRET_KEY, key);
    if (this.mode === 'real') {
      this.credits = credits ?? null;
      this.creditsError = undefined;
    }
    await this.updateContext();
    this.changed.fire();
  }

  async removeKey(): Promise<boolean> {
    const had = !!this.key;
    this.key = undefined;
    this.cached = undefined;
    await this.context.secrets.delete(SECRET_KEY);
    if (this.mode === 'real') {
      this.credits = null;
      this.creditsError = undefined;
    }
    await this.updateContext();
    this.changed.fire();
    return had;
  }

  /** Fetches the balance of the current mode; null when unknown. */
  async refreshCredits(): Promise<number | null> {
    const seq = ++this.creditsSeq;
    if (this.mode === 'real' && !this.key) {
      this.credits = null;
      this.creditsError = undefined;
      this.changed.fire();
      return null;
    }
    let credits: number | null = null;
    let error: string | undefined;
    try {
      credits = await this.client().credits();
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
      this.log.warn(`Could not fetch the balance: ${error}`);
    }
    if (seq === this.creditsSeq) {
      this.credits = credits;
      this.creditsError = error;
      this.changed.fire();
    }
    return credits;
  }

  /** Starts the simulator in this process and points the client at it. */
  async startDemo(): Promise<void> {
    if (this.demo) return;
    if (this.demoStarting) return this.demoStarting;
    this.demoStarting = (async () => {
      const s = settings();
      const started = Date.now();
      const { startSimulator } = await import('../simulator');
      const sim = await startSimulator({ credits: DEMO_CREDITS, speed: s.demoSpeed, acceptAnyKey: true, apiKey: DEMO_KEY });
      this.demo = { apiUrl: sim.apiUrl, uploadUrl: sim.uploadUrl, stop: () => sim.stop() };
      this.cached = undefined;
      this.credits = DEMO_CREDITS;
      this.creditsError = undefined;
      this.log.info(`Offline demo started in ${Date.now() - started} ms: simulator at ${sim.apiUrl} (speed ${s.demoSpeed}).`);
      await this.context.workspaceState.update(DEMO_STATE, true);
      await this.updateContext();
      this.modeChanged.fire('demo');
      this.changed.fire();
    })();
    try {
      await this.demoStarting;
    } finally {
      this.demoStarting = undefined;
    }
  }

  async stopDemo(): Promise<boolean> {
    if (this.demoStarting) await this.demoStarting.catch(() => undefined);
    const demo = this.demo;
    if (!demo) return false;
    this.demo = undefined;
    this.cached = undefined;
    this.credits = null;
    this.creditsError = undefined;
    await this.context.workspaceState.update(DEMO_STATE, false);
    await this.updateContext();
    this.modeChanged.fire('real');
    this.changed.fire();
    await demo.stop().catch((err) => this.log.error('Stopping the simulator', err));
    this.log.info('Offline demo stopped; back to the Kie.ai API.');
    if (this.key) void this.refreshCredits();
    return true;
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'kieStudio.hasKey', this.hasKey);
    await vscode.commands.executeCommand('setContext', 'kieStudio.demo', this.mode === 'demo');
  }

  /** Stops the demo simulator (deactivate). */
  async shutdown(): Promise<void> {
    const demo = this.demo;
    this.demo = undefined;
    if (demo) await demo.stop().catch(() => undefined);
  }

  dispose(): void {
    void this.shutdown();
    for (const d of this.disposables) d.dispose();
  }
}
