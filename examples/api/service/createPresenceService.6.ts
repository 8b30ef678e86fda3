// Example 6 of the TSDoc in src/service/createPresenceService.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { createPresenceService, type AgentPresence } from 'agent-presence/service';
const service = createPresenceService({ machine: createPresenceMachine({}) });
const agent: AgentPresence = await service.get('agent-7');
console.log(agent.presence.text, agent.version); // Offline 0
export {};
