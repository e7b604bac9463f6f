// Kill -9 at random points (before the create, between journal and answer, after the create,
// mid-poll, mid-download), 30+ times; a new engine on the same journal must finish every task,
// nothing may be created twice, and no partial file may ever be visible in the assets folder.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { seededRandom } from '../../src/simulator/random';
import type { Simulator } from '../../src/simulator/index';
import { catalog, creates, engineFor, FAST_LIMITS, kindOfFile, servedBytes, sim, tempDir, visibleFiles } from './helpers';

const WORKER = join(__dirname, 'fixtures', 'worker.ts');
const KILL_POINTS = ['before-create', 'create-sent', 'after-create', 'mid-poll', 'mid-download'] as const;
type KillPoint = (typeof KILL_POINTS)[number];
const MARKER: Record<KillPoint, RegExp> = {
  'before-create': /^SUBMITTING /,
  'create-sent': /^LOG create: sending /,
  'after-create': /^LOG create: answered /,
  'mid-poll': /^POLL$/,
  'mid-download': /^LOG download: start /,
};
type Worker = ChildProcess & { lines: ReturnType<typeof createInterface> };

/** Starts a worker and resolves once it has loaded (it then waits for its configuration). */
function spawnWorker(): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], { stdio: ['pipe', 'pipe', 'inherit'] }) as Worker;
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  return new Promise((resolve, reject) => {
    child.lines.once('line', (line) => (line === 'READY' ? resolve(child) : reject(new Error(`worker said ${line}`))));
    child.once('error', reject);
  });
}

const MODELS = ['google/nano-banana', 'suno/generate', 'elevenlabs/text-to-speech-multilingual-v2'];

let s: Simulator;
const children = new Set<ChildProcess>();
before(async () => {
  // Stalled and broken downloads keep files mid-download long enough to be killed there.
  s = await sim({ seed: 11, faults: [{ endpoint: 'file', kind: 'stall', probability: 0.25 }, { endpoint: 'file', kind: 'truncate', probability: 0.15 }] });
});
after(async () => {
  for (const c of children) c.kill('SIGKILL');
  await s.stop();
});

const FINAL_NAME = /^(image|audio|video)\/\d{4}-\d{2}-\d{2}-[a-z0-9-]+-[0-9a-f]{6}-\d+(-\d+)?\.(png|jpg|webp|mp3|wav|mp4|json)(\.json)?$/;

