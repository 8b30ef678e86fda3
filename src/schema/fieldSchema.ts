import { z } from 'zod';
import type { FieldRule } from '../core/index';

/**
 * A zod schema for one field that checks it with a core {@link FieldRule}, so the rule is written once and the
 * schema's message is the rule's own.
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
export function fieldSchema<T>(rule: FieldRule): z.ZodType<T> {
  return z.custom<T>((value) => rule(value) === undefined, { error: (issue) => rule(issue.input) });
}
