import { describe, expect, it } from 'vitest';
import { bundleSize, SCHEMA_ENTRY_BUDGET_BYTES, SERVICE_ENTRY_BUDGET_BYTES } from '../../scripts/bundleSize';
import { distFile } from '../helpers/dist';

/** The whole entry, as a browser bundle of an agent desktop would take it: everything it exports. */
const wholeEntry = (file: string) => bundleSize(`export * from ${JSON.stringify(distFile(file))};`, process.cwd());
const zodFiles = (inputs: readonly string[]) => inputs.filter((file) => file.includes('node_modules/zod/'));

describe('the schema entry', () => {
  it('bundles whole within its budget, min+gz', async () => {
    const { gzip } = await wholeEntry('schema/index.js');
    console.info(`agent-presence/schema, everything it exports: ${gzip} bytes min+gz (budget ${SCHEMA_ENTRY_BUDGET_BYTES})`);
    expect(gzip).toBeLessThanOrEqual(SCHEMA_ENTRY_BUDGET_BYTES);
  });

  it('keeps zod/mini parts only: no classic zod, no locales', async () => {
    const { bundled } = await wholeEntry('schema/index.js');
    const zod = zodFiles(bundled);
    expect(zod.some((file) => file.includes('/mini/'))).toBe(true);
    expect(zod.filter((file) => /\/classic\/|\/locales\//.test(file))).toEqual([]);
  });
});

describe('the service entry', () => {
  it('bundles whole within its budget, min+gz', async () => {
    const { gzip } = await wholeEntry('service/index.js');
    console.info(`agent-presence/service, everything it exports: ${gzip} bytes min+gz (budget ${SERVICE_ENTRY_BUDGET_BYTES})`);
    expect(gzip).toBeLessThanOrEqual(SERVICE_ENTRY_BUDGET_BYTES);
  });

  it('bundles no immer: the config admin helpers that use it are in agent-presence/admin', async () => {
    const immerFiles = (files: readonly string[]) => files.filter((file) => file.includes('node_modules/immer/'));
    expect(immerFiles((await wholeEntry('service/index.js')).bundled)).toEqual([]);
    const admin = await wholeEntry('admin/index.js');
    console.info(`agent-presence/admin, everything it exports: ${admin.gzip} bytes min+gz`);
    expect(immerFiles(admin.bundled)).not.toEqual([]);
  });

  it('bundles no zod at all (nor do the Redis adapters, which read records the same way)', async () => {
    expect(zodFiles((await wholeEntry('service/index.js')).inputs)).toEqual([]);
    const redis = await bundleSize(`export * from ${JSON.stringify(distFile('redis/index.js'))};`, process.cwd(), 'node');
    expect(zodFiles(redis.inputs)).toEqual([]);
  });
});
