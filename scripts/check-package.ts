/**
 * Checks the package as it would be published, from the tarball `npm pack` makes:
 *
 * 1. publint finds nothing (errors, warnings or suggestions);
 * 2. Are the Types Wrong (`attw`, profile `node16`: ESM and CJS under node16/nodenext and bundler resolution; the
 *    node10 resolution of TypeScript's legacy `moduleResolution: "node"` predates `exports`, so it cannot see
 *    subpaths like `agent-presence/schema`, and the package needs Node 20 anyway) finds no problem;
 * 3. the tarball installs into a scratch folder (`npm install <tgz> --prefer-offline`), and every subpath of
 *    `exports` loads there with `import` and with `require`, with the same export names;
 * 4. `import { createPresenceMachine } from 'agent-presence'` bundles to at most 5 KB min+gz, the whole
 *    `agent-presence/schema` to at most 16 KB and the whole `agent-presence/service` to at most 20 KB (the other
 *    entries' sizes are reported);
 * 5. every example (scripts/run-examples.ts) is copied there, type-checks against the shipped declarations and
 *    runs against the installed package — never against src.
 *
 *   npm run check:package                    # builds first
 *   npm run check:package -- --skip-build    # `npm test` has just built
 *   npm run check:package -- --keep          # leave the scratch folder for a look
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import {
  bundleSize,
  ROOT_ENTRY_BUDGET_BYTES,
  SCHEMA_ENTRY_BUDGET_BYTES,
  SERVICE_ENTRY_BUDGET_BYTES,
  WHOLE_ROOT_ENTRY_BUDGET_BYTES,
} from './bundleSize';

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

const work = mkdtempSync(join(tmpdir(), 'agent-presence-package-'));
const scratch = join(work, 'scratch');
let tarball = '';
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
    const [info] = JSON.parse(out) as [{ filename: string; size: number; unpackedSize: number; files: unknown[] }];
    tarball = join(work, info.filename);
    return `${info.filename}: ${info.files.length} files, ${info.size} bytes packed, ${info.unpackedSize} unpacked`;
  });
  if (tarball === '') throw new Error('no tarball');

  await check('publint', async () => {
    const buffer = readFileSync(tarball);
    const tarballBytes = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
    const { messages, pkg: packed } = await publint({ pack: { tarball: tarballBytes }, level: 'suggestion', strict: true });
    if (messages.length > 0) {
      throw new Error(messages.map((m) => `  ${m.type}: ${formatMessage(m, packed, { color: false }) ?? m.code}`).join('\n'));
    }
    return 'no errors, warnings or suggestions';
  });

  await check('are the types wrong (profile node16)', () => {
    const { ok } = run(bin('attw'), [tarball, '--profile', 'node16', '--no-definitely-typed', '--format', 'table', '--no-emoji', '--no-color'], root);
    if (!ok) throw new Error('attw found problems (above)');
    return 'no problems; node10 resolution not checked';
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

  await check(`root entry size (budget ${ROOT_ENTRY_BUDGET_BYTES} bytes min+gz alone, ${WHOLE_ROOT_ENTRY_BUDGET_BYTES} whole)`, async () => {
    const alone = await bundleSize(`export { createPresenceMachine } from '${pkg.name}';`, scratch);
    const whole = await bundleSize(`export * from '${pkg.name}';`, scratch);
    const report = `createPresenceMachine alone ${alone.gzip} bytes min+gz (${alone.minified} min); whole ${whole.gzip}`;
    if (alone.gzip > ROOT_ENTRY_BUDGET_BYTES || whole.gzip > WHOLE_ROOT_ENTRY_BUDGET_BYTES) throw new Error(`over budget: ${report}`);
    return report;
  });

  const entryBudgets: Record<string, number> = { './schema': SCHEMA_ENTRY_BUDGET_BYTES, './service': SERVICE_ENTRY_BUDGET_BYTES };
  await check(`other entries' sizes (whole entry, min+gz; budgets schema ${SCHEMA_ENTRY_BUDGET_BYTES}, service ${SERVICE_ENTRY_BUDGET_BYTES} bytes)`, async () => {
    const sizes = await Promise.all(
      subpaths
        .filter((s) => s !== '.')
        .map(async (s) => {
          // The Redis adapters are for Node; fast-check is the user's own copy (a peer of the testing entry).
          const { gzip, inputs } = await bundleSize(`export * from '${specifier(s)}';`, scratch, s.includes('redis') ? 'node' : 'neutral', ['fast-check']);
          const budget = entryBudgets[s];
          const zod = inputs.some((file) => file.includes('node_modules/zod/'));
          return { s, gzip, zod, over: budget !== undefined && gzip > budget, budget };
        }),
    );
    const report = sizes.map(({ s, gzip, zod, budget }) => `${specifier(s)} ${gzip}${budget === undefined ? '' : `/${budget}`}${zod ? ' with zod' : ''}`).join(', ');
    const over = sizes.filter((size) => size.over);
    if (over.length > 0) throw new Error(`over budget: ${report}`);
    if (sizes.some((size) => size.s === './service' && size.zod)) throw new Error(`agent-presence/service bundles zod: ${report}`);
    return report;
  });

  await check('examples type-check against the shipped declarations', () => {
    cpSync(join(root, 'examples'), join(scratch, 'examples'), { recursive: true });
    const base = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    const { paths: _paths, ...compilerOptions } = base.compilerOptions; // no paths: 'agent-presence' is the installed package
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { ...compilerOptions, skipLibCheck: false, typeRoots: [join(root, 'node_modules', '@types')] }, include: ['examples'] }, null, 2),
    );
    if (!run(bin('tsc'), ['-p', 'tsconfig.json'], scratch).ok) throw new Error('tsc reported errors (above)');
    return '';
  });

  await check('examples run against the installed package', () => {
    const { ok, output } = run(bin('tsx'), [join(root, 'scripts', 'run-examples.ts'), scratch], scratch);
    writeFileSync(join(work, 'examples.log'), output);
    if (!ok) throw new Error('an example failed (above)');
    return output.trim().split('\n').at(-1)?.replace(/^examples: /, '') ?? '';
  });
} finally {
  if (args.has('--keep')) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

const failed = outcomes.filter((o) => !o.ok);
console.log(`check:package: ${outcomes.length - failed.length} passed, ${failed.length} failed`);
if (failed.length > 0) process.exitCode = 1;
