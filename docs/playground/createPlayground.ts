/**
 * The playground's session, apart from the page: one agent, one machine, a virtual clock and the timeline of what
 * happened. Events are stamped with the virtual clock, never the browser's, so a session replays the same way.
 */
import { createPresenceMachine, type PresenceEvent, type PresenceMachine, type PresenceState, type Rejection, type ResolvedPresence } from 'agent-presence';
import type { Preset } from './presets';

/** An event as the page builds it: the session stamps `at`. */
export type UntimedEvent = PresenceEvent extends infer E ? (E extends PresenceEvent ? Omit<E, 'at'> : never) : never;

/** One line of the timeline: an event (or a clock step) and what it did. */
export interface TimelineEntry {
  /** The virtual time it was applied at. */
  readonly at: number;
  /** What the user did, e.g. `Assign chat-1 (40 units)`. */
  readonly label: string;
  /** The presence before and after. */
  readonly before: ResolvedPresence;
  readonly after: ResolvedPresence;
  /** True when the presence id changed. */
  readonly changed: boolean;
  readonly rejection?: Rejection;
}

/** A running session of the playground. */
export interface Playground {
  readonly preset: Preset;
  readonly machine: PresenceMachine;
  /** The virtual clock, epoch milliseconds. */
  readonly now: number;
  readonly state: PresenceState;
  /** The rejection of the last event, if it was refused. */
  readonly rejection: Rejection | undefined;
  /** Oldest first. */
  readonly timeline: readonly TimelineEntry[];
  /** Applies an event at the current virtual time. */
  send(event: UntimedEvent, label: string): void;
  /** Moves the virtual clock forward and sends a `tick`, so every deadline passed on the way applies. */
  advance(ms: number, label: string): void;
}

/** The agent the playground plays. */
export const AGENT_ID = 'agent-7';

/** The virtual clock starts at 09:00:00 UTC on a Monday: a shift start, not the browser's time. */
export const START = Date.UTC(2025, 0, 6, 9, 0, 0);

/**
 * Starts a session on a preset: a signed-out agent at {@link START}.
 *
 * @param preset - the config to run
 * @returns the session
 */
export function createPlayground(preset: Preset): Playground {
  const machine = createPresenceMachine(preset.config);
  let now = START;
  let state = machine.initialState(AGENT_ID, now);
  let rejection: Rejection | undefined;
  const timeline: TimelineEntry[] = [];

  const apply = (event: UntimedEvent, label: string) => {
    const before = machine.presenceOf(state);
    const result = machine.transition(state, { ...event, at: now });
    state = result.state;
    rejection = result.rejection;
    const entry = { at: now, label, before, after: result.presence, changed: result.changed };
    timeline.push(result.rejection ? { ...entry, rejection: result.rejection } : entry);
  };

  return {
    preset,
    machine,
    get now() {
      return now;
    },
    get state() {
      return state;
    },
    get rejection() {
      return rejection;
    },
    timeline,
    send: apply,
    advance(ms, label) {
      now += ms;
      apply({ type: 'tick' }, label);
    },
  };
}
