/**
 * One router of test/redis/redis-processes-never-give-one-item-to-two-agents.test.ts, run with `node --import tsx`
 * by child_process.fork. Once told to start, its lanes go through the same work items as every other worker (each in
 * its own shuffled order), assigning each to the lane's agent, and now and then releasing one at once
 * so that items change hands during the race; then it reports the rejection codes it met. It connects to what the
 * parent's target names (one redis-server or the Cluster). Each of its agents has a lane of its own.
 */
import { createPresenceMachine } from '../../src/index';
import { createRedisPresenceStore } from '../../src/redis/index';
import { createPresenceService } from '../../src/service/index';
import { connectTargetFromEnv } from './redisTarget';
import { seededRandom } from './service';

export const CLAIM_WORKERS = { workers: 3, agentsPerWorker: 3, items: 60 } as const;
export const claimAgentId = (worker: number, n: number) => `w${worker}-agent-${n}`;
export const claimItemId = (n: number) => `chat-${n}`;

export type ClaimWorkerMessage = { t: 'ready' } | { t: 'report'; outcomes: Record<string, number> };
export type ClaimParentMessage = { t: 'start' };

// Imported by the test for its constants: the worker runs only when forked as one.
if (process.env.CLAIM_WORKER === '1') {
  const worker = Number(process.env.WORKER);
  const client = await connectTargetFromEnv();
  const store = createRedisPresenceStore(client, { keyPrefix: process.env.PREFIX as string, shards: 4 });
  const machine = createPresenceMachine({ defaultProfile: { capacity: 1_000, maxWorkItems: 1_000 } });
  const service = createPresenceService({ machine, store, maxAttempts: 1_000, onError: () => {} });
  const agents = Array.from({ length: CLAIM_WORKERS.agentsPerWorker }, (_, n) => claimAgentId(worker, n));
  for (const agentId of agents) await service.dispatch(agentId, { type: 'signIn' });
  const outcomes: Record<string, number> = {};
  /** One lane per agent: each agent's assignments come from one lane, and every lane races the other processes'. */
  const lane = async (lane: number) => {
    const agentId = agents[lane]!;
    const random = seededRandom(100 * worker + lane + 1);
    const items = Array.from({ length: CLAIM_WORKERS.items }, (_, n) => claimItemId(n)).sort(() => random() - 0.5);
    for (const workItemId of items) {
      const result = await service.dispatch(agentId, { type: 'workAssigned', workItemId, units: 1 });
      const code = result.rejection?.code ?? 'assigned';
      outcomes[code] = (outcomes[code] ?? 0) + 1;
      if (code === 'assigned' && random() < 0.25) await service.dispatch(agentId, { type: 'workReleased', workItemId });
    }
  };
  process.on('message', (message: ClaimParentMessage) => {
    if (message.t !== 'start') return;
    void Promise.all(agents.map((_, n) => lane(n))).then(async () => {
      process.send?.({ t: 'report', outcomes } satisfies ClaimWorkerMessage);
      await service.close();
      await client.close();
      process.disconnect();
    });
  });
  process.send?.({ t: 'ready' } satisfies ClaimWorkerMessage);
}
