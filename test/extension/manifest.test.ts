import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../../src/extension/model/commands';
import { MEDIA_EXTENSIONS } from '../../src/extension/model/media';
import { ACTIONS, DEFAULTS } from '../../src/extension/model/settings';
import { CONTEXT } from '../../src/extension/model/taskTree';
import { WEBVIEW_COMMANDS } from '../../src/webview/protocol';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const nls: Record<string, string> = JSON.parse(readFileSync(`${root}package.nls.json`, 'utf8'));
const c = pkg.contributes;

interface MenuItem { command?: string; submenu?: string; when?: string; group?: string }
const declared = new Set<string>(c.commands.map((x: { command: string }) => x.command));
const menuItems: [string, MenuItem][] = Object.entries(c.menus as Record<string, MenuItem[]>).flatMap(([menu, items]) => items.map((i): [string, MenuItem] => [menu, i]));

/** The regex of a `resourceExtname =~ /…/i` clause, as a JS RegExp. */
function extRegex(when: string): RegExp {
  const m = /resourceExtname =~ \/(.+?)\/(i?)/.exec(when);
  assert.ok(m, `no resourceExtname regex in ${when}`);
  return new RegExp(m[1], m[2]);
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => strings(v, out));
  return out;
}

describe('package.json', () => {
  it('declares every registered command, in the Kie Studio category, and nothing else', () => {
    assert.deepEqual([...declared].sort(), Object.values(COMMANDS).sort());
    for (const cmd of c.commands) {
      assert.match(cmd.command, /^kieStudio\./);
      assert.equal(cmd.category, '%category%');
      assert.match(cmd.title, /^%command\.[a-zA-Z]+%$/);
      if (cmd.icon) assert.match(cmd.icon, /^\$\([a-z-]+\)$/);
    }
    for (const id of WEBVIEW_COMMANDS) assert.ok(declared.has(id), `webview command ${id}`);
  });

  it('only puts declared commands in menus, and hides item commands from the palette', () => {
    for (const [menu, item] of menuItems) {
      if (item.command) assert.ok(declared.has(item.command), `${menu}: ${item.command}`);
      if (item.submenu) assert.ok(c.submenus.some((s: { id: string }) => s.id === item.submenu), item.submenu);
    }
    const hidden = new Set(c.menus.commandPalette.filter((i: MenuItem) => i.when === 'false').map((i: MenuItem) => i.command));
    for (const id of ['retryTask', 'stopWatching', 'removeTask', 'openOutput', 'revealOutput', 'copyOutputUrl', 'showTaskDetails', 'generateAgain']) {
      assert.ok(hidden.has(`kieStudio.${id}`), id);
    }
    for (const id of ['setApiKey', 'generateImage', 'upscaleImage', 'startDemo', 'showLog']) assert.ok(!hidden.has(`kieStudio.${id}`), id);
  });

  it('keys tree item menus by the context values the tree sets', () => {
    const values = new Set<string>(Object.values(CONTEXT));
    for (const [menu, item] of menuItems.filter(([m]) => m === 'view/item/context')) {
      assert.match(item.when!, /^view == kieStudio\.tasks && viewItem/, `${menu} ${item.command}`);
      const eq = /viewItem == ([\w.]+)/.exec(item.when!);
      if (eq) assert.ok(values.has(eq[1]), eq[1]);
      const re = /viewItem =~ \/(.+?)\//.exec(item.when!);
      if (re) assert.ok([...values].some((v) => new RegExp(re[1]).test(v)), re[1]);
    }
    const inline = menuItems.filter(([m, i]) => m === 'view/item/context' && i.group?.startsWith('inline'));
    assert.ok(inline.some(([, i]) => i.command === 'kieStudio.retryTask' && new RegExp(/viewItem =~ \/(.+?)\//.exec(i.when!)![1]).test('task.failed')));
  });

  it('shows the explorer actions exactly on the files they take', () => {
    const sub = c.menus['kieStudio.explorer'] as MenuItem[];
    const kindOf: Record<string, 'image' | 'video' | 'audio'> = {};
    for (const a of Object.values(ACTIONS)) kindOf[`kieStudio.${a.id}`] = a.input;
    assert.deepEqual(sub.map((i) => i.command).sort(), Object.keys(kindOf).sort());
    const all = Object.values(MEDIA_EXTENSIONS).flat();
    for (const item of sub) {
      const re = extRegex(item.when!);
      for (const [kind, exts] of Object.entries(MEDIA_EXTENSIONS)) {
        for (const ext of exts) {
          assert.equal(re.test(`.${ext}`), kind === kindOf[item.command!], `${item.command} on .${ext}`);
          assert.equal(re.test(`.${ext.toUpperCase()}`), kind === kindOf[item.command!], `${item.command} on .${ext.toUpperCase()}`);
        }
      }
      assert.equal(re.test('.txt'), false);
      assert.equal(re.test('.png.txt'), false);
    }
    const entry = c.menus['explorer/context'].find((i: MenuItem) => i.submenu === 'kieStudio.explorer');
    const re = extRegex(entry.when);
    for (const ext of all) assert.ok(re.test(`.${ext}`), ext);
    assert.ok(!re.test('.json'));
    assert.match(entry.when, /!explorerResourceIsFolder/);
  });

  it('has a localized string for every %key%, and no unused ones', () => {
    const used = new Set(strings(pkg).flatMap((s) => [...s.matchAll(/^%([\w.]+)%$/g)].map((m) => m[1])));
    for (const key of used) assert.ok(key in nls, key);
    for (const key of Object.keys(nls)) assert.ok(used.has(key), `unused ${key}`);
  });

  it('activates lazily', () => {
    assert.deepEqual(pkg.activationEvents, ['onView:kieStudio.tasks', 'onView:kieStudio.generator']);
    assert.equal(pkg.main, './dist/extension.js');
    assert.equal(pkg.engines.vscode, '^1.100.0');
  });

  it('contributes the container, both views and their welcome content', () => {
    assert.equal(c.viewsContainers.activitybar[0].id, 'kieStudio');
    assert.ok(existsSync(`${root}${c.viewsContainers.activitybar[0].icon}`));
    const views = c.views.kieStudio;
    assert.deepEqual(views.map((v: { id: string }) => v.id), ['kieStudio.generator', 'kieStudio.tasks']);
    assert.equal(views[0].type, 'webview');
    const welcome = c.viewsWelcome.map((w: { when: string; contents: string }) => [w.when, nls[w.contents.slice(1, -1)]]);
    assert.ok(welcome.some(([when, text]: string[]) => when === '!kieStudio.hasKey && !kieStudio.demo' && text.includes('command:kieStudio.setApiKey') && text.includes('command:kieStudio.startDemo')));
    assert.ok(welcome.some(([when]: string[]) => when === 'kieStudio.hasKey && !kieStudio.demo'));
    assert.ok(existsSync(`${root}${pkg.icon}`));
    const svg = readFileSync(`${root}media/kie-studio.svg`, 'utf8');
    assert.ok(svg.includes('currentColor') && !/#[0-9a-f]{3,6}/i.test(svg), 'monochrome activity bar icon');
  });

  it('makes the URLs the key goes to machine-scoped and restricts workspace settings when untrusted', () => {
    const props = c.configuration.properties;
    for (const key of ['kieStudio.apiBaseUrl', 'kieStudio.uploadBaseUrl', 'kieStudio.callbackUrl']) assert.equal(props[key].scope, 'machine', key);
    assert.equal(props['kieStudio.assetsFolder'].default, DEFAULTS.assetsFolder);
    assert.equal(props['kieStudio.fileNamePattern'].default, DEFAULTS.fileNamePattern);
    assert.equal(props['kieStudio.modelsFile'].default, DEFAULTS.modelsFile);
    assert.equal(props['kieStudio.demo.speed'].default, DEFAULTS.demoSpeed);
    assert.equal(props['kieStudio.upscaleFactor'].default, DEFAULTS.upscaleFactor);
    assert.deepEqual(props['kieStudio.notifications'].enum, ['all', 'failures', 'none']);
    for (const a of Object.values(ACTIONS)) assert.equal(props[`kieStudio.${a.setting}`].default, a.defaultModel, a.setting);
    const untrusted = pkg.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    for (const key of untrusted.restrictedConfigurations) assert.ok(props[key], key);
    assert.ok(untrusted.restrictedConfigurations.includes('kieStudio.modelsFile'));
    assert.ok(!Object.keys(props).some((k) => /key|secret|token/i.test(k)), 'no setting holds the key');
  });

  it('has a walkthrough whose media exist', () => {
    const steps = c.walkthroughs[0].steps;
    assert.deepEqual(steps.map((s: { id: string }) => s.id), ['connect', 'generate', 'upscale']);
    for (const s of steps) assert.ok(existsSync(`${root}${s.media.markdown}`), s.media.markdown);
  });
});
