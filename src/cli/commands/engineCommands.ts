import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError, Journal, prepareInput, TaskEngine, type EngineLimits, type TaskRecord } from '../../core/engine/index';
import type { KieClient } from '../../core/kie/client';
import { flag, UsageError } from '../args';
import type { CliCommand, CliContext } from '../context';
import { inputFromArgs } from '../input';

/** The CLI's own journal folder: --state-dir, KIE_STUDIO_HOME, or ~/.kie-studio. */
export function stateDir(ctx: CliContext): string {
  const given = flag(ctx.args, 'state-dir') ?? ctx.env.KIE_STUDIO_HOME;
  return given ? resolve(ctx.cwd, given) : join(homedir(), '.kie-studio');
}

/**
 * KIE_STUDIO_DURATION_SCALE (e.g. 0.01) scales the models' expected durations and the polling
 * intervals with them: for a simulator that runs faster than Kie does. Default 1.
 */
function limitsFor(ctx: CliContext): EngineLimits | undefined {
  const scale = Number(ctx.env.KIE_STUDIO_DURATION_SCALE ?? 1);
  if (!(scale > 0) || scale === 1) return undefined;
  return {
    durationScale: scale,
    policy: { minIntervalMs: Math.max(20, 1000 * scale), targetLagMs: Math.max(20, 1500 * scale), maxIntervalMs: Math.max(200, 30_000 * scale) },
  };
}

function makeEngine(ctx: CliContext, catalog: Awaited<ReturnType<CliContext['catalog']>>): TaskEngine {
  let client: KieClient | undefined;
  return new TaskEngine({
    limits: limitsFor(ctx),
    catalog,
    // Created on first use: invalid input fails before a key is even looked for.
    client: () => (client ??= ctx.client()),
    storageDir: stateDir(ctx),
    log: ctx.env.KIE_STUDIO_DEBUG ? (m) => ctx.err(`[engine] ${m}`) : undefined,
  });
}

const files = (t: TaskRecord) => t.outputs.map((o) => o.savedPath).filter((p): p is string => !!p);

function view(t: TaskRecord) {
  return {
    id: t.id,
    taskId: t.taskId ?? null,
    model: t.model,
    state: t.state,
    files: files(t),
    ...(t.error ? { error: t.error.message } : {}),
  };
}

/** One line that rewrites itself on a terminal (stderr, so stdout stays clean for paths and JSON). */
function progressLine(ctx: CliContext): { update(text: string): void; done(): void } {
  let shown = false;
  const write = (s: string) => process.stderr.write(s);
  return {
    update(text) {
      if (!ctx.isTTY) return;
      write(`\r\x1b[K${text}`);
      shown = true;
    },
    done() {
      if (shown) write('\r\x1b[K');
      shown = false;
    },
  };
}

function describe(t: TaskRecord, started: number): string {
  const secs = Math.round((Date.now() - started) / 1000);
  const pct = t.progress !== undefined && t.state !== 'downloading' ? ` ${Math.round(t.progress * 100)}%` : '';
  const saved = t.state === 'downloading' ? ` ${files(t).length}/${t.outputs.length} saved` : '';
  return `${t.model}: ${t.state}${pct}${t.stage ? ` (${t.stage})` : ''}${saved} · ${secs}s`;
}

/** Waits until the given tasks are finished, or Ctrl-C. Resolves false when interrupted. */
function waitFor(ctx: CliContext, engine: TaskEngine, ids: Set<string> | 'all'): Promise<boolean> {
  const started = Date.now();
  const line = progressLine(ctx);
  return new Promise<boolean>((resolveWait) => {
    const live = () => engine.list().filter((t) => (ids === 'all' || ids.has(t.id)) && ['uploading', 'pending-create', 'queued', 'running', 'downloading'].includes(t.state));
    let finished = false;
    const finish = (ok: boolean) => {
      if (finished) return;
      finished = true;
      clearInterval(ticker);
      off();
      ctx.signal.removeEventListener('abort', onAbort);
      line.done();
      resolveWait(ok);
    };
    const render = () => {
      const l = live();
      if (!l.length) return finish(true);
      line.update(l.length === 1 ? describe(l[0], started) : `${l.length} tasks running · ${Math.round((Date.now() - started) / 1000)}s`);
    };
    const off = engine.onEvent(() => render());
    const ticker = setInterval(render, 1000);
    const onAbort = () => finish(false);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    render();
  });
}

function reportInputError(ctx: CliContext, err: InputError): number {
  if (ctx.json) ctx.printJson({ error: 'invalid input', issues: err.issues });
  else for (const issue of err.issues) ctx.err(`${issue.field}: ${issue.message}`);
  return 2;
}

