/**
 * Runs every benchmark: each `test/bench/*.ts` file (not the helpers in its subfolders), one after another, each in
 * its own Node process with `--expose-gc`, so one bench's heap and JIT state cannot colour the next. Benchmarks
 * measure and print; they assert nothing and are never part of `npm test`.
 *
 * Each file is first bundled by esbuild into one ES module (as a user's bundler would ship the library), and that
 * bundle runs: run through tsx instead, every arrow function is wrapped to keep its name, which makes a transition
 * several times slower than the code users get.
 *
 *   npm run bench                # all of them
 *   npm run bench -- throughput  # those whose file name contains "throughput"
 */
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'test', 'bench');
const filters = process.argv.slice(2);
const files = readdirSync(dir, { withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
  .map((entry) => entry.name)
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();

if (files.length === 0) {
  console.error(`no benchmark in test/bench matches ${filters.join(', ')}`);
  process.exit(1);
}
const failed: string[] = [];
for (const name of files) {
  console.log(`\n── test/bench/${name}`);
  const bundle = join(root, 'node_modules', '.cache', 'bench', name.replace(/\.ts$/, '.mjs'));
  buildSync({
    entryPoints: [join(dir, name)],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'bundle',
    // Node built-ins and the Redis client stay imports; 'agent-presence' resolves to src through tsconfig paths.
    external: ['redis', 'tsx', 'tsx/*'],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'error',
  });
  const result = spawnSync(process.execPath, ['--expose-gc', bundle], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed.push(name);
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
