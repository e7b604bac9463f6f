import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Catalog } from '../core/catalog/catalog';
import type { EngineLimits } from '../core/engine';
import type { EngineEvent, TaskEngineApi } from '../core/engine/types';
import type { KieClient } from '../core/kie/client';
import { settings, type Mode } from './connection';
import { createEngine } from './engineFactory';
import type { Logger } from './logger';
import { isLive, liveCount } from './model/taskTree';

/**
 * The engine's limits per mode. The demo simulator runs `demo.speed` times as long as Kie.ai:
 * scale the engine's duration priors alike, so it polls when demo tasks are likely done. In real
 * mode, KIE_STUDIO_DURATION_SCALE (as for the CLI; e.g. 0.05) does the same for a simulator the
 * API URL points at, such as the end-to-end tests'; Kie.ai itself needs the default, 1.
 */
export function limitsFor(mode: Mode, env: NodeJS.ProcessEnv = process.env): EngineLimits | undefined {
  if (mode === 'demo') return { durationScale: settings().demoSpeed };
  const scale = Number(env.KIE_STUDIO_DURATION_SCALE ?? 1);
  if (!(scale > 0) || scale === 1) return undefined;
  return {
    durationScale: scale,
    policy: { minIntervalMs: Math.max(100, 1000 * scale), targetLagMs: Math.max(150, 1500 * scale), maxIntervalMs: Math.max(1000, 30_000 * scale) },
  };
}

/** An engine event, or the whole list being replaced (the mode switched). */
export type HostEvent = EngineEvent | { type: 'reset' };

/**
 * Holds the task engine of the current mode. The real API and the offline demo keep separate
 * journals (a demo task id means nothing to Kie.ai), both under the extension's global storage:
 * `<globalStorage>/journal` and `<globalStorage>/demo-journal`. Listeners subscribe once and
 * keep getting events across switches.
 */
export class Engines implements vscode.Disposable {
  private engine: TaskEngineApi | undefined;
  private mode: Mode | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly listeners = new Set<(event: HostEvent) => void>();
  private switching: Promise<void> = Promise.resolve();

  constructor(
    private readonly storageRoot: string,
    private readonly catalog: Catalog,
    private readonly client: () => KieClient,
    private readonly log: Logger,
  ) {}

  get current(): TaskEngineApi {
    if (!this.engine) throw new Error('The task engine is not started yet.');
    return this.engine;
  }

  get currentMode(): Mode | undefined {
    return this.mode;
  }

  get ready(): boolean {
    return !!this.engine;
  }

  storageDir(mode: Mode): string {
    return join(this.storageRoot, mode === 'demo' ? 'demo-journal' : 'journal');
  }

  /** Starts (or switches to) the engine of a mode; it loads its journal and resumes unfinished tasks. */
  use(mode: Mode): Promise<void> {
    this.switching = this.switching.catch(() => undefined).then(() => this.switchTo(mode));
    return this.switching;
  }

  /** Resolves once a pending switch is done. */
  whenReady(): Promise<void> {
    return this.switching;
  }

  private async switchTo(mode: Mode): Promise<void> {
    if (this.engine && this.mode === mode) return;
    await this.stopCurrent();
    const dir = this.storageDir(mode);
    await mkdir(dir, { recursive: true });
    const started = Date.now();
    const engine = createEngine({
      catalog: this.catalog,
      client: this.client,
      storageDir: dir,
      log: (line: string) => this.log.debug(`engine: ${line}`),
      limits: limitsFor(mode),
    });
    this.unsubscribe = engine.onEvent((event) => this.emit(event));
    this.engine = engine;
    this.mode = mode;
    try {
      await engine.start();
    } catch (err) {
      this.log.error(`Could not load the task journal in ${dir}`, err);
    }
    if (mode === 'demo') this.orphanDemoTasks(engine);
    const live = liveCount(engine.list());
    this.log.info(`Task engine (${mode}) started in ${Date.now() - started} ms: ${engine.list().length} task(s) in the journal, ${live} resumed.`);
    this.emit({ type: 'reset' });
  }

  /**
   * The demo simulator lives in this extension host, so a window reload (or stopping the demo)
   * forgets its tasks. Demo tasks still live in the journal when the demo engine starts belong to
   * an earlier simulator and can never finish: stop watching them at once, instead of letting
   * them wait out the not-found grace period and fail with a confusing reason.
   */
  private orphanDemoTasks(engine: TaskEngineApi): void {
    const orphans = engine.list().filter((t) => isLive(t.state));
    if (!orphans.length) return;
    for (const t of orphans) engine.stopWatching(t.id);
    const n = orphans.length;
    this.log.warn(`Demo: ${n} unfinished demo task(s) from an earlier session cannot continue (the offline simulator restarted); stopped watching them.`);
    void vscode.window.showInformationMessage(`[Demo] ${n} unfinished demo task${n === 1 ? '' : 's'} could not continue: the offline simulator restarts with the window.`);
  }

  private async stopCurrent(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    const engine = this.engine;
    this.engine = undefined;
    this.mode = undefined;
    if (engine) await engine.dispose().catch((err) => this.log.error('Stopping the task engine', err));
  }

  onEvent(listener: (event: HostEvent) => void): vscode.Disposable {
    this.listeners.add(listener);
    return new vscode.Disposable(() => this.listeners.delete(listener));
  }

  private emit(event: HostEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (err) {
        this.log.error('An engine event listener failed', err);
      }
    }
  }

  async shutdown(): Promise<void> {
    await this.switching.catch(() => undefined);
    await this.stopCurrent();
  }

  dispose(): void {
    void this.shutdown();
    this.listeners.clear();
  }
}
