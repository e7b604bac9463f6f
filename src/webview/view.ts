/**
 * Renders the generator form with vscode-elements and wires the controls to the app model.
 * Logic lives in app.ts / formModel.ts; this file only draws and listens.
 *
 * Stable ids (also as data-testid) for tests: category-image|video|audio, model-select,
 * field-<name>, error-<name>, generate-button, cost-estimate, balance, status-line,
 * generate-error, setup-panel, set-api-key-button, start-demo-button, show-tasks-button,
 * advanced, browse-<name>, workspace-files-<name>, files-<name>, remove-<name>-<index>, thumb-<name>-<index>.
 */
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { VscodeCollapsible } from '@vscode-elements/elements/dist/vscode-collapsible/vscode-collapsible.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { VscodeTextarea } from '@vscode-elements/elements/dist/vscode-textarea/vscode-textarea.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { CATEGORIES, type Category } from '../core/catalog/types';
import type { GeneratorApp } from './app';
import { h, idPart, setText, show } from './dom';
import {
  balanceLabel, canGenerate, charCountLabel, costLabel, modelChoices, type FormField,
} from './formModel';
import { baseName, isLocalPath, matchesKind, parseDrop } from './mediaPaths';

const CATEGORY_LABELS: Record<Category, string> = { image: 'Image', video: 'Video', audio: 'Audio' };
const MEDIA_PLACEHOLDER = 'Workspace path or https:// URL';

type TextControl = VscodeTextarea | VscodeTextfield;

export class GeneratorView {
  private readonly main: HTMLElement;
  private readonly setupPanel: HTMLElement;
  private readonly tabs: Record<Category, HTMLButtonElement>;
  private readonly modelSelect: VscodeSingleSelect;
  private readonly modelInfo: HTMLElement;
  private readonly formEl: HTMLElement;
  private readonly general: HTMLElement;
  private readonly cost: HTMLElement;
  private readonly balance: HTMLElement;
  private readonly demoBadge: HTMLElement;
  private readonly generateButton: HTMLElement & { disabled: boolean };
  private readonly hint: HTMLElement;
  private readonly statusLine: HTMLElement;
  private readonly showTasks: HTMLElement;
  private readonly errorRegion: HTMLElement;
  private advanced: VscodeCollapsible | undefined;
  /** Media values as last drawn, to redraw lists only when they change. */
  private drawnMedia = new Map<string, string>();
  private renderedModel: string | undefined;
  private renderedCategory: Category | undefined;
  private renderedCatalog: GeneratorApp['catalog'] | undefined;

