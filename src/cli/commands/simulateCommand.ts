import { flag, UsageError } from '../args';
import type { CliCommand } from '../context';
import { runSimulate } from '../simulate';

function numberFlag(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a non-negative number`);
  return n;
}

export const simulateCommand: CliCommand = {
  name: 'simulate',
  summary: 'Run the offline Kie.ai simulator until Ctrl-C',
  usage: 'kie-studio simulate [--port N] [--speed X] [--faults SPEC] [--credits N] [--key KEY]',
  async run(ctx) {
    const sim = await runSimulate({
      port: numberFlag(flag(ctx.args, 'port'), 'port'),
      speed: numberFlag(flag(ctx.args, 'speed'), 'speed'),
      credits: numberFlag(flag(ctx.args, 'credits'), 'credits'),
      faults: flag(ctx.args, 'faults'),
      apiKey: flag(ctx.args, 'key'),
    }, ctx.out);
    ctx.out('Press Ctrl-C to stop.');
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await sim.stop();
    ctx.out('Simulator stopped.');
    return 0;
  },
};
