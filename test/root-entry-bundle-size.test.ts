import { describe, expect, it } from 'vitest';
import { bundleSize, ROOT_ENTRY_BUDGET_BYTES } from '../scripts/bundleSize';
import { distFile } from './helpers/dist';

const bundle = (contents: string) => bundleSize(contents, process.cwd());

describe('the root entry', () => {
  it.each([
    ['createPresenceMachine alone', 'export { createPresenceMachine }'],
    ['everything it exports', 'export *'],
  ])(`bundles %s to at most ${ROOT_ENTRY_BUDGET_BYTES} bytes min+gz`, async (what, statement) => {
    const { gzip } = await bundle(`${statement} from ${JSON.stringify(distFile('index.js'))};`);
    console.info(`root entry, ${what}: ${gzip} bytes min+gz (budget ${ROOT_ENTRY_BUDGET_BYTES})`);
    expect(gzip).toBeLessThanOrEqual(ROOT_ENTRY_BUDGET_BYTES);
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
