import { custom, type ZodMiniType } from 'zod/mini';
import type { FieldRule } from '../core/index';

/**
 * A zod schema for one field that checks it with a core {@link FieldRule}, so the rule is written once and the
 * schema's message is the rule's own. It is a `zod/mini` schema: `parse` and `safeParse` as usual, and
 * `z.optional(schema)` (from `zod` or `zod/mini`) rather than `schema.optional()`.
 *
 * @param rule - a rule from `fieldRules`
 * @returns a schema whose output type is `T`
 * @category Schemas
 * @example
 * ```ts
 * import { fieldRules } from 'agent-presence';
 * import { fieldSchema } from 'agent-presence/schema';
 * const units = fieldSchema<number>(fieldRules.units);
 * units.safeParse(-1).success; // false, with the message 'must be a finite number ≥ 0 (got -1)'
 * ```
 */
export function fieldSchema<T>(rule: FieldRule): ZodMiniType<T> {
  return custom<T>((value) => rule(value) === undefined, { error: (issue) => rule(issue.input) });
}
