import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fileUriToPath, isLocalPath, isUrl, localPathsOf, mapLocalPaths, matchesKind, parseDrop, placeholderUrl, withPlaceholders,
} from '../../src/webview/mediaPaths';

const entry = { media: [{ field: 'image_url', kind: 'image' as const, multiple: false, required: true }, { field: 'refs', kind: 'image' as const, multiple: true, required: false }] };

describe('media paths', () => {
  it('tells URLs from local paths', () => {
    assert.equal(isUrl('https://x.test/a.png'), true);
    assert.equal(isUrl('file:///a.png'), false);
    assert.equal(isLocalPath('assets/a.png'), true);
    assert.equal(isLocalPath('C:\\a.png'), true);
    assert.equal(isLocalPath('  '), false);
    assert.equal(isLocalPath('https://x.test/a.png'), false);
  });

  it('replaces local paths by placeholder URLs only in media fields', () => {
    const out = withPlaceholders(entry, { image_url: 'assets/cat one.png', refs: ['https://x.test/a.png', '/abs/b.png'], prompt: 'assets/x.png' });
    assert.equal(out.image_url, 'https://local-file.invalid/cat%20one.png');
    assert.deepEqual(out.refs, ['https://x.test/a.png', placeholderUrl('/abs/b.png')]);
    assert.equal(out.prompt, 'assets/x.png');
    assert.deepEqual(localPathsOf(entry, { image_url: 'a.png', refs: ['b.png', 'https://x/c.png'] }), ['a.png', 'b.png']);
    assert.deepEqual(mapLocalPaths(entry, { image_url: 'a.png' }, (p) => `/root/${p}`), { image_url: '/root/a.png' });
  });

  it('turns file URIs into paths', () => {
    assert.equal(fileUriToPath('file:///home/me/a%20b.png'), '/home/me/a b.png');
    assert.equal(fileUriToPath('file:///c%3A/Users/me/a.png'), 'c:/Users/me/a.png');
    assert.equal(fileUriToPath('file:///C:/x.png'), 'C:/x.png');
    assert.equal(fileUriToPath('file://server/share/x.png'), '//server/share/x.png');
    assert.equal(fileUriToPath('vscode-remote://ssh-remote%2Bbox/home/me/x.png'), '/home/me/x.png');
    assert.equal(fileUriToPath('https://x.test/a.png'), undefined);
  });

  it('reads drops from the explorer in each format', () => {
    assert.deepEqual(parseDrop({ codeUriList: 'file:///w/a.png\r\nfile:///w/b.png' }), ['/w/a.png', '/w/b.png']);
    assert.deepEqual(parseDrop({ uriList: '# comment\nfile:///w/a.png\nhttps://x.test/c.png' }), ['/w/a.png', 'https://x.test/c.png']);
    assert.deepEqual(parseDrop({ resourceUrls: '["file:///w/a.png"]' }), ['/w/a.png']);
    assert.deepEqual(parseDrop({ text: '/w/a.png' }), ['/w/a.png']);
    assert.deepEqual(parseDrop({ text: 'just some words' }), []);
    assert.deepEqual(parseDrop({ resourceUrls: 'not json' }), []);
  });

  it('checks the kind by extension', () => {
    assert.equal(matchesKind('a/b.PNG', 'image'), true);
    assert.equal(matchesKind('a/b.mp3', 'image'), false);
    assert.equal(matchesKind('https://x.test/render?id=1', 'video'), true);
    assert.equal(matchesKind('https://x.test/a.mp4?sig=1', 'video'), true);
  });
});
