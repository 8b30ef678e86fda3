/**
 * Checks the package as it would be published, from the tarball `npm pack` makes:
 *
 * 1. publint finds nothing (errors, warnings or suggestions);
 * 2. Are the Types Wrong (`attw`, every resolution: node10, node16 from CJS and from ESM, bundler) finds no
 *    problem; TypeScript's legacy `moduleResolution: "node10"` predates `exports` and finds the subpaths through
 *    `typesVersions`;
 * 3. every relative link of README.md and of the packed guides (docs/*.md) points at a file in the tarball, so the
 *    links work where npm users read them;
 * 4. the tarball installs into a scratch folder (`npm install <tgz> --prefer-offline`), and every subpath of
 *    `exports` loads there with `import` and with `require`, with the same export names;
 * 5. a consumer importing every subpath, and giving optional fields as `undefined`, type-checks against the
 *    installed package under `moduleResolution` node10, node16 and bundler, with `strict` and
 *    `exactOptionalPropertyTypes`;
 * 6. `import { createPresenceMachine } from 'agent-presence'` bundles to at most 6 KiB min+gz, the whole
 *    `agent-presence/schema` to at most 16 KB and the whole `agent-presence/service` to at most 20 KB (the other
 *    entries' sizes are reported), and only `agent-presence/admin` bundles immer;
 * 7. every example (scripts/run-examples.ts) is copied there, examples/api written fresh from the TSDoc, and
 *    each type-checks against the shipped declarations and runs against the installed package — never against src.
 *
 *   npm run check:package                    # builds first
 *   npm run check:package -- --skip-build    # `npm test` has just built
 *   npm run check:package -- --keep          # leave the scratch folder for a look
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { bundleSize, ROOT_ENTRY_BUDGET_BYTES, SCHEMA_ENTRY_BUDGET_BYTES, SERVICE_ENTRY_BUDGET_BYTES, WHOLE_ROOT_ENTRY_BUDGET_BYTES } from './bundleSize';
import { writeApiExamples } from './tsdocExamples';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);
const args = new Set(process.argv.slice(2));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, unknown>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

interface Outcome {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
}
const outcomes: Outcome[] = [];

/** Runs a command; its output is shown only when it fails (or with `show`). */
function run(command: string, commandArgs: readonly string[], cwd: string, show = false): { ok: boolean; output: string } {
  const result = spawnSync(command, commandArgs, { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
  const ok = result.status === 0;
  if (show || !ok) console.log(output.trimEnd());
  return { ok, output };
}

async function check(name: string, body: () => Promise<string> | string): Promise<void> {
  process.stdout.write(`• ${name}… `);
  try {
    const detail = await body();
    outcomes.push({ check: name, ok: true, detail });
    console.log(`ok${detail ? ` (${detail})` : ''}`);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    outcomes.push({ check: name, ok: false, detail });
    console.log(`FAILED\n${detail}`);
  }
}

/** The relative link targets of a markdown text (not URLs, not in-page anchors), without their `#fragment`. */
function relativeLinks(markdown: string): string[] {
  const targets = [...markdown.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] as string);
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#')).map((t) => decodeURI(t.replace(/#.*$/, '')));
}

/**
 * What a strict user writes: every subpath imported, optional fields forwarded from optional values of their own
 * (so given as `undefined`), under `exactOptionalPropertyTypes`.
 */
const CONSUMER = `import { createPresenceMachine, type PresenceConfig, type PresenceEvent, type WorkRequest } from 'agent-presence';
import { parseEvent, type PresenceSnapshot } from 'agent-presence/schema';
import { assignIfAvailable, createPresenceService, type AssignOptions, type DispatchOptions, type PresenceServiceOptions, type RosterQuery } from 'agent-presence/service';
import { setCapacity } from 'agent-presence/admin';
import { createRedisPresence, type RedisCommandClient, type RedisPresenceOptions } from 'agent-presence/redis';
import { presenceConfigArb, type PresenceConfigArbOptions } from 'agent-presence/testing';

interface Incoming { readonly units?: number; readonly profile?: string; readonly sessionId?: string; readonly wrapUpMs?: number }
declare const incoming: Incoming;

const config: PresenceConfig = {
  presences: [{ id: 'lunch', name: 'Lunch', base: 'Away', text: undefined, active: undefined }],
  defaultProfile: { capacity: incoming.units, maxWorkItems: undefined, capacityProfiles: { chat: { maxItems: 3, blocking: undefined } } },
  capacityPresences: { none: undefined },
};
const machine = createPresenceMachine(setCapacity(config, { capacity: incoming.units, maxWorkItems: undefined }, 'agent-7'));
const events: PresenceEvent[] = [
  { type: 'signIn', at: 1, sessionId: incoming.sessionId, eventId: undefined },
  { type: 'workAssigned', workItemId: 'chat-1', units: 10, profile: incoming.profile, at: 2 },
  { type: 'workAssigned', workItemId: 'chat-2', units: incoming.units, profile: 'chat', at: 3 },
  { type: 'workReleased', workItemId: 'chat-1', wrapUpMs: incoming.wrapUpMs, at: 4 },
  { type: 'setPresence', presenceId: 'away', when: undefined, at: 5 },
];
let state = machine.initialState('agent-7');
for (const event of events) state = machine.transition(state, parseEvent(event)).state;
const request: WorkRequest = { units: incoming.units, profile: incoming.profile };
const fits: boolean = machine.canTake(state, request);

const options: PresenceServiceOptions = { machine, store: undefined, clock: undefined, maxAttempts: undefined, onError: undefined };
const service = createPresenceService(options);
const query: RosterQuery = { units: 10, profile: incoming.profile, bases: ['Available'], presenceIds: undefined, limit: 5, order: 'mostFree' };
const dispatchOptions: DispatchOptions = { precondition: undefined };
void service.findAvailable(query);
void service.dispatch('agent-7', { type: 'tick', at: 6 }, dispatchOptions);
const assignOptions: AssignOptions = { bases: ['Available'], presenceIds: undefined };
void assignIfAvailable(service, 'agent-7', { type: 'workAssigned', workItemId: 'chat-3', units: incoming.units, profile: 'chat', at: 7 }, assignOptions);

declare const client: RedisCommandClient;
const redisOptions: RedisPresenceOptions = { keyPrefix: undefined, shards: undefined };
const redis = createRedisPresence(client, redisOptions);
const arbOptions: PresenceConfigArbOptions = { agentIds: undefined, trickyIds: undefined };
const arb = presenceConfigArb(arbOptions);
declare const snapshot: PresenceSnapshot;

export { arb, fits, redis, snapshot };
`;

const work = mkdtempSync(join(tmpdir(), 'agent-presence-package-'));
const scratch = join(work, 'scratch');
let tarball = '';
let packedFiles: string[] = [];
const subpaths = Object.keys(pkg.exports).filter((key) => key !== './package.json');
const specifier = (subpath: string): string => (subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`);

try {
  if (!args.has('--skip-build')) {
    await check('build', () => {
      if (!run('npm', ['run', 'build'], root).ok) throw new Error('npm run build failed');
      return '';
    });
  }

  await check('npm pack', () => {
    const out = execFileSync('npm', ['pack', '--pack-destination', work, '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const [info] = JSON.parse(out) as [{ filename: string; size: number; unpackedSize: number; files: { path: string }[] }];
    tarball = join(work, info.filename);
    packedFiles = info.files.map((file) => file.path);
    return `${info.filename}: ${info.files.length} files, ${info.size} bytes packed, ${info.unpackedSize} unpacked`;
  });
  if (tarball === '') throw new Error('no tarball');

  await check('publint', async () => {
    const buffer = readFileSync(tarball);
    const tarballBytes = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
    const { messages, pkg: packed } = await publint({ pack: { tarball: tarballBytes }, level: 'suggestion', strict: true });
    if (messages.length > 0) {
      throw new Error(messages.map((m) => `  ${m.type}: ${formatMessage(m, packed, { color: false }) ?? m.code}`).join('\n'));
    }
    return 'no errors, warnings or suggestions';
  });

  await check('are the types wrong (node10, node16 from CJS and ESM, bundler)', () => {
    const { ok } = run(bin('attw'), [tarball, '--no-definitely-typed', '--format', 'table', '--no-emoji', '--no-color'], root);
    if (!ok) throw new Error('attw found problems (above)');
    return 'no problems';
  });

  await check('README and guide links resolve inside the tarball', () => {
    const files = new Set(packedFiles);
    const markdown = packedFiles.filter((file) => file === 'README.md' || (file.startsWith('docs/') && file.endsWith('.md')));
    if (!markdown.includes('README.md')) throw new Error('README.md is not in the tarball');
    const dead = markdown.flatMap((file) =>
      relativeLinks(readFileSync(join(root, file), 'utf8'))
        .map((link) => ({ link, target: posix.normalize(posix.join(posix.dirname(file), link)) }))
        .filter(({ target }) => !files.has(target))
        .map(({ link, target }) => `  ${file}: ${link} → ${target} is not packed`),
    );
    if (dead.length > 0) throw new Error(`dead links for npm users (add the target to "files", or link elsewhere):\n${dead.join('\n')}`);
    return `${markdown.length} files checked`;
  });

  await check('install the tarball into a scratch folder', () => {
    mkdirSync(scratch);
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }, null, 2));
    // The optional peers a user of those entries installs beside the package (redis for agent-presence/redis).
    const peers = Object.keys(pkg.peerDependencies ?? {}).map((name) => `${name}@${pkg.devDependencies?.[name] ?? pkg.peerDependencies?.[name]}`);
    const { ok } = run('npm', ['install', tarball, ...peers, '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], scratch);
    if (!ok) throw new Error('npm install of the tarball failed (above)');
    return scratch;
  });

  await check('every entry loads with import and require', () => {
    const probe = [
      "import { createRequire } from 'node:module';",
      'const require = createRequire(import.meta.url);',
      `const specifiers = ${JSON.stringify(subpaths.map(specifier))};`,
      'const problems = [];',
      'for (const s of specifiers) {',
      '  const esm = Object.keys(await import(s)).sort().join();',
      '  const cjs = Object.keys(require(s)).filter((k) => k !== "__esModule").sort().join();',
      '  if (esm === "") problems.push(`${s}: no exports`);',
      '  if (esm !== cjs) problems.push(`${s}: import gives ${esm}, require gives ${cjs}`);',
      '}',
      'if (problems.length > 0) { console.error(problems.join("\\n")); process.exit(1); }',
    ].join('\n');
    writeFileSync(join(scratch, 'probe.mjs'), probe);
    if (!run(process.execPath, ['probe.mjs'], scratch).ok) throw new Error('an entry failed to load (above)');
    return subpaths.map(specifier).join(', ');
  });

  await check('a strict consumer type-checks under moduleResolution node10, node16 and bundler', () => {
    const consumer = join(scratch, 'consumer');
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'consumer.ts'), CONSUMER);
    // Declarations are checked too (skipLibCheck false), except under node10, where fast-check's own declarations
    // cannot resolve pure-rand's subpaths: there the consumer is checked as `tsc --init` sets it up (skipLibCheck).
    const settings = [
      { moduleResolution: 'node10', module: 'commonjs', skipLibCheck: true },
      { moduleResolution: 'node16', module: 'node16', skipLibCheck: false },
      { moduleResolution: 'bundler', module: 'esnext', skipLibCheck: false },
    ];
    const failed = settings.filter((setting) => {
      const compilerOptions = {
        ...setting,
        target: 'ES2022',
        strict: true,
        exactOptionalPropertyTypes: true,
        esModuleInterop: true, // as `tsc --init` sets it; zod's declarations need it under node10
        noEmit: true,
        typeRoots: [join(root, 'node_modules', '@types')],
        types: ['node'],
      };
      writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }, null, 2));
      const { ok } = run(bin('tsc'), ['-p', 'tsconfig.json'], consumer);
      if (!ok) console.log(`  (above: moduleResolution ${setting.moduleResolution})`);
      return !ok;
    });
    if (failed.length > 0) throw new Error(`tsc reported errors under ${failed.map((s) => s.moduleResolution).join(', ')} (above)`);
    return settings.map((s) => s.moduleResolution).join(', ');
  });

  await check(`root entry size (budget ${ROOT_ENTRY_BUDGET_BYTES} bytes min+gz alone, ${WHOLE_ROOT_ENTRY_BUDGET_BYTES} whole)`, async () => {
    const alone = await bundleSize(`export { createPresenceMachine } from '${pkg.name}';`, scratch);
    const whole = await bundleSize(`export * from '${pkg.name}';`, scratch);
    const report = `createPresenceMachine alone ${alone.gzip} bytes min+gz (${alone.minified} min); whole ${whole.gzip}`;
    if (alone.gzip > ROOT_ENTRY_BUDGET_BYTES || whole.gzip > WHOLE_ROOT_ENTRY_BUDGET_BYTES) throw new Error(`over budget: ${report}`);
    return report;
  });

  const entryBudgets: Record<string, number> = { './schema': SCHEMA_ENTRY_BUDGET_BYTES, './service': SERVICE_ENTRY_BUDGET_BYTES };
  await check(
    `other entries' sizes (whole entry, min+gz; budgets schema ${SCHEMA_ENTRY_BUDGET_BYTES}, service ${SERVICE_ENTRY_BUDGET_BYTES} bytes)`,
    async () => {
      const sizes = await Promise.all(
        subpaths
          .filter((s) => s !== '.')
          .map(async (s) => {
            // The Redis adapters are for Node; fast-check is the user's own copy (a peer of the testing entry).
            const { gzip, inputs, bundled } = await bundleSize(`export * from '${specifier(s)}';`, scratch, s.includes('redis') ? 'node' : 'neutral', [
              'fast-check',
            ]);
            const budget = entryBudgets[s];
            const zod = inputs.some((file) => file.includes('node_modules/zod/'));
            const immer = bundled.some((file) => file.includes('node_modules/immer/'));
            return { s, gzip, zod, immer, over: budget !== undefined && gzip > budget, budget };
          }),
      );
      const report = sizes
        .map(
          ({ s, gzip, zod, immer, budget }) =>
            `${specifier(s)} ${gzip}${budget === undefined ? '' : `/${budget}`}${zod ? ' with zod' : ''}${immer ? ' with immer' : ''}`,
        )
        .join(', ');
      const over = sizes.filter((size) => size.over);
      if (over.length > 0) throw new Error(`over budget: ${report}`);
      if (sizes.some((size) => size.s === './service' && size.zod)) throw new Error(`agent-presence/service bundles zod: ${report}`);
      const immer = sizes.filter((size) => size.immer && size.s !== './admin');
      if (immer.length > 0) throw new Error(`${immer.map((size) => specifier(size.s)).join(', ')} bundle immer (only agent-presence/admin should): ${report}`);
      return report;
    },
  );

  await check('examples type-check against the shipped declarations', () => {
    // examples/api is generated: copy the rest, then write it fresh from the TSDoc.
    cpSync(join(root, 'examples'), join(scratch, 'examples'), { recursive: true, filter: (source) => source !== join(root, 'examples', 'api') });
    writeApiExamples(root, scratch);
    const base = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    const { paths: _paths, ...compilerOptions } = base.compilerOptions; // no paths: 'agent-presence' is the installed package
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify(
        { compilerOptions: { ...compilerOptions, skipLibCheck: false, typeRoots: [join(root, 'node_modules', '@types')] }, include: ['examples'] },
        null,
        2,
      ),
    );
    if (!run(bin('tsc'), ['-p', 'tsconfig.json'], scratch).ok) throw new Error('tsc reported errors (above)');
    return '';
  });

  await check('examples run against the installed package', () => {
    const { ok, output } = run(bin('tsx'), [join(root, 'scripts', 'run-examples.ts'), scratch], scratch);
    writeFileSync(join(work, 'examples.log'), output);
    if (!ok) throw new Error('an example failed (above)');
    return (
      output
        .trim()
        .split('\n')
        .at(-1)
        ?.replace(/^examples: /, '') ?? ''
    );
  });
} finally {
  if (args.has('--keep')) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

const failed = outcomes.filter((o) => !o.ok);
console.log(`check:package: ${outcomes.length - failed.length} passed, ${failed.length} failed`);
if (failed.length > 0) process.exitCode = 1;
