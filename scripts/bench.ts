/**
 * Runs every benchmark: each `test/bench/*.ts` file (not the helpers in its subfolders), one after another, each in
 * its own Node process with `--expose-gc`, so one bench's heap and JIT state cannot colour the next. Benchmarks
 * measure and print; they assert nothing and are never part of `npm test`.
 *
 *   npm run bench                # all of them
 *   npm run bench -- throughput  # those whose file name contains "throughput"
 */
import { spawnSync } from 'node:child_process';
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
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(dir, name)], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed.push(name);
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
