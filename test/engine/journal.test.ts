import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Journal, type TaskRecord } from '../../src/core/engine/index';

function rec(id: string, state: TaskRecord['state'] = 'queued'): TaskRecord {
  return {
    id, model: 'nano-banana-2', category: 'image', input: { prompt: id }, uploads: [], estimatedCredits: 4, state,
    destination: { root: '/w' }, createdAt: 1, updatedAt: 1, outputs: [],
  };
}

describe('journal', () => {
  it('writes atomically, coalesces bursts, and serialises writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kie-journal-'));
    const tasks: TaskRecord[] = [];
    const j = new Journal(dir);
    j.source(() => tasks);
    assert.equal((await j.load()).source, 'empty');
    for (let i = 0; i < 200; i++) {
      tasks.push(rec(`t${i}`));
      j.save();
    }
    await j.flush();
    assert.ok(j.writes <= 3, `200 changes took ${j.writes} writes`);
    const flushes = await Promise.all(Array.from({ length: 20 }, (_, i) => {
      tasks[i].state = 'succeeded';
      return j.flush();
    }));
    assert.equal(flushes.length, 20);
    const doc = JSON.parse(readFileSync(join(dir, 'journal.json'), 'utf8'));
    assert.equal(doc.tasks.length, 200);
    assert.equal(doc.tasks.filter((t: TaskRecord) => t.state === 'succeeded').length, 20);
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), [], 'no temp files left');
    const again = new Journal(dir);
    const loaded = await again.load();
    assert.equal(loaded.source, 'journal');
    assert.equal(loaded.tasks.length, 200);
  });

  it('survives a corrupt or truncated journal by falling back to the previous good copy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kie-journal-'));
    const tasks = [rec('a'), rec('b')];
    const j = new Journal(dir);
    j.source(() => tasks);
    await j.load();
    await j.flush();
    tasks.push(rec('c'));
    await j.flush();
    // A torn write (or a disk problem): the current journal is cut in half.
    const text = readFileSync(join(dir, 'journal.json'), 'utf8');
    writeFileSync(join(dir, 'journal.json'), text.slice(0, text.length / 2));
    const loaded = await new Journal(dir).load();
    assert.equal(loaded.source, 'previous');
    assert.deepEqual(loaded.tasks.map((t) => t.id), ['a', 'b']);
    assert.ok(loaded.problems.some((p) => /damaged/.test(p)));
    assert.ok(readdirSync(dir).some((n) => n.startsWith('journal.corrupt-')), 'the damaged file is kept aside');
  });

  it('keeps the good records of a journal with a few bad ones, and starts empty (keeping the file) when nothing is readable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kie-journal-'));
    writeFileSync(join(dir, 'journal.json'), JSON.stringify({ version: 1, tasks: [rec('ok1'), { id: 'broken' }, rec('ok2')] }));
    const loaded = await new Journal(dir).load();
    assert.deepEqual(loaded.tasks.map((t) => t.id), ['ok1', 'ok2']);
    assert.ok(loaded.problems.some((p) => /1 record/.test(p)));

    const dir2 = mkdtempSync(join(tmpdir(), 'kie-journal-'));
    writeFileSync(join(dir2, 'journal.json'), '\u0000\u0000garbage');
    const j = new Journal(dir2);
    const empty = await j.load();
    assert.equal(empty.source, 'empty');
    assert.ok(readdirSync(dir2).some((n) => n.startsWith('journal.corrupt-')));
    j.source(() => [rec('new')]);
    await j.flush();
    assert.ok(existsSync(join(dir2, 'journal.json')));
  });
});
