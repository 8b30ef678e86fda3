/**
 * One agent as the board shows it: presence, capacity use and what the agent may pick, all read from the machine.
 */
import type { BaseStatus, CapacityReport, PresenceMachine, PresenceSource, PresenceState } from 'agent-presence';

/** A presence the picker offers. */
export interface BoardPresenceOption {
  readonly id: string;
  readonly name: string;
  readonly text: string;
  readonly base: BaseStatus;
}

/** A row of the board, as `GET /agents` and the `snapshot` and `agent` server-sent events carry it. */
export interface BoardAgent {
  readonly agentId: string;
  /** The stored version the row was read at: a client keeps the row with the highest version. */
  readonly version: number;
  readonly signedIn: boolean;
  readonly presence: {
    readonly presenceId: string;
    readonly name: string;
    readonly text: string;
    readonly base: BaseStatus;
    readonly source: PresenceSource;
    readonly since: number;
    /** A pick queued with `when: 'afterWork'`. */
    readonly next?: string;
  };
  readonly capacity: CapacityReport;
  /** `machine.selectablePresences(state)`: empty while signed out. */
  readonly selectable: readonly BoardPresenceOption[];
}

/**
 * @param machine - the machine that resolves presence and capacity
 * @param state - the agent's state
 * @param version - the stored version of that state
 * @returns the agent's board row
 */
export function boardAgentOf(machine: PresenceMachine, state: PresenceState, version: number): BoardAgent {
  const presence = machine.presenceOf(state);
  return {
    agentId: state.agentId,
    version,
    signedIn: state.signedIn,
    presence: {
      presenceId: presence.presenceId,
      name: presence.name,
      text: presence.text,
      base: presence.base,
      source: presence.source,
      since: presence.since,
      ...(presence.next !== undefined ? { next: presence.next.text } : {}),
    },
    capacity: machine.capacityOf(state),
    selectable: machine.selectablePresences(state).map(({ id, name, text, base }) => ({ id, name, text, base })),
  };
}
