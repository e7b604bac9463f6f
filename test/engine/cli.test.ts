// kie-studio generate / tasks / resume against the simulator, in process through runCli.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main';
import { encodePng } from '../../src/simulator/media/png';
import type { Simulator } from '../../src/simulator/index';
import { creates, kindOfFile, sim, tempDir } from './helpers';

let s: Simulator;
before(async () => {
  s = await sim();
});
after(() => s.stop());

interface Run { code: number; out: string; err: string }

async function cli(argv: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (l) => out.push(l), err: (l) => err.push(l), cwd, isTTY: false, signal: new AbortController().signal,
    env: { KIE_API_KEY: s.apiKey, KIE_BASE_URL: s.apiUrl, KIE_UPLOAD_URL: s.uploadUrl, KIE_STUDIO_HOME: join(cwd, '.kie-home'), KIE_STUDIO_DURATION_SCALE: '0.01', ...env },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('kie-studio generate, tasks, resume', () => {
  it('generates, waits and prints the saved paths (and JSON)', async () => {
    const cwd = tempDir('cli');
    const r = await cli(['generate', 'google/nano-banana', '--set', 'prompt=A red fox in snow', '--set', 'output_format=png'], cwd);
    assert.equal(r.code, 0, r.err);
    const paths = r.out.split('\n').filter(Boolean);
    assert.equal(paths.length, 1);
    assert.ok(paths[0].startsWith(join(cwd, 'assets', 'image')), paths[0]);
    assert.match(paths[0], /-nano-banana-a-red-fox-in-snow-[0-9a-f]{6}-1\.png$/);
    assert.equal(kindOfFile(paths[0]), 'image');
    assert.ok(existsSync(`${paths[0]}.json`));

    const out = join(cwd, 'elsewhere');
    const j = await cli(['generate', 'grok-imagine/text-to-image', '--set', 'prompt=six moons', '--out', out, '--json'], cwd);
    assert.equal(j.code, 0, j.err);
    const doc = JSON.parse(j.out) as { taskId: string; state: string; files: string[] };
    assert.equal(doc.state, 'succeeded');
    assert.match(doc.taskId, /^[0-9a-f]{32}$/);
    assert.equal(doc.files.length, 6);
    assert.ok(doc.files.every((f) => f.startsWith(join(out, 'assets', 'image'))));
  });

  it('uploads a local file named in a media field (relative to the current folder)', async () => {
    const cwd = tempDir('cli-upload');
    writeFileSync(join(cwd, 'photo.png'), encodePng({ width: 16, height: 16, data: new Uint8Array(16 * 16 * 4).fill(128) }));
    const r = await cli(['generate', 'topaz/image-upscale', '--set', 'image_url=photo.png', '--set', 'upscale_factor=2', '--json'], cwd);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).files.length, 1);
    const create = creates(s).at(-1)?.body as { input: { image_url: string } };
    assert.match(create.input.image_url, /^http/);
  });

  it('exits 2 on invalid input without any HTTP request, and 1 with Kie\'s reason when the task fails', async () => {
    const cwd = tempDir('cli-bad');
    s.reset();
    const bad = await cli(['generate', 'google/nano-banana', '--set', 'prompt=x', '--set', 'aspect_ratio=7:3', '--set', 'bogus=1'], cwd);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /aspect_ratio/);
    assert.match(bad.err, /bogus/);
    const missing = await cli(['generate', 'topaz/image-upscale', '--set', 'image_url=nope.png', '--set', 'upscale_factor=2'], cwd);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no such file/);
    assert.equal(s.received.length, 0, 'no HTTP request at all');

    s.faults.add({ endpoint: 'createTask', kind: 'task-fail', times: 1 });
    const failed = await cli(['generate', 'google/nano-banana', '--set', 'prompt=flagged', '--json'], cwd);
    assert.equal(failed.code, 1);
    const doc = JSON.parse(failed.out);
    assert.equal(doc.state, 'failed');
    assert.match(doc.error, /content policies/);
  });

  it('lists the journal, and resume finishes what --no-wait left', async () => {
    const cwd = tempDir('cli-resume');
    const started = await cli(['generate', 'suno/generate', '--set', 'prompt=a calm tune', '--set', 'customMode=false', '--set', 'instrumental=true', '--set', 'model=V4_5', '--no-wait', '--json'], cwd);
    assert.equal(started.code, 0, started.err);
    const first = JSON.parse(started.out);
    assert.ok(['queued', 'running'].includes(first.state), first.state);
    assert.deepEqual(first.files, []);
    const listed = await cli(['tasks', '--json'], cwd);
    assert.equal(listed.code, 0);
    const tasks = JSON.parse(listed.out) as { id: string; taskId: string; state: string }[];
    assert.equal(tasks.length, 1);
    assert.equal(tasks[0].taskId, first.taskId);
    const resumed = await cli(['resume', '--json'], cwd);
    assert.equal(resumed.code, 0, resumed.err);
    const results = JSON.parse(resumed.out) as { state: string; files: string[] }[];
    assert.equal(results[0].state, 'succeeded');
    assert.equal(results[0].files.length, 2);
    for (const f of results[0].files) assert.equal(kindOfFile(f), 'audio');
    const human = await cli(['tasks'], cwd);
    assert.match(human.out, /succeeded/);
    assert.ok(results[0].files.every((f) => human.out.includes(f)));
    assert.ok(JSON.parse(readFileSync(join(cwd, '.kie-home', 'journal.json'), 'utf8')).tasks.length === 1);
    const nothing = await cli(['resume'], cwd);
    assert.equal(nothing.code, 0);
    assert.match(nothing.err, /Nothing to resume/);
  });
});
