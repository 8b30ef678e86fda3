/** agent-presence itself as a benchmark contender: `machine.transition`, reading `result.presence`. */
import { createPresenceMachine, type PresenceEvent, type PresenceState } from 'agent-presence';
import { BENCH_CONFIG, type Contender } from './benchMix';

const machine = createPresenceMachine(BENCH_CONFIG);

export const agentPresenceContender: Contender<PresenceState> = {
  name: 'agent-presence',
  create: (agentId) => machine.initialState(agentId),
  send(agent, event) {
    const result = machine.transition(agent, event);
    return { agent: result.state, observed: result.presence };
  },
  drive(agents, events) {
    let busy = 0;
    for (let a = 0; a < agents.length; a++) {
      let state = agents[a] as PresenceState;
      for (let e = 0; e < events.length; e++) {
        const result = machine.transition(state, events[e] as PresenceEvent);
        state = result.state;
        if (result.presence.base === 'Busy') busy++;
      }
      agents[a] = state;
    }
    return busy;
  },
};
