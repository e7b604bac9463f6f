// Builds the minified bundles and packs the .vsix with vsce (only what runs: see .vscodeignore).
// Prints the path and size of the package. Usage: npm run package
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const { name, version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const out = `${root}${name}-${version}.vsix`;
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });

run(process.execPath, ['esbuild.mjs', '--production']);
// No repository URL to rewrite the README's relative links against: they stay relative, and the
// pictures they show (docs/screenshots) ship in the package, so the Extensions view shows them too.
run(process.execPath, [`${root}node_modules/@vscode/vsce/vsce`, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out]);
const bytes = statSync(out).size;
console.log(`Packaged ${out} (${(bytes / 1024).toFixed(0)} KB)`);
