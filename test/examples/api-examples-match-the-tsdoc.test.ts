import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { apiExamplePath, apiExampleText, currentApiExamples, expectedApiExamples, sourceExamples, writeApiExamples } from '../../scripts/tsdocExamples';
import { root } from '../helpers/dist';

/**
 * examples/api/ holds a copy of every TSDoc ```ts block under src, generated (by vitest's global setup,
 * `npm run examples` and `npm run examples:extract`), never committed. `npm run check:package` writes its own copies
 * the same way and runs them against the packed package, so the writer must copy every block, as written, and
 * leave nothing stale.
 */
describe('examples/api', () => {
  it('holds a copy of every TSDoc example, as written, and nothing else, once the tests have started', () => {
    const expected = expectedApiExamples(root);
    const current = currentApiExamples(root);
    expect([...expected].filter(([path, text]) => current.get(path) !== text).map(([path]) => path)).toEqual([]);
    expect([...current.keys()].filter((path) => !expected.has(path))).toEqual([]);
  });

  it('is generated, not committed: git and the formatters leave it out, and the package does not ship it', () => {
    const lines = (file: string) => readFileSync(join(root, file), 'utf8').split('\n');
    expect(lines('.gitignore')).toContain('examples/api/');
    expect(lines('.prettierignore')).toContain('examples/api/');
    expect(readFileSync(join(root, 'eslint.config.js'), 'utf8')).toContain("'examples/api/'");
    const { files } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] };
    expect(files.filter((pattern) => pattern.startsWith('examples'))).toEqual(['examples/*.ts']);
  });

  it('names each copy after its source file and position, so copies of different blocks cannot collide', () => {
    const examples = sourceExamples(root);
    expect(examples.length).toBeGreaterThanOrEqual(40);
    expect(new Set(examples.map(apiExamplePath)).size).toBe(examples.length);
    const sample = { file: 'src/core/createPresenceMachine.ts', line: 90, index: 2, code: "console.log('hi');" };
    expect(apiExamplePath(sample)).toBe('examples/api/core/createPresenceMachine.2.ts');
    expect(apiExampleText(sample)).toContain("console.log('hi');\nexport {};\n");
    expect(apiExampleText(sample)).toContain('src/core/createPresenceMachine.ts');
  });
});

describe('writeApiExamples', () => {
  const scratch: string[] = [];
  afterEach(() => {
    for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A package root with one source file holding `blocks` as TSDoc examples. */
  function packageWith(blocks: readonly string[]): string {
    const dir = mkdtempSync(join(tmpdir(), 'api-examples-'));
    scratch.push(dir);
    mkdirSync(join(dir, 'src', 'core'), { recursive: true });
    const tsdoc = blocks.map((code) => ` * \`\`\`ts\n * ${code}\n * \`\`\``).join('\n');
    writeFileSync(join(dir, 'src', 'core', 'thing.ts'), `/**\n * A thing.\n${tsdoc}\n */\nexport const thing = 1;\n`);
    return dir;
  }

  it('writes every block into an empty folder, and then nothing more', () => {
    const dir = packageWith(["console.log('a');", "console.log('b');"]);
    expect(writeApiExamples(dir)).toEqual({ total: 2, written: ['examples/api/core/thing.1.ts', 'examples/api/core/thing.2.ts'], removed: [] });
    expect(readFileSync(join(dir, 'examples/api/core/thing.2.ts'), 'utf8')).toContain("console.log('b');\nexport {};\n");
    expect(writeApiExamples(dir)).toEqual({ total: 2, written: [], removed: [] });
  });

  it('rewrites a copy whose block changed and removes one whose block is gone', () => {
    const dir = packageWith(["console.log('a');", "console.log('b');"]);
    writeApiExamples(dir);
    writeFileSync(join(dir, 'src', 'core', 'thing.ts'), "/**\n * ```ts\n * console.log('A');\n * ```\n */\nexport const thing = 1;\n");
    expect(writeApiExamples(dir)).toEqual({ total: 1, written: ['examples/api/core/thing.1.ts'], removed: ['examples/api/core/thing.2.ts'] });
    expect(readFileSync(join(dir, 'examples/api/core/thing.1.ts'), 'utf8')).toContain("console.log('A');");
    expect(existsSync(join(dir, 'examples/api/core/thing.2.ts'))).toBe(false);
  });

  it('writes into another folder when asked (as check:package does into its scratch folder), reading the TSDoc of the root', () => {
    const dir = packageWith(["console.log('a');"]);
    const into = mkdtempSync(join(tmpdir(), 'api-examples-into-'));
    scratch.push(into);
    expect(writeApiExamples(dir, into).written).toEqual(['examples/api/core/thing.1.ts']);
    expect(existsSync(join(into, 'examples/api/core/thing.1.ts'))).toBe(true);
    expect(existsSync(join(dir, 'examples'))).toBe(false);
  });
});
