import type { StoreGeneration } from './ports';

/** Where a save of an agent stands: its version, and the store's generation when the store has them. */
export interface SavePoint {
  readonly version: number;
  readonly generation?: StoreGeneration | undefined;
}

/**
 * Orders two saves of one agent: by generation when both have one and they differ (a later generation sorts after
 * an earlier one as strings compare: after the store lost data, its versions start again lower), else by version.
 * A save without a generation (a store without them, or a record written before them) compares by version only.
 *
 * @returns a negative number when `a` is older than `b`, 0 when they are the same save, a positive number when newer
 * @internal
 */
export function compareSaves(a: SavePoint, b: SavePoint): number {
  if (a.generation !== undefined && b.generation !== undefined && a.generation !== b.generation) return a.generation < b.generation ? -1 : 1;
  return a.version - b.version;
}
