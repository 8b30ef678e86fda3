/**
 * How big an import is for a user's bundler: esbuild bundles a one-line module, minified, and gzip measures it.
 * Shared by test/package/root-entry-bundle-size.test.ts (against dist) and `npm run check:package` (against the packed
 * package installed in a scratch folder).
 */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/**
 * The budget for `import { createPresenceMachine } from 'agent-presence'`, minified and gzipped: 6 KiB (6,144 B).
 * It was 5 KiB until the rules against hostile input (bounded times and durations, well-formed ids, events and
 * config read once, per-agent limits, deadlines applied in O((n + k) log n)) needed about 1 KB;
 * docs/performance.md says what each byte buys.
 */
export const ROOT_ENTRY_BUDGET_BYTES = 6 * 1024;

/**
 * The budget for the whole root entry (`export * from 'agent-presence'`): 6.5 KiB. A bundler keeps only what is
 * imported, so the figure that counts for users is the one above; this one keeps the rest of the entry (the
 * constants, the capacity helpers, the export names) from growing unnoticed.
 */
export const WHOLE_ROOT_ENTRY_BUDGET_BYTES = 6.5 * 1024;

/**
 * The budget for the whole `agent-presence/schema` entry (`export * from 'agent-presence/schema'`), minified and
 * gzipped: 16 KiB (16,384 B). It imports its zod from `zod/mini` by name, so a bundler keeps only the few zod
 * parts it uses (with `import { z } from 'zod'` it was 96,931 B); docs/performance.md has the figures.
 */
export const SCHEMA_ENTRY_BUDGET_BYTES = 16 * 1024;

/**
 * The budget for the whole `agent-presence/service` entry, minified and gzipped: 24 KiB (24,576 B). It bundles no
 * zod at all (stored records are read with the core's rules and plain checks); with zod it was 106,881 B. It was
 * 20 KiB (the entry 16,227 B) until routing (`route`, four orders, routing marks: about 2.5 KB), one item, one agent
 * (claims: about 1.2 KB) and reading routing options once against hostile callers (about 0.5 KB) made it 20,882 B.
 */
export const SERVICE_ENTRY_BUDGET_BYTES = 24 * 1024;

export interface BundleSize {
  /** Minified bytes. */
  readonly minified: number;
  /** Minified and gzipped bytes. */
  readonly gzip: number;
  /** The files esbuild pulled in, relative to `resolveDir`. */
  readonly inputs: readonly string[];
  /** Those of them that left code in the bundle (the others were read, then shaken out). */
  readonly bundled: readonly string[];
}

/**
 * Bundles `contents` (an ES module) as a browser-neutral ESM bundle.
 *
 * @param contents - the module's source, e.g. `export { createPresenceMachine } from 'agent-presence';`
 * @param resolveDir - where its imports resolve from
 * @param platform - `neutral` (browsers, edge: the root entry) or `node` (entries meant for Node, such as the Redis adapters)
 * @param external - packages left out, as a user has them anyway (`fast-check` for `agent-presence/testing`)
 * @returns the minified and gzipped sizes and the inputs
 */
export async function bundleSize(
  contents: string,
  resolveDir: string,
  platform: 'neutral' | 'node' = 'neutral',
  external: readonly string[] = [],
): Promise<BundleSize> {
  const result = await build({
    stdin: { contents, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    write: false,
    metafile: true,
    external: [...external],
    logLevel: 'silent',
  });
  const code = (result.outputFiles[0] as { contents: Uint8Array }).contents;
  const output = Object.values(result.metafile.outputs)[0]?.inputs ?? {};
  const bundled = Object.keys(output).filter((file) => (output[file]?.bytesInOutput ?? 0) > 0);
  return { minified: code.length, gzip: gzipSync(code).length, inputs: Object.keys(result.metafile.inputs), bundled };
}
