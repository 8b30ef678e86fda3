// Example 1 of the TSDoc in src/redis/RedisUnavailableError.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { RedisUnavailableError } from 'agent-presence/redis';
const error = new RedisUnavailableError('EVALSHA', new Error('The client is offline'));
console.log(error.code, error.retryable, error.message); // REDIS_UNAVAILABLE true Redis unavailable (EVALSHA): The client is offline
export {};
