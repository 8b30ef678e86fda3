// Example 1 of the TSDoc in src/redis/RedisDataLossError.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { RedisDataLossError } from 'agent-presence/redis';
const error = new RedisDataLossError(0, 'presence:{0}:changes', 'generation', '001767225600000-9f3a61c2', '');
console.log(error.code, error.shard, error.reason); // REDIS_DATA_LOSS 0 generation
console.log(error.message); // Redis lost data of shard 0 (presence:{0}:changes): its generation changed from 001767225600000-9f3a61c2 to none; the service was resynchronised from the store
export {};
