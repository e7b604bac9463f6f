import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Catalog } from '../../src/core/catalog/catalog';
import type { ModelEntry } from '../../src/core/catalog/types';
import { DEFAULT_API_URL, DEFAULT_UPLOAD_URL } from '../../src/core/kie/client';
import {
  ACTIONS, buildActionInput, checkBaseUrl, DEFAULTS, machineScopedUrl, mediaFieldFor, modelsFilePaths, readSettings,
  resolveActionModel, safeAssetsFolder, type ConfigReader, type Inspection,
} from '../../src/extension/model/settings';

/** A fake WorkspaceConfiguration: values by scope, like `inspect` reports them. */
function reader(values: Record<string, Inspection<unknown>> = {}): ConfigReader {
  return {
    get<T>(key: string) {
      const v = values[key];
      return (v?.workspaceFolderValue ?? v?.workspaceValue ?? v?.globalValue ?? v?.defaultValue) as T | undefined;
    },
    inspect<T>(key: string) {
      return values[key] as Inspection<T> | undefined;
    },
  };
}

const catalog = new Catalog();

describe('settings', () => {
  it('has the documented defaults', () => {
    const s = readSettings(reader());
    assert.equal(s.assetsFolder, 'assets');
    assert.equal(s.fileNamePattern, DEFAULTS.fileNamePattern);
    assert.equal(s.notifications, 'all');
    assert.equal(s.openOutputsWhenDone, false);
    assert.equal(s.modelsFile, '.kie/models.json');
    assert.equal(s.apiBaseUrl, DEFAULT_API_URL);
    assert.equal(s.uploadBaseUrl, DEFAULT_UPLOAD_URL);
    assert.equal(s.callbackUrl, undefined);
    assert.equal(s.upscaleFactor, 2);
    assert.equal(s.demoSpeed, 0.05);
    assert.equal(s.demoAutoStart, false);
    assert.deepEqual(s.defaultModels, {
      upscaleImage: 'topaz/image-upscale',
      animateImage: 'kling/v2-1-standard',
      removeBackground: 'recraft/remove-background',
      editImage: 'flux-kontext-pro',
      upscaleVideo: 'topaz/video-upscale',
      isolateVoice: 'elevenlabs/audio-isolation',
      transcribe: 'elevenlabs/speech-to-text',
    });
    assert.deepEqual(s.warnings, []);
  });

  it('takes the base URLs only from user (machine) settings, never from a workspace', () => {
    const s = readSettings(reader({
      apiBaseUrl: { defaultValue: DEFAULT_API_URL, workspaceValue: 'https://evil.example' },
      uploadBaseUrl: { defaultValue: DEFAULT_UPLOAD_URL, globalValue: 'http://127.0.0.1:4010/', workspaceFolderValue: 'https://evil.example' },
    }));
    assert.equal(s.apiBaseUrl, DEFAULT_API_URL);
    assert.equal(s.uploadBaseUrl, 'http://127.0.0.1:4010');
    assert.equal(s.warnings.length, 2);
    assert.ok(s.warnings.every((w) => /workspace settings/.test(w)));
  });

  it('uses a user-set simulator URL for the real client', () => {
    const s = readSettings(reader({ apiBaseUrl: { globalValue: 'http://localhost:3999' }, uploadBaseUrl: { globalValue: 'http://127.0.0.1:4000' } }));
    assert.equal(s.apiBaseUrl, 'http://localhost:3999');
    assert.equal(s.uploadBaseUrl, 'http://127.0.0.1:4000');
  });

  it('refuses plain http to other hosts, credentials and non-URLs', () => {
    assert.deepEqual(checkBaseUrl('https://api.kie.ai/'), { ok: true, url: 'https://api.kie.ai' });
    assert.deepEqual(checkBaseUrl('https://proxy.example/kie/'), { ok: true, url: 'https://proxy.example/kie' });
    assert.equal(checkBaseUrl('http://[::1]:8080').ok, true);
    assert.equal(checkBaseUrl('http://127.0.0.5:1').ok, true);
    assert.equal(checkBaseUrl('http://api.kie.ai').ok, false);
    assert.equal(checkBaseUrl('http://localhost.evil.example').ok, false);
    assert.equal(checkBaseUrl('https://user:pw@api.kie.ai').ok, false);
    assert.equal(checkBaseUrl('ftp://api.kie.ai').ok, false);
    assert.equal(checkBaseUrl('not a url').ok, false);
    const warnings: string[] = [];
    assert.equal(machineScopedUrl('apiBaseUrl', { globalValue: 'http://10.0.0.2' }, DEFAULT_API_URL, warnings), DEFAULT_API_URL);
    assert.match(warnings[0], /https/);
  });

  it('keeps the assets folder inside the workspace folder', () => {
    const w: string[] = [];
    assert.equal(safeAssetsFolder('media/gen/', w), 'media/gen');
    assert.equal(safeAssetsFolder('../outside', w), 'assets');
    assert.equal(safeAssetsFolder('/etc', w), 'assets');
    assert.equal(safeAssetsFolder('C:\\temp', w), 'assets');
    assert.equal(safeAssetsFolder('', w), 'assets');
    assert.equal(w.length, 3);
  });

  it('falls back on invalid enum and number values', () => {
    const s = readSettings(reader({ notifications: { globalValue: 'loud' }, upscaleFactor: { globalValue: 3 }, 'demo.speed': { globalValue: -1 } }));
    assert.equal(s.notifications, 'all');
    assert.equal(s.upscaleFactor, 2);
    assert.equal(s.demoSpeed, 0.05);
    const t = readSettings(reader({ notifications: { globalValue: 'failures' }, upscaleFactor: { globalValue: 4 }, 'demo.speed': { globalValue: 2 } }));
    assert.equal(t.notifications, 'failures');
    assert.equal(t.upscaleFactor, 4);
    assert.equal(t.demoSpeed, 2);
  });
});

