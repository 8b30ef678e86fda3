import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { format } from 'node:util';
import ts from 'typescript';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { codeBlocks, TSDOC_PREFIX, tsFiles } from '../../scripts/tsdocExamples';
import { root } from '../helpers/dist';

/**
 * Every ```ts block of the TSDoc `@example`s under `src`, of the README and of the routing guide is type-checked against the source
 * and run. A `console.log(…); // expected` line is checked too: what it prints must be where the comment starts
 * (whitespace aside), so an example cannot drift from what the library does.
 */

interface Example {
  /** Where it comes from, `src/core/createPresenceMachine.ts:88`. */
  readonly origin: string;
  readonly code: string;
}

const ENTRY_PATHS: Readonly<Record<string, string>> = {
  'agent-presence': join(root, 'src', 'index'),
  'agent-presence/schema': join(root, 'src', 'schema', 'index'),
  'agent-presence/service': join(root, 'src', 'service', 'index'),
  'agent-presence/admin': join(root, 'src', 'admin', 'index'),
  'agent-presence/redis': join(root, 'src', 'redis', 'index'),
  'agent-presence/testing': join(root, 'src', 'testing', 'index'),
};

/** Guides whose every ```ts block is a whole program (the others show fragments). */
const RUNNABLE_GUIDES = ['docs/routing.md'];

function collectExamples(): Example[] {
  const fromSource = tsFiles(join(root, 'src')).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return codeBlocks(text, TSDOC_PREFIX).map(({ line, code }) => ({ origin: `${relative(root, file)}:${line}`, code }));
  });
  const fromReadme = codeBlocks(readFileSync(join(root, 'README.md'), 'utf8'), /^/).map(({ line, code }) => ({
    origin: `README.md:${line}`,
    code,
  }));
  const fromGuides = RUNNABLE_GUIDES.flatMap((guide) =>
    codeBlocks(readFileSync(join(root, guide), 'utf8'), /^/).map(({ line, code }) => ({ origin: `${guide}:${line}`, code })),
  );
  return [...fromSource, ...fromReadme, ...fromGuides];
}

const CHECKED_LOG = /^(\s*)console\.log\((.*)\);\s*\/\/\s*(.+)$/;

/** The example as a module: imports point at the source, and each commented `console.log` becomes a check. */
function instrument(example: Example, index: number): { source: string; expectations: Map<number, string> } {
  const expectations = new Map<number, string>();
  const lines = example.code.split('\n').map((line, lineIndex) => {
    const withImports = line.replace(
      /from '(agent-presence(?:\/schema|\/service|\/admin|\/redis|\/testing)?)'/,
      (_, name: string) => `from '${ENTRY_PATHS[name]}'`,
    );
    const match = CHECKED_LOG.exec(withImports);
    if (match === null) return withImports;
    const id = index * 1000 + lineIndex;
    expectations.set(id, match[3] as string);
    return `${match[1]}(globalThis as any).__exampleLog(${id}, ${match[2]});`;
  });
  return { source: `${lines.join('\n')}\nexport {};\n`, expectations };
}

const squash = (text: string): string => text.replace(/\s+/g, '');

const examples = collectExamples();
const workDir = join(root, 'node_modules', '.cache', 'documentation-examples');
rmSync(workDir, { recursive: true, force: true });
mkdirSync(workDir, { recursive: true });
const prepared = examples.map((example, index) => {
  const { source, expectations } = instrument(example, index);
  const file = join(workDir, `example-${index}.ts`);
  writeFileSync(file, source);
  return { ...example, file, expectations };
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('documentation examples', () => {
  it('are found in the TSDoc and the README', () => {
    expect(examples.filter((e) => e.origin.startsWith('src/')).length).toBeGreaterThanOrEqual(40);
    expect(examples.filter((e) => e.origin.startsWith('README.md')).length).toBeGreaterThanOrEqual(2);
    expect(examples.filter((e) => e.origin.startsWith('docs/routing.md')).length).toBe(6);
  });

  it('type-check against the source under the project settings', () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      join(root, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    );
    if (config === undefined) throw new Error('tsconfig.json could not be read');
    const program = ts.createProgram(
      prepared.map((p) => p.file),
      { ...config.options, noEmit: true },
    );
    const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const example = prepared.find((p) => p.file === diagnostic.file?.fileName);
      const where = example?.origin ?? diagnostic.file?.fileName ?? '?';
      return `${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
    });
    expect(problems).toEqual([]);
  }, 60_000); // a whole-program type check: seconds, more on a loaded machine

  for (const example of prepared) {
    it(`run and print what they say: ${example.origin}`, async () => {
      const printed = new Map<number, string>();
      (globalThis as Record<string, unknown>).__exampleLog = (id: number, ...args: unknown[]) => printed.set(id, format(...args));
      const quiet = [vi.spyOn(console, 'log').mockImplementation(() => {}), vi.spyOn(console, 'error').mockImplementation(() => {})];
      try {
        await import(example.file);
      } finally {
        for (const spy of quiet) spy.mockRestore();
      }
      for (const [id, expected] of example.expectations) {
        const output = printed.get(id);
        expect(output, `line ${id % 1000} did not print`).toBeDefined();
        expect(squash(expected).startsWith(squash(output as string)), `printed ${JSON.stringify(output)}, the comment says ${JSON.stringify(expected)}`).toBe(
          true,
        );
      }
    });
  }
});
