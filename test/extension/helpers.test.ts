import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Batcher, Debouncer, type Timers } from '../../src/extension/model/batch';
import { escapeMarkdown, excerpt, formatCredits, formatDuration, formatProgress } from '../../src/extension/model/format';
import { formatHttpEvent, isErrorEvent, redact } from '../../src/extension/model/log';
import { mediaKindOf } from '../../src/extension/model/media';

/** Timers run by hand. */
function fakeTimers() {
  let now = 0;
  const queue: { at: number; fn: () => void; id: number }[] = [];
  let next = 1;
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = next++;
      queue.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (h) => {
      const i = queue.findIndex((q) => q.id === h);
      if (i >= 0) queue.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (;;) {
      queue.sort((a, b) => a.at - b.at);
      const due = queue[0];
      if (!due || due.at > now) break;
      queue.shift();
      due.fn();
    }
  };
  return { timers, advance };
}

describe('batching', () => {
  it('hands a burst over once, 100 ms after its first item', () => {
    const { timers, advance } = fakeTimers();
    const flushed: number[][] = [];
    const b = new Batcher<number>(100, (items) => flushed.push(items), timers);
    b.push(1);
    advance(50);
    b.push(2);
    advance(49);
    assert.deepEqual(flushed, []);
    advance(1);
    assert.deepEqual(flushed, [[1, 2]]);
    b.push(3);
    advance(100);
    assert.deepEqual(flushed, [[1, 2], [3]]);
    b.push(4);
    b.dispose();
    advance(200);
    assert.equal(flushed.length, 2);
  });

  it('debounces to the end of a burst', () => {
    const { timers, advance } = fakeTimers();
    let runs = 0;
    const d = new Debouncer(1500, () => runs++, timers);
    d.trigger();
    advance(1000);
    d.trigger();
    advance(1000);
    assert.equal(runs, 0);
    advance(500);
    assert.equal(runs, 1);
  });
});

describe('formatting', () => {
  it('formats durations, credits, progress and excerpts', () => {
    assert.equal(formatDuration(4_400), '4s');
    assert.equal(formatDuration(65_000), '1m 05s');
    assert.equal(formatDuration(2 * 3600_000 + 3 * 60_000), '2h 03m');
    assert.equal(formatDuration(-5), '0s');
    assert.equal(formatCredits(12345.678), '12,345.68');
    assert.equal(formatProgress(0.456), '46%');
    assert.equal(formatProgress(45), '45%');
    assert.equal(formatProgress(0), undefined);
    assert.equal(formatProgress(undefined), undefined);
    assert.equal(excerpt('  a\n b  ', 10), 'a b');
    assert.equal(excerpt('abcdefghij', 5), 'abcd…');
    assert.equal(escapeMarkdown('[x](y) *z* `c`\nnext'), '\\[x\\]\\(y\\) \\*z\\* \\`c\\` next');
  });
});

describe('log lines', () => {
  it('redacts the key and bearer tokens', () => {
    const key = 'sk-1234567890abcdef';
    assert.equal(redact(`failed with ${key} in body`, [key]), 'failed with *** in body');
    assert.equal(redact('Authorization: Bearer abc.def-ghi', []), 'Authorization: Bearer ***');
    assert.equal(redact('nothing here', [undefined, '']), 'nothing here');
  });

  it('formats HTTP events with status and timing', () => {
    assert.equal(formatHttpEvent({ method: 'GET', url: 'https://api.kie.ai/api/v1/chat/credit', status: 200, code: 200, ms: 87 }), 'GET https://api.kie.ai/api/v1/chat/credit → 200 in 87 ms');
    assert.equal(formatHttpEvent({ method: 'POST', url: 'https://api.kie.ai/x', status: 200, code: 402, ms: 5 }), 'POST https://api.kie.ai/x → 200 (code 402) in 5 ms');
    assert.equal(formatHttpEvent({ method: 'GET', url: 'u', ms: 30000, error: 'timeout' }), 'GET u in 30000 ms ✗ timeout');
    assert.equal(isErrorEvent({ method: 'GET', url: 'u', status: 200, code: 200, ms: 1 }), false);
    assert.equal(isErrorEvent({ method: 'GET', url: 'u', status: 200, code: 401, ms: 1 }), true);
    assert.equal(isErrorEvent({ method: 'GET', url: 'u', status: 500, ms: 1 }), true);
  });
});

describe('media kinds', () => {
  it('classifies by extension, case-insensitively', () => {
    assert.equal(mediaKindOf('/a/cat.PNG'), 'image');
    assert.equal(mediaKindOf('/a/cat.jpeg'), 'image');
    assert.equal(mediaKindOf('C:\\a\\clip.MoV'), 'video');
    assert.equal(mediaKindOf('/a/voice.m4a'), 'audio');
    assert.equal(mediaKindOf('/a/notes.txt'), undefined);
    assert.equal(mediaKindOf('/a/png'), undefined);
  });
});
