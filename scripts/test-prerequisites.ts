/**
 * `npm test`'s first step (npm runs it as `pretest`), so that the README's `npm ci && npm test` runs every suite on
 * a fresh Debian or Ubuntu machine: the Redis suites need `redis-server` and the presence board's browser suite
 * needs Chromium (scripts/testPrograms.ts says how each is found). When one is missing it is installed with
 * apt-get if this process can (as root, or through `sudo -n` without a password), saying so in one line. When it
 * cannot, it stops before any test runs with the commands that install them (Debian/Ubuntu, macOS), the
 * variables that point the suites at programs of your own, and `npm run test:offline`, which runs every suite
 * that needs neither. .ci/run relies on this step too.
 *
 *   npx tsx scripts/test-prerequisites.ts
 */
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findOnPath, lookUp, TEST_PROGRAMS, type ProgramEnv, type ProgramLookup, type TestProgram } from './testPrograms';

/** What the machine allows, as far as installing goes. */
export interface Machine {
  readonly platform: NodeJS.Platform;
  /** Running as root. */
  readonly root: boolean;
  /** `apt-get` is on the PATH. */
  readonly aptGet: boolean;
  /** `sudo -n true` succeeds (sudo without a password). */
  readonly sudo: boolean;
}

/** What the step does. */
export type Decision =
  | { readonly kind: 'ready' }
  | { readonly kind: 'install'; readonly packages: readonly string[]; readonly sudo: boolean }
  | { readonly kind: 'stop'; readonly reason: string; readonly missing: readonly TestProgram[] };

/**
 * Decides from what was found and what the machine allows. A program named by its variable (REDIS_SERVER,
 * CHROMIUM) that is not there is never installed over: the variable is wrong, and the step says so.
 */
export function decide(found: readonly ProgramLookup[], machine: Machine): Decision {
  const missing = found.filter((lookup) => lookup.path === undefined);
  if (missing.length === 0) return { kind: 'ready' };
  const misnamed = missing.filter((lookup) => lookup.fromVariable);
  const programs = missing.map((lookup) => lookup.program);
  if (misnamed.length > 0) {
    const named = misnamed.map((l) => `${l.program.variable} names no executable ${l.program.name}`).join('; ');
    return { kind: 'stop', reason: `${named}: fix or unset it`, missing: programs };
  }
  if (machine.platform !== 'linux' || !machine.aptGet) {
    return {
      kind: 'stop',
      reason: `${names(programs)} ${programs.length > 1 ? 'are' : 'is'} missing and this machine has no apt-get to install ${programs.length > 1 ? 'them' : 'it'}`,
      missing: programs,
    };
  }
  if (!machine.root && !machine.sudo) {
    return {
      kind: 'stop',
      reason: `${names(programs)} ${programs.length > 1 ? 'are' : 'is'} missing, and installing needs root (not root, and sudo asks for a password)`,
      missing: programs,
    };
  }
  return { kind: 'install', packages: programs.map((p) => p.name), sudo: !machine.root };
}

const names = (programs: readonly TestProgram[]): string => programs.map((p) => p.name).join(' and ');

/** The message of a stop: why, the install commands, the variables, and the suites that need neither. */
export function stopMessage(reason: string, missing: readonly TestProgram[]): string {
  const packages = missing.map((p) => p.name).join(' ');
  const lines = [
    `pretest: ${reason} (${missing.map((p) => `${p.name} for ${p.neededBy}`).join(', ')}).`,
    'Install, then run `npm test` again:',
    `  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y ${packages}`,
    `  macOS:          ${missing.map((p) => p.brew).join(' && ')}`,
  ];
  if (missing.some((p) => p.name === 'chromium')) {
    lines.push(
      '                  and set CHROMIUM=/Applications/Chromium.app/Contents/MacOS/Chromium (any Chromium or Chrome will do)',
      "  Ubuntu's Chromium is a snap: sudo snap install chromium",
    );
  }
  lines.push(`Or use programs of your own: ${missing.map((p) => `${p.variable}=/path/to/${p.name}`).join(', ')}.`);
  if (missing.some((p) => p.name === 'redis-server')) {
    lines.push(
      'REDIS_URL=redis://host:port runs the Redis suites against a Redis of yours (one in Docker, say; they use and flush',
      'its databases 1 and up), but the crash-and-restart suite still starts a redis-server of its own.',
    );
  }
  lines.push('Every suite that needs neither: npm run test:offline');
  return lines.join('\n');
}

function run(command: string, args: readonly string[], env: ProgramEnv): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}` };
}

/** What this machine allows. */
function machineOf(env: ProgramEnv): Machine {
  const root = process.getuid?.() === 0;
  const aptGet = findOnPath('apt-get', env) !== undefined;
  const sudo = !root && aptGet && run('sudo', ['-n', 'true'], env).ok;
  return { platform: process.platform, root, aptGet, sudo };
}

/** Installs the packages with apt-get (through `sudo -n` when not root); the output is shown only on failure. */
function install(packages: readonly string[], sudo: boolean, env: ProgramEnv): boolean {
  const prefix = sudo ? ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive'] : [];
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  const steps = [
    [...prefix, 'apt-get', 'update', '-qq'],
    [...prefix, 'apt-get', 'install', '-y', '-qq', ...packages],
  ];
  for (const [command, ...args] of steps) {
    const { ok, output } = run(command as string, args, aptEnv);
    if (!ok) {
      console.error(output.trimEnd().split('\n').slice(-20).join('\n'));
      return false;
    }
  }
  return true;
}

/** Runs the step: 0 when every suite can run, 1 (after saying what to do) when not. */
export function main(env: ProgramEnv = process.env): number {
  const missing = () => TEST_PROGRAMS.map((program) => lookUp(program, env)).filter((lookup) => lookup.path === undefined);
  const decision = decide(
    TEST_PROGRAMS.map((program) => lookUp(program, env)),
    machineOf(env),
  );
  if (decision.kind === 'ready') return 0;
  if (decision.kind === 'stop') {
    console.error(stopMessage(decision.reason, decision.missing));
    return 1;
  }
  console.log(
    `pretest: ${decision.packages.join(' and ')} missing, for the Redis and browser suites: installing with apt-get${decision.sudo ? ' (sudo -n)' : ''}`,
  );
  const installed = install(decision.packages, decision.sudo, env);
  const still = missing().map((lookup) => lookup.program);
  if (!installed || still.length > 0) {
    const reason = installed ? `apt-get ran, but ${names(still)} is still not found` : `apt-get could not install ${decision.packages.join(' and ')}`;
    console.error(stopMessage(reason, installed ? still : TEST_PROGRAMS.filter((p) => decision.packages.includes(p.name))));
    return 1;
  }
  return 0;
}

const invokedDirectly = ((): boolean => {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();
if (invokedDirectly) process.exitCode = main();
