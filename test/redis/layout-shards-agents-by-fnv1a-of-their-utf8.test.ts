/**
 * An agent's shard is FNV-1a (32 bits) of its id's UTF-8 bytes, modulo the shards: the same in every process and
 * release, so it must not move when the hash is computed another way (here without an encoder, for speed; a lone
 * surrogate counted as U+FFFD, as TextEncoder encodes it). Checked against the bytes TextEncoder makes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnv1a, resolveLayout } from '../../src/redis/redisLayout';
import { propertyRuns } from '../helpers/propertyRuns';

const encoder = new TextEncoder();

/** FNV-1a over the bytes TextEncoder makes: what the shards were always counted with. */
function reference(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of encoder.encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash >>> 0;
}

/** Strings of any UTF-16 code units: ASCII, two- and three-byte characters, pairs, and lone surrogates. */
const anyText = fc.string({
  unit: fc
    .oneof(
      fc.integer({ min: 0, max: 0x7f }),
      fc.integer({ min: 0x80, max: 0x7ff }),
      fc.integer({ min: 0x800, max: 0xffff }),
      fc.integer({ min: 0xd800, max: 0xdfff }),
    )
    .map((code) => String.fromCharCode(code)),
  maxLength: 24,
});

describe('the shard of an agent', () => {
  it('is FNV-1a of the UTF-8 bytes of its id, whatever its characters', () => {
    for (const id of ['', 'agent-7', 'Ágent', 'agent ☎', 'エージェント', 'agent-\u{1F600}', '\uD800', 'a\uDC00b', '\uD83Dx', 'x'.repeat(300)]) {
      expect(fnv1a(id), JSON.stringify(id)).toBe(reference(id));
    }
    fc.assert(
      fc.property(anyText, (id) => fnv1a(id) === reference(id)),
      propertyRuns({ ci: 2_000, deep: 200_000, mutation: 200 }),
    );
  });

  it('names every key of the agent in that shard, asked in any order', () => {
    const layout = resolveLayout('test', { keyPrefix: 'p:', shards: 7 });
    const ids = ['a', 'agent-\u{1F600}', 'b', 'a'];
    for (const id of ids) {
      const shard = reference(id) % 7;
      expect([layout.shardOf(id), layout.recordKey(id), layout.historyKey(id)]).toEqual([shard, `p:{${shard}}:agent:${id}`, `p:{${shard}}:history:${id}`]);
    }
  });
});
