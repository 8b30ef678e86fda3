import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The absolute path of a built file, failing loudly when the build has not run (npm test builds first). */
export function distFile(relative: string): string {
  const file = join(root, 'dist', relative);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (\`npm test\` does)`);
  return file;
}
