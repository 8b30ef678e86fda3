import { PresenceConfigError, type PresenceConfig } from '../core/index';
import { presenceConfigSchema } from './presenceConfigSchema';
import { toIssues } from './toIssues';

/**
 * Checks untrusted config (read from a database or a file) and returns it typed, or throws the same
 * `PresenceConfigError` that `createPresenceMachine` throws, listing every problem at once.
 *
 * @param input - anything
 * @returns the config, ready for `createPresenceMachine`
 * @throws `PresenceConfigError` naming each problem by path
 * @category Parsing
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { parseConfig } from 'agent-presence/schema';
 * const machine = createPresenceMachine(parseConfig(JSON.parse('{"defaultProfile":{"capacity":100}}')));
 * ```
 */
export function parseConfig(input: unknown): PresenceConfig {
  const result = presenceConfigSchema.safeParse(input);
  if (!result.success) throw new PresenceConfigError(toIssues(result.error));
  return result.data;
}