describe('explorer action models', () => {
  it('uses every default model as shipped', () => {
    for (const action of Object.values(ACTIONS)) {
      const { entry, warning } = resolveActionModel(action, undefined, catalog);
      assert.equal(entry.id, action.defaultModel);
      assert.equal(warning, undefined);
    }
  });

  it('uses a configured model when it fits, else the default with a warning', () => {
    assert.equal(resolveActionModel(ACTIONS.animateImage, 'veo3_fast', catalog).entry.id, 'veo3_fast');
    const unknown = resolveActionModel(ACTIONS.upscaleImage, 'no/such-model', catalog);
    assert.equal(unknown.entry.id, 'topaz/image-upscale');
    assert.match(unknown.warning!, /not in the catalog/);
    const wrongKind = resolveActionModel(ACTIONS.upscaleVideo, 'topaz/image-upscale', catalog);
    assert.equal(wrongKind.entry.id, 'topaz/video-upscale');
    assert.match(wrongKind.warning!, /takes no video file/);
  });

  it('falls back to any model of the category taking that kind of file when the default is gone', () => {
    const without = new Catalog(catalog.all().filter((e) => e.id !== 'topaz/image-upscale'));
    const { entry, warning } = resolveActionModel(ACTIONS.upscaleImage, undefined, without);
    assert.equal(entry.category, 'image');
    assert.ok(entry.media.some((m) => m.kind === 'image'));
    assert.ok(warning);
    assert.throws(() => resolveActionModel(ACTIONS.transcribe, undefined, new Catalog([])), /No model/);
  });

  it('builds inputs with the file path in the media field, the factor in the model\'s format and the prompt', () => {
    const up = catalog.require('topaz/image-upscale');
    assert.deepEqual(buildActionInput(up, ACTIONS.upscaleImage, '/ws/cat.png', { factor: 4 }), { image_url: '/ws/cat.png', upscale_factor: '4' });
    assert.deepEqual(buildActionInput(up, ACTIONS.upscaleImage, '/ws/cat.png', { factor: 3 }), { image_url: '/ws/cat.png', upscale_factor: '2' });
    const kling = catalog.require('kling/v2-1-standard');
    assert.deepEqual(buildActionInput(kling, ACTIONS.animateImage, '/ws/cat.png', { prompt: ' The cat blinks ', factor: 2 }), { image_url: '/ws/cat.png', prompt: 'The cat blinks' });
    const bg = catalog.require('recraft/remove-background');
    assert.deepEqual(buildActionInput(bg, ACTIONS.removeBackground, '/ws/cat.png'), { image: '/ws/cat.png' });
    const veo = catalog.require('veo3_fast');
    assert.deepEqual(buildActionInput(veo, ACTIONS.animateImage, '/ws/cat.png', { prompt: 'Go' }), { imageUrls: ['/ws/cat.png'], prompt: 'Go' });
    assert.deepEqual(mediaFieldFor(catalog.require('flux-kontext-pro'), 'image'), { field: 'inputImage', multiple: false });
    const stt = catalog.require('elevenlabs/speech-to-text');
    assert.deepEqual(buildActionInput(stt, ACTIONS.transcribe, '/ws/a.mp3'), { audio_url: '/ws/a.mp3' });
    assert.throws(() => buildActionInput(stt, ACTIONS.upscaleImage, '/ws/a.png'), /takes no image file/);
  });

  it('builds inputs the catalog accepts (with the path standing for an uploaded URL)', async () => {
    const { validateInput } = await import('../../src/core/catalog/catalog');
    for (const action of Object.values(ACTIONS)) {
      if (action.id === 'editImage') continue;
      const entry: ModelEntry = catalog.require(action.defaultModel);
      const input = buildActionInput(entry, action, 'https://example.com/file', { factor: 2, prompt: 'Slow motion' });
      const checked = validateInput(entry, input);
      assert.ok(checked.ok, `${action.id}: ${JSON.stringify(!checked.ok && checked.issues)}`);
    }
  });
});

describe('models files', () => {
  it('loads the models file per workspace folder, and none in Restricted Mode', () => {
    assert.deepEqual(modelsFilePaths('.kie/models.json', ['/a', '/b'], true, join), ['/a/.kie/models.json', '/b/.kie/models.json']);
    assert.deepEqual(modelsFilePaths('/etc/models.json', ['/a'], true, join), ['/etc/models.json']);
    assert.deepEqual(modelsFilePaths('.kie/models.json', ['/a'], false, join), []);
  });
});
