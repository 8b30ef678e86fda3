import { describe, expect, it } from 'vitest';
import { bundleSize, ROOT_ENTRY_BUDGET_BYTES, WHOLE_ROOT_ENTRY_BUDGET_BYTES } from '../../scripts/bundleSize';
import { distFile } from '../helpers/dist';

const bundle = (contents: string) => bundleSize(contents, process.cwd());

describe('the root entry', () => {
  it.each([
    ['createPresenceMachine alone', 'export { createPresenceMachine }', ROOT_ENTRY_BUDGET_BYTES],
    ['everything it exports', 'export *', WHOLE_ROOT_ENTRY_BUDGET_BYTES],
  ])('bundles %s within its budget, min+gz', async (what, statement, budget) => {
    const { gzip } = await bundle(`${statement} from ${JSON.stringify(distFile('index.js'))};`);
    console.info(`root entry, ${what}: ${gzip} bytes min+gz (budget ${budget})`);
    expect(gzip).toBeLessThanOrEqual(budget);
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
