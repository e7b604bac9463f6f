import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main';
import { loopback, sendJson } from '../helpers/loopback';

interface Run { code: number; out: string; err: string }

async function cli(argv: string[], env: Record<string, string> = {}, cwd = process.cwd(), signal = new AbortController().signal, out: string[] = []): Promise<Run> {
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env, cwd, isTTY: false, signal });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const closers: (() => Promise<void>)[] = [];
after(() => Promise.all(closers.map((c) => c())));

async function fakeKie() {
  const s = await loopback((r, res) => {
    if (r.path === '/api/v1/chat/credit') return sendJson(res, { code: 200, msg: 'success', data: 987.5 });
    if (r.path === '/api/v1/jobs/createTask') return sendJson(res, { code: 200, msg: 'success', data: { taskId: 'abc123', recordId: 'abc123' } });
    if (r.path.startsWith('/api/v1/jobs/recordInfo')) {
      return sendJson(res, { code: 200, msg: 'success', data: { taskId: 'abc123', model: 'nano-banana-2', state: 'success', param: '{}', resultJson: '{"resultUrls":["http://files/a.png"]}', failCode: null, failMsg: null, costTime: 3, completeTime: 1, createTime: 0 } });
    }
    if (r.path === '/api/file-stream-upload') return sendJson(res, { success: true, code: 200, msg: 'ok', data: { downloadUrl: 'http://files/up.png', fileName: 'up.png', fileSize: 3 } });
    sendJson(res, { code: 404, msg: 'no route', data: null }, 404);
  });
  closers.push(s.close);
  return { ...s, env: { KIE_API_KEY: 'k', KIE_BASE_URL: s.url, KIE_UPLOAD_URL: s.url } };
}

