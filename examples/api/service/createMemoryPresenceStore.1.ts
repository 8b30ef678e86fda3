// Example 1 of the TSDoc in src/service/createMemoryPresenceStore.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createPresenceMachine } from 'agent-presence';
import { createMemoryPresenceStore } from 'agent-presence/service';
const store = createMemoryPresenceStore();
const record = { state: createPresenceMachine({}).initialState('agent-7'), seen: [] };
console.log(await store.save('agent-7', record, 0)); // { ok: true, version: 1 }
console.log(await store.save('agent-7', record, 0)); // { ok: false, conflict: true, currentVersion: 1 }
console.log(store.size); // 1
console.log(await store.forget('agent-7', 2), await store.forget('agent-7', 1)); // false true
console.log(store.size, await store.load('agent-7')); // 0 undefined
export {};
