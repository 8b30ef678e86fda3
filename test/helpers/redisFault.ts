/**
 * What the fault tests (test/redis/redis-fault-*.test.ts) and their workers (redisFaultWorker.ts) share: the machine,
 * the messages, and how a worker reports what it saw. Errors cross the process boundary as plain objects; the
 * worker reads their fields without importing the classes, so the same worker runs against any version of src.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createPresenceMachine } from '../../src/index';
import type { RedisPresenceOptions } from '../../src/redis/index';
import { root } from './dist';

export const faultMachine = createPresenceMachine({ defaultProfile: { capacity: 100, sessionTtlMs: 600_000 } });

export interface FaultConfig {
  readonly redis: RedisPresenceOptions;
  /** An agent whose first stream entry makes `onEntry` throw once. */
  readonly flakyAgent?: string;
  /** An agent whose every stream entry makes `onEntry` throw. */
  readonly brokenAgent?: string;
}

/** An error as a worker reports it: its name, message and the fields the fault tests look at. */
export interface ReportedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly agentId?: string;
  readonly shard?: number;
  readonly entryId?: string;
  readonly step?: string;
  readonly attempts?: number;
  readonly skipped?: boolean;
  readonly newerSchema?: boolean;
  readonly version?: number;
  /** Where it was reported: the service's onError kind, or the timer runner's agent. */
  readonly kind?: string;
}

export interface WorkerReport {
  /** Whether `caughtUp()` resolved (within a bound that a test fails on). */
  readonly caughtUp: boolean;
  /** Every change the service's listeners heard: agent, version, presence id. */
  readonly heard: [string, number, string][];
  /** `onEntry` calls per `agentId vN`. */
  readonly onEntryCalls: Record<string, number>;
  readonly followerErrors: ReportedError[];
  readonly timerErrors: ReportedError[];
  readonly serviceErrors: ReportedError[];
  /** `service.unreadableAgents()`, when the service has it. */
  readonly unreadable: ReportedError[] | null;
  /** findAvailable over every base: agent and version, or the error it threw. */
  readonly roster: [string, number][] | null;
  readonly rosterError: ReportedError | null;
}

export type FaultWorkerMessage =
  | { t: 'ready' }
  | { t: 'routed'; roster: [string, number][] | null; error: ReportedError | null }
  | { t: 'dispatched'; results: { agentId: string; version: number | null; error: ReportedError | null }[] }
  | { t: 'repaired'; results: { agentId: string; repair: Record<string, unknown> | null; error: ReportedError | null }[] }
  | { t: 'report'; report: WorkerReport }
  | { t: 'stopped' };

export type FaultParentMessage =
  | { t: 'route' }
  | { t: 'dispatch'; agents: string[]; event: { type: 'setPresence'; presenceId: string } | { type: 'signIn'; sessionId: string } }
  | { t: 'repair'; agents: string[]; replaceNewerSchema?: boolean }
  | { t: 'report' }
  | { t: 'stop' };

/** Reads an error's fields without knowing its class. */
export function reportError(error: unknown, extra: { kind?: string; agentId?: string } = {}): ReportedError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const pick = <T>(key: string, type: string): T | undefined => (typeof e[key] === type ? (e[key] as T) : undefined);
  const fields: Record<string, unknown> = {
    name: pick<string>('name', 'string') ?? typeof error,
    message: pick<string>('message', 'string') ?? String(error),
    code: pick<string>('code', 'string'),
    agentId: extra.agentId ?? pick<string>('agentId', 'string'),
    shard: pick<number>('shard', 'number'),
    entryId: pick<string>('entryId', 'string'),
    step: pick<string>('step', 'string'),
    attempts: pick<number>('attempts', 'number'),
    skipped: pick<boolean>('skipped', 'boolean'),
    newerSchema: pick<boolean>('newerSchema', 'boolean'),
    version: pick<number>('version', 'number'),
    kind: extra.kind,
  };
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return fields as unknown as ReportedError;
}

export interface FaultWorker {
  readonly index: number;
  readonly child: ChildProcess;
  send(message: FaultParentMessage): void;
  next<T extends FaultWorkerMessage['t']>(t: T): Promise<Extract<FaultWorkerMessage, { t: T }>>;
  /** Sends a message and waits for the answer of type `t`. */
  ask<T extends FaultWorkerMessage['t']>(message: FaultParentMessage, t: T): Promise<Extract<FaultWorkerMessage, { t: T }>>;
}

/** Forks a fault worker (TypeScript through tsx) on the given Redis. */
export function startFaultWorker(index: number, url: string, config: FaultConfig): FaultWorker {
  const child = fork(join(root, 'test', 'helpers', 'redisFaultWorker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, WORKER: String(index), REDIS_URL: url, FAULT_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiters: { t: string; resolve: (m: FaultWorkerMessage) => void }[] = [];
  child.on('message', (message: FaultWorkerMessage) => {
    const waiter = waiters.find((w) => w.t === message.t);
    if (waiter === undefined) return;
    waiters.splice(waiters.indexOf(waiter), 1);
    waiter.resolve(message);
  });
  const next = <T extends FaultWorkerMessage['t']>(t: T) =>
    new Promise<Extract<FaultWorkerMessage, { t: T }>>((resolve, reject) => {
      waiters.push({ t, resolve: resolve as (m: FaultWorkerMessage) => void });
      child.once('exit', (code, signal) => reject(new Error(`fault worker ${index} exited (${code ?? signal}) waiting for ${t}`)));
    });
  return {
    index,
    child,
    send: (message) => child.send(message),
    next,
    ask: (message, t) => {
      const answer = next(t);
      child.send(message);
      return answer;
    },
  };
}
