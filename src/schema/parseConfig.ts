import { PresenceConfigError, validateConfig, type PresenceConfig } from '../core/index';

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
  const issues = validateConfig(input);
  if (issues.length > 0) throw new PresenceConfigError(issues);
  return input as PresenceConfig;
}
