/** What the multi-process test and its workers share: the setup and the messages between them. */
import { createPresenceMachine, type BaseStatus, type PresenceEvent } from '../../src/index';
import type { RedisTimerClaim } from '../../src/redis/index';

export const MULTI_PROCESS = {
  workers: 4,
  agents: 500,
  /** Assignments and releases per worker: 20,000 in all. */
  workEventsPerWorker: 5_000,
  /** On the Cluster, where each command costs Node more (the cluster client's routing): 10,000 in all. */
  clusterWorkEventsPerWorker: 2_500,
  /** A manual pick after every this many work events. */
  pickEvery: 10,
  /** Concurrent dispatch loops per worker. */
  lanes: 8,
  agentId: (n: number) => `agent-${String(n).padStart(3, '0')}`,
  /** Left to the worker that is killed: their wrap-up timers are claimed by it just before it dies. */
  timerAgents: Array.from({ length: 10 }, (_, i) => `agent-${490 + i}`),
  timerWrapUpMs: 3_000,
  routedBases: ['Available', 'Busy'] as readonly BaseStatus[],
  redis: { keyPrefix: 'mp:', shards: 4, maxLen: 1_000_000, leaseMs: 1_000 },
} as const;

export const multiProcessMachine = createPresenceMachine({ defaultProfile: { capacity: 100, maxWorkItems: 4 } });

export interface WorkerEvent {
  /** route, force, release: the workers' share of work; setup: the timer agents' items; pick; takeover. */
  readonly kind: 'route' | 'force' | 'release' | 'pick' | 'takeover' | 'setup';
  readonly agentId: string;
  readonly event: PresenceEvent & { readonly eventId: string };
  readonly worker: number;
}

export type WorkerMessage =
  | { t: 'ready' }
  | { t: 'intent'; event: WorkerEvent }
  | { t: 'ack'; eventId: string; declined: boolean; rejected: string | null; duplicate: boolean }
  | { t: 'done'; picks: number }
  | { t: 'claimed'; claims: RedisTimerClaim[]; leaseUntil: number }
  | { t: 'takeover-done' }
  | { t: 'report'; roster: [string, number][]; heard: [string, number, string][] }
  | { t: 'stopped' };

export type ParentMessage =
  | { t: 'start' }
  | { t: 'claim-and-die' }
  | { t: 'takeover'; items: { agentId: string; workItemId: string }[]; extraWork: number }
  | { t: 'report' }
  | { t: 'stop' };
