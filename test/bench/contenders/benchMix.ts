/**
 * What the benchmarks feed every contender: one config and a fixed mix of events (assign, release, manual pick),
 * all accepted, that walks through each rule: capacity → Busy, a manual Busy that the next work event clears, a
 * sticky manual Away that work leaves alone.
 */
import type { PresenceConfig, PresenceEvent } from 'agent-presence';

export const BENCH_CONFIG = {
  presences: [
    { id: 'away-training', name: 'Away – In Training', base: 'Away' },
    { id: 'busy-case-work', name: 'Busy – Case work', base: 'Busy' },
  ],
  defaultProfile: { capacity: 100, maxWorkItems: 4 },
} as const satisfies PresenceConfig;

/** One cycle of the mix: 6 events. */
export function cycle(n: number, at: number): PresenceEvent[] {
  return [
    { type: 'workAssigned', workItemId: `c${n}-a`, units: 40, at },
    { type: 'workAssigned', workItemId: `c${n}-b`, units: 40, at: at + 1 },
    { type: 'setPresence', presenceId: 'busy-case-work', at: at + 2 },
    { type: 'workReleased', workItemId: `c${n}-a`, at: at + 3 },
    { type: 'setPresence', presenceId: 'away-training', at: at + 4 },
    { type: 'workReleased', workItemId: `c${n}-b`, at: at + 5 },
  ];
}

/** `cycles` cycles, ten milliseconds apart. */
export const script = (cycles: number): PresenceEvent[] => Array.from({ length: cycles }, (_, n) => cycle(n, 10 + n * 10)).flat();

/** The sign-in that starts every agent, before the script. */
export const SIGN_IN: PresenceEvent = { type: 'signIn', at: 0 };

/** What one step of a contender reports: enough for a router (presence id and base) and a supervisor (text). */
export interface Observed {
  readonly presenceId: string;
  readonly base: string;
  readonly text: string;
}

/**
 * A contender: creates an agent, applies one event to it (returning what it now shows), and drives a whole
 * population through a script. `drive` has its own loop in each contender's file, calling that contender
 * directly, so no contender pays for a call site the others made polymorphic.
 */
export interface Contender<Agent> {
  readonly name: string;
  create(agentId: string): Agent;
  send(agent: Agent, event: PresenceEvent): { agent: Agent; observed: Observed };
  /** Every agent through every event, in place; returns how many steps showed a Busy base (a router's read). */
  drive(agents: Agent[], events: readonly PresenceEvent[]): number;
}