  constructor(private readonly root: HTMLElement, private readonly app: GeneratorApp) {
    root.replaceChildren();
    root.removeAttribute('aria-busy');

    this.setupPanel = h('section', { id: 'setup-panel', 'data-testid': 'setup-panel', class: 'setup', 'aria-labelledby': 'setup-title', hidden: true },
      h('h2', { id: 'setup-title' }, 'Connect to Kie.ai'),
      h('p', {}, 'Kie Studio needs your Kie.ai API key to generate. You can also try the offline demo: it runs on a local simulator, costs nothing and needs no key.'),
      h('div', { class: 'button-row' },
        this.button('set-api-key-button', 'Set API Key', () => app.runCommand('kieStudio.setApiKey')),
        this.button('start-demo-button', 'Try offline demo', () => app.runCommand('kieStudio.startDemo'), true),
      ),
    );

    const tablist = h('div', { role: 'tablist', 'aria-label': 'Category', class: 'tabs', id: 'category-tabs' });
    this.tabs = {} as Record<Category, HTMLButtonElement>;
    for (const c of CATEGORIES) {
      const tab = h('button', {
        type: 'button', role: 'tab', id: `category-${c}`, 'data-testid': `category-${c}`, class: 'tab', 'aria-controls': 'generator-form',
      }, CATEGORY_LABELS[c]);
      tab.addEventListener('click', () => app.setCategory(c));
      tab.addEventListener('keydown', (ev) => this.onTabKey(ev, c));
      this.tabs[c] = tab;
      tablist.append(tab);
    }

    this.modelSelect = h('vscode-single-select', { id: 'model-select', 'data-testid': 'model-select', combobox: true, filter: 'contains', class: 'model-select' });
    this.modelSelect.label = 'Model';
    this.modelSelect.addEventListener('change', () => {
      const id = this.modelSelect.value;
      if (id && id !== app.modelId) app.selectModel(id);
      else if (!id) this.restoreModelSelect();
    });
    // Enter on a filter without choosing an option leaves the combobox empty: show the model again.
    this.modelSelect.addEventListener('focusout', () => setTimeout(() => this.restoreModelSelect(), 0));
    this.modelSelect.addEventListener('keyup', (ev) => {
      if (ev.key === 'Enter' || ev.key === 'Escape') this.restoreModelSelect();
    });
    this.modelInfo = h('p', { id: 'model-info', class: 'help model-info' });

    // A div, not a <form>: vscode-textfield submits its form on Enter, which would start a generation.
    this.formEl = h('div', { id: 'generator-form', class: 'form', role: 'tabpanel', 'aria-label': 'Model input' });

    this.general = h('div', { id: 'general-errors', 'data-testid': 'general-errors', class: 'error general', role: 'alert' });
    this.cost = h('span', { id: 'cost-estimate', 'data-testid': 'cost-estimate', class: 'cost' });
    this.balance = h('span', { id: 'balance', 'data-testid': 'balance', class: 'balance' });
    this.demoBadge = h('vscode-badge', { id: 'demo-badge', hidden: true }, 'Demo');
    const refresh = h('button', { type: 'button', id: 'refresh-balance', class: 'link', title: 'Refresh the balance' }, 'Refresh');
    refresh.addEventListener('click', () => app.refreshBalance());

    this.generateButton = this.button('generate-button', 'Generate', () => void this.generate()) as HTMLElement & { disabled: boolean };
    this.generateButton.classList.add('generate');
    this.generateButton.setAttribute('block', '');
    this.hint = h('p', { id: 'generate-hint', class: 'help hint' });
    this.statusLine = h('p', { id: 'status-line', 'data-testid': 'status-line', class: 'status', role: 'status', 'aria-live': 'polite' });
    this.showTasks = this.button('show-tasks-button', 'Show Tasks', () => app.runCommand('kieStudio.showTasks'), true);
    this.showTasks.hidden = true;
    this.errorRegion = h('div', { id: 'generate-error', 'data-testid': 'generate-error', class: 'error', role: 'alert' });

    this.main = h('div', { class: 'generator' },
      this.setupPanel,
      tablist,
      h('div', { class: 'field model-field' },
        h('vscode-label', { for: 'model-select' }, 'Model'),
        this.modelSelect,
        this.modelInfo,
      ),
      this.formEl,
      this.general,
      h('div', { class: 'footer' },
        h('div', { class: 'meta-row' }, this.cost, h('span', { class: 'balance-group' }, this.balance, refresh)),
        this.generateButton,
        this.hint,
        h('div', { class: 'status-row' }, this.statusLine, this.showTasks),
        this.errorRegion,
      ),
    );
    root.append(this.main);

    // Ctrl/Cmd+Enter generates from anywhere in the form.
    root.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        void this.generate();
      }
    });

    app.onChange((kind) => {
      if (kind === 'form') this.renderForm();
      else if (kind === 'values') this.updateValues();
      else if (kind === 'account') this.updateAccount();
      else this.updateStatus();
    });
  }

  private button(id: string, text: string, onClick: () => void, secondary = false): HTMLElement {
    const b = h('vscode-button', { id, 'data-testid': id, secondary }, text);
    b.addEventListener('click', (ev) => {
      if ((b as HTMLElement & { disabled?: boolean }).disabled) return;
      ev.preventDefault();
      onClick();
    });
    return b;
  }

  private async generate(): Promise<void> {
    const started = await this.app.generate();
    if (!started) {
      // Open "Advanced" when a problem hides there, and move focus to the first problem.
      const errors = this.app.visibleErrors();
      const first = this.app.fields.find((f) => errors[f.name]);
      if (first?.advanced && this.advanced) this.advanced.open = true;
      if (first) (this.root.querySelector(`#field-${idPart(first.name)}`) as HTMLElement | null)?.focus();
    }
  }

  private onTabKey(ev: KeyboardEvent, c: Category): void {
    const i = CATEGORIES.indexOf(c);
    let next: Category | undefined;
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown') next = CATEGORIES[(i + 1) % CATEGORIES.length];
    else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp') next = CATEGORIES[(i + CATEGORIES.length - 1) % CATEGORIES.length];
    else if (ev.key === 'Home') next = CATEGORIES[0];
    else if (ev.key === 'End') next = CATEGORIES[CATEGORIES.length - 1];
    if (!next) return;
    ev.preventDefault();
    this.app.setCategory(next);
    this.tabs[next].focus();
  }

  // ------------------------------------------------------------------ whole form

  renderForm(): void {
    const app = this.app;
    const category = app.category;
    for (const c of CATEGORIES) {
      const selected = c === category;
      this.tabs[c].setAttribute('aria-selected', String(selected));
      this.tabs[c].tabIndex = selected ? 0 : -1;
    }
    this.formEl.setAttribute('aria-labelledby', `category-${category}`);

    if (this.renderedCategory !== category || this.renderedCatalog !== app.catalog || this.renderedModel === undefined) {
      this.renderModelOptions(category);
    }
    this.renderedCatalog = app.catalog;
    if (app.modelId && this.modelSelect.value !== app.modelId) this.modelSelect.value = app.modelId;
    this.renderedCategory = category;
    this.renderedModel = app.modelId;

    const entry = app.entry;
    this.modelInfo.replaceChildren();
    if (entry) {
      this.modelInfo.append(h('span', {}, entry.description));
      if (entry.retired) this.modelInfo.append(h('span', { class: 'warning', id: 'retired-note' }, ` Retired upstream: ${entry.retired}`));
    } else {
      this.modelInfo.append(h('span', {}, 'No model in this category.'));
    }

    this.drawnMedia.clear();
    const main = app.fields.filter((f) => !f.advanced);
    const advanced = app.fields.filter((f) => f.advanced);
    const nodes: Node[] = main.map((f) => this.renderField(f));
    this.advanced = undefined;
    if (advanced.length) {
      const coll = h('vscode-collapsible', { id: 'advanced', 'data-testid': 'advanced', class: 'advanced' });
      coll.heading = 'Advanced options';
      coll.description = `${advanced.length}`;
      coll.open = app.state.advancedOpen;
      coll.addEventListener('vsc-collapsible-toggle', (ev) => app.setAdvancedOpen((ev as CustomEvent<{ open: boolean }>).detail.open));
      const body = h('div', { class: 'advanced-body' }, ...advanced.map((f) => this.renderField(f)));
      coll.append(body);
      this.advanced = coll;
      nodes.push(coll);
    }
    this.formEl.replaceChildren(...nodes);
    this.updateValues();
    this.updateAccount();
    this.updateStatus();
  }

  private restoreModelSelect(): void {
    const id = this.app.modelId;
    if (id && !this.modelSelect.open && this.modelSelect.value !== id) this.modelSelect.value = id;
  }

  private renderModelOptions(category: Category): void {
    const choices = modelChoices(this.app.catalog.all(), category);
    const options = choices.map((c) => {
      const o = h('vscode-option', { value: c.id, description: c.id, class: c.retired ? 'retired' : undefined }, c.label);
      return o;
    });
    this.modelSelect.replaceChildren(...options);
    this.modelSelect.disabled = !choices.length;
  }

  private renderField(f: FormField): HTMLElement {
    const id = `field-${idPart(f.name)}`;
    const errorId = `error-${idPart(f.name)}`;
    const helpId = `help-${idPart(f.name)}`;
    const wrap = h('div', { class: `field field-${f.kind}`, id: `wrap-${idPart(f.name)}`, 'data-field': f.name });
    const describedBy = [f.description ? helpId : '', errorId].filter(Boolean).join(' ');
    const value = this.app.values[f.name];

    if (f.kind !== 'checkbox') wrap.append(h('vscode-label', { for: id, required: f.required }, f.label));

    switch (f.kind) {
      case 'textarea':
      case 'lines':
      case 'json': {
        const ta = h('vscode-textarea', {
          id, 'data-testid': id, rows: f.rows ?? 3, 'aria-describedby': describedBy, resize: 'vertical', monospace: f.kind === 'json',
        });
        ta.label = f.label;
        ta.value = String(value ?? '');
        if (f.kind === 'lines') ta.placeholder = f.itemType === 'string' ? 'One value a line' : 'One number a line';
        if (f.kind === 'json') ta.placeholder = 'JSON';
        this.bindText(ta, f);
        wrap.append(ta);
        break;
      }
      case 'text':
      case 'number': {
        const tf = h('vscode-textfield', { id, 'data-testid': id, 'aria-describedby': describedBy });
        tf.label = f.label;
        if (f.kind === 'number') {
          tf.type = 'number';
          if (f.min !== undefined) tf.min = f.min;
          if (f.max !== undefined) tf.max = f.max;
          if (f.integer) tf.step = 1;
          tf.placeholder = [f.min !== undefined ? `min ${f.min}` : '', f.max !== undefined ? `max ${f.max}` : ''].filter(Boolean).join(', ');
        }
        tf.value = String(value ?? '');
        this.bindText(tf, f);
        wrap.append(tf);
        break;
      }
      case 'select': {
        const sel = h('vscode-single-select', { id, 'data-testid': id, 'aria-describedby': describedBy });
        sel.label = f.label;
        const opts = (f.options ?? []).map((o) => h('vscode-option', { value: o.key }, o.label));
        const hasDefault = f.options?.some((o) => o.key === f.defaultValue);
        if (!f.required && !hasDefault) opts.unshift(h('vscode-option', { value: '' }, '(model default)'));
        sel.append(...opts);
        sel.value = String(value ?? '');
        sel.addEventListener('change', () => this.app.setValue(f.name, sel.value));
        wrap.append(sel);
        break;
      }
      case 'checkbox': {
        const cb = h('vscode-checkbox', { id, 'data-testid': id, 'aria-describedby': describedBy }, f.label);
        cb.checked = value === true;
        cb.addEventListener('change', () => this.app.setValue(f.name, (cb as VscodeCheckbox).checked));
        wrap.append(cb);
        break;
      }
      case 'media':
      case 'mediaList':
        this.renderMedia(wrap, f, id, describedBy);
        break;
    }

    const meta = h('div', { class: 'field-meta' });
    if (f.description) meta.append(h('span', { class: 'help', id: helpId }, f.description));
    if (f.kind === 'textarea' || (f.kind === 'text' && f.maxLength)) meta.append(h('span', { class: 'count', id: `count-${idPart(f.name)}`, 'data-testid': `count-${idPart(f.name)}` }));
    if (meta.childElementCount) wrap.append(meta);
    const dropHint = wrap.querySelector('.drop-hint');
    if (dropHint) wrap.append(dropHint);
    wrap.append(h('div', { class: 'error', id: errorId, 'data-testid': errorId, role: 'alert' }));
    return wrap;
  }

  private bindText(el: TextControl, f: FormField): void {
    el.addEventListener('input', () => this.app.setValue(f.name, el.value));
    el.addEventListener('change', () => this.app.setValue(f.name, el.value));
    el.addEventListener('blur', () => this.app.touch(f.name));
  }

  // ------------------------------------------------------------------ media fields

  private renderMedia(wrap: HTMLElement, f: FormField, id: string, describedBy: string): void {
    const name = idPart(f.name);
    const kind = f.media ?? 'image';
    const list = f.kind === 'mediaList';
    const input = h('vscode-textfield', { id, 'data-testid': id, 'aria-describedby': describedBy, class: 'media-input' });
    input.label = f.label;
    input.placeholder = list ? `Add: ${MEDIA_PLACEHOLDER.toLowerCase()}, then Enter` : MEDIA_PLACEHOLDER;
    if (list) {
      const add = () => {
        const v = input.value.trim();
        if (!v) return;
        input.value = '';
        this.app.addFiles(f, [{ path: v }]);
      };
      input.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' && !ev.ctrlKey && !ev.metaKey) {
          ev.preventDefault();
          add();
        }
      });
      input.addEventListener('change', add);
      wrap.append(h('ul', { class: 'media-list', id: `list-${name}`, 'data-testid': `list-${name}`, 'aria-label': `${f.label}: chosen files` }));
    } else {
      input.value = String(this.app.values[f.name] ?? '');
      this.bindText(input, f);
    }

    const browse = this.button(`browse-${name}`, 'Browse…', () => void this.app.pickFile(f), true);
    browse.setAttribute('aria-label', `Browse for ${list ? `${kind} files` : `a ${kind} file`} for ${f.label}`);
    const picker = h('div', { class: 'file-picker', hidden: true, id: `picker-${name}` });
    const quick = this.button(`workspace-files-${name}`, 'Workspace files', () => void this.openQuickList(f, picker, quick), true);
    quick.setAttribute('aria-label', `Choose from the ${kind} files of the workspace for ${f.label}`);
    wrap.append(
      h('div', { class: 'media-row' }, input),
      h('div', { class: 'button-row' }, browse, quick),
      picker,
      h('div', { class: 'thumbs', id: `thumbs-${name}` }),
      h('p', { class: 'help drop-hint' }, `Or hold Shift and drag ${list ? 'files' : 'a file'} from the Explorer here.`),
    );
    this.bindDrop(wrap, f);
  }

  private async openQuickList(f: FormField, picker: HTMLElement, opener: HTMLElement): Promise<void> {
    if (!picker.hidden) {
      picker.hidden = true;
      return;
    }
    const name = idPart(f.name);
    picker.hidden = false;
    picker.replaceChildren(h('p', { class: 'help' }, 'Looking for files…'));
    const result = await this.app.listMedia(f.media ?? 'image');
    if (typeof result === 'string') {
      picker.replaceChildren(h('p', { class: 'error' }, result));
      return;
    }
    if (!result.length) {
      picker.replaceChildren(h('p', { class: 'help' }, `No ${f.media} files in the workspace.`));
      return;
    }
    const sel = h('vscode-single-select', { id: `files-${name}`, 'data-testid': `files-${name}`, combobox: true, filter: 'contains' });
    sel.label = `${f.label}: workspace files`;
    sel.append(h('vscode-option', { value: '' }, `Choose one of ${result.length} files…`), ...result.map((r) => h('vscode-option', { value: r.path }, r.path)));
    sel.value = '';
    sel.addEventListener('change', () => {
      const chosen = result.find((r) => r.path === sel.value);
      if (!chosen) return;
      this.app.addFiles(f, [chosen]);
      picker.hidden = true;
      picker.replaceChildren();
      opener.focus();
    });
    picker.replaceChildren(sel);
    await sel.updateComplete;
    sel.focus();
  }

  private bindDrop(wrap: HTMLElement, f: FormField): void {
    const accepts = (ev: DragEvent) => {
      const types = [...(ev.dataTransfer?.types ?? [])];
      return types.some((t) => ['application/vnd.code.uri-list', 'text/uri-list', 'resourceurls', 'codefiles', 'text/plain', 'Files'].includes(t));
    };
    wrap.addEventListener('dragover', (ev) => {
      if (!accepts(ev)) return;
      ev.preventDefault();
      if (ev.dataTransfer) ev.dataTransfer.dropEffect = 'copy';
      wrap.classList.add('drag-over');
    });
    wrap.addEventListener('dragleave', (ev) => {
      if (ev.relatedTarget instanceof Node && wrap.contains(ev.relatedTarget)) return;
      wrap.classList.remove('drag-over');
    });
    wrap.addEventListener('drop', (ev) => {
      wrap.classList.remove('drag-over');
      const dt = ev.dataTransfer;
      if (!dt) return;
      ev.preventDefault();
      const values = parseDrop({
        codeUriList: dt.getData('application/vnd.code.uri-list'),
        uriList: dt.getData('text/uri-list'),
        resourceUrls: dt.getData('resourceurls'),
        text: dt.getData('text/plain'),
      });
      const kind = f.media ?? 'image';
      const fitting = values.filter((v) => matchesKind(v, kind));
      const refused = values.filter((v) => !matchesKind(v, kind));
      if (fitting.length) this.app.addFiles(f, (f.kind === 'mediaList' ? fitting : fitting.slice(0, 1)).map((path) => ({ path })));
      const err = this.root.querySelector(`#error-${idPart(f.name)}`);
      if (refused.length) setText(err, `Not ${kind === 'image' ? 'an image' : `a ${kind}`} file: ${refused.map(baseName).join(', ')}`);
      else if (!values.length) setText(err, 'Nothing usable was dropped. Hold Shift while dragging from the Explorer.');
    });
  }

  /** Redraws a media field's list and thumbnails when its value changed. */
  private drawMedia(f: FormField): void {
    const value = this.app.values[f.name];
    const key = JSON.stringify(value ?? null);
    if (this.drawnMedia.get(f.name) === key) return;
    this.drawnMedia.set(f.name, key);
    const name = idPart(f.name);
    const items = Array.isArray(value) ? value : typeof value === 'string' && value.trim() ? [value.trim()] : [];
    const listEl = this.root.querySelector(`#list-${name}`);
    if (f.kind === 'media') {
      const input = this.root.querySelector(`#field-${name}`) as VscodeTextfield | null;
      if (input && input.value !== String(value ?? '') && document.activeElement !== input) input.value = String(value ?? '');
    }
    if (listEl) {
      listEl.replaceChildren(...items.map((path, i) => {
        const remove = this.button(`remove-${name}-${i}`, 'Remove', () => {
          this.app.removeFile(f, i);
          const next = this.root.querySelector(`#remove-${name}-${Math.min(i, items.length - 2)}`) as HTMLElement | null;
          (next ?? (this.root.querySelector(`#field-${name}`) as HTMLElement | null))?.focus();
        }, true);
        remove.setAttribute('aria-label', `Remove ${baseName(path)}`);
        remove.classList.add('remove');
        return h('li', { class: 'media-item' },
          this.thumb(f, path, i),
          h('span', { class: 'path', title: path }, path),
          remove,
        );
      }));
    } else {
      const thumbs = this.root.querySelector(`#thumbs-${name}`);
      const path = items[0];
      thumbs?.replaceChildren(...(path && f.media === 'image' && isLocalPath(path) ? [this.thumb(f, path, 0, false)] : []));
    }
  }

  /** A thumbnail for a local image (asked of the host), or nothing. */
  private thumb(f: FormField, path: string, index: number, badge = true): Node {
    const ext = isLocalPath(path) ? /\.([a-z0-9]{1,5})$/i.exec(baseName(path))?.[1] ?? f.media ?? '' : 'URL';
    const holder = badge
      ? h('span', { class: 'thumb-holder', 'aria-hidden': 'true' }, h('span', { class: 'thumb-kind' }, ext.toUpperCase()))
      : h('span', { class: 'thumb-single' });
    if (f.media !== 'image' || !isLocalPath(path)) return holder;
    const name = idPart(f.name);
    const put = (uri: string | undefined) => {
      if (!uri) return;
      const img = h('img', { id: `thumb-${name}-${index}`, 'data-testid': `thumb-${name}-${index}`, class: 'thumb', src: uri, alt: `Preview of ${baseName(path)}` });
      const fallback = [...holder.childNodes];
      img.addEventListener('error', () => holder.replaceChildren(...fallback));
      holder.replaceChildren(img);
      holder.removeAttribute('aria-hidden');
    };
    const known = this.app.knownPreview(path);
    if (known) put(known);
    else void this.app.previewUri(path).then(put);
    return holder;
  }

  // ------------------------------------------------------------------ partial updates

  updateValues(): void {
    const app = this.app;
    const errors = app.visibleErrors();
    for (const f of app.fields) {
      const name = idPart(f.name);
      const err = this.root.querySelector(`#error-${name}`);
      setText(err, errors[f.name] ?? '');
      const control = this.root.querySelector(`#field-${name}`) as (HTMLElement & { invalid?: boolean }) | null;
      if (control && f.kind !== 'mediaList') control.invalid = !!errors[f.name];
      control?.setAttribute('aria-invalid', String(!!errors[f.name]));
      const count = this.root.querySelector(`#count-${name}`);
      if (count) {
        const v = String(app.values[f.name] ?? '');
        setText(count, charCountLabel(v, f.maxLength));
        count.classList.toggle('over', !!f.maxLength && v.length > f.maxLength);
      }
      if (f.kind === 'media' || f.kind === 'mediaList') this.drawMedia(f);
    }
    if (this.advanced && app.attempted && app.fields.some((f) => f.advanced && errors[f.name])) this.advanced.open = true;

    const general = app.generalProblems();
    this.general.replaceChildren(...general.map((g) => h('p', {}, g)));
    show(this.general, general.length > 0);

    if (app.entry) {
      const c = costLabel(app.entry, app.check().input);
      setText(this.cost, c.text);
      this.cost.title = c.basis;
    } else {
      setText(this.cost, '');
    }
    this.updateButton();
  }

  private updateButton(): void {
    const blocker = this.app.blocker();
    this.generateButton.disabled = !!blocker;
    this.generateButton.setAttribute('aria-describedby', 'generate-hint');
    setText(this.hint, blocker && this.app.status.kind !== 'busy' ? blocker : '');
    show(this.hint, !!blocker);
  }

  updateAccount(): void {
    const label = balanceLabel(this.app.account);
    if (label.demo) {
      // "Demo" as a badge, then the demo balance: the text reads "Demo 1,000 credits".
      this.balance.replaceChildren(this.demoBadge, ...(label.credits ? [` ${label.credits}`] : []));
    } else {
      setText(this.balance, label.text);
    }
    this.balance.title = label.title;
    show(this.demoBadge, label.demo);
    show(this.setupPanel, this.app.initialised && !canGenerate(this.app.account));
    this.updateButton();
  }

  updateStatus(): void {
    const s = this.app.status;
    setText(this.statusLine, s.kind === 'error' ? '' : s.text);
    this.statusLine.classList.toggle('busy', s.kind === 'busy');
    show(this.showTasks, s.kind === 'started');
    this.errorRegion.replaceChildren(...(s.kind === 'error' ? [h('p', {}, s.text)] : []));
    show(this.errorRegion, s.kind === 'error');
    this.updateValues();
  }
}

