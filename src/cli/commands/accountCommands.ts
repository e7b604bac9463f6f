import { resolve } from 'node:path';
import { UsageError } from '../args';
import type { CliCommand } from '../context';

export const creditsCommand: CliCommand = {
  name: 'credits',
  summary: 'Show the Kie.ai credit balance',
  usage: 'kie-studio credits [--json]',
  async run(ctx) {
    const credits = await ctx.client().credits({ signal: ctx.signal });
    if (ctx.json) ctx.printJson({ credits });
    else ctx.out(`${credits} credits`);
    return 0;
  },
};

export const uploadCommand: CliCommand = {
  name: 'upload',
  summary: 'Upload a local file; prints its URL (kept 3 days by Kie.ai)',
  usage: 'kie-studio upload <file> [--json]',
  async run(ctx) {
    const file = ctx.args.positionals[0];
    if (!file) throw new UsageError('Which file? kie-studio upload <file>');
    const result = await ctx.client().uploadFile(resolve(ctx.cwd, file), { signal: ctx.signal });
    if (ctx.json) ctx.printJson({ url: result.url, fileName: result.fileName, size: result.size });
    else ctx.out(result.url);
    return 0;
  },
};
