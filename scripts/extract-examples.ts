/**
 * Writes every ```ts block of the TSDoc under `src` to `examples/api/` (see scripts/tsdocExamples.ts), removing
 * copies whose block is gone. The folder is generated, not committed: the tests and `npm run examples` write it
 * too. `--check` changes nothing and exits 1 when the folder is out of date.
 *
 *   npm run examples:extract            # write
 *   npm run examples:extract -- --check # verify
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentApiExamples, expectedApiExamples, writeApiExamples } from './tsdocExamples';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (process.argv.includes('--check')) {
  const expected = expectedApiExamples(root);
  const current = currentApiExamples(root);
  const stale = [...current.keys()].filter((path) => !expected.has(path));
  const changed = [...expected].filter(([path, text]) => current.get(path) !== text).map(([path]) => path);
  if (stale.length + changed.length === 0) {
    console.log(`examples/api is up to date (${expected.size} examples)`);
  } else {
    for (const path of changed) console.error(`out of date: ${path}`);
    for (const path of stale) console.error(`left over: ${path}`);
    console.error('run `npm run examples:extract`');
    process.exitCode = 1;
  }
} else {
  const { total, written, removed } = writeApiExamples(root);
  console.log(`examples/api: ${total} examples, ${written.length} written, ${removed.length} removed`);
}
