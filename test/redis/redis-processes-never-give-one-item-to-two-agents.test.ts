/**
 * One item, one agent across processes: three worker processes (child_process.fork) race through the same 60 work
 * items, each giving every item to one of its own agents, releasing some at once so that items change hands. At the
 * end, read from every agent's stored record, no item is held by two agents; every assignment was either applied or
 * refused with WORK_ITEM_TAKEN; and each item held is claimed by its holder. On one redis-server and on a 3-master
 * Cluster, where an item's claim and its holder's record lie in different slots.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRedisPresenceStore } from '../../src/redis/index';
import { root } from '../helpers/dist';
import { CLAIM_WORKERS, claimAgentId, claimItemId, type ClaimParentMessage, type ClaimWorkerMessage } from '../helpers/redisClaimWorker';
import { REDIS_TARGETS, useRedisTarget, type RedisTarget } from '../helpers/redisTarget';

function startWorker(target: RedisTarget, index: number, prefix: string) {
  const child = fork(join(root, 'test', 'helpers', 'redisClaimWorker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, CLAIM_WORKER: '1', WORKER: String(index), ...target.env, PREFIX: prefix },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (t: ClaimWorkerMessage['t']) =>
    new Promise<ClaimWorkerMessage>((resolve, reject) => {
      child.on('message', (message: ClaimWorkerMessage) => message.t === t && resolve(message));
      child.once('exit', (code) => reject(new Error(`worker ${index} exited (${code}) before "${t}"`)));
    });
  const ready = next('ready');
  const report = next('report');
  return { ready, report, start: () => child.send({ t: 'start' } satisfies ClaimParentMessage) };
}

describe.each(REDIS_TARGETS)('work items given by routers in three processes on %s', (kind) => {
  const redis = useRedisTarget(kind);

  it('are each held by one agent at most, the others refused with WORK_ITEM_TAKEN', { timeout: 120_000 }, async () => {
    const prefix = 'claimmp:';
    const workers = Array.from({ length: CLAIM_WORKERS.workers }, (_, i) => startWorker(redis.target, i, prefix));
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.start();
    const reports = await Promise.all(workers.map((w) => w.report));

    const outcomes: Record<string, number> = {};
    for (const report of reports) {
      if (report.t !== 'report') throw new Error('not a report');
      for (const [code, count] of Object.entries(report.outcomes)) outcomes[code] = (outcomes[code] ?? 0) + count;
    }
    const store = createRedisPresenceStore(redis.client, { keyPrefix: prefix, shards: 4 });
    const holders = new Map<string, string[]>();
    for (let w = 0; w < CLAIM_WORKERS.workers; w++) {
      for (let n = 0; n < CLAIM_WORKERS.agentsPerWorker; n++) {
        const agentId = claimAgentId(w, n);
        const stored = await store.load(agentId);
        for (const item of stored?.record.state.work ?? []) holders.set(item.workItemId, [...(holders.get(item.workItemId) ?? []), agentId]);
      }
    }
    const twice = [...holders].filter(([, agents]) => agents.length > 1);
    expect(twice).toEqual([]);
    expect(Object.keys(outcomes).sort()).toEqual(['WORK_ITEM_TAKEN', 'assigned']);
    const tries = CLAIM_WORKERS.workers * CLAIM_WORKERS.agentsPerWorker * CLAIM_WORKERS.items;
    expect(outcomes.assigned! + outcomes.WORK_ITEM_TAKEN!).toBe(tries);

    // Every item held is claimed by its holder (the claim a later router meets names them).
    for (let n = 0; n < CLAIM_WORKERS.items; n++) {
      const holder = holders.get(claimItemId(n))?.[0];
      if (holder === undefined) continue;
      const claimed = (await redis.client.sendCommand(['HGET', `${prefix}{w:${claimItemId(n)}}:claim`, 'a'])) as string | null;
      expect(claimed, claimItemId(n)).toBe(holder);
    }
    expect(holders.size).toBeGreaterThan(0);
  });
});
