/** Forks a worker of the Redis fault tests (test/helpers/redisLossFaultWorker.ts) and talks to it. */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { root } from './dist';
import type { FaultParentMessage, FaultWorkerMessage } from './redisLossFault';

export interface FaultWorker {
  readonly index: number;
  readonly child: ChildProcess;
  send(message: FaultParentMessage): void;
  /** The worker's next message of type `t` (that `where` accepts). */
  next<T extends FaultWorkerMessage['t']>(t: T, where?: (m: Extract<FaultWorkerMessage, { t: T }>) => boolean): Promise<Extract<FaultWorkerMessage, { t: T }>>;
}

/** Forks worker `index`, talking to the redis-server on `port` through a proxy of its own; every message goes to `onMessage` too. */
export function startFaultWorker(index: number, port: number, onMessage: (message: FaultWorkerMessage) => void): FaultWorker {
  const child = fork(join(root, 'test', 'helpers', 'redisLossFaultWorker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, WORKER: String(index), REDIS_PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiters: { t: string; where: (m: FaultWorkerMessage) => boolean; resolve: (m: FaultWorkerMessage) => void }[] = [];
  child.on('message', (message: FaultWorkerMessage) => {
    onMessage(message);
    const waiter = waiters.find((w) => w.t === message.t && w.where(message));
    if (waiter !== undefined) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    }
  });
  return {
    index,
    child,
    send: (message) => child.send(message),
    next: (t, where = () => true) =>
      new Promise((resolve, reject) => {
        waiters.push({ t, where: where as (m: FaultWorkerMessage) => boolean, resolve: resolve as (m: FaultWorkerMessage) => void });
        child.once('exit', (code, signal) => reject(new Error(`worker ${index} exited (${code ?? signal}) waiting for ${t}`)));
      }),
  };
}

/** Kills every worker still running (after a failed test). */
export function killFaultWorkers(workers: readonly FaultWorker[]): void {
  for (const { child } of workers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
