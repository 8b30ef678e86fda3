/**
 * `agent-presence/redis`: the presence service's ports on Redis, for several application servers sharing agents —
 * a compare-and-set store whose save script also appends to a change stream, a history and a timer index; a
 * follower that feeds other processes' saves into a service; and timers any process can claim with a lease. Takes
 * the official `redis` client (an optional peer dependency) or anything with `sendCommand`. (`assignIfAvailable`,
 * which re-checks capacity inside the compare-and-set, works with any service: it lives in `agent-presence/service`;
 * the name here is a deprecated alias.)
 *
 * @packageDocumentation
 * @module agent-presence/redis
 */
export {
  /** @deprecated It works with any service, Redis or not: import `assignIfAvailable` from `agent-presence/service`. */
  assignIfAvailable,
} from '../service/index';
export type {
  /** @deprecated Import `AssignOptions` from `agent-presence/service`. */
  AssignOptions,
} from '../service/index';
export { clusterCommandClient } from './clusterCommandClient';
export type { RedisClusterClient } from './clusterCommandClient';
export { createRedisChangeStream } from './createRedisChangeStream';
export { RedisChangeEntryError } from './RedisChangeEntryError';
export type { RedisChangeBatch, RedisChangeEntry, RedisChangeStream, RedisFollower, RedisFollowOptions, RedisStreamPosition } from './createRedisChangeStream';
export { createRedisConfig } from './createRedisConfig';
export type { RedisConfigFollower, RedisConfigFollowOptions, RedisConfigStore, RedisConfigVersion } from './createRedisConfig';
export { createRedisHistoryStore } from './createRedisHistoryStore';
export { createRedisPresence } from './createRedisPresence';
export type { RedisPresence } from './createRedisPresence';
export { createRedisPresenceStore } from './createRedisPresenceStore';
export type { RedisAgentKeys, RedisPresenceStore } from './createRedisPresenceStore';
export { createRedisTimers } from './createRedisTimers';
export type { RedisTimerClaim, RedisTimerRunner, RedisTimerRunOptions, RedisTimers } from './createRedisTimers';
export type { RedisCommandClient } from './RedisCommandClient';
export { RedisConfigError } from './RedisConfigError';
export { RedisDataLossError } from './RedisDataLossError';
export type { RedisPresenceOptions } from './RedisPresenceOptions';
export { RedisUnavailableError } from './RedisUnavailableError';
