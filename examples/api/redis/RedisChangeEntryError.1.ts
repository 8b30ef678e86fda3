// Example 1 of the TSDoc in src/redis/RedisChangeEntryError.ts, copied by `npm run examples:extract`: edit it there, not here.
import { RedisChangeEntryError } from 'agent-presence/redis';
const error = new RedisChangeEntryError({ shard: 3, entryId: '1767225600000-0', agentId: 'agent-7', step: 'read', attempts: 1, skipped: true }, new Error('must be JSON'));
console.log(error.message); // change stream shard 3, entry 1767225600000-0 (agent "agent-7"): read failed, skipped: must be JSON
const onError = (e: unknown) => {
  if (e instanceof RedisChangeEntryError) console.warn(`presence entry ${e.entryId} of ${e.agentId ?? '?'} (shard ${e.shard}): ${e.step}`);
};
export {};
