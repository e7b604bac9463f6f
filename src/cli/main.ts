import { ModelsFileError } from '../core/catalog/userModels';
import { KieError } from '../core/kie/errors';
import { hasFlag, parseArgs, UsageError } from './args';
import { COMMANDS } from './commands';
import { GLOBAL_BOOLEANS, makeContext, type CliIO } from './context';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function help(io: CliIO): void {
  io.out('kie-studio: generate images, video and audio with Kie.ai from the command line.');
  io.out('');
  for (const c of COMMANDS) io.out(`  ${c.usage}\n      ${c.summary}`);
  io.out('');
  io.out('Key: --api-key or KIE_API_KEY. Hosts: --base-url/KIE_BASE_URL, --upload-url/KIE_UPLOAD_URL.');
  io.out('Extra models: --models FILE, or .kie/models.json in the current folder.');
  io.out('Exit codes: 0 ok, 1 the API or network failed, 2 bad usage or invalid input.');
}

/** Runs one CLI invocation and returns its exit code; never calls process.exit itself. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    help(io);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command "${name}". Run "kie-studio help".`);
    return EXIT.usage;
  }
  try {
    const args = parseArgs(rest, new Set([...GLOBAL_BOOLEANS, ...(command.booleans ?? [])]));
    if (hasFlag(args, 'help')) {
      io.out(`${command.usage}\n  ${command.summary}`);
      return EXIT.ok;
    }
    return await command.run(makeContext(io, args));
  } catch (err) {
    if (err instanceof UsageError || err instanceof ModelsFileError) {
      io.err(err.message);
      return EXIT.usage;
    }
    if (err instanceof KieError) {
      io.err(err.message);
      return err.kind === 'aborted' ? 130 : EXIT.failed;
    }
    io.err(`Unexpected error: ${(err as Error).stack ?? err}`);
    return EXIT.failed;
  }
}

const isMain = typeof require !== 'undefined' ? require.main === module : process.argv[1]?.match(/cli\.(js|ts)$/);
if (isMain) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  runCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: process.cwd(),
    isTTY: !!process.stdout.isTTY,
    signal: controller.signal,
  }).then((code) => {
    process.exitCode = code;
  });
}
