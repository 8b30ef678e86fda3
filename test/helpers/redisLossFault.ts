/** What the Redis fault tests of lost acknowledgements and lost data (test/redis/redis-fault-lost-acknowledgement.test.ts, redis-fault-data-loss.test.ts) and their workers (redisLossFaultWorker.ts) share. */
import { createPresenceMachine, type BaseStatus, type PresenceEvent } from '../../src/index';

export const FAULT = {
  workers: 3,
  /** Agents the workers route work to. */
  agents: 60,
  agentId: (n: number) => `agent-${String(n).padStart(2, '0')}`,
  /** Agents whose sessions expire (sessionTtlMs), for the lost acknowledgements of sign-ins. */
  sessionAgents: Array.from({ length: 12 }, (_, i) => `s-${String(i).padStart(2, '0')}`),
  sessionTtlMs: 1_500,
  lanes: 4,
  routedBases: ['Available', 'Busy'] as readonly BaseStatus[],
  /** Attempts at routing one item before a lane gives up on it (a routing loop). */
  maxRouteAttempts: 200,
  redis: { keyPrefix: 'fault:', shards: 4, maxLen: 1_000_000, leaseMs: 1_000 },
} as const;

export const faultMachine = createPresenceMachine({
  defaultProfile: { capacity: 100, maxWorkItems: 4 },
  agents: Object.fromEntries(FAULT.sessionAgents.map((id) => [id, { sessionTtlMs: FAULT.sessionTtlMs }])),
});

/** A change as the workers count it: agent, generation, version, presence and time (two saves of one version differ). */
export const changeKey = (c: { agentId: string; generation?: string | undefined; version: number; to: { presenceId: string }; at: number }) =>
  `${c.agentId}|${c.generation ?? ''}|${c.version}|${c.to.presenceId}|${c.at}`;

export type FaultEvent = PresenceEvent & { readonly eventId: string };

export type FaultWorkerMessage =
  | { t: 'ready' }
  /** A lane's event acknowledged; `startedAt`: when its acknowledged attempt was sent (the host's clock). */
  | { t: 'ack'; eventId: string; agentId: string; kind: 'route' | 'release'; startedAt: number; duplicate: boolean; declined: boolean; rejected: string | null }
  /** A lane's event whose save's outcome was unknown (RedisUnavailableError): the lane sends it again. */
  | { t: 'unknown'; eventId: string }
  | { t: 'result'; id: number; outcome: 'ok' | 'unknown'; duplicate?: boolean; version?: number; rejected?: string | null; error?: string }
  | { t: 'loss'; shard: number; reason: string; at: number }
  | { t: 'paused'; gaveUp: number; declined: number; routed: number }
  | {
      t: 'report';
      /** Every agent in the roster: id, version, presence id, free units. */
      roster: [string, number, string, number][];
      /** Agents findAvailable offers work to now (units 10, the routed bases). */
      offered: string[];
      heard: [string, number][];
      published: [string, number][];
      dropped: number;
    }
  | { t: 'retargeted' }
  | { t: 'stopped' };

export type FaultParentMessage =
  /** Start routing in lanes (or, when routing, change the rate): `loseAckRate`, the share of saves whose reply is dropped. */
  | { t: 'lanes'; loseAckRate?: number }
  | { t: 'pause' }
  | { t: 'dispatch'; id: number; agentId: string; event: FaultEvent; loseAck?: boolean }
  | { t: 'report' }
  | { t: 'retarget'; port: number }
  | { t: 'stop' };
