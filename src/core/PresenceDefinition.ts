import type { BaseStatus } from './BaseStatus';

/**
 * A presence as an administrator writes it in the config: presence text mapped onto a base status.
 *
 * `text` defaults to `name`; `active` and `selectable` default to `true`. An inactive presence stays known (states
 * that hold it still resolve) but nobody can pick it. A presence with `selectable: false` is a system presence:
 * only rules set it (a default, `onMissed`, `onRejected`, idle, wrap-up, capacity), never the agent's pick.
 *
 * @category Config
 * @example
 * ```ts
 * import type { PresenceInput } from 'agent-presence';
 * const training: PresenceInput = { id: 'away-training', name: 'Away – In Training', text: 'In training', base: 'Away' };
 * ```
 */
export interface PresenceInput {
  readonly id: string;
  readonly name: string;
  readonly text?: string | undefined;
  readonly base: BaseStatus;
  readonly description?: string | undefined;
  readonly active?: boolean | undefined;
  readonly selectable?: boolean | undefined;
}

/**
 * A presence in the machine's catalog, with its defaults filled in.
 *
 * @category Presences
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * const machine = createPresenceMachine({});
 * const dnd = machine.presences.find((p) => p.id === 'busy-dnd');
 * console.log(dnd?.text); // Do not disturb
 * ```
 */
export interface PresenceDefinition {
  readonly id: string;
  readonly name: string;
  readonly text: string;
  readonly base: BaseStatus;
  readonly description: string;
  readonly active: boolean;
  /** False for a system presence, which only rules set; `setPresence` refuses it. */
  readonly selectable: boolean;
  /** True for the six standard presences, false for custom ones. */
  readonly standard: boolean;
}
