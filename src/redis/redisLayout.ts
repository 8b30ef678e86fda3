import { formatIssues, type PresenceIssue } from '../core/index';
import type { RedisPresenceOptions } from './RedisPresenceOptions';

/** The resolved options and every key name. */
export interface RedisLayout {
  readonly keyPrefix: string;
  readonly shards: number;
  readonly maxLen: number;
  /** How long a stream entry is kept (undefined: no bound by age). */
  readonly maxAgeMs: number | undefined;
  readonly historyLimit: number;
  readonly leaseMs: number;
  /** How long a command may wait for its reply (undefined: the client's own timeout, else 5 s; 0: forever). */
  readonly commandTimeoutMs: number | undefined;
  /** How long a work item's claim not yet saved keeps other agents from it (see `createRedisWorkClaims`). */
  readonly claimLeaseMs: number;
  shardOf(agentId: string): number;
  recordKey(agentId: string): string;
  /** The record keys of a shard's agents begin with this (`recordKey` is it and the agent id). */
  recordPrefix(shard: number): string;
  historyKey(agentId: string): string;
  agentsKey(shard: number): string;
  streamKey(shard: number): string;
  deadlinesKey(shard: number): string;
  timersKey(shard: number): string;
  unreadableKey(agentId: string): string;
  generationKey(shard: number): string;
  rosterKey(shard: number): string;
  /** The presence config: a stream, one entry per version (see `createRedisConfig`). */
  configKey(): string;
  /** String: the agent id the `roundRobin` rotation last routed to, shared by every process. */
  rotationKey(): string;
  /** The newest config version a shard's saves were made with (a save with an older one is refused). */
  configVersionKey(shard: number): string;
}

export const DEFAULT_KEY_PREFIX = 'agent-presence:';
const MAX_SHARDS = 16_384;

/** FNV-1a, 32 bits, over the UTF-8 bytes: the same number in every process and release. */
export function fnv1a(text: string): number {
  // The UTF-8 bytes made from the UTF-16 code units as they come (no encoder, no buffer: every save hashes its agent
  // id), a lone surrogate as U+FFFD, as TextEncoder makes it: up to four bytes, the first in `lead`, then `count`
  // continuation bytes of six bits each.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      hash = Math.imul(hash ^ code, 0x01000193);
      continue;
    }
    let count: number;
    let lead: number;
    if (code < 0x800) {
      count = 1;
      lead = 0xc0 | (code >> 6);
    } else {
      if (code >= 0xd800 && code <= 0xdfff) {
        const low = code <= 0xdbff && i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
        if (low >= 0xdc00 && low <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
          i++;
        } else {
          code = 0xfffd;
        }
      }
      count = code >= 0x10000 ? 3 : 2;
      lead = code >= 0x10000 ? 0xf0 | (code >> 18) : 0xe0 | (code >> 12);
    }
    hash = Math.imul(hash ^ lead, 0x01000193);
    for (let shift = 6 * (count - 1); shift >= 0; shift -= 6) hash = Math.imul(hash ^ (0x80 | ((code >> shift) & 0x3f)), 0x01000193);
  }
  return hash >>> 0;
}

/** Checks the options (every problem at once, each naming its field) and names the keys. */
export function resolveLayout(caller: string, options: RedisPresenceOptions | undefined): RedisLayout {
  const issues: PresenceIssue[] = [];
  const given = options ?? {};
  if (typeof given !== 'object' || given === null) throw new TypeError(`${caller}: options must be an object (got ${String(given)})`);
  const prefix = given.keyPrefix ?? DEFAULT_KEY_PREFIX;
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
    issues.push({
      path: ['keyPrefix'],
      message: `must be a string without { or } (the hash tags are the adapter's) (got ${JSON.stringify(prefix) ?? String(prefix)})`,
    });
  }
  const whole = (
    name: 'shards' | 'maxLen' | 'maxAgeMs' | 'historyLimit' | 'leaseMs' | 'claimLeaseMs',
    fallback: number,
    max = Number.MAX_SAFE_INTEGER,
  ): number => {
    const value = given[name] ?? fallback;
    if (!(Number.isInteger(value) && value >= 1 && value <= max)) {
      issues.push({ path: [name], message: `must be a whole number from 1 to ${max} (got ${String(value)})` });
    }
    return value;
  };
  const shards = whole('shards', 1, MAX_SHARDS);
  const maxLen = whole('maxLen', 100_000);
  const maxAgeMs = given.maxAgeMs === undefined ? undefined : whole('maxAgeMs', 0);
  const historyLimit = whole('historyLimit', 1_000);
  const leaseMs = whole('leaseMs', 30_000);
  const claimLeaseMs = whole('claimLeaseMs', 10_000);
  const cache = given.recordCacheSize;
  if (cache !== undefined && !(Number.isInteger(cache) && cache >= 0 && cache <= 10_000_000)) {
    issues.push({ path: ['recordCacheSize'], message: `must be a whole number from 0 to 10000000 (got ${String(cache)})` });
  }
  const commandTimeoutMs = given.commandTimeoutMs;
  if (commandTimeoutMs !== undefined && !(Number.isInteger(commandTimeoutMs) && commandTimeoutMs >= 0 && commandTimeoutMs <= 3_600_000)) {
    issues.push({ path: ['commandTimeoutMs'], message: `must be a whole number of ms from 0 (none) to 3600000 (got ${String(commandTimeoutMs)})` });
  }
  if (issues.length > 0) throw new TypeError(formatIssues(issues, `${caller}: invalid options`));
  const tag = (shard: number) => `${prefix}{${shard}}`;
  // The last agent's shard kept: a save names several keys of one agent (its record, history, …) one after another.
  let lastAgent: string | undefined;
  let lastShard = 0;
  const shardOf = (agentId: string) => {
    if (shards === 1) return 0;
    if (agentId !== lastAgent) {
      lastShard = fnv1a(agentId) % shards;
      lastAgent = agentId;
    }
    return lastShard;
  };
  return {
    keyPrefix: prefix,
    shards,
    maxLen,
    maxAgeMs,
    historyLimit,
    leaseMs,
    commandTimeoutMs,
    claimLeaseMs,
    shardOf,
    recordKey: (agentId) => `${tag(shardOf(agentId))}:agent:${agentId}`,
    recordPrefix: (shard) => `${tag(shard)}:agent:`,
    historyKey: (agentId) => `${tag(shardOf(agentId))}:history:${agentId}`,
    agentsKey: (shard) => `${tag(shard)}:agents`,
    streamKey: (shard) => `${tag(shard)}:changes`,
    deadlinesKey: (shard) => `${tag(shard)}:deadlines`,
    timersKey: (shard) => `${tag(shard)}:timers`,
    unreadableKey: (agentId) => `${tag(shardOf(agentId))}:unreadable:${agentId}`,
    generationKey: (shard) => `${tag(shard)}:generation`,
    rosterKey: (shard) => `${tag(shard)}:roster`,
    configKey: () => `${prefix}{config}:config`,
    rotationKey: () => `${prefix}{rotation}:rotation`,
    configVersionKey: (shard) => `${tag(shard)}:config`,
  };
}
