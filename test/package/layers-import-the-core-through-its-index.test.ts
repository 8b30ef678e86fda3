import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Outside src/core, code reaches the core through two doors only: `src/core/index` (its public API) and
 * `src/core/internal` (the helpers the layers share with it). A deep import of a core file by its path would tie a
 * layer to how the core happens to be split into files.
 */
const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const CORE = join(SRC, 'core');
const DOORS = ['index', 'internal'].map((name) => join(CORE, name));

/** Every module specifier of an import, re-export, `import()` or `import('…')` type in `source`, with its line. */
function specifiers(source: string, fileName: string): { line: number; text: string }[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: { line: number; text: string }[] = [];
  const add = (node: ts.Node | undefined) => {
    if (node !== undefined && ts.isStringLiteralLike(node))
      found.push({ line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1, text: node.text });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0]);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The imports of `source` (a file at `fileName`, outside src/core) that enter src/core by another door, as `line: specifier`. */
function deepCoreImports(source: string, fileName: string): string[] {
  return specifiers(source, fileName)
    .filter(({ text }) => text.startsWith('.'))
    .filter(({ text }) => {
      const target = resolve(dirname(fileName), text).replace(/\.[cm]?[jt]s$/, '');
      const inCore = !relative(CORE, target).startsWith('..');
      return inCore && !DOORS.includes(target);
    })
    .map(({ line, text }) => `${line}: ${text}`);
}

const layerFiles = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((name) => /\.[cm]?tsx?$/.test(name) && !name.startsWith(`core${sep}`))
  .sort();

describe('the layers outside src/core', () => {
  it('are found with their source files, so the check below has something to check', () => {
    expect(layerFiles).toEqual(expect.arrayContaining(['index.ts', join('schema', 'snapshot.ts'), join('service', 'createPresenceService.ts')]));
  });

  it.each(layerFiles)('src/%s imports the core only through src/core/index or src/core/internal', (name) => {
    const fileName = join(SRC, name);
    expect(deepCoreImports(readFileSync(fileName, 'utf8'), fileName)).toEqual([]);
  });
});

describe('the deep-import check itself', () => {
  const check = (source: string) => deepCoreImports(source, join(SRC, 'service', 'Sample.ts'));

  it('accepts the two doors, other layers and packages', () => {
    expect(
      check(`
      import { createPresenceMachine } from '../core/index';
      import { describeValue } from '../core/internal';
      export type { PresenceState } from '../core/index.js';
      import { parseEvent } from '../schema/parseEvent';
      import { produce } from 'immer';
      /** import { x } from '../core/fieldRules'; in a comment is not code */
    `),
    ).toEqual([]);
  });

  it.each([
    [`import { describeValue } from '../core/fieldRules';`, '1: ../core/fieldRules'],
    [`export { isPlainObject } from '../core/isPlainObject';`, '1: ../core/isPlainObject'],
    [`type T = import('../core/Transition').Transition;`, '1: ../core/Transition'],
    [`const m = await import('../core/validateEvent');`, '1: ../core/validateEvent'],
    [`import type { X } from '../core';`, '1: ../core'],
  ])('flags %j', (source, problem) => {
    expect(check(source)).toEqual([problem]);
  });
});
