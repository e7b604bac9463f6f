import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAleph, parseFlux, parseGpt4o, parseLuma, parseMarket, parseRunway, parseStatus, parseVeo } from '../../src/core/kie/status';

describe('status of each API family, normalised', () => {
  it('Veo: successFlag 0 running, 1 done with resultUrls (originUrls when not 16:9), 2/3 failed', () => {
    assert.equal(parseVeo('t', { successFlag: 0 }).state, 'running');
    const done = parseVeo('t', { successFlag: 1, response: { resultUrls: ['https://r/v.mp4'], originUrls: null } });
    assert.deepEqual([done.state, done.outputs[0].url, done.outputs[0].kind], ['succeeded', 'https://r/v.mp4', 'video']);
    assert.equal(parseVeo('t', { successFlag: 1, response: { resultUrls: [], originUrls: ['https://r/o.mp4'] } }).outputs[0].url, 'https://r/o.mp4');
    for (const flag of [2, 3]) {
      const s = parseVeo('t', { successFlag: flag, errorCode: 400, errorMessage: 'Prompt flagged by content policy' });
      assert.deepEqual([s.state, s.error?.code, s.error?.message], ['failed', '400', 'Prompt flagged by content policy']);
    }
  });

  it('Runway: state wait/queueing/generating/success/fail, videoInfo, expireFlag', () => {
    assert.equal(parseRunway('t', { state: 'wait' }).state, 'queued');
    assert.equal(parseRunway('t', { state: 'queueing' }).state, 'queued');
    assert.equal(parseRunway('t', { state: 'generating' }).state, 'running');
    const ok = parseRunway('t', { state: 'success', videoInfo: { videoUrl: 'https://r/v.mp4', imageUrl: 'https://r/c.jpg' }, expireFlag: 0 });
    assert.deepEqual([ok.state, ok.outputs[0].url, ok.outputs[0].coverUrl, ok.expired], ['succeeded', 'https://r/v.mp4', 'https://r/c.jpg', false]);
    assert.equal(parseRunway('t', { state: 'success', videoInfo: { videoUrl: 'https://r/v.mp4' }, expireFlag: 1 }).expired, true);
    const failed = parseRunway('t', { state: 'fail', failCode: 400, failMsg: 'Image could not be read' });
    assert.deepEqual([failed.state, failed.error?.message], ['failed', 'Image could not be read']);
  });

  it('4o Image: progress strings, SUCCESS with resultUrls, failures', () => {
    const running = parseGpt4o('t', { status: 'GENERATING', progress: '0.45', successFlag: 0 });
    assert.deepEqual([running.state, running.progress], ['running', 0.45]);
    const ok = parseGpt4o('t', { status: 'SUCCESS', progress: '1.00', successFlag: 1, response: { resultUrls: ['https://r/a.png', 'https://r/b.png'] } });
    assert.deepEqual([ok.state, ok.outputs.length], ['succeeded', 2]);
    const failed = parseGpt4o('t', { status: 'GENERATE_FAILED', successFlag: 2, errorCode: 400, errorMessage: 'Content policy' });
    assert.deepEqual([failed.state, failed.error?.message], ['failed', 'Content policy']);
  });

  it('Flux Kontext: resultImageUrl, falling back to originImageUrl', () => {
    assert.equal(parseFlux('t', { successFlag: 0 }).state, 'running');
    assert.equal(parseFlux('t', { successFlag: 1, response: { resultImageUrl: 'https://r/f.jpg', originImageUrl: 'https://o/f.jpg' } }).outputs[0].url, 'https://r/f.jpg');
    assert.equal(parseFlux('t', { successFlag: 1, response: { originImageUrl: 'https://o/f.jpg' } }).outputs[0].url, 'https://o/f.jpg');
    assert.equal(parseFlux('t', { successFlag: 3, errorMessage: 'Failed' }).state, 'failed');
  });

  it('Luma modify and Runway Aleph', () => {
    assert.equal(parseLuma('t', { successFlag: 1, response: { resultUrls: ['https://r/l.mp4'] } }).outputs[0].url, 'https://r/l.mp4');
    assert.equal(parseLuma('t', { successFlag: 4, errorMessage: 'x' }).state, 'failed');
    const aleph = parseAleph('t', { successFlag: 1, response: { resultVideoUrl: 'https://r/a.mp4', resultImageUrl: 'https://r/a.jpg' } });
    assert.deepEqual([aleph.state, aleph.outputs.length, aleph.outputs[0].url], ['succeeded', 1, 'https://r/a.mp4']);
    assert.equal(parseAleph('t', { successFlag: 0, errorCode: 500, errorMessage: 'boom' }).state, 'failed');
  });

  it('Market: fail with failCode/failMsg, progress 0–100, text results', () => {
    const failed = parseMarket('t', { state: 'fail', failCode: '501', failMsg: 'Content policy violation', resultJson: '' }, 'image');
    assert.deepEqual([failed.state, failed.error], ['failed', { code: '501', message: 'Content policy violation' }]);
    assert.equal(parseMarket('t', { state: 'generating', progress: 40 }, 'video').progress, 0.4);
    assert.equal(parseMarket('t', { state: 'queuing' }, 'video').state, 'queued');
    const text = parseMarket('t', { state: 'success', resultJson: '{"resultObject":{"text":"hello"}}' }, 'text');
    assert.equal(text.outputs[0].kind, 'text');
    assert.match(text.outputs[0].text!, /hello/);
    assert.equal(parseMarket('t', { state: 'success', resultJson: '{not json' }, 'image').state, 'failed');
  });

  it('dispatches by family', () => {
    assert.equal(parseStatus('runway', 't', { state: 'wait' }, 'video').state, 'queued');
    assert.equal(parseStatus('suno', 't', { status: 'PENDING' }, 'audio').state, 'queued');
  });
});
