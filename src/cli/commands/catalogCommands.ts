import { jsonSchemaOf } from '../../core/catalog/catalog';
import { CATEGORIES, type Category } from '../../core/catalog/types';
import { flag, UsageError } from '../args';
import type { CliCommand } from '../context';

export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'List the models in the catalog',
  usage: 'kie-studio models [--category image|video|audio] [--models FILE] [--json]',
  async run(ctx) {
    const category = flag(ctx.args, 'category');
    if (category && !CATEGORIES.includes(category as Category)) throw new UsageError(`--category must be one of ${CATEGORIES.join(', ')}`);
    const catalog = await ctx.catalog();
    const entries = category ? catalog.byCategory(category as Category) : catalog.all();
    if (ctx.json) {
      ctx.printJson(entries.map((e) => ({ id: e.id, family: e.family, category: e.category, title: e.title, ...(e.retired ? { retired: true } : {}) })));
      return 0;
    }
    const width = Math.max(...entries.map((e) => e.id.length));
    for (const e of entries) {
      const credits = e.cost(e.example).credits;
      ctx.out(`${e.id.padEnd(width)}  ${e.category.padEnd(5)}  ~${String(credits).padStart(5)} cr  ${e.title}${e.retired ? '  (retired upstream)' : ''}`);
    }
    ctx.out(`${entries.length} models. Costs are estimates for the default input.`);
    return 0;
  },
};

export const modelCommand: CliCommand = {
  name: 'model',
  summary: 'Show one model with its JSON Schema',
  usage: 'kie-studio model <id> [--json]',
  async run(ctx) {
    const id = ctx.args.positionals[0];
    if (!id) throw new UsageError('Which model? kie-studio model <id>');
    const e = (await ctx.catalog()).get(id);
    if (!e) throw new UsageError(`Unknown model "${id}". Run "kie-studio models" to list them.`);
    const view = {
      id: e.id, family: e.family, operation: e.operation, category: e.category, title: e.title, description: e.description,
      output: e.output, media: e.media, costEstimate: e.cost(e.example), expectedSeconds: e.duration.median,
      retired: e.retired, origin: e.origin, example: e.example, sourceUrl: e.sourceUrl, schema: jsonSchemaOf(e),
    };
    if (ctx.json) {
      ctx.printJson(view);
      return 0;
    }
    ctx.out(`${e.title} (${e.id})${e.retired ? ` — retired upstream: ${e.retired}` : ''}`);
    ctx.out(e.description);
    ctx.out(`family ${e.family}, ${e.category} → ${e.output}, about ${view.costEstimate.credits} credits (estimate), ~${e.duration.median} s`);
    for (const f of e.fields) {
      const bits = [f.type, f.required ? 'required' : 'optional'];
      if (f.enum) bits.push(`one of ${f.enum.join(' | ')}`);
      if (f.default !== undefined) bits.push(`default ${JSON.stringify(f.default)}`);
      if (f.maxLength) bits.push(`≤ ${f.maxLength} chars`);
      if (f.minimum !== undefined || f.maximum !== undefined) bits.push(`${f.minimum ?? '…'}..${f.maximum ?? '…'}`);
      const media = e.media.find((m) => m.field === f.name);
      if (media) bits.push(`${media.kind} URL${media.multiple ? 's' : ''} or local file`);
      ctx.out(`  ${f.name}: ${bits.join(', ')}`);
    }
    return 0;
  },
};
