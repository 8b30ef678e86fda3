/**
 * `npm test` on a fresh machine: its pretest step (scripts/test-prerequisites.ts) finds redis-server and Chromium,
 * installs the missing ones with apt-get when it can (root, or sudo without a password), and otherwise stops with
 * the commands that install them and the script that runs the suites needing neither. Nothing is uninstalled to
 * test it: the decisions are checked as a function, and the script runs with a PATH of stubs (apt-get, sudo, the
 * programs) so that the programs look missing and apt-get only records what it was asked.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decide, stopMessage, type Machine } from '../../scripts/test-prerequisites';
import { findOnPath, SUITES_NEEDING_PROGRAMS, TEST_PROGRAMS, type ProgramLookup } from '../../scripts/testPrograms';
import { root } from '../helpers/dist';

const [REDIS, CHROMIUM] = TEST_PROGRAMS as [(typeof TEST_PROGRAMS)[number], (typeof TEST_PROGRAMS)[number]];
const found = (redis: string | undefined, chromium: string | undefined, fromVariable = false): ProgramLookup[] => [
  { program: REDIS, path: redis, fromVariable },
  { program: CHROMIUM, path: chromium, fromVariable },
];
const debianRoot: Machine = { platform: 'linux', root: true, aptGet: true, sudo: false };

describe('the pretest decision', () => {
  it('does nothing when both programs are there', () => {
    expect(decide(found('/usr/bin/redis-server', '/usr/bin/chromium'), debianRoot)).toEqual({ kind: 'ready' });
  });

  it('installs what is missing with apt-get as root, or through sudo -n when that needs no password', () => {
    expect(decide(found(undefined, undefined), debianRoot)).toEqual({ kind: 'install', packages: ['redis-server', 'chromium'], sudo: false });
    expect(decide(found('/usr/bin/redis-server', undefined), debianRoot)).toEqual({ kind: 'install', packages: ['chromium'], sudo: false });
    expect(decide(found(undefined, '/usr/bin/chromium'), { ...debianRoot, root: false, sudo: true })).toEqual({
      kind: 'install',
      packages: ['redis-server'],
      sudo: true,
    });
  });

  it('stops when it cannot install: not root without password-less sudo, no apt-get, or macOS', () => {
    for (const machine of [
      { ...debianRoot, root: false },
      { ...debianRoot, aptGet: false },
      { platform: 'darwin', root: false, aptGet: false, sudo: false } as const,
    ]) {
      const decision = decide(found(undefined, undefined), machine);
      expect(decision.kind, JSON.stringify(machine)).toBe('stop');
    }
    expect(decide(found(undefined, undefined), { ...debianRoot, root: false })).toMatchObject({ reason: expect.stringContaining('needs root') });
  });

  it('never installs over a program its variable names wrongly: it says which variable to fix', () => {
    expect(decide(found(undefined, '/usr/bin/chromium', true), debianRoot)).toMatchObject({
      kind: 'stop',
      reason: 'REDIS_SERVER names no executable redis-server: fix or unset it',
    });
  });

  it('when it stops, gives the install commands for Debian/Ubuntu and macOS, the variables, and the suites needing neither', () => {
    const message = stopMessage('redis-server and chromium are missing', [REDIS, CHROMIUM]);
    expect(message).toContain('sudo apt-get update && sudo apt-get install -y redis-server chromium');
    expect(message).toContain('brew install redis && brew install --cask chromium');
    expect(message).toContain('CHROMIUM=');
    expect(message).toContain('REDIS_URL=');
    expect(message).toContain('npm run test:offline');
    expect(stopMessage('redis-server is missing', [REDIS])).not.toContain('chromium');
  });
});

/** A scratch PATH: bin/ holds the stubs of apt-get and sudo, installed/ what the apt-get stub "installs". */
const work = mkdtempSync(join(tmpdir(), 'agent-presence-pretest-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let runs = 0;

function stubMachine(options: { apt?: boolean; present?: readonly string[] } = {}) {
  const dir = join(work, String(++runs));
  const bin = join(dir, 'bin');
  const installed = join(dir, 'installed');
  mkdirSync(bin, { recursive: true });
  mkdirSync(installed);
  const log = join(dir, 'commands.log');
  writeFileSync(log, '');
  const script = (file: string, body: string) => {
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
  };
  if (options.apt !== false) {
    script(
      join(bin, 'apt-get'),
      [
        'echo "apt-get $*" >> "$STUB_LOG"',
        '[ "${STUB_APT_EXIT:-0}" = 0 ] || { echo "E: Unable to locate package" >&2; exit "$STUB_APT_EXIT"; }',
        'if [ "$1" = install ]; then',
        '  for p in "$@"; do case "$p" in install|-*) ;; *) printf "#!/bin/sh\\nexit 0\\n" > "$STUB_INSTALLED/$p"; /bin/chmod 755 "$STUB_INSTALLED/$p";; esac; done',
        'fi',
      ].join('\n'),
    );
    // Password-less sudo that runs the command as given (used only when the test itself does not run as root).
    script(join(bin, 'sudo'), 'echo "sudo $*" >> "$STUB_LOG"\n[ "$1" = -n ] && shift\n[ "$1" = true ] && exit 0\nexec "$@"');
    const env = findOnPath('env');
    if (env !== undefined) symlinkSync(env, join(bin, 'env'));
  }
  for (const name of options.present ?? []) script(join(installed, name), 'exit 0');
  const run = (extra: Record<string, string> = {}) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'test-prerequisites.ts')], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: `${bin}:${installed}`, HOME: dir, STUB_LOG: log, STUB_INSTALLED: installed, ...extra },
    });
    const commands = readFileSync(log, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('apt-get'));
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, commands, installed: readdirSync(installed).sort() };
  };
  return { run };
}

