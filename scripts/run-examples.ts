/**
 * Runs every example under a folder, one after another in this process, and reports which failed.
 *
 *   npm run examples                  # against src (tsconfig `paths` map 'agent-presence' to it), after writing
 *                                     # examples/api from the TSDoc
 *   tsx scripts/run-examples.ts DIR   # DIR/examples as they are; `npm run check:package` runs the copies in a
 *                                     # scratch folder where 'agent-presence' is the installed tarball
 *
 * An example is `examples/*.ts`, every file under `examples/api/` (generated from the TSDoc: see
 * scripts/tsdocExamples.ts), and `examples/<name>/main.ts` for an example made of several files. Each must finish
 * by itself (no server left listening) and print what it shows.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsFiles, writeApiExamples } from './tsdocExamples';

/** The example files under `root/examples`, in the order they run. */
export function exampleFiles(root: string): string[] {
  const dir = join(root, 'examples');
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  const single = entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(dir, e.name));
  const api = existsSync(join(dir, 'api')) ? tsFiles(join(dir, 'api')) : [];
  const multi = entries.filter((e) => e.isDirectory() && e.name !== 'api' && existsSync(join(dir, e.name, 'main.ts'))).map((e) => join(dir, e.name, 'main.ts'));
  return [...single, ...multi, ...api];
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  const root = resolve(dir ?? process.cwd());
  // The package's own examples: examples/api is generated, so write it from the TSDoc first.
  if (dir === undefined) writeApiExamples(root);
  const files = exampleFiles(root);
  const failed: string[] = [];
  for (const file of files) {
    const name = relative(root, file);
    console.log(`\n── ${name}`);
    try {
      await import(pathToFileURL(file).href);
    } catch (error) {
      failed.push(name);
      console.error(`✗ ${name} failed:`, error);
    }
  }
  console.log(`\nexamples: ${files.length - failed.length} passed, ${failed.length} failed`);
  if (failed.length > 0) {
    for (const name of failed) console.error(`  failed: ${name}`);
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