describe('kill -9 and restart', () => {
  it('finishes every task after 30+ kills, creates none twice, and never shows a partial file', async () => {
    const root = tempDir('crash');
    const storage = join(root, '.state');
    const assets = join(root, 'assets');
    const random = seededRandom(2026);
    const limits = { ...FAST_LIMITS, downloadTimeoutMs: 300, downloadAttempts: 50 };
    const added = new Map<string, string>(); // local id → prompt
    const hits: Record<KillPoint, number> = { 'before-create': 0, 'create-sent': 0, 'after-create': 0, 'mid-poll': 0, 'mid-download': 0 };
    const problems: string[] = [];
    const checked = new Set<string>();

    // Watch the assets folder the whole time: every visible file must be a finished one.
    const watch = setInterval(() => {
      for (const dir of ['', 'image', 'audio', 'video']) {
        let names: string[];
        try {
          names = readdirSync(join(assets, dir));
        } catch {
          continue;
        }
        for (const name of names) {
          const rel = dir ? `${dir}/${name}` : name;
          if (checked.has(rel) || (!dir && ['image', 'audio', 'video', '.kie-partial'].includes(name))) continue;
          checked.add(rel);
          if (!FINAL_NAME.test(rel)) problems.push(`unexpected visible file ${rel}`);
          const full = join(assets, rel);
          try {
            if (rel.endsWith('.json')) JSON.parse(readFileSync(full, 'utf8'));
            else if (kindOfFile(full) !== dir) problems.push(`${rel} is not a complete ${dir} file`);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`${rel}: ${(err as Error).message}`);
          }
        }
      }
    }, 10);

    let kills = 0;
    let prompt = 0;
    let next: Promise<Worker> | undefined;
    let partialAtKill = 0;
    try {
      for (let run = 0; kills < 31 && run < 60; run++) {
        const point = KILL_POINTS[run % KILL_POINTS.length];
        const submit = Array.from({ length: 2 }, () => {
          const model = MODELS[prompt % MODELS.length];
          const example = catalog.require(model).example;
          const text = `restart task ${prompt++}`;
          return { model, input: 'prompt' in example ? { ...example, prompt: text } : { ...example, text } };
        });
        const runStarted = Date.now();
        const child = await (next ?? spawnWorker());
        next = spawnWorker(); // loads while this one runs
        child.stdin?.write(`${JSON.stringify({ apiUrl: s.apiUrl, uploadUrl: s.uploadUrl, apiKey: s.apiKey, storageDir: storage, root, submit, limits })}\n`);
        const killed = await new Promise<boolean>((resolve) => {
          let armed = false;
          let submitted = false;
          const fallback = setTimeout(() => {
            if (!armed) {
              armed = true;
              child.kill('SIGKILL');
            }
          }, 5000);
          (child as Worker).lines.on('line', (line) => {
            const m = /^ADDED (\S+) (.*)$/.exec(line);
            if (m) added.set(m[1], m[2]);
            if (line.startsWith('FATAL')) problems.push(line);
            // Polls and downloads are killed once this run's submissions are in, so the kill lands there.
            if (line === 'SUBMITTED') submitted = true;
            const ready = submitted || point === 'before-create' || point === 'create-sent' || point === 'after-create';
            if (!armed && ready && MARKER[point].test(line)) {
              armed = true;
              const delay = Math.floor(random() * (point === 'mid-download' ? 60 : point === 'create-sent' ? 3 : 15));
              setTimeout(() => {
                if (child.exitCode === null) {
                  hits[point]++;
                  child.kill('SIGKILL');
                }
              }, delay);
            }
          });
          child.once('exit', (_code, signal) => {
            clearTimeout(fallback);
            resolve(signal === 'SIGKILL');
          });
        });
        if (killed) kills++;
        if (killed && point === 'mid-download' && readdirSync(join(assets, '.kie-partial')).some((n) => n.endsWith('.part'))) partialAtKill++;
        if (process.env.KIE_DEBUG) console.log(run, point, killed, Date.now() - runStarted, 'ms');
      }
      (await next)?.kill('SIGKILL');
      // A new engine on the same journal finishes what is left.
      const engine = engineFor(s, storage, { downloadTimeoutMs: 1000, downloadAttempts: 50 });
      await engine.start();
      await engine.idle();
      const tasks = engine.list();
      await engine.dispose();
      await new Promise((r) => setTimeout(r, 20));
      clearInterval(watch);

      assert.ok(kills >= 30, `${kills} kills`);
      for (const point of KILL_POINTS) assert.ok(hits[point] > 0, `killed ${point}: ${JSON.stringify(hits)}`);
      assert.deepEqual(problems, []);
      assert.ok(partialAtKill > 0, 'some kill left a partial download behind (hidden), which the restart finished');
      if (process.env.KIE_DEBUG) console.log({ kills, hits, partialAtKill, tasks: tasks.length, states: tasks.map((t) => t.state).join(' ') });
      // No task lost: every task that reached the journal is there and finished.
      for (const id of added.keys()) assert.ok(tasks.some((t) => t.id === id), `task ${id} (${added.get(id)}) was lost`);
      for (const t of tasks) {
        assert.ok(t.state === 'succeeded' || t.state === 'unknown', `${t.id} ended ${t.state}: ${t.error?.message}`);
        if (t.state === 'unknown') assert.ok(t.createSentAt && !t.taskId, 'unknown only when the create may have left without an answer');
      }
      // A kill can interrupt at most two creates (the run's own submit, and a resumed task not sent before).
      const unknown = tasks.filter((t) => t.state === 'unknown').length;
      const succeeded = tasks.filter((t) => t.state === 'succeeded').length;
      assert.ok(unknown <= 2 * kills && succeeded >= 8, `${succeeded} succeeded, ${unknown} unknown of ${tasks.length}`);
      // Nothing created twice.
      const prompts = creates(s).map((c) => {
        const body = c.body as { input?: { prompt?: string; text?: string }; prompt?: string };
        return String(body.input?.prompt ?? body.input?.text ?? body.prompt);
      });
      assert.equal(new Set(prompts).size, prompts.length, 'a prompt was created twice');
      const sentOnce = new Set(prompts);
      for (const t of tasks.filter((x) => x.state === 'succeeded')) assert.ok(sentOnce.has(String(t.input.prompt ?? t.input.text)));
      // Every output saved once, byte-identical, and nothing partial left behind.
      let outputs = 0;
      for (const t of tasks.filter((x) => x.state === 'succeeded')) {
        for (const o of t.outputs) {
          outputs++;
          const served = await servedBytes(s, o.url);
          assert.ok(served && Buffer.from(served).equals(readFileSync(o.savedPath as string)), `${o.savedPath} differs`);
        }
      }
      assert.equal(visibleFiles(assets).length, outputs * 2, 'one file and one record per output, no duplicates');
      assert.deepEqual(readdirSync(join(assets, '.kie-partial')).filter((n) => !n.startsWith('.')), []);
    } finally {
      clearInterval(watch);
    }
  });
});