describe('the pretest script, with a PATH of stubs', () => {
  it('says nothing and installs nothing when both programs are on the PATH', () => {
    const result = stubMachine({ present: ['redis-server', 'chromium'] }).run();
    expect(result).toMatchObject({ status: 0, stdout: '', stderr: '', commands: [] });
  }, 30_000);

  it('installs both with apt-get, saying so in one line, when both are missing', () => {
    const result = stubMachine().run();
    expect(result.stderr).toBe('');
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^pretest: redis-server and chromium missing, for the Redis and browser suites: installing with apt-get/),
    ]);
    expect(result.commands).toEqual(['apt-get update -qq', 'apt-get install -y -qq redis-server chromium']);
    expect(result.installed).toEqual(['chromium', 'redis-server']);
    expect(result.status).toBe(0);
  }, 30_000);

  it('installs only what is missing', () => {
    const result = stubMachine({ present: ['redis-server'] }).run();
    expect(result.commands).toEqual(['apt-get update -qq', 'apt-get install -y -qq chromium']);
    expect(result.status).toBe(0);
  }, 30_000);

  it('stops with the install commands and test:offline when apt-get fails', () => {
    const result = stubMachine().run({ STUB_APT_EXIT: '100' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('E: Unable to locate package');
    expect(result.stderr).toContain('pretest: apt-get could not install redis-server and chromium');
    expect(result.stderr).toContain('sudo apt-get install -y redis-server chromium');
    expect(result.stderr).toContain('npm run test:offline');
  }, 30_000);

  it('stops before any test when there is no apt-get, naming only what is missing', () => {
    const result = stubMachine({ apt: false, present: ['chromium'] }).run();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('redis-server is missing and this machine has no apt-get');
    expect(result.stderr).toContain('sudo apt-get update && sudo apt-get install -y redis-server\n');
    expect(result.stderr).toContain('brew install redis\n');
    expect(result.stderr).toContain('npm run test:offline');
  }, 30_000);

  it('stops, installing nothing, when REDIS_SERVER names no program', () => {
    const result = stubMachine({ present: ['chromium'] }).run({ REDIS_SERVER: join(work, 'no-such-redis-server') });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('REDIS_SERVER names no executable redis-server: fix or unset it');
    expect(result.commands).toEqual([]);
  }, 30_000);
});

describe('the scripts around it', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

  it('npm test runs the step first, and test:offline is npm test without the suites needing the programs', () => {
    expect(pkg.scripts.pretest).toBe('tsx scripts/test-prerequisites.ts');
    const excludes = SUITES_NEEDING_PROGRAMS.map((glob) => `--exclude "${glob}"`).join(' ');
    expect(pkg.scripts['test:offline']).toBe(pkg.scripts.test?.replace('vitest run', `vitest run ${excludes}`));
  });

  it('test:offline leaves out exactly the suites that start redis-server or drive Chromium', () => {
    // A glob as vitest reads it: `**/` is any folders (none included), a final `**` anything, `*` anything within one folder.
    const globPattern = (glob: string) =>
      glob
        .split(/(\*\*\/|\*\*$|\*)/)
        .map((part) => ({ '**/': '(?:.+/)?', '**': '.+', '*': '[^/]*' })[part] ?? part.replace(/\./g, '\\.'))
        .join('');
    const matches = (file: string) => SUITES_NEEDING_PROGRAMS.some((glob) => new RegExp(`^${globPattern(glob)}$`).test(file));
    const suites = readdirSync(join(root, 'test'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.test.ts'))
      .map((file) => `test/${file}`);
    const importsProgram =
      /^import .* from '\.\.\/helpers\/(?:redisServer|redisTarget|redisCluster)';$|^import \{[^}]*\blaunchChromium\b[^}]*\} from '\.\.\/helpers\/chromium';$/m;
    const needing = suites.filter((file) => importsProgram.test(readFileSync(join(root, file), 'utf8')));
    expect(needing.length).toBeGreaterThanOrEqual(9);
    expect(suites.filter(matches)).toEqual(needing);
  });

  it('.ci/run installs nothing itself: it runs the README command, whose pretest does', () => {
    const ci = readFileSync(join(root, '.ci', 'run'), 'utf8').replace(/^#.*\n/gm, '');
    expect(ci).not.toMatch(/apt-get|brew|install/);
    expect(ci).toMatch(/^npm ci$/m);
    expect(ci).toMatch(/^npm test$/m);
    expect(existsSync(join(root, 'scripts', 'test-prerequisites.ts'))).toBe(true);
  });
});