export const generateCommand: CliCommand = {
  name: 'generate',
  summary: 'Validate, upload local files, start a task, wait for it and save the results',
  usage: 'kie-studio generate <model> [--set field=value]... [--input JSON|@file] [--out DIR] [--assets-folder NAME] [--pattern P] [--no-wait] [--state-dir DIR] [--json]',
  booleans: ['no-wait'],
  async run(ctx) {
    const id = ctx.args.positionals[0];
    if (!id) throw new UsageError('Which model? kie-studio generate <model> (kie-studio models lists them).');
    const catalog = await ctx.catalog();
    const entry = catalog.get(id);
    if (!entry) throw new UsageError(`Unknown model "${id}". Run "kie-studio models" to list them.`);
    const input = inputFromArgs(entry, ctx.args, ctx.cwd);
    const destination = {
      root: resolve(ctx.cwd, flag(ctx.args, 'out') ?? '.'),
      assetsFolder: flag(ctx.args, 'assets-folder') ?? 'assets',
      ...(flag(ctx.args, 'pattern') ? { pattern: flag(ctx.args, 'pattern') } : {}),
    };
    // Invalid input stops here, before a key is needed and before any request.
    try {
      await prepareInput(entry, input, destination.root);
    } catch (err) {
      if (err instanceof InputError) return reportInputError(ctx, err);
      throw err;
    }
    ctx.client(); // no key: a usage error now, not a failed task later
    const engine = makeEngine(ctx, catalog);
    try {
      await engine.start();
      const resumed = engine.list().filter((t) => ['uploading', 'pending-create', 'queued', 'running', 'downloading'].includes(t.state)).length;
      if (resumed && !ctx.json) ctx.err(`Also finishing ${resumed} unfinished task(s) from earlier runs.`);
      let task: TaskRecord;
      try {
        task = await engine.submit({ model: entry.id, input, destination }, { signal: ctx.signal });
      } catch (err) {
        if (err instanceof InputError) return reportInputError(ctx, err);
        throw err;
      }
      if (!ctx.json && task.taskId) ctx.err(`Started ${entry.id}: task ${task.taskId} (about ${task.estimatedCredits} credits, estimate)`);
      const wait = !ctx.args.flags.has('no-wait');
      if (wait && !['failed', 'unknown', 'stopped'].includes(task.state)) {
        const completed = await waitFor(ctx, engine, new Set([task.id]));
        if (!completed) {
          ctx.err(`Interrupted. The task stays in the journal: "kie-studio resume" finishes it.`);
          if (ctx.json) ctx.printJson({ ...view(engine.get(task.id) ?? task), interrupted: true });
          return 130;
        }
      }
      const final = engine.get(task.id) ?? task;
      if (ctx.json) {
        ctx.printJson({ taskId: final.taskId ?? null, id: final.id, state: final.state, files: files(final), ...(final.error ? { error: final.error.message } : {}) });
      } else {
        for (const f of files(final)) ctx.out(f);
        if (!wait && final.taskId) ctx.err(`Not waiting: "kie-studio resume" saves the results when they are ready.`);
        if (final.error) ctx.err(final.error.message);
      }
      return final.state === 'failed' || final.state === 'unknown' ? 1 : 0;
    } finally {
      await engine.dispose();
    }
  },
};

export const tasksCommand: CliCommand = {
  name: 'tasks',
  summary: 'List the tasks in the CLI journal',
  usage: 'kie-studio tasks [--state-dir DIR] [--json]',
  async run(ctx) {
    // Read only: listing must not resume (or send) anything.
    const loaded = await new Journal(stateDir(ctx)).load();
    for (const p of loaded.problems) ctx.err(`journal: ${p}`);
    const tasks = [...loaded.tasks].sort((a, b) => a.createdAt - b.createdAt);
    if (ctx.json) {
      ctx.printJson(tasks.map((t) => ({ ...view(t), createdAt: new Date(t.createdAt).toISOString(), estimatedCredits: t.estimatedCredits })));
      return 0;
    }
    if (!tasks.length) {
      ctx.out('No tasks yet.');
      return 0;
    }
    for (const t of tasks) {
      const when = new Date(t.createdAt).toISOString().replace('T', ' ').slice(0, 19);
      ctx.out(`${t.id}  ${when}  ${t.state.padEnd(14)} ${t.model}${t.taskId ? `  (${t.taskId})` : ''}`);
      for (const f of files(t)) ctx.out(`    ${f}`);
      if (t.error) ctx.out(`    ${t.error.message}`);
    }
    return 0;
  },
};

export const resumeCommand: CliCommand = {
  name: 'resume',
  summary: 'Finish every unfinished task in the CLI journal (poll, download, save)',
  usage: 'kie-studio resume [--state-dir DIR] [--json]',
  async run(ctx) {
    const catalog = await ctx.catalog();
    ctx.client(); // no key: a usage error, before anything is touched
    const engine = makeEngine(ctx, catalog);
    try {
      await engine.start();
      const live = engine.list().filter((t) => ['uploading', 'pending-create', 'queued', 'running', 'downloading'].includes(t.state));
      // Tasks the start itself finished (e.g. a create whose answer was lost is now "unknown").
      const ids = new Set(live.map((t) => t.id));
      if (!live.length && !ctx.json) ctx.err('Nothing to resume.');
      const completed = live.length ? await waitFor(ctx, engine, ids) : true;
      const results = engine.list().filter((t) => ids.has(t.id));
      if (ctx.json) ctx.printJson(results.map(view));
      else {
        for (const t of results) {
          ctx.out(`${t.id}  ${t.state}  ${t.model}`);
          for (const f of files(t)) ctx.out(`    ${f}`);
          if (t.error) ctx.out(`    ${t.error.message}`);
        }
      }
      if (!completed) return 130;
      return results.some((t) => t.state === 'failed' || t.state === 'unknown') ? 1 : 0;
    } finally {
      await engine.dispose();
    }
  },
};
