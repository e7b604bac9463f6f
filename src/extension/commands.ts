import * as vscode from 'vscode';
import type { Category, ModelEntry } from '../core/catalog/types';
import type { SavedOutput, TaskRecord } from '../core/engine/types';
import type { Account } from '../webview/protocol';
import type { CatalogHost } from './catalogHost';
import { settings, type Connection } from './connection';
import type { Destinations } from './destinations';
import type { Engines } from './engines';
import type { Logger } from './logger';
import { COMMANDS } from './model/commands';
import { baseName, formatCredits } from './model/format';
import { MEDIA_EXTENSIONS, mediaKindOf } from './model/media';
import { demoPrefix, requestErrorMessage, startedNotice } from './model/notify';
import { buildPromptInput, modelPickItems, type ModelPickItem } from './model/quickPick';
import { ACTIONS, buildActionInput, mediaFieldFor, resolveActionModel, type ActionId } from './model/settings';
import { isLive, subjectOf, type TreeNode } from './model/taskTree';
import { showNotice } from './notifications';
import type { StatusBar } from './statusBar';
import { Cancelled, submitWithProgress } from './submit';
import type { TasksView } from './tasksView';
import { LAST_MODEL_KEY } from './generator/generatorView';

/** What the commands need of the sidebar generator (its provider). */
export interface GeneratorBridge {
  /** Reveals the view and fills the form. */
  fill(modelId: string, input: Record<string, unknown>): Promise<void>;
  /** Reveals the view with a model chosen (and the given fields filled). */
  selectModel(modelId: string, input?: Record<string, unknown>): Promise<void>;
}

export interface CommandDeps {
  context: vscode.ExtensionContext;
  log: Logger;
  connection: Connection;
  engines: Engines;
  catalogs: CatalogHost;
  tasksView: TasksView;
  treeView: vscode.TreeView<TreeNode>;
  destinations: Destinations;
  statusBar: StatusBar;
  generator: () => GeneratorBridge | undefined;
}


/** Result of Set API Key. */
export interface SetKeyResult {
  saved: boolean;
  credits?: number;
  error?: string;
  cancelled?: boolean;
}

/** Arguments the generate commands accept (all optional; missing ones are asked for). */
export interface GenerateArgs {
  model?: string;
  prompt?: string;
  /** Extra input fields, merged over the prompt. */
  input?: Record<string, unknown>;
}

/** Options an explorer action accepts as its argument (instead of, or after, a Uri). */
export interface ActionArgs {
  uri?: vscode.Uri | string;
  path?: string;
  model?: string;
  prompt?: string;
  factor?: number;
}

function isUri(v: unknown): v is vscode.Uri {
  return v instanceof vscode.Uri || (!!v && typeof v === 'object' && typeof (v as vscode.Uri).scheme === 'string' && typeof (v as vscode.Uri).fsPath === 'string');
}

function toUri(v: unknown): vscode.Uri | undefined {
  if (isUri(v)) return v;
  if (typeof v === 'string' && v) return /^[a-z][a-z0-9+.-]+:\/\//i.test(v) ? vscode.Uri.parse(v) : vscode.Uri.file(v);
  return undefined;
}

