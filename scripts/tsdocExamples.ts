/**
 * The ```ts blocks of the TSDoc under `src`, and the files under `examples/api/` generated from them.
 *
 * Each `@example` is written once, in the TSDoc next to the code it shows. `writeApiExamples` copies every block to
 * `examples/api/<path under src>.<n>.ts`, so the examples can be read and run as files: the tests write them
 * before they run (test/helpers/writeApiExamples.ts, vitest's global setup), `npm run examples` and
 * `npm run examples:extract` write them too, and `npm run check:package` writes fresh ones into its scratch folder
 * to type-check and run against the packed package. They are generated, never committed (.gitignore).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** One ```ts block of a TSDoc comment. */
export interface TsdocExample {
  /** The source file, relative to the package root with `/` separators: `src/core/createPresenceMachine.ts`. */
  readonly file: string;
  /** The line of the block's first code line, 1-based. */
  readonly line: number;
  /** 1 for the file's first block, 2 for the next… */
  readonly index: number;
  readonly code: string;
}

/** The folder the generated examples live in, relative to the package root. */
export const API_EXAMPLES_DIR = 'examples/api';

const toPosix = (path: string): string => path.split(sep).join('/');

/** Every `.ts` file under a folder, sorted, so the output does not depend on the file system's order. */
export const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => (entry.isDirectory() ? tsFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []));

/** The ```ts blocks of a text, with the line each starts on; `prefix` strips a comment's leading ` * `. */
export function codeBlocks(text: string, prefix: RegExp): { line: number; code: string }[] {
  const lines = text.split('\n').map((line) => line.replace(prefix, ''));
  const blocks: { line: number; code: string }[] = [];
  let start = -1;
  lines.forEach((line, index) => {
    if (start < 0 && line.trim() === '```ts') start = index;
    else if (start >= 0 && line.trim() === '```') {
      blocks.push({ line: start + 2, code: lines.slice(start + 1, index).join('\n') });
      start = -1;
    }
  });
  return blocks;
}

/** The leading ` * ` of a TSDoc comment line. */
export const TSDOC_PREFIX = /^\s*\*\s?/;

/** Every ```ts block in the TSDoc of the files under `src`, in file order. */
export function sourceExamples(root: string): TsdocExample[] {
  return tsFiles(join(root, 'src')).flatMap((path) => {
    const file = toPosix(relative(root, path));
    return codeBlocks(readFileSync(path, 'utf8'), TSDOC_PREFIX).map(({ line, code }, i) => ({ file, line, index: i + 1, code }));
  });
}

/** Where an example's copy goes: `src/core/createPresenceMachine.ts`, block 2 → `examples/api/core/createPresenceMachine.2.ts`. */
export const apiExamplePath = (example: TsdocExample): string =>
  `${API_EXAMPLES_DIR}/${example.file.replace(/^src\//, '').replace(/\.ts$/, '')}.${example.index}.ts`;

/**
 * The copy's text: a header naming its origin (no line number, so that edits elsewhere in the file leave the copy
 * as it is), the code as written, and `export {}` so it is a module.
 */
export const apiExampleText = (example: TsdocExample): string =>
  [
    `// Example ${example.index} of the TSDoc in ${example.file}, generated from it (scripts/tsdocExamples.ts): edit it there, not here.`,
    example.code,
    'export {};',
    '',
  ].join('\n');

/** The files `examples/api/` should hold: relative path → text. */
export function expectedApiExamples(root: string): Map<string, string> {
  return new Map(sourceExamples(root).map((example) => [apiExamplePath(example), apiExampleText(example)]));
}

/** The files `examples/api/` holds now: relative path → text. */
export function currentApiExamples(root: string): Map<string, string> {
  const dir = join(root, API_EXAMPLES_DIR);
  let files: string[];
  try {
    files = tsFiles(dir);
  } catch {
    return new Map();
  }
  return new Map(files.map((path) => [toPosix(relative(root, path)), readFileSync(path, 'utf8')]));
}

/** What `writeApiExamples` did: how many examples there are, and which files it wrote and removed. */
export interface ApiExamplesWritten {
  readonly total: number;
  readonly written: readonly string[];
  readonly removed: readonly string[];
}

/**
 * Brings `<into>/examples/api/` in line with the TSDoc under `<root>/src`: writes each copy that is missing or
 * differs, removes those whose block is gone, and leaves the others untouched.
 *
 * @param root - the package root, whose `src` holds the TSDoc
 * @param into - the folder whose `examples/api/` to write (default: the package root itself)
 * @returns the number of examples and the files written and removed, relative to `into`
 */
export function writeApiExamples(root: string, into: string = root): ApiExamplesWritten {
  const expected = expectedApiExamples(root);
  const current = currentApiExamples(into);
  const removed = [...current.keys()].filter((path) => !expected.has(path));
  const written = [...expected].filter(([path, text]) => current.get(path) !== text).map(([path]) => path);
  for (const path of removed) rmSync(join(into, path));
  for (const path of written) {
    mkdirSync(dirname(join(into, path)), { recursive: true });
    writeFileSync(join(into, path), expected.get(path) as string);
  }
  return { total: expected.size, written, removed };
}
