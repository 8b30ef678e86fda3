// Example 2 of the TSDoc in src/core/capacityLevel.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine, type ResolvedCapacityProfile } from 'agent-presence';
const machine = createPresenceMachine({ defaultProfile: { capacityProfiles: { chat: { maxItems: 3 } } } });
const chat: ResolvedCapacityProfile | undefined = machine.profileOf('a1').capacityProfiles.get('chat');
console.log(chat); // { maxItems: 3, blocking: false }
export {};
