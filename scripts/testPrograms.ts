/**
 * The two programs some test suites need, found the same way by `npm test`'s pretest step
 * (scripts/test-prerequisites.ts) and by the suites themselves:
 *
 * - `redis-server`, for the Redis suites (test/redis-*.test.ts): `REDIS_SERVER` (a path) if set, else
 *   `redis-server` on the PATH. `REDIS_URL` points the suites at a Redis of your own instead (see
 *   test/helpers/redisServer.ts), except the crash-and-restart suite, which kills its own server.
 * - Chromium, for the presence board's browser suite (test/*.e2e.test.ts): `CHROMIUM` (a path to any Chromium or
 *   Chrome) if set, else `chromium` on the PATH (Debian's package installs /usr/bin/chromium).
 *
 * `npm run test:offline` runs every suite that needs neither.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The environment the lookups read (`process.env` by default). */
export type ProgramEnv = Readonly<Record<string, string | undefined>>;

/** A program a suite needs, with the Debian package that provides it. */
export interface TestProgram {
  /** The command name on the PATH, and the Debian/Ubuntu package name. */
  readonly name: 'redis-server' | 'chromium';
  /** The environment variable that names its path instead of the PATH lookup. */
  readonly variable: 'REDIS_SERVER' | 'CHROMIUM';
  /** The suites that need it. */
  readonly neededBy: string;
  /** The Homebrew command that installs it on macOS. */
  readonly brew: string;
}

export const TEST_PROGRAMS: readonly TestProgram[] = [
  { name: 'redis-server', variable: 'REDIS_SERVER', neededBy: 'the Redis suites', brew: 'brew install redis' },
  { name: 'chromium', variable: 'CHROMIUM', neededBy: 'the presence board browser suite', brew: 'brew install --cask chromium' },
];

/** The globs of the suites that need one of the programs: what `npm run test:offline` leaves out. */
export const SUITES_NEEDING_PROGRAMS = ['test/redis/redis-*.test.ts', 'test/**/*.e2e.test.ts'] as const;

/** Whether `file` is a regular file this process may execute. */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first executable called `name` on the PATH of `env`, or undefined. */
export function findOnPath(name: string, env: ProgramEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Where a program was looked for and what was found. */
export interface ProgramLookup {
  readonly program: TestProgram;
  /** The path to run, when found. */
  readonly path: string | undefined;
  /** Set when the environment variable names it (then the PATH is not searched). */
  readonly fromVariable: boolean;
}

/** Finds a program: its environment variable when set (which must name an executable), else the PATH. */
export function lookUp(program: TestProgram, env: ProgramEnv = process.env): ProgramLookup {
  const given = env[program.variable];
  if (given !== undefined && given !== '') {
    return { program, path: isExecutable(given) ? given : findOnPath(given, env), fromVariable: true };
  }
  return { program, path: findOnPath(program.name, env), fromVariable: false };
}

/** The Chromium the browser suite drives, or undefined when there is none. */
export function chromiumPath(env: ProgramEnv = process.env): string | undefined {
  return lookUp(TEST_PROGRAMS[1] as TestProgram, env).path;
}
