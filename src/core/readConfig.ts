import { isPlainObject } from './isPlainObject';
import { unreadable, type PresenceIssue } from './PresenceIssue';

/**
 * A plain copy of a config, each property read once (arrays and plain objects copied, anything else kept for the
 * check to name), or the problem when a getter or proxy throws. Nesting past any config's depth is kept as is.
 * What is checked is then what the machine runs on, whatever a getter would answer the next time.
 */
export const readConfig = (config: unknown): { plain?: unknown; issues?: PresenceIssue[] } => {
  const read = (value: unknown, depth: number): unknown =>
    depth > 6 // deeper than any config goes (a cycle, say): kept as is, for the check to name
      ? value
      : Array.isArray(value)
        ? Array.from(value, (item: unknown) => read(item, depth + 1))
        : isPlainObject(value)
          ? Object.fromEntries(Object.keys(value).map((key) => [key, read(value[key], depth + 1)]))
          : value;
  try {
    return { plain: read(config, 0) };
  } catch {
    return { issues: [unreadable([])] };
  }
};