export function registerCommands(d: CommandDeps): vscode.Disposable[] {
  const { log, connection, engines, catalogs, tasksView, treeView, destinations } = d;
  const catalog = catalogs.catalog;
  const isDemo = () => connection.mode === 'demo';
  const prefix = () => demoPrefix(isDemo());

  /** Runs a command body; errors become one notification (and the log), the command returns undefined. */
  const guarded = <A extends unknown[], R>(name: string, body: (...args: A) => Promise<R>) => async (...args: A): Promise<R | undefined> => {
    try {
      return await body(...args);
    } catch (err) {
      if (err instanceof Cancelled) return undefined;
      log.error(`${name} failed`, err);
      void vscode.window.showErrorMessage(requestErrorMessage(err, isDemo()));
      return undefined;
    }
  };

  const account = () => connection.account;

  const openGenerator = async (): Promise<boolean> => {
    await vscode.commands.executeCommand('workbench.view.extension.kieStudio');
    await vscode.commands.executeCommand('kieStudio.generator.focus');
    return true;
  };

  /** The task an item command is about: a tree node, a local or Kie task id, a record, or the selection. */
  const taskFrom = async (arg: unknown): Promise<TaskRecord | undefined> => {
    await engines.whenReady();
    const engine = engines.current;
    if (typeof arg === 'string') return engine.get(arg) ?? engine.list().find((t) => t.taskId === arg);
    if (arg && typeof arg === 'object') {
      const node = arg as Partial<TreeNode> & { id?: string };
      if (node.kind === 'task' || node.kind === 'output' || node.kind === 'reason') return tasksView.taskOf(node as TreeNode);
      if (typeof node.id === 'string') return engine.get(node.id);
    }
    const selected = treeView.selection[0];
    return selected ? tasksView.taskOf(selected) : undefined;
  };

  const requireTask = async (arg: unknown): Promise<TaskRecord> => {
    const task = await taskFrom(arg);
    if (!task) throw new Error('No such task: select one in the Kie Studio Tasks view.');
    return task;
  };

  /** The output an output command is about: the output node's, else the task's first saved one. */
  const outputFrom = async (arg: unknown): Promise<{ task: TaskRecord; output: SavedOutput | undefined }> => {
    const task = await requireTask(arg);
    const node = (arg && typeof arg === 'object' ? arg : treeView.selection[0]) as TreeNode | undefined;
    if (node?.kind === 'output') return { task, output: task.outputs[node.index] };
    return { task, output: task.outputs.find((o) => o.savedPath) ?? task.outputs[0] };
  };

  const lastModels = () => d.context.globalState.get<Record<string, string>>(LAST_MODEL_KEY) ?? {};
  const rememberModel = (category: Category, modelId: string) =>
    d.context.globalState.update(LAST_MODEL_KEY, { ...lastModels(), [category]: modelId });

  /**
   * Without a key, outside the demo, nothing can be sent: say so before asking for anything (the
   * task would only fail at its upload or create), offer the two ways in, and stop.
   */
  const connected = (): boolean => {
    if (isDemo() || connection.hasKey) return true;
    const set = 'Set API Key';
    const demo = 'Try Offline Demo';
    // Not awaited: the command ends now, the buttons act whenever they are clicked.
    void vscode.window.showWarningMessage('Kie Studio needs a Kie.ai API key to generate. No key yet? The offline demo works without one.', set, demo).then((choice) => {
      if (choice === set) void vscode.commands.executeCommand(COMMANDS.setApiKey);
      if (choice === demo) void vscode.commands.executeCommand(COMMANDS.startDemo);
    });
    log.info('Nothing sent: no API key is set and the demo is off.');
    return false;
  };

  const afterSubmit = (task: TaskRecord, verb: string, subject: string, entry: ModelEntry) => {
    d.statusBar.refreshCreditsSoon();
    if (task.state === 'failed' || task.state === 'unknown') {
      // Refused at once: its failure notice says why; a "Started" notice would contradict it.
      log.info(`${verb} ${subject} with ${entry.id}: not started (${task.error?.message ?? task.state}).`);
      return;
    }
    const notice = startedNotice(verb, subject, entry.title, settings().notifications, isDemo());
    if (notice) void showNotice(notice, task.id);
    log.info(`${verb} ${subject} with ${entry.id}: task ${task.taskId ?? task.id}.`);
  };

  // ---------------------------------------------------------------- key and account

  const setApiKey = async (arg?: string | { key?: string; saveOnNetworkError?: boolean }): Promise<SetKeyResult> => {
    let key = typeof arg === 'string' ? arg : arg?.key;
    if (key === undefined) {
      key = await vscode.window.showInputBox({
        title: 'Kie.ai API key',
        prompt: 'Paste your Kie.ai API key (from kie.ai/api-key). It is kept in VS Code\'s secret storage, never in settings.',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'Enter a key, or press Escape to cancel.'),
      });
    }
    key = key?.trim();
    if (!key) return { saved: false, cancelled: true };
    const check = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Kie Studio: checking the key with Kie.ai…' },
      () => connection.checkKey(key!),
    );
    if (check.ok) {
      await connection.storeKey(key, check.credits);
      log.info(`API key saved (balance ${check.credits} credits).`);
        void vscode.window.showInformationMessage(`Kie.ai API key saved. Balance: ${formatCredits(check.credits)} credits.${isDemo() ? ' (The demo is still on: stop it to use the key.)' : ''}`);
      return { saved: true, credits: check.credits };
    }
    if (check.kind === 'rejected') {
      log.warn(`The key was rejected: ${check.message}`);
      void vscode.window.showErrorMessage(`Kie.ai rejected this key, so it was not saved. ${check.message}`);
      return { saved: false, error: check.message };
    }
    let save = typeof arg === 'object' ? arg.saveOnNetworkError : undefined;
    if (save === undefined) {
      const anyway = 'Save Anyway';
      save = (await vscode.window.showWarningMessage(`Could not check the key: ${check.message} Save it anyway?`, anyway)) === anyway;
    }
    if (!save) return { saved: false, error: check.message };
    await connection.storeKey(key);
    log.info('API key saved without a check (Kie.ai was not reachable).');
    return { saved: true, error: check.message };
  };

  const removeApiKey = async (): Promise<boolean> => {
    const had = await connection.removeKey();
    void vscode.window.showInformationMessage(had ? 'Kie.ai API key removed from this machine.' : 'No Kie.ai API key was stored.');
    log.info(had ? 'API key removed.' : 'Remove API Key: there was none.');
    return had;
  };

  const showCredits = async (): Promise<number | undefined> => {
    if (!isDemo() && !connection.hasKey) {
      const set = 'Set API Key';
      const demo = 'Try Offline Demo';
      // Not awaited: the command answers at once, the buttons act whenever they are clicked.
      void vscode.window.showInformationMessage('No Kie.ai API key is set.', set, demo).then((choice) => {
        if (choice === set) void vscode.commands.executeCommand(COMMANDS.setApiKey);
        if (choice === demo) void vscode.commands.executeCommand(COMMANDS.startDemo);
      });
      return undefined;
    }
    const credits = await connection.refreshCredits();
    if (credits === null) {
      void vscode.window.showWarningMessage(`${prefix()}Could not fetch the balance: ${connection.account.error ?? 'unknown error'}`);
      return undefined;
    }
    void vscode.window.showInformationMessage(`${prefix()}Kie.ai balance: ${formatCredits(credits)} credits.`);
    return credits;
  };

  // ---------------------------------------------------------------- demo

  const startDemo = async (): Promise<Account> => {
    const wasDemo = isDemo();
    await connection.startDemo();
    await engines.use('demo');
    if (!wasDemo) {
      const open = 'Open Generator';
      void vscode.window.showInformationMessage('[Demo] Offline demo started: a Kie.ai simulator runs on this machine, with 500 demo credits and no key. Results are generated locally.', open)
        .then((c) => (c === open ? openGenerator() : undefined));
    }
    return account();
  };

  const stopDemo = async (): Promise<Account> => {
    const stopped = await connection.stopDemo();
    await engines.use('real');
    if (stopped) void vscode.window.showInformationMessage(`Offline demo stopped. Kie Studio uses the Kie.ai API again${connection.hasKey ? '' : ' (set a key to generate)'}.`);
    return account();
  };

  // ---------------------------------------------------------------- generate from the palette

  const generate = (category: Category) => async (args?: GenerateArgs): Promise<TaskRecord | undefined> => {
    if (!connected()) return undefined;
    let entry: ModelEntry | undefined;
    if (args?.model) {
      entry = catalog.get(args.model);
      if (!entry) throw new Error(`Unknown model "${args.model}".`);
    } else {
      const items = modelPickItems(catalog.all(), category, lastModels()[category]).map((i: ModelPickItem) =>
        i.kind === 'separator' ? { label: '', kind: vscode.QuickPickItemKind.Separator, item: i } : { label: i.label, description: i.description, detail: i.detail, item: i });
      const picked = await vscode.window.showQuickPick(items, { title: `${prefix()}Generate ${category}: choose a model`, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true });
      if (!picked) return undefined;
      if (picked.item.openGenerator) {
        await openGenerator();
        return undefined;
      }
      entry = catalog.require(picked.item.modelId!);
    }
    let prompt = args?.prompt;
    if (prompt === undefined && !args?.input) {
      prompt = await vscode.window.showInputBox({
        title: `${prefix()}${entry.title}`,
        prompt: category === 'audio' && entry.fields.some((f) => f.name === 'text') ? 'The text to speak' : 'Describe what to generate',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'Enter a prompt, or press Escape to cancel.'),
      });
      if (prompt === undefined) return undefined;
    }
    const input = { ...(prompt !== undefined ? buildPromptInput(entry, prompt.trim()) : {}), ...(args?.input ?? {}) };
    const destination = await destinations.pick();
    if (!destination) return undefined;
    const task = await submitWithProgress(engines, { model: entry.id, input, destination }, log, isDemo());
    await rememberModel(category, entry.id);
    afterSubmit(task, 'Generating', `"${subjectOf(task).slice(0, 40)}"`, entry);
    return task;
  };

  // ---------------------------------------------------------------- explorer actions

  const runAction = (id: ActionId) => async (first?: unknown, second?: unknown): Promise<TaskRecord | TaskRecord[] | { model: string; input: Record<string, unknown> } | undefined> => {
    const spec = ACTIONS[id];
    // Edit Image only fills the generator, which shows its own way in.
    if (id !== 'editImage' && !connected()) return undefined;
    const opts: ActionArgs = first && typeof first === 'object' && !isUri(first) ? (first as ActionArgs) : second && typeof second === 'object' && !Array.isArray(second) && !isUri(second) ? (second as ActionArgs) : {};
    let uris: vscode.Uri[] = [];
    if (Array.isArray(second) && second.length > 1) uris = second.map(toUri).filter((u): u is vscode.Uri => !!u);
    else {
      const one = toUri(isUri(first) || typeof first === 'string' ? first : opts.uri ?? opts.path);
      if (one) uris = [one];
    }
    if (!uris.length) {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false,
        openLabel: spec.verb.split(' ')[0],
        filters: { [spec.input]: [...MEDIA_EXTENSIONS[spec.input]] },
      });
      if (!picked?.length) return undefined;
      uris = picked;
    }
    for (const uri of uris) {
      if (uri.scheme !== 'file') throw new Error(`${uri.toString(true)} is not a local file; Kie Studio uploads files from disk.`);
      if (mediaKindOf(uri.fsPath) !== spec.input) throw new Error(`${baseName(uri.fsPath)} is not ${spec.input === 'image' ? 'an' : 'a'} ${spec.input} file.`);
    }
    const s = settings(uris[0]);
    const { entry, warning } = resolveActionModel(spec, opts.model ?? s.defaultModels[id], catalog);
    if (warning) {
      log.warn(warning);
      void vscode.window.showWarningMessage(`Kie Studio: ${warning}`);
    }

    if (id === 'editImage') {
      const media = mediaFieldFor(entry, 'image')!;
      const input = { [media.field]: media.multiple ? uris.map((u) => u.fsPath) : uris[0].fsPath };
      const generator = d.generator();
      if (!generator) throw new Error('The generator is not available.');
      await generator.selectModel(entry.id, input);
      return { model: entry.id, input };
    }

    let prompt = opts.prompt;
    if (id === 'animateImage' && prompt === undefined) {
      prompt = await vscode.window.showInputBox({
        title: `${prefix()}Animate ${uris.length === 1 ? baseName(uris[0].fsPath) : `${uris.length} images`} with ${entry.title}`,
        prompt: 'Describe the motion',
        value: s.animatePrompt,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'Describe the motion, or press Escape to cancel.'),
      });
      if (prompt === undefined) return undefined;
    }
    const destination = await destinations.pick(uris[0]);
    if (!destination) return undefined;
    const tasks: TaskRecord[] = [];
    for (const uri of uris) {
      const input = buildActionInput(entry, spec, uri.fsPath, { factor: opts.factor ?? s.upscaleFactor, prompt });
      const task = await submitWithProgress(engines, { model: entry.id, input, destination }, log, isDemo());
      afterSubmit(task, spec.verb, baseName(uri.fsPath), entry);
      tasks.push(task);
    }
    return tasks.length === 1 ? tasks[0] : tasks;
  };

  // ---------------------------------------------------------------- task items

  const retryTask = async (arg?: unknown): Promise<TaskRecord> => {
    const task = await requireTask(arg);
    const again = await engines.current.retry(task.id);
    d.statusBar.refreshCreditsSoon();
    log.info(`Retry of ${task.id}: new task ${again.taskId ?? again.id}.`);
    return again;
  };

  const stopWatching = async (arg?: unknown): Promise<TaskRecord | undefined> => {
    const task = await requireTask(arg);
    engines.current.stopWatching(task.id);
    log.info(`Stopped watching ${task.taskId ?? task.id}.`);
    return engines.current.get(task.id);
  };

  const removeTask = async (arg?: unknown): Promise<string> => {
    const task = await requireTask(arg);
    if (isLive(task.state)) engines.current.stopWatching(task.id);
    engines.current.remove(task.id);
    return task.id;
  };

  const clearFinished = async (): Promise<number> => {
    await engines.whenReady();
    const n = engines.current.clearFinished();
    log.info(`Cleared ${n} finished task(s).`);
    return n;
  };

  const openOutput = async (arg?: unknown): Promise<string | undefined> => {
    const { output } = await outputFrom(arg);
    if (!output?.savedPath) throw new Error('This task has no saved file yet.');
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(output.savedPath));
    return output.savedPath;
  };

  const revealOutput = async (arg?: unknown): Promise<string | undefined> => {
    const { output } = await outputFrom(arg);
    if (!output?.savedPath) throw new Error('This task has no saved file yet.');
    const uri = vscode.Uri.file(output.savedPath);
    if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
    else await vscode.commands.executeCommand('revealFileInOS', uri);
    return output.savedPath;
  };

  const copyOutputUrl = async (arg?: unknown): Promise<string | undefined> => {
    const { output } = await outputFrom(arg);
    if (!output?.url) throw new Error('This task has no result URL.');
    await vscode.env.clipboard.writeText(output.url);
    vscode.window.setStatusBarMessage('$(check) Result URL copied (Kie.ai links expire after a while).', 4000);
    return output.url;
  };

  const showTaskDetails = async (arg?: unknown): Promise<TaskRecord> => {
    const task = await requireTask(arg);
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: `${JSON.stringify(task, null, 2)}\n` });
    await vscode.window.showTextDocument(doc, { preview: true });
    return task;
  };

  const generateAgain = async (arg?: unknown): Promise<{ model: string; input: Record<string, unknown> }> => {
    const task = await requireTask(arg);
    const generator = d.generator();
    if (!generator) throw new Error('The generator is not available.');
    await generator.fill(task.model, task.input);
    return { model: task.model, input: task.input };
  };

  const showTasks = async (): Promise<boolean> => {
    await vscode.commands.executeCommand('kieStudio.tasks.focus');
    return true;
  };

  const showLog = async (): Promise<boolean> => {
    log.channel.show(true);
    return true;
  };

  const table: Record<string, (...args: never[]) => Promise<unknown>> = {
    [COMMANDS.setApiKey]: guarded('Set API Key', setApiKey),
    [COMMANDS.removeApiKey]: guarded('Remove API Key', removeApiKey),
    [COMMANDS.showCredits]: guarded('Show Credits', showCredits),
    [COMMANDS.openGenerator]: guarded('Open Generator', openGenerator),
    [COMMANDS.showTasks]: guarded('Show Tasks', showTasks),
    [COMMANDS.generateImage]: guarded('Generate Image', generate('image')),
    [COMMANDS.generateVideo]: guarded('Generate Video', generate('video')),
    [COMMANDS.generateAudio]: guarded('Generate Audio', generate('audio')),
    [COMMANDS.upscaleImage]: guarded('Upscale Image', runAction('upscaleImage')),
    [COMMANDS.animateImage]: guarded('Animate Image', runAction('animateImage')),
    [COMMANDS.removeBackground]: guarded('Remove Background', runAction('removeBackground')),
    [COMMANDS.editImage]: guarded('Edit Image', runAction('editImage')),
    [COMMANDS.upscaleVideo]: guarded('Upscale Video', runAction('upscaleVideo')),
    [COMMANDS.isolateVoice]: guarded('Isolate Voice', runAction('isolateVoice')),
    [COMMANDS.transcribe]: guarded('Transcribe', runAction('transcribe')),
    [COMMANDS.retryTask]: guarded('Retry Task', retryTask),
    [COMMANDS.stopWatching]: guarded('Stop Watching Task', stopWatching),
    [COMMANDS.removeTask]: guarded('Remove Task', removeTask),
    [COMMANDS.clearFinished]: guarded('Clear Finished Tasks', clearFinished),
    [COMMANDS.openOutput]: guarded('Open Output', openOutput),
    [COMMANDS.revealOutput]: guarded('Reveal Output', revealOutput),
    [COMMANDS.copyOutputUrl]: guarded('Copy Output URL', copyOutputUrl),
    [COMMANDS.showTaskDetails]: guarded('Show Task Details', showTaskDetails),
    [COMMANDS.generateAgain]: guarded('Generate Again', generateAgain),
    [COMMANDS.startDemo]: guarded('Start Offline Demo', startDemo),
    [COMMANDS.stopDemo]: guarded('Stop Offline Demo', stopDemo),
    [COMMANDS.showLog]: guarded('Show Log', showLog),
  };
  return Object.entries(table).map(([id, fn]) => vscode.commands.registerCommand(id, fn as (...args: unknown[]) => unknown));
}
