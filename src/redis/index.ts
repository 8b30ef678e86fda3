/**
 * `agent-presence/redis`: the presence service's ports on Redis, for several application servers sharing agents —
 * a compare-and-set store whose save script also appends to a change stream, a history and a timer index; a
 * follower that feeds other processes' saves into a service; timers any process can claim with a lease; and
 * assignment that re-checks capacity inside the compare-and-set. Takes the official `redis` client (an optional
 * peer dependency) or anything with `sendCommand`.
 *
 * @packageDocumentation
 * @module agent-presence/redis
 */
export { assignIfAvailable } from './assignIfAvailable';
export type { AssignOptions } from './assignIfAvailable';
export { createRedisChangeStream } from './createRedisChangeStream';
export type { RedisChangeBatch, RedisChangeEntry, RedisChangeStream, RedisFollower, RedisFollowOptions, RedisStreamPosition } from './createRedisChangeStream';
export { createRedisHistoryStore } from './createRedisHistoryStore';
export { createRedisPresence } from './createRedisPresence';
export type { RedisPresence } from './createRedisPresence';
export { createRedisPresenceStore } from './createRedisPresenceStore';
export type { RedisAgentKeys, RedisPresenceStore } from './createRedisPresenceStore';
export { createRedisTimers } from './createRedisTimers';
export type { RedisTimerClaim, RedisTimerRunner, RedisTimerRunOptions, RedisTimers } from './createRedisTimers';
export type { RedisCommandClient } from './RedisCommandClient';
export { RedisDataLossError } from './RedisDataLossError';
export type { RedisPresenceOptions } from './RedisPresenceOptions';
export { RedisUnavailableError } from './RedisUnavailableError';
