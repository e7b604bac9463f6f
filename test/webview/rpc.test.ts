import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WebviewMessage } from '../../src/webview/protocol';
import { RequestTracker } from '../../src/webview/rpc';

describe('request tracker', () => {
  it('numbers requests and settles each with its reply', async () => {
    const sent: WebviewMessage[] = [];
    const t = new RequestTracker((m) => sent.push(m));
    const a = t.request({ type: 'preview', path: 'a.png' });
    const b = t.request({ type: 'listMedia', kind: 'image' });
    assert.deepEqual(sent, [{ type: 'preview', path: 'a.png', requestId: 1 }, { type: 'listMedia', kind: 'image', requestId: 2 }]);
    assert.equal(t.handleReply({ type: 'reply', requestId: 2, ok: true, result: { files: [{ path: 'x.png' }] } }), true);
    assert.equal(t.handleReply({ type: 'reply', requestId: 1, ok: false, error: 'nope' }), true);
    assert.deepEqual(await b, { ok: true, result: { files: [{ path: 'x.png' }] } });
    assert.deepEqual(await a, { ok: false, error: 'nope', issues: [] });
    assert.equal(t.openRequests, 0);
  });

  it('ignores replies to nothing, other messages, and treats a malformed result as an error', async () => {
    const t = new RequestTracker(() => {});
    assert.equal(t.handleReply({ type: 'reply', requestId: 9, ok: true }), false);
    assert.equal(t.handleReply({ type: 'balance' }), false);
    const p = t.request({ type: 'generate', modelId: 'm', input: {} });
    t.handleReply({ type: 'reply', requestId: 1, ok: true, result: { taskId: 5 } });
    assert.equal((await p).ok, false);
  });

  it('passes issues through and times out', async () => {
    const t = new RequestTracker(() => {}, 20);
    const p = t.request({ type: 'generate', modelId: 'm', input: {} });
    t.handleReply({ type: 'reply', requestId: 1, ok: false, issues: [{ field: 'prompt', message: 'is required' }] });
    assert.deepEqual(await p, { ok: false, error: 'Check the highlighted fields.', issues: [{ field: 'prompt', message: 'is required' }] });
    const slow = await t.request({ type: 'preview', path: 'x' });
    assert.equal(slow.ok, false);
  });
});
