import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers/dist';

const ENTRIES = ['src/index.ts', 'src/schema/index.ts', 'src/service/index.ts', 'src/admin/index.ts', 'src/redis/index.ts', 'src/testing/index.ts'];

interface Finding {
  readonly name: string;
  readonly problem: string;
}

/** Checks the TSDoc of every export of an entry: a summary, an @example and a @category (the docs site groups by it); @param for each parameter and @returns on functions. */
function undocumentedExports(program: ts.Program, entry: string): Finding[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(join(root, entry));
  if (source === undefined) throw new Error(`${entry} not in the program`);
  const module = checker.getSymbolAtLocation(source);
  if (module === undefined) throw new Error(`${entry} has no exports`);
  const findings: Finding[] = [];
  for (const exported of checker.getExportsOfModule(module)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const name = exported.getName();
    const declaration = symbol.declarations?.[0];
    if (declaration === undefined) {
      findings.push({ name, problem: 'no declaration' });
      continue;
    }
    const summary = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
    const tags = symbol.getJsDocTags(checker);
    if (summary === '') findings.push({ name, problem: 'no summary' });
    if (!tags.some((tag) => tag.name === 'example')) findings.push({ name, problem: 'no @example' });
    if (!tags.some((tag) => tag.name === 'category')) findings.push({ name, problem: 'no @category' });
    if (ts.isFunctionDeclaration(declaration)) {
      const params = new Set(tags.filter((tag) => tag.name === 'param').map((tag) => ts.displayPartsToString(tag.text).split(/\s/)[0]));
      for (const parameter of declaration.parameters) {
        const parameterName = parameter.name.getText();
        if (!params.has(parameterName)) findings.push({ name, problem: `no @param ${parameterName}` });
      }
      if (!tags.some((tag) => tag.name === 'returns')) findings.push({ name, problem: 'no @returns' });
    }
  }
  return findings;
}

describe('public exports', () => {
  const program = ts.createProgram(
    ENTRIES.map((entry) => join(root, entry)),
    { strict: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, noEmit: true },
  );

  for (const entry of ENTRIES) {
    it(`of ${entry} each have a summary, an @example and a @category (functions: @param and @returns)`, () => {
      expect(undocumentedExports(program, entry)).toEqual([]);
    }, 60_000); // the type checker runs lazily here: seconds, more on a loaded machine
  }

  it('are found by the check (an undocumented export would be reported)', () => {
    const host = ts.createCompilerHost({});
    const file = join(root, 'src', '__sample__.ts');
    const readFile = host.readFile.bind(host);
    host.readFile = (name) => (name === file ? 'export function undocumented(x: number) { return x; }' : readFile(name));
    host.fileExists = (
      (exists) => (name: string) =>
        name === file || exists(name)
    )(host.fileExists.bind(host));
    const sample = ts.createProgram([file], { noEmit: true }, host);
    const sourceFile = sample.getSourceFile(file);
    expect(sourceFile).toBeDefined();
    const findings = undocumentedExports(sample, 'src/__sample__.ts');
    expect(findings.map((f) => f.problem)).toEqual(['no summary', 'no @example', 'no @category', 'no @param x', 'no @returns']);
  }, 60_000);
});
