import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers/dist';

/**
 * docs/testing.md shows complete vitest files a user can copy. Each ```ts block there is preceded by a marker
 * `<!-- runs as test/<name>.test.ts -->` and must equal that test file, with its imports written as a user writes
 * them ('agent-presence', 'agent-presence/schema', 'agent-presence/testing'). The test file runs with the rest
 * of the suite, so the example in the guide is always one that passes.
 */

const GUIDE = join(root, 'docs', 'testing.md');
const MARKER = /^<!-- runs as (test\/[\w./-]+\.test\.ts) -->$/;

/** The test file as the guide shows it: source imports become package imports. */
const asUserWritesIt = (source: string): string =>
  source
    .replaceAll("from '../../src/index'", "from 'agent-presence'")
    .replaceAll("from '../../src/schema/index'", "from 'agent-presence/schema'")
    .replaceAll("from '../../src/testing/index'", "from 'agent-presence/testing'");

interface Block {
  readonly line: number;
  readonly code: string;
  /** The test file named by the marker before the block, if any. */
  readonly file: string | undefined;
}

function tsBlocks(text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  let start = -1;
  lines.forEach((line, index) => {
    if (start < 0 && line.trim() === '```ts') start = index;
    else if (start >= 0 && line.trim() === '```') {
      const before =
        lines
          .slice(0, start)
          .filter((l) => l.trim() !== '')
          .at(-1) ?? '';
      blocks.push({ line: start + 1, code: lines.slice(start + 1, index).join('\n'), file: MARKER.exec(before.trim())?.[1] });
      start = -1;
    }
  });
  return blocks;
}

describe('docs/testing.md', () => {
  const blocks = tsBlocks(readFileSync(GUIDE, 'utf8'));

  it('has a complete example, and every ```ts block names the test file it runs as', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    expect(blocks.filter((b) => b.file === undefined).map((b) => `docs/testing.md:${b.line}`)).toEqual([]);
  });

  it('shows each example exactly as its test file runs it', () => {
    for (const block of blocks) {
      const file = join(root, block.file as string);
      expect(existsSync(file), `${block.file} exists`).toBe(true);
      expect(block.code, `docs/testing.md:${block.line} differs from ${block.file}`).toBe(asUserWritesIt(readFileSync(file, 'utf8')).trimEnd());
    }
  });

  it('is checked by a marker check that would notice a block without a marker', () => {
    const sample = ['Text.', '', '```ts', 'const x = 1;', '```', '<!-- runs as test/a.test.ts -->', '```ts', 'const y = 2;', '```'].join('\n');
    expect(tsBlocks(sample).map((b) => b.file)).toEqual([undefined, 'test/a.test.ts']);
  });
});
