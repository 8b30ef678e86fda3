/**
 * The presence service's `Clock` and `Scheduler` ports over the simulation's agenda, so the service lives in
 * simulated time: `clock.now()` is the agenda's time, and a timer the service arms (at a wrap-up's end, a reconnect
 * grace's end…) is an agenda entry at that time, whose `fire` makes the service dispatch a `tick` there.
 */
import type { Clock, Scheduler } from 'agent-presence/service';
import type { Agenda } from './Agenda';

export interface AgendaPorts {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  /** Timers that fired (each a `tick` the service dispatched). */
  readonly ticks: number;
}

/** One macrotask turn: the in-memory store, history and publisher settle in microtasks, so a tick is applied by then. */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * @param agenda - the simulation's agenda
 * @param afterTick - run once a tick is applied (the simulation routes waiting work then: a wrap-up's end frees capacity)
 */
export function createAgendaPorts(agenda: Agenda, afterTick: (agentId: string) => Promise<void>): AgendaPorts {
  const armed = new Map<string, object>(); // the agent's live timer; an entry whose token is not here was replaced or cancelled
  let ticks = 0;
  const scheduler: Scheduler = {
    set(agentId, at, fire) {
      const token = {};
      armed.set(agentId, token);
      agenda.add(Math.max(at, agenda.now), async () => {
        if (armed.get(agentId) !== token) return;
        armed.delete(agentId);
        ticks += 1;
        fire(); // the service's `tick` dispatch: not returned to us, so wait for it to settle
        await settled();
        await afterTick(agentId);
      });
    },
    cancel(agentId) {
      armed.delete(agentId);
    },
  };
  return {
    clock: { now: () => agenda.now },
    scheduler,
    get ticks() {
      return ticks;
    },
  };
}
