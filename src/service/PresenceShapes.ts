import type { BaseStatus, PresenceSource, ResolvedPresence } from '../core/index';

/** A resolved presence without its `since`: the part that repeats from one change to the next. */
export interface PresenceShape {
  readonly presenceId: string;
  readonly base: BaseStatus;
  readonly name: string;
  readonly text: string;
  readonly source: PresenceSource;
  readonly next?: { readonly presenceId: string; readonly base: BaseStatus; readonly name: string; readonly text: string };
}

/** Whether a presence has the shape (every field but `since` equal). */
function sameShape(shape: PresenceShape, presence: ResolvedPresence): boolean {
  if (shape.base !== presence.base || shape.name !== presence.name || shape.text !== presence.text || shape.source !== presence.source) return false;
  const a = shape.next;
  const b = presence.next;
  if (a === undefined || b === undefined) return a === b;
  return a.presenceId === b.presenceId && a.base === b.base && a.name === b.name && a.text === b.text;
}

/**
 * The presence shapes a history has met, each kept once and named by a small number, so that a change stores two
 * numbers instead of two presence objects. There are about as many shapes as the config has presences times the
 * sources they come from; at most `max` are kept (a shape met after that is stored in full by the caller).
 *
 * @internal
 */
export class PresenceShapes {
  private readonly shapes: PresenceShape[] = [];
  private readonly byId = new Map<string, number[]>();

  constructor(private readonly max: number) {}

  /** Shapes kept. */
  get size(): number {
    return this.shapes.length;
  }

  /** The number of the presence's shape, or -1 when it has not been kept. */
  find(presence: ResolvedPresence): number {
    const candidates = this.byId.get(presence.presenceId);
    if (candidates !== undefined) {
      for (const index of candidates) if (sameShape(this.shapes[index] as PresenceShape, presence)) return index;
    }
    return -1;
  }

  /** Keeps the shape of a presence `find` does not know, and returns its number; -1 when the table is full. */
  add(presence: ResolvedPresence): number {
    if (this.shapes.length >= this.max) return -1;
    const { presenceId, base, name, text, source, next } = presence;
    const shape: PresenceShape =
      next === undefined
        ? { presenceId, base, name, text, source }
        : { presenceId, base, name, text, source, next: { presenceId: next.presenceId, base: next.base, name: next.name, text: next.text } };
    const index = this.shapes.push(shape) - 1;
    const candidates = this.byId.get(presenceId);
    if (candidates === undefined) this.byId.set(presenceId, [index]);
    else candidates.push(index);
    return index;
  }

  /** The shape numbered `index` (from `indexOf`). */
  at(index: number): PresenceShape {
    const shape = this.shapes[index];
    if (shape === undefined) throw new RangeError(`PresenceShapes: no shape ${index}`);
    return shape;
  }
}

/** A fresh presence object of a shape, at `since`, with the key order the machine gives. */
export function presenceOfShape(shape: PresenceShape, since: number): ResolvedPresence {
  const { presenceId, base, name, text, source, next } = shape;
  return next === undefined
    ? { presenceId, base, name, text, source, since }
    : { presenceId, base, name, text, source, since, next: { presenceId: next.presenceId, base: next.base, name: next.name, text: next.text } };
}
