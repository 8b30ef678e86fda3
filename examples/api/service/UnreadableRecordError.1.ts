// Example 1 of the TSDoc in src/service/UnreadableRecordError.ts, copied by `npm run examples:extract`: edit it there, not here.
import { UnreadableRecordError } from 'agent-presence/service';
const corrupt = new UnreadableRecordError('agent-7', new Error('must be JSON'), { version: 12, record: '{"schemaVersion":1,"sta' });
console.log(corrupt.code, corrupt.agentId, corrupt.version, corrupt.newerSchema); // RECORD_UNREADABLE agent-7 12 false
const upgrade = new UnreadableRecordError('agent-8', new Error('schemaVersion must be 1'), { record: '{"schemaVersion":2,"state":{}}' });
console.log(upgrade.schemaVersion, upgrade.newerSchema); // 2 true
export {};
