/**
 * Writes every ```ts block of the TSDoc under `src` to `examples/api/` (see scripts/tsdocExamples.ts), removing
 * copies whose block is gone. `--check` changes nothing and exits 1 when the folder is out of date.
 *
 *   npm run examples:extract            # regenerate
 *   npm run examples:extract -- --check # verify
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentApiExamples, expectedApiExamples } from './tsdocExamples';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const expected = expectedApiExamples(root);
const current = currentApiExamples(root);

const stale = [...current.keys()].filter((path) => !expected.has(path));
const changed = [...expected].filter(([path, text]) => current.get(path) !== text).map(([path]) => path);

if (process.argv.includes('--check')) {
  if (stale.length + changed.length === 0) {
    console.log(`examples/api is up to date (${expected.size} examples)`);
  } else {
    for (const path of changed) console.error(`out of date: ${path}`);
    for (const path of stale) console.error(`left over: ${path}`);
    console.error('run `npm run examples:extract`');
    process.exitCode = 1;
  }
} else {
  for (const path of stale) rmSync(join(root, path));
  for (const path of changed) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), expected.get(path) as string);
  }
  console.log(`examples/api: ${expected.size} examples, ${changed.length} written, ${stale.length} removed`);
}
