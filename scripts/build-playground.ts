/**
 * Builds the playground page (docs/playground/) into a folder: playground.html as written, and playground.js, the
 * page's script with the library's core bundled in by esbuild (an IIFE, so the page also runs from file://).
 *
 *   tsx scripts/build-playground.ts          # into the docs site: after typedoc (`npm run docs` runs it so)
 *   tsx scripts/build-playground.ts DIR      # into DIR
 *
 * In the site: docs/getting-started.md links docs/playground/playground.html, so typedoc copies the page to
 * `<out>/media/` (`out` of typedoc.json) and points the link there; the script then writes playground.js beside it.
 * Without a DIR it fails when typedoc has not copied the page (no guide links it any more: the link would be
 * dead). test/examples/playground-drives-the-real-core.e2e.test.ts builds into a scratch folder.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'docs', 'playground');

/** Where the built page is. */
export interface BuiltPlayground {
  /** The page, `DIR/playground.html`. */
  readonly html: string;
  /** Its script, `DIR/playground.js`. */
  readonly script: string;
}

/**
 * @param outDir - the folder to write playground.html and playground.js to (created when missing)
 * @returns the paths written
 */
export async function buildPlayground(outDir: string): Promise<BuiltPlayground> {
  mkdirSync(outDir, { recursive: true });
  const html = join(outDir, 'playground.html');
  const script = join(outDir, 'playground.js');
  copyFileSync(join(source, 'playground.html'), html);
  await build({
    entryPoints: [join(source, 'main.ts')],
    // 'agent-presence' resolves to src/index.ts through tsconfig `paths`, as in the examples.
    tsconfig: join(source, 'tsconfig.json'),
    outfile: script,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return { html, script };
}

/** Where typedoc copied the page: `<out>/media`. */
function siteMedia(): string {
  const { out } = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8')) as { out?: string };
  const media = join(root, out ?? 'docs', 'media');
  if (!existsSync(join(media, 'playground.html'))) {
    throw new Error(
      `${join(media, 'playground.html')} is missing: run typedoc first, and keep a guide linking docs/playground/playground.html (typedoc copies linked files to media/)`,
    );
  }
  return media;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { html } = await buildPlayground(process.argv[2] === undefined ? siteMedia() : resolve(process.argv[2]));
  console.log(`playground built: ${html}`);
}
