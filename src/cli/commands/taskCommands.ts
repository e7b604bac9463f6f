import { validateInput } from '../../core/catalog/catalog';
import { flag, UsageError } from '../args';
import type { CliCommand, CliContext } from '../context';
import { inputFromArgs } from '../input';

async function modelFromArgs(ctx: CliContext, id: string | undefined) {
  if (!id) throw new UsageError('Which model? Give its id (kie-studio models lists them).');
  const entry = (await ctx.catalog()).get(id);
  if (!entry) throw new UsageError(`Unknown model "${id}". Run "kie-studio models" to list them.`);
  return entry;
}

export const submitCommand: CliCommand = {
  name: 'submit',
  summary: 'Validate an input and start a task (does not wait)',
  usage: 'kie-studio submit <model> [--set field=value]... [--input JSON|@file] [--json]',
  async run(ctx) {
    const entry = await modelFromArgs(ctx, ctx.args.positionals[0]);
    const input = inputFromArgs(entry, ctx.args, ctx.cwd);
    const checked = validateInput(entry, input);
    if (!checked.ok) {
      for (const issue of checked.issues) ctx.err(`${issue.field}: ${issue.message}`);
      return 2;
    }
    const local = entry.media.filter((m) => [input[m.field]].flat().some((v) => typeof v === 'string' && !/^https?:/i.test(v)));
    if (local.length) throw new UsageError(`${local.map((m) => m.field).join(', ')}: give URLs here, or use "kie-studio generate", which uploads local files`);
    const taskId = await ctx.client().createTask(entry, checked.input, { signal: ctx.signal });
    if (ctx.json) ctx.printJson({ taskId, model: entry.id });
    else ctx.out(`Started ${entry.id}: task ${taskId} (about ${entry.cost(checked.input).credits} credits, estimate)`);
    return 0;
  },
};

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'Look up a task once',
  usage: 'kie-studio status <taskId> --model <id> [--json]',
  async run(ctx) {
    const taskId = ctx.args.positionals[0];
    if (!taskId) throw new UsageError('Which task? kie-studio status <taskId> --model <id>');
    const entry = await modelFromArgs(ctx, flag(ctx.args, 'model'));
    const s = await ctx.client().getStatus(entry, taskId, { signal: ctx.signal });
    const view = {
      taskId, model: entry.id, state: s.state,
      ...(s.progress !== undefined ? { progress: s.progress } : {}),
      outputs: s.outputs.map((o) => ({ url: o.url, kind: o.kind, ...(o.text !== undefined ? { text: o.text } : {}), ...(o.title ? { title: o.title } : {}) })),
      ...(s.error ? { error: { code: s.error.code, message: s.error.message } } : {}),
    };
    if (ctx.json) {
      ctx.printJson(view);
      return 0;
    }
    ctx.out(`${taskId}: ${s.state}${s.progress !== undefined ? ` ${Math.round(s.progress * 100)}%` : ''}${s.stage ? ` (${s.stage})` : ''}`);
    for (const o of view.outputs) ctx.out(`  ${o.kind}: ${o.url || '(inline text)'}`);
    if (s.error) ctx.out(`  ${s.error.message}`);
    return 0;
  },
};
