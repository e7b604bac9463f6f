// Runs every *.test.ts under test/ (except the e2e suite) with Node's built-in test runner.
// Node 20 cannot glob test files itself, so they are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const skip = new Set(['e2e', 'desktop', 'fixtures']);

function collect(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (!skip.has(name)) found.push(...collect(full));
    } else if (name.endsWith('.test.ts')) {
      found.push(full);
    }
  }
  return found;
}

const filter = process.argv.slice(2);
let files = collect(join(root, 'test'));
if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...files],
  { stdio: 'inherit', cwd: root },
);
process.exit(result.status ?? 1);
