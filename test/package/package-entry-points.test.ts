import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { distFile, root } from '../helpers/dist';

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const require = createRequire(import.meta.url);
const load = (file: string) => import(pathToFileURL(distFile(file)).href);
const ENTRIES = ['.', './schema', './service', './admin', './redis', './testing'];

/** The packages an ESM file of dist imports, directly or through the chunks it imports. */
function packagesLoadedBy(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  // Import and export statements start a line in the built files; `from` inside code or strings does not count.
  const statements = readFileSync(distFile(file), 'utf8').matchAll(/^(?:import\s*['"]([^'"]+)['"]|(?:import|export)\b[^;'"]*\bfrom\s*['"]([^'"]+)['"])/gm);
  const specifiers = [...statements].map((m) => (m[1] ?? m[2]) as string);
  const packages = specifiers.filter((s) => !s.startsWith('.'));
  const chunks = specifiers.filter((s) => s.startsWith('.')).flatMap((s) => packagesLoadedBy(posix.join(posix.dirname(file), s), seen));
  return [...new Set([...packages, ...chunks])].sort();
}

describe('package.json', () => {
  it('maps every entry with types first for import and require', () => {
    for (const entry of ENTRIES) {
      for (const condition of ['import', 'require']) {
        const target = pkg.exports[entry][condition];
        expect(Object.keys(target)[0], `${entry} ${condition}`).toBe('types');
        expect(Object.keys(target)).toContain('default');
      }
    }
    expect(pkg.exports['./package.json']).toBe('./package.json');
    expect(Object.keys(pkg.exports).sort()).toEqual([...ENTRIES, './package.json'].sort());
  });

  it('asks for fast-check (testing entry) and redis (redis entry) only as optional peers (and has fast-check for its own tests)', () => {
    expect(pkg.peerDependencies).toEqual({ 'fast-check': '^4.0.0', redis: '^5.0.0 || ^6.0.0' });
    expect(pkg.peerDependenciesMeta).toEqual({ 'fast-check': { optional: true }, redis: { optional: true } });
    expect(pkg.devDependencies['fast-check']).toBeDefined();
    expect(pkg.dependencies['fast-check']).toBeUndefined();
  });

  it("maps every subpath for TypeScript's node10 resolution (typesVersions) to its import types, as the root's `types` is", () => {
    expect(pkg.types).toBe(pkg.exports['.'].import.types);
    const subpaths = ENTRIES.filter((entry) => entry !== '.');
    expect(pkg.typesVersions).toEqual({ '*': Object.fromEntries(subpaths.map((entry) => [entry.slice(2), [pkg.exports[entry].import.types]])) });
  });

  it('ships dist, the guides the README links to, the source of the playground and the examples they link to; has no side effects and needs Node 20', () => {
    expect(pkg.files).toEqual(['dist', 'docs/*.md', 'docs/playground/*', 'examples/*.ts']);
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.engines.node).toBe('>=20');
  });

  it('names only files the build produces', () => {
    for (const entry of ENTRIES) {
      for (const condition of ['import', 'require']) {
        for (const file of Object.values<string>(pkg.exports[entry][condition])) {
          expect(() => distFile(file.replace('./dist/', '')), file).not.toThrow();
        }
      }
    }
  });
});

describe('the built entries', () => {
  it('load as ESM and as CommonJS with the same API', async () => {
    const esm = await load('index.js');
    const cjs = require(distFile('index.cjs'));
    for (const name of ['createPresenceMachine', 'PresenceConfigError', 'BASE_STATUSES', 'STANDARD_PRESENCES']) {
      expect(esm[name], `ESM ${name}`).toBeDefined();
      expect(cjs[name], `CJS ${name}`).toBeDefined();
    }
    const machine = cjs.createPresenceMachine({});
    const r = machine.transition(machine.initialState('a1'), { type: 'signIn', at: 5 });
    expect(r.presence.presenceId).toBe('available');
  });

  it('load the service entry as ESM and as CommonJS, and it runs a dispatch', async () => {
    const esm = await load('service/index.js');
    const cjs = require(distFile('service/index.cjs'));
    for (const name of ['createPresenceService', 'createMemoryPresenceStore', 'PresenceConflictError', 'assignIfAvailable', 'restoreRecord']) {
      expect(esm[name], `ESM ${name}`).toBeDefined();
      expect(cjs[name], `CJS ${name}`).toBeDefined();
    }
    const { createPresenceMachine } = require(distFile('index.cjs'));
    const service = cjs.createPresenceService({ machine: createPresenceMachine({}) });
    const result = await service.dispatch('a1', { type: 'signIn', at: 5 });
    expect(result.presence.presenceId).toBe('available');
    expect(result.version).toBe(1);
  });

  it('load the admin entry as ESM and as CommonJS, and the service entry neither has its helpers nor loads immer', async () => {
    const esm = await load('admin/index.js');
    const cjs = require(distFile('admin/index.cjs'));
    for (const name of ['addPresence', 'updatePresence', 'setCapacity', 'setDefaultPresence', 'removeAgentProfile']) {
      expect(esm[name], `ESM ${name}`).toBeDefined();
      expect(cjs[name], `CJS ${name}`).toBeDefined();
    }
    expect(cjs.setCapacity({}, { capacity: 60 }, 'a1').agents).toEqual({ a1: { capacity: 60 } });
    expect((await load('service/index.js')).addPresence).toBeUndefined();
    // What Node loads for `import … from 'agent-presence/service'`: the entry, its chunks, and no package at all.
    expect(packagesLoadedBy('service/index.js')).toEqual([]);
    expect(packagesLoadedBy('admin/index.js')).toEqual(['immer']);
  });

  it('load the redis entry as ESM and as CommonJS, without importing the redis client', async () => {
    const esm = await load('redis/index.js');
    const cjs = require(distFile('redis/index.cjs'));
    for (const name of [
      'createRedisPresenceStore',
      'createRedisChangeStream',
      'createRedisTimers',
      'createRedisHistoryStore',
      'createRedisPresence',
      'assignIfAvailable',
      'RedisUnavailableError',
    ]) {
      expect(esm[name], `ESM ${name}`).toBeDefined();
      expect(cjs[name], `CJS ${name}`).toBeDefined();
    }
    for (const file of ['redis/index.js', 'redis/index.cjs']) {
      expect(readFileSync(distFile(file), 'utf8'), file).not.toMatch(/from ['"]redis['"]|require\(['"]redis['"]\)/);
    }
    expect(cjs.createRedisPresenceStore({ sendCommand: async () => null }, { keyPrefix: 'p:' }).keysOf('a1').record).toBe('p:{0}:agent:a1');
    // The deprecated name is the service's function, not a copy.
    expect(esm.assignIfAvailable).toBe((await load('service/index.js')).assignIfAvailable);
    expect(cjs.assignIfAvailable).toBe(require(distFile('service/index.cjs')).assignIfAvailable);
  });

  it('share one PresenceConfigError and PresenceSnapshotError across the root, schema, service and admin entries, in each format', async () => {
    for (const [rootEntry, schemaEntry, serviceEntry, adminEntry] of [
      [await load('index.js'), await load('schema/index.js'), await load('service/index.js'), await load('admin/index.js')],
      [require(distFile('index.cjs')), require(distFile('schema/index.cjs')), require(distFile('service/index.cjs')), require(distFile('admin/index.cjs'))],
    ]) {
      expect(() => adminEntry.setCapacity({}, { capacity: -1 })).toThrow(rootEntry.PresenceConfigError);
      expect(() => serviceEntry.restoreRecord('{}')).toThrow(schemaEntry.PresenceSnapshotError);
    }
  });

  it('share one PresenceEventError between the schema and the service entry, in each format', async () => {
    for (const [rootEntry, schemaEntry, serviceEntry] of [
      [await load('index.js'), await load('schema/index.js'), await load('service/index.js')],
      [require(distFile('index.cjs')), require(distFile('schema/index.cjs')), require(distFile('service/index.cjs'))],
    ]) {
      const service = serviceEntry.createPresenceService({ machine: rootEntry.createPresenceMachine({}) });
      await expect(service.dispatchRaw('a1', '{"type":"signIn","at":-1}')).rejects.toThrow(schemaEntry.PresenceEventError);
      await expect(service.dispatchRaw('a1', '{"type":"signIn","at":-1}')).rejects.toThrow('- at: must be a finite number ≥ 0 and ≤ 8640000000000000 (got -1)');
      expect(() => schemaEntry.restore('{}')).toThrow(schemaEntry.PresenceSnapshotError);
    }
  });

  it('share one PresenceConfigError between the root and the schema entry, in each format', async () => {
    const esmRoot = await load('index.js');
    const esmSchema = await load('schema/index.js');
    expect(() => esmSchema.parseConfig({ defaultProfile: { capacity: -1 } })).toThrow(esmRoot.PresenceConfigError);
    const cjsRoot = require(distFile('index.cjs'));
    const cjsSchema = require(distFile('schema/index.cjs'));
    expect(() => cjsSchema.parseConfig({ defaultProfile: { capacity: -1 } })).toThrow(cjsRoot.PresenceConfigError);
  });
});

describe('the testing entry', () => {
  it('loads as ESM and as CommonJS with the same API', async () => {
    const esm = await load('testing/index.js');
    const cjs = require(distFile('testing/index.cjs'));
    for (const name of ['presenceConfigArb', 'presenceEventArb', 'agentDayArb', 'hostileInputArb', 'presenceModel', 'TRICKY_IDS']) {
      expect(esm[name], `ESM ${name}`).toBeDefined();
      expect(cjs[name], `CJS ${name}`).toBeDefined();
    }
    const fc = require('fast-check');
    const [config] = fc.sample(cjs.presenceConfigArb(), { numRuns: 1, seed: 7 });
    const [day] = fc.sample(cjs.agentDayArb(config), { numRuns: 1, seed: 7 });
    const machine = require(distFile('index.cjs')).createPresenceMachine(config);
    const model = esm.presenceModel(config);
    let state = machine.initialState(day.agentId);
    for (const event of day.events) {
      const expected = model.transition(state, event);
      state = machine.transition(state, event).state;
      expect(state).toEqual(expected.state);
    }
  });

  it('imports fast-check instead of bundling it, and the other entries do not import it at all', () => {
    const text = (file: string) => readFileSync(distFile(file), 'utf8');
    expect(text('testing/index.js')).toMatch(/from ['"]fast-check['"]/);
    expect(text('testing/index.cjs')).toMatch(/require\(['"]fast-check['"]\)/);
    // fast-check itself is hundreds of kilobytes; the kit alone is a few dozen.
    for (const file of ['testing/index.js', 'testing/index.cjs']) expect(text(file).length).toBeLessThan(64 * 1024);
    for (const file of ['index.js', 'index.cjs', 'schema/index.js', 'schema/index.cjs']) expect(text(file)).not.toContain('fast-check');
  });
});
