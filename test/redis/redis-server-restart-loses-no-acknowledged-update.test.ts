/**
 * redis-server is killed (SIGKILL) in the middle of a run of two services and started again on its append-only
 * file (fsynced at every write, the setting that makes an acknowledged write durable). While it is down, dispatch
 * rejects with RedisUnavailableError (retryable); the writers send the same event again (same eventId) until it is
 * acknowledged. Afterwards no acknowledged update is missing and none is applied twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPresenceMachine, type PresenceEvent } from '../../src/index';
import { createPresenceService } from '../../src/service/index';
import { createRedisChangeStream, createRedisPresence, RedisUnavailableError, type RedisChangeEntry } from '../../src/redis/index';
import { connectClient, startRedisServer, type RedisServer } from '../helpers/redisServer';
import { seededRandom } from '../helpers/service';

const machine = createPresenceMachine({ defaultProfile: { capacity: 100 } });
const OPTIONS = { keyPrefix: 'rs:', shards: 2 };
const AGENTS = 40;
const EVENTS = 1_500;
const LANES = 4;

let server: RedisServer;
const clients: Awaited<ReturnType<typeof connectClient>>[] = [];

beforeAll(async () => {
  server = await startRedisServer({ persistent: true });
});
afterAll(async () => {
  for (const client of clients) await client.close().catch(() => {});
  await server?.stop();
});

describe('a Redis restart in the middle of a run', () => {
  it('gives typed retryable errors while it is down, and loses no acknowledged update', async () => {
    const random = seededRandom(31);
    const processes = await Promise.all(
      [0, 1].map(async () => {
        const client = await connectClient(server.url);
        clients.push(client);
        const redis = createRedisPresence(client, OPTIONS);
        const service = createPresenceService({ machine, ...redis.ports, onError: () => {} });
        const follower = redis.changes.follow(service, { from: '0', pollMs: 10, onError: () => {} });
        return { service, follower };
      }),
    );

    // The events, each agent's in time order; lanes take them in turn.
    const agentId = (n: number) => `agent-${n}`;
    const clock = new Map<string, number>();
    const events: { agentId: string; event: PresenceEvent & { eventId: string } }[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const id = agentId(Math.floor(random() * AGENTS));
      const at = (clock.get(id) ?? 1_000) + 1 + Math.floor(random() * 100);
      clock.set(id, at);
      const roll = random();
      const eventId = `e${i}`;
      const event: PresenceEvent & { eventId: string } =
        roll < 0.2
          ? { type: 'signIn', at, eventId }
          : roll < 0.4
            ? { type: 'setPresence', presenceId: roll < 0.3 ? 'away' : 'available', at, eventId }
            : roll < 0.7
              ? { type: 'workAssigned', workItemId: `${id}-c${i % 7}`, units: 20, at, eventId } // the agent's own items: one item, one agent
              : { type: 'workReleased', workItemId: `${id}-c${(i + 3) % 7}`, at, eventId };
      events.push({ agentId: id, event });
    }
    const byId = new Map(events.map((e) => [e.event.eventId, e]));

    const acked = new Map<string, { duplicate: boolean; version: number }>();
    const failures: unknown[] = [];
    let next = 0;
    let killed: Promise<void> | undefined;
    const lane = async (lane: number) => {
      while (next < events.length) {
        const { agentId: id, event } = events[next++]!;
        const { service } = processes[lane % 2]!;
        for (;;) {
          try {
            const result = await service.dispatch(id, event);
            acked.set(event.eventId, { duplicate: result.duplicate, version: result.version });
            break;
          } catch (error) {
            failures.push(error);
            if (!(error instanceof RedisUnavailableError)) throw error;
            await new Promise((r) => setTimeout(r, 20));
          }
        }
        if (acked.size === 600 && killed === undefined) {
          killed = (async () => {
            await server.kill();
            await new Promise((r) => setTimeout(r, 300));
            await server.restart();
          })();
        }
      }
    };
    await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i)));
    await killed;

    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((e) => e instanceof RedisUnavailableError && e.retryable && e.code === 'REDIS_UNAVAILABLE')).toBe(true);
    expect(acked.size).toBe(EVENTS);

    // Every acknowledged event is in the stream once, and each agent's entries replay to its stored state.
    const client = clients[0]!;
    const { entries } = await createRedisChangeStream(client, OPTIONS).read({ count: 100_000 });
    const counts = new Map<string, number>();
    for (const entry of entries) counts.set(entry.eventId!, (counts.get(entry.eventId!) ?? 0) + 1);
    for (const e of events) expect(counts.get(e.event.eventId), e.event.eventId).toBe(1);
    expect(entries).toHaveLength(EVENTS); // every event has an id, so even a refused one is saved (to remember it)
    const store = createRedisPresence(client, OPTIONS).store;
    const grouped = new Map<string, RedisChangeEntry[]>();
    for (const entry of entries) grouped.set(entry.agentId, [...(grouped.get(entry.agentId) ?? []), entry]);
    for (const [id, mine] of grouped) {
      const stored = (await store.load(id))!;
      expect(
        mine.map((e) => e.version),
        id,
      ).toEqual(Array.from({ length: stored.version }, (_, i) => i + 1));
      let state = machine.initialState(id, byId.get(mine[0]!.eventId!)!.event.at);
      for (const entry of mine) {
        state = machine.transition(state, byId.get(entry.eventId!)!.event).state;
        // A quiet save (nothing routing reads changed) has an entry without the state.
        if (entry.state !== undefined) expect(state, `${id} v${entry.version}`).toEqual(entry.state);
      }
      expect(state, id).toEqual(stored.record.state);
    }

    // The followers went on after the restart: their rosters have every agent's last version.
    for (const { service, follower } of processes) {
      await follower.caughtUp();
      const roster = await service.findAvailable({ units: 0, bases: ['Available', 'Busy', 'BusyDND', 'Away', 'Offline'], limit: 1_000, order: 'mostFree' });
      for (const candidate of roster) expect(candidate.version, candidate.agentId).toBe((await store.load(candidate.agentId))!.version);
      await follower.stop();
    }
    const retriedAndFoundApplied = [...acked.values()].filter((a) => a.duplicate).length;
    console.log(
      `restart: ${failures.length} RedisUnavailableError rejections while down, ${retriedAndFoundApplied} retries found already applied, ${entries.length} saves`,
    );
  }, 60_000);
});