describe('kie-studio CLI', () => {
  it('lists models as JSON, filtered by category', async () => {
    const r = await cli(['models', '--category', 'audio', '--json']);
    assert.equal(r.code, 0);
    const list = JSON.parse(r.out) as { id: string; family: string; category: string; title: string }[];
    assert.ok(list.length >= 8);
    assert.ok(list.every((m) => m.category === 'audio' && m.id && m.family && m.title));
    assert.ok(list.some((m) => m.id === 'suno/generate' && m.family === 'suno'));
  });

  it('shows one model with its JSON Schema', async () => {
    const r = await cli(['model', 'topaz/image-upscale', '--json']);
    assert.equal(r.code, 0);
    const m = JSON.parse(r.out);
    assert.equal(m.schema.properties.upscale_factor.enum.join(), '1,2,4');
    assert.deepEqual(m.schema.required.sort(), ['image_url', 'upscale_factor']);
    assert.equal(m.media[0].field, 'image_url');
  });

  it('rejects a bad category and an unknown model with exit 2', async () => {
    assert.equal((await cli(['models', '--category', 'smell'])).code, 2);
    assert.equal((await cli(['model', 'no/such-model', '--json'])).code, 2);
    assert.equal((await cli(['frobnicate'])).code, 2);
  });

  it('prints the balance', async () => {
    const kie = await fakeKie();
    const r = await cli(['credits', '--json'], kie.env);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.out), { credits: 987.5 });
  });

  it('submits a valid input and prints the task id', async () => {
    const kie = await fakeKie();
    const r = await cli(['submit', 'nano-banana-2', '--set', 'prompt=a fox', '--set', 'resolution=2K', '--json'], kie.env);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), { taskId: 'abc123', model: 'nano-banana-2' });
    const sent = JSON.parse(kie.seen.find((s) => s.path === '/api/v1/jobs/createTask')!.body);
    assert.deepEqual(sent, { model: 'nano-banana-2', input: { prompt: 'a fox', resolution: '2K' } });
  });

  it('refuses an invalid input with a message per field, exit 2 and no HTTP request at all', async () => {
    const kie = await fakeKie();
    const r = await cli(['submit', 'topaz/image-upscale', '--set', 'upscale_factor=3', '--input', '{"extra": 1}'], kie.env);
    assert.equal(r.code, 2);
    assert.match(r.err, /image_url: is required/);
    assert.match(r.err, /upscale_factor: Invalid option/);
    assert.match(r.err, /extra: is not a field/);
    assert.equal(kie.seen.length, 0);
  });

  it('coerces --set values by field type and rejects bad numbers before sending', async () => {
    const kie = await fakeKie();
    const r = await cli(['submit', 'runway/generate', '--set', 'prompt=x', '--set', 'duration=ten'], kie.env);
    assert.equal(r.code, 2);
    assert.match(r.err, /duration: "ten" is not a number/);
    assert.equal(kie.seen.length, 0);
  });

  it('prints the normalised status', async () => {
    const kie = await fakeKie();
    const r = await cli(['status', 'abc123', '--model', 'nano-banana-2', '--json'], kie.env);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), { taskId: 'abc123', model: 'nano-banana-2', state: 'succeeded', progress: 1, outputs: [{ url: 'http://files/a.png', kind: 'image' }] });
  });

  it('uploads a file and prints its URL', async () => {
    const kie = await fakeKie();
    const dir = mkdtempSync(join(tmpdir(), 'kie-cli-'));
    writeFileSync(join(dir, 'cat.png'), 'png');
    const r = await cli(['upload', 'cat.png', '--json'], kie.env, dir);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).url, 'http://files/up.png');
  });

  it('exits 1 with the reason when the API fails', async () => {
    const s = await loopback((_r, res) => sendJson(res, { code: 401, msg: 'You do not have access permissions', data: null }));
    closers.push(s.close);
    const r = await cli(['credits'], { KIE_API_KEY: 'bad', KIE_BASE_URL: s.url, KIE_UPLOAD_URL: s.url });
    assert.equal(r.code, 1);
    assert.match(r.err, /rejected the API key/);
  });

  it('needs a key for API commands', async () => {
    const r = await cli(['credits'], {});
    assert.equal(r.code, 2);
    assert.match(r.err, /KIE_API_KEY/);
  });

  it('reads extra models from .kie/models.json and names a broken entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kie-cli-models-'));
    mkdirSync(join(dir, '.kie'));
    writeFileSync(join(dir, '.kie', 'models.json'), JSON.stringify({ models: [{ id: 'acme/tomorrow', category: 'video', title: 'Tomorrow', fields: [{ name: 'prompt', type: 'string', required: true }] }] }));
    const r = await cli(['models', '--category', 'video', '--json'], {}, dir);
    assert.ok(JSON.parse(r.out).some((m: { id: string }) => m.id === 'acme/tomorrow'));
    writeFileSync(join(dir, '.kie', 'models.json'), JSON.stringify({ models: [{ id: 'acme/broken', title: 'B', fields: [] }] }));
    const bad = await cli(['models'], {}, dir);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /model "acme\/broken" \(entry 1\): category/);
  });

  it('runs the simulator until stopped, and other commands work against it', async () => {
    const stop = new AbortController();
    const lines: string[] = [];
    const running = cli(['simulate', '--speed', '0.01', '--credits', '321'], {}, process.cwd(), stop.signal, lines);
    const usage = await new Promise<string>((resolve) => {
      const timer = setInterval(() => {
        const line = lines.find((l) => l.startsWith('Use it with: '));
        if (line) {
          clearInterval(timer);
          resolve(line);
        }
      }, 20);
    });
    const env = Object.fromEntries(usage.replace('Use it with: ', '').split(' ').filter((w) => w.includes('=')).map((w) => w.split('=') as [string, string]));
    assert.deepEqual(Object.keys(env).sort(), ['KIE_API_KEY', 'KIE_BASE_URL', 'KIE_UPLOAD_URL']);
    const credits = await cli(['credits', '--json'], env);
    assert.deepEqual(JSON.parse(credits.out), { credits: 321 });
    stop.abort();
    const done = await running;
    assert.equal(done.code, 0);
    assert.match(lines.join('\n'), /Simulator stopped/);
    await assert.rejects(cli(['credits'], { ...env, KIE_API_KEY: 'sim-key' }).then((r) => (r.code === 1 ? Promise.reject(new Error(r.err)) : r)), /Could not reach/);
  });
});
