/**
 * A plain reducer that implements every rule the machine does: the reference model of `agent-presence/testing`
 * (`presenceModel(config).transition`), the rules written as plainly as possible and apart from the core, with its
 * own event checks, sessions, deadlines, idle, wrap-up, queued picks and capacity profiles. It is what a team
 * would write by hand to get the machine's behaviour without the machine; the benchmark reads its
 * `result.presence` as it does the machine's.
 *
 * The same shape as agentPresence.ts on purpose, not a shared helper: one `drive` loop calling both the machine and
 * the model would make its call site polymorphic and slow both (see `Contender.drive`).
 */
import type { PresenceState } from 'agent-presence';
import { presenceModel } from 'agent-presence/testing';
import { BENCH_CONFIG, type Contender } from './benchMix';

const model = presenceModel(BENCH_CONFIG);

export const referenceModelContender: Contender<PresenceState> = {
  name: 'reference model',
  create: (agentId) => model.initialState(agentId),
  send(agent, event) {
    const result = model.transition(agent, event);
    return { agent: result.state, observed: result.presence };
  },
  drive(agents, events) {
    let busy = 0;
    for (let a = 0; a < agents.length; a++) {
      let state = agents[a] as PresenceState;
      for (let e = 0; e < events.length; e++) {
        const result = model.transition(state, events[e]);
        state = result.state;
        if (result.presence.base === 'Busy') busy++;
      }
      agents[a] = state;
    }
    return busy;
  },
};
