import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { distFile } from './helpers/dist';

/** The budget for the root entry ('agent-presence'), minified and gzipped: for one import and for all of it. */
const BUDGET_BYTES = 5 * 1024;

async function bundle(contents: string) {
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return { gzip: gzipSync(code).length, inputs: Object.keys(result.metafile.inputs) };
}

describe('the root entry', () => {
  it.each([
    ['createPresenceMachine alone', 'export { createPresenceMachine }'],
    ['everything it exports', 'export *'],
  ])(`bundles %s to at most ${BUDGET_BYTES} bytes min+gz`, async (what, statement) => {
    const { gzip } = await bundle(`${statement} from ${JSON.stringify(distFile('index.js'))};`);
    console.info(`root entry, ${what}: ${gzip} bytes min+gz (budget ${BUDGET_BYTES})`);
    expect(gzip).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('pulls in neither zod nor immer, even when everything is imported', async () => {
    const { inputs } = await bundle(`export * from ${JSON.stringify(distFile('index.js'))};`);
    expect(inputs.some((file) => file.includes('dist'))).toBe(true);
    expect(inputs.filter((file) => /node_modules|zod|immer/.test(file))).toEqual([]);
  });

  it('the schema entry does bring zod (the check above would notice a bundle that does)', async () => {
    const { inputs } = await bundle(`export * from ${JSON.stringify(distFile('schema/index.js'))};`);
    expect(inputs.some((file) => file.includes('node_modules/zod'))).toBe(true);
  });
});
