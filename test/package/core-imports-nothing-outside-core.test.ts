import { readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** The folder that must stand alone: no packages, no Node builtins, nothing from the rest of src. */
const CORE_DIR = fileURLToPath(new URL('../../src/core', import.meta.url));

/** Globals that read a clock, draw randomness, schedule work or reach the host: the core is a pure function of its input. */
const FORBIDDEN_MEMBERS: Readonly<Record<string, readonly string[] | 'any'>> = {
  Date: ['now'],
  Math: ['random'],
  process: 'any',
  performance: 'any',
};
const FORBIDDEN_NAMES = ['setTimeout', 'setInterval'];

/** `name` itself or `globalThis.name`. */
function isGlobal(node: ts.Node, name: string): boolean {
  if (ts.isIdentifier(node)) return node.text === name;
  return ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'globalThis' && node.name.text === name;
}

/**
 * Every import, re-export, dynamic import or require in `source` (a file at `fileName`) whose specifier resolves
 * outside `coreDir`, and every use of a clock, randomness, timer or host global, each as `line: what`.
 * Comments and strings are not code, so TSDoc examples that import the package are not reported.
 */
export function coreViolations(source: string, fileName: string, coreDir: string = CORE_DIR): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const report = (node: ts.Node, what: string) => found.push(`${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}: ${what}`);

  const checkSpecifier = (node: ts.Node, specifier: ts.Node | undefined, how: string) => {
    if (specifier === undefined || !ts.isStringLiteralLike(specifier)) {
      return report(node, `${how} of a specifier that is not a string literal`);
    }
    const text = specifier.text;
    if (!text.startsWith('.') && !isAbsolute(text)) return report(node, `${how} of the package or builtin "${text}"`);
    const target = relative(coreDir, resolve(dirname(fileName), text));
    if (target.startsWith('..') || isAbsolute(target)) report(node, `${how} of "${text}", outside src/core`);
  };

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) checkSpecifier(node, node.moduleSpecifier, 'import');
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      checkSpecifier(node, node.moduleSpecifier, 'export from');
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      checkSpecifier(node, node.moduleReference.expression, 'import = require');
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      checkSpecifier(node, ts.isLiteralTypeNode(argument) ? argument.literal : undefined, 'import type');
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      checkSpecifier(node, node.arguments[0], 'dynamic import');
    } else if (ts.isCallExpression(node) && isGlobal(node.expression, 'require')) {
      checkSpecifier(node, node.arguments[0], 'require');
    } else if (ts.isNewExpression(node) && isGlobal(node.expression, 'Date')) {
      report(node, 'new Date reads the clock');
    } else if (ts.isCallExpression(node) && isGlobal(node.expression, 'Date')) {
      report(node, 'Date() reads the clock');
    } else if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      for (const [global, members] of Object.entries(FORBIDDEN_MEMBERS)) {
        if (!isGlobal(node.expression, global)) continue;
        const member = ts.isPropertyAccessExpression(node) ? node.name.text : undefined;
        if (members === 'any' || (member !== undefined && members.includes(member))) {
          report(node, `${node.getText(file)} reaches outside the pure core`);
        }
      }
    } else if (ts.isIdentifier(node) && FORBIDDEN_NAMES.includes(node.text)) {
      report(node, `${node.text} schedules work`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

const coreFiles = readdirSync(CORE_DIR, { recursive: true, encoding: 'utf8' })
  .filter((name) => /\.[cm]?tsx?$/.test(name))
  .sort();

describe('src/core', () => {
  it('is found with its source files, so the check below has something to check', () => {
    expect(coreFiles).toContain('createPresenceMachine.ts');
    expect(coreFiles).toContain('index.ts');
  });

  it.each(coreFiles)('%s imports nothing from outside src/core and uses no clock, randomness, timer or host global', (name) => {
    const fileName = join(CORE_DIR, name);
    expect(coreViolations(readFileSync(fileName, 'utf8'), fileName)).toEqual([]);
  });
});

describe('the core import check itself', () => {
  const sample = join(CORE_DIR, 'Sample.ts');
  const check = (source: string) => coreViolations(source, sample);

  it('accepts imports, re-exports and dynamic imports that stay inside src/core', () => {
    expect(
      check(`
      import { a } from './a';
      import type { B } from './nested/b';
      export * from './c';
      export { d } from '../core/d';
      const e = await import('./e');
      type F = typeof import('./f');
    `),
    ).toEqual([]);
  });

  it('ignores imports and clock calls written in comments and strings', () => {
    expect(
      check(`
      /** @example import { createPresenceMachine } from 'agent-presence'; Date.now() */
      // import { z } from 'zod'; setTimeout(run, 1);
      const hint = "import x from 'zod'; process.env; new Date()";
    `),
    ).toEqual([]);
  });

  it.each([
    [`import { parseEvent } from '../schema/index';`, 'import of "../schema/index", outside src/core'],
    [`import type { X } from '../index';`, 'import of "../index", outside src/core'],
    [`import { z } from 'zod';`, 'import of the package or builtin "zod"'],
    [`import 'node:fs';`, 'import of the package or builtin "node:fs"'],
    [`import {\n  a,\n  b,\n} from 'fs';`, 'import of the package or builtin "fs"'],
    [`export * from '../schema/fieldSchema';`, 'export from of "../schema/fieldSchema", outside src/core'],
    [`export { x } from 'immer';`, 'export from of the package or builtin "immer"'],
    [`const m = await import('node:path');`, 'dynamic import of the package or builtin "node:path"'],
    [`const m = await import(name);`, 'dynamic import of a specifier that is not a string literal'],
    [`const fs = require('fs');`, 'require of the package or builtin "fs"'],
    [`import fs = require('fs');`, 'import = require of the package or builtin "fs"'],
    [`type Z = typeof import('zod');`, 'import type of the package or builtin "zod"'],
    [`const t = Date.now();`, 'Date.now reaches outside the pure core'],
    [`const t = globalThis.Date.now();`, 'globalThis.Date.now reaches outside the pure core'],
    [`const d = new Date();`, 'new Date reads the clock'],
    [`const r = Math.random();`, 'Math.random reaches outside the pure core'],
    [`setTimeout(() => {}, 0);`, 'setTimeout schedules work'],
    [`const id = setInterval(tick, 10);`, 'setInterval schedules work'],
    [`const env = process.env.NODE_ENV;`, 'process.env reaches outside the pure core'],
    [`const t = performance.now();`, 'performance.now reaches outside the pure core'],
  ])('flags %j', (source, problem) => {
    expect(check(source).map((line) => line.replace(/^\d+: /, ''))).toContain(problem);
  });

  it('names the line of each problem', () => {
    expect(check(`import { a } from './a';\n\nimport { z } from 'zod';`)).toEqual(['3: import of the package or builtin "zod"']);
  });
});
