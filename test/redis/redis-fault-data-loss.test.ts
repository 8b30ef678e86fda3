/**
 * Three application servers (child processes) route work to 60 agents on Redis while Redis loses data three ways:
 *
 * 1. `FLUSHALL` mid-run;
 * 2. a restart without persistence (SIGKILL, started again empty);
 * 3. a failover that drops the last writes: a replica is promoted, the old primary takes acknowledged writes a
 *    moment longer, and the servers' proxies move to the replica (the shards keep their generation: the servers
 *    see the loss by the entries they read and wrote being gone, and one gives the shard a new generation).
 *
 * Versions start again lower after each. Each server's follower sees the loss (RedisDataLossError) and resyncs its
 * service; after it, every server's roster is the store's truth (no agent gone or Away is offered, and no routed
 * item loops on a stale agent), its listeners heard the changes saved after the loss, and every event acknowledged
 * after the loss is in the stream once. Acknowledged writes the failover dropped are counted, and applied again when
 * sent again with their event ids.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisChangeStream, createRedisPresenceStore, RedisUnavailableError } from '../../src/redis/index';
import { createPresenceService } from '../../src/service/index';
import { freeUnits } from '../../src/service/freeUnits';
import { changeKey, FAULT, faultMachine as machine, type FaultEvent, type FaultWorkerMessage } from '../helpers/redisLossFault';
import { connectClient, startRedisServer, type RedisServer, type RedisTestClient } from '../helpers/redisServer';
import { killFaultWorkers, startFaultWorker, type FaultWorker } from '../helpers/startLossFaultWorker';

const servers: RedisServer[] = [];
const clients: RedisTestClient[] = [];
let workers: FaultWorker[] = [];
afterAll(async () => {
  killFaultWorkers(workers);
  for (const client of clients) await client.close().catch(() => {});
  for (const server of servers) await server.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A service of the test's own on one Redis: it seeds agents and makes the "last writes", sending until acknowledged. */
async function seederOn(server: RedisServer) {
  const client = await connectClient(server.url);
  clients.push(client);
  const service = createPresenceService({ machine, store: createRedisPresenceStore(client, FAULT.redis), onError: () => {} });
  const send = async (agentId: string, event: FaultEvent) => {
    for (;;) {
      try {
        return await service.dispatch(agentId, event);
      } catch (error) {
        if (!(error instanceof RedisUnavailableError)) throw error;
        await sleep(20);
      }
    }
  };
  return { client, service, send };
}

describe('Redis losing data under three servers', () => {
  it('is detected by every server and resynchronised: no stale agent offered, changes after it heard, nothing acknowledged after it lost', async () => {
    const began = Date.now();
    const primary = await startRedisServer({ own: true });
    servers.push(primary);
    const acks: Extract<FaultWorkerMessage, { t: 'ack' }>[] = [];
    const losses: (Extract<FaultWorkerMessage, { t: 'loss' }> & { worker: number })[] = [];
    workers = Array.from({ length: FAULT.workers }, (_, i) =>
      startFaultWorker(i, primary.port, (m) => {
        if (m.t === 'ack') acks.push(m);
        if (m.t === 'loss') losses.push({ ...m, worker: i });
      }),
    );
    await Promise.all(workers.map((w) => w.next('ready')));
    let seeder = await seederOn(primary);
    for (let i = 0; i < FAULT.agents; i++) await seeder.send(FAULT.agentId(i), { type: 'signIn', at: Date.now(), eventId: `seed-${i}` });

    const lanes = () => workers.forEach((w) => w.send({ t: 'lanes' }));
    const routeFor = async (count: number) => {
      const mark = acks.length;
      while (acks.length < mark + count) await sleep(10);
    };
    /** Waits until every server's follower told of a loss found at or after `since`; the time each took. */
    const lossSeen = async (since: number) => {
      for (let i = 0; ; i++) {
        const first = workers.map((w) => losses.find((l) => l.worker === w.index && l.at >= since));
        if (first.every((l) => l !== undefined)) return first.map((l) => l.at - since);
        if (i > 1_000) throw new Error(`a server did not see the loss: ${JSON.stringify(first)}`);
        await sleep(10);
      }
    };
    const reportAll = () => Promise.all(workers.map((w) => (w.send({ t: 'report' }), w.next('report'))));

    /** Stops routing, then checks every server against the store on `server`; `after`: when the loss was over. */
    const check = async (phase: string, client: RedisTestClient, after: number, lossMs: number[]) => {
      const paused = await Promise.all(workers.map((w) => (w.send({ t: 'pause' }), w.next('paused'))));
      await reportAll(); // once so that every server has read everything (a new generation another one made, too)…
      const reports = await reportAll(); // …then what each holds
      const store = createRedisPresenceStore(client, FAULT.redis);
      const truth: [string, number, string, number][] = [];
      const offerable: string[] = [];
      for await (const { agentId, version, record } of store.list()) {
        const state = record.state;
        if (!machine.canTake(state, { units: 0 })) continue;
        const presence = machine.presenceOf(state);
        truth.push([agentId, version, presence.presenceId, freeUnits(machine, state)]);
        if (FAULT.routedBases.includes(presence.base) && machine.canTake(state, { units: 10 })) offerable.push(agentId);
      }
      const byId = (a: [string, ...unknown[]], b: [string, ...unknown[]]) => (a[0] < b[0] ? -1 : 1);
      truth.sort(byId);
      for (const [w, report] of reports.entries()) {
        expect([...report.roster].sort(byId), `${phase}: worker ${w}'s roster is the store's`).toEqual(truth);
        expect([...report.offered].sort(), `${phase}: worker ${w} offers exactly who can take work`).toEqual(offerable.sort());
      }
      // Every event acknowledged after the loss is in the stream once; every change in it heard (the latest of
      // each agent by every server; none twice in the new generation).
      const { entries } = await createRedisChangeStream(client, FAULT.redis).read({ count: 1_000_000 });
      const inStream = new Map<string, number>();
      for (const e of entries) if (e.eventId !== undefined) inStream.set(e.eventId, (inStream.get(e.eventId) ?? 0) + 1);
      const acknowledgedAfter = acks.filter((a) => a.startedAt >= after && !a.declined);
      for (const a of acknowledgedAfter) expect(inStream.get(a.eventId), `${phase}: ${a.eventId} acknowledged after the loss`).toBe(1);
      const changes = entries.filter((e) => e.change !== undefined).map((e) => e.change!);
      const latest = new Map(changes.map((c) => [c.agentId, c]));
      for (const [w, report] of reports.entries()) {
        const heard = new Map(report.heard);
        expect([...latest.values()].filter((c) => !heard.has(changeKey(c))).map(changeKey), `${phase}: worker ${w} heard each agent's latest change`).toEqual(
          [],
        );
      }
      const heardAfter = reports.map((r) => changes.filter((c) => new Map(r.heard).has(changeKey(c))).length);
      expect(
        paused.map((p) => p.gaveUp),
        `${phase}: no routing loop`,
      ).toEqual([0, 0, 0]);
      console.log(
        `${phase}: seen by the 3 servers in ${lossMs.join(', ')} ms; ${acknowledgedAfter.length} events acknowledged after it, each in the stream once; ` +
          `${truth.length} agents in every roster as stored (${offerable.length} offered); ${changes.length} changes in the stream, heard ${heardAfter.join('/')}; ` +
          `routed so far ${paused.map((p) => p.routed).join('/')}, declined ${paused.map((p) => p.declined).join('/')}`,
      );
      return { reports, truth, store };
    };

    // 1. FLUSHALL mid-run; then half the agents sign in again and five go Away.
    lanes();
    await routeFor(500);
    const before1 = (await reportAll())[0]!.roster.length;
    const flushAt = Date.now();
    await seeder.client.sendCommand(['FLUSHALL']);
    const flushed = Date.now();
    const flushMs = await lossSeen(flushAt);
    for (let i = 0; i < 30; i++) await seeder.send(FAULT.agentId(i), { type: 'signIn', at: Date.now(), eventId: `flush-seed-${i}` });
    for (let i = 0; i < 5; i++) await seeder.send(FAULT.agentId(i), { type: 'setPresence', presenceId: 'away', at: Date.now(), eventId: `flush-away-${i}` });
    await routeFor(300);
    const flush = await check('FLUSHALL', seeder.client, flushed, flushMs);
    expect(flush.truth.length).toBeLessThan(before1); // what the rosters held before: gone from every one

    // 2. A restart without persistence; then twenty agents sign in again and three go Away.
    lanes();
    await routeFor(300);
    const killAt = Date.now();
    await primary.kill();
    await sleep(200);
    await primary.restart();
    const restarted = Date.now();
    const restartMs = await lossSeen(killAt);
    for (let i = 0; i < 20; i++) await seeder.send(FAULT.agentId(i), { type: 'signIn', at: Date.now(), eventId: `restart-seed-${i}` });
    for (let i = 0; i < 3; i++) await seeder.send(FAULT.agentId(i), { type: 'setPresence', presenceId: 'away', at: Date.now(), eventId: `restart-away-${i}` });
    lanes();
    await routeFor(300);
    await check('restart without persistence', seeder.client, restarted, restartMs);

    // 3. A failover that drops the last writes. The replica catches up while nobody writes, and is promoted; then
    // the old primary still takes writes (acknowledged, soon lost), which every server reads; then the proxies move.
    const replica = await startRedisServer({ own: true });
    servers.push(replica);
    const replicaClient = await connectClient(replica.url);
    clients.push(replicaClient);
    await seeder.client.sendCommand(['CONFIG', 'SET', 'repl-diskless-sync-delay', '0']); // sync at once, not after 5 s
    await replicaClient.sendCommand(['REPLICAOF', '127.0.0.1', String(primary.port)]);
    const offset = async (client: RedisTestClient, field: string) =>
      Number(new RegExp(`${field}:(\\d+)`).exec(await client.sendCommand<string>(['INFO', 'replication']))?.[1] ?? -1);
    for (let i = 0; ; i++) {
      const [primaryAt, replicaAt] = [await offset(seeder.client, 'master_repl_offset'), await offset(replicaClient, 'slave_repl_offset')];
      const up = (await replicaClient.sendCommand<string>(['INFO', 'replication'])).includes('master_link_status:up');
      if (up && primaryAt >= 0 && primaryAt === replicaAt) break;
      if (i > 500) throw new Error(`the replica did not catch up (${replicaAt} of ${primaryAt})`);
      await sleep(10);
    }
    await replicaClient.sendCommand(['REPLICAOF', 'NO', 'ONE']);
    const promotedAcks = acks.length;
    const lastWrites: [string, FaultEvent][] = [
      ...[0, 1, 2].map((i): [string, FaultEvent] => [
        FAULT.agentId(i),
        { type: 'setPresence', presenceId: 'available', at: Date.now(), eventId: `last-available-${i}` },
      ]),
      ...[3, 4, 5].map((i): [string, FaultEvent] => [FAULT.agentId(i), { type: 'setPresence', presenceId: 'away', at: Date.now(), eventId: `last-away-${i}` }]),
      ...[20, 21, 22, 23, 24].map((i): [string, FaultEvent] => [FAULT.agentId(i), { type: 'signIn', at: Date.now(), eventId: `last-seed-${i}` }]),
    ];
    for (const [agentId, event] of lastWrites) expect((await seeder.send(agentId, event)).duplicate).toBe(false);
    lanes();
    await routeFor(200);
    await Promise.all(workers.map((w) => (w.send({ t: 'pause' }), w.next('paused'))));
    const lastLaneAcks = acks.length - promotedAcks;
    const beforeFailover = await reportAll(); // every server has read the last writes
    const failoverAt = Date.now();
    await Promise.all(workers.map((w) => (w.send({ t: 'retarget', port: replica.port }), w.next('retargeted'))));
    const failedOver = Date.now();
    const failoverMs = await lossSeen(failoverAt);
    const reasons = new Set(losses.filter((l) => l.at >= failoverAt).map((l) => l.reason));
    seeder = await seederOn(replica);
    // The last writes are gone; sent again with their ids, they apply again (their ids were lost with them).
    const replicaStore = createRedisPresenceStore(replicaClient, FAULT.redis);
    expect((await replicaStore.load(FAULT.agentId(22)))?.record.state.signedIn ?? false).toBe(false);
    // What each server's roster held of the last writes: entries newer than what the replica has.
    const staleBefore = await Promise.all(
      beforeFailover.map(async (r) => {
        let stale = 0;
        for (const [agentId, version] of r.roster) if (((await replicaStore.load(agentId))?.version ?? 0) < version) stale++;
        return stale;
      }),
    );
    expect(Math.min(...staleBefore)).toBeGreaterThan(0);
    for (const [agentId, event] of lastWrites.slice(0, 3)) expect((await seeder.send(agentId, event)).duplicate).toBe(false);
    for (let i = 6; i < 9; i++) await seeder.send(FAULT.agentId(i), { type: 'setPresence', presenceId: 'away', at: Date.now(), eventId: `failover-away-${i}` });
    lanes();
    await routeFor(300);
    const failover = await check('failover dropping the last writes', replicaClient, failedOver, failoverMs);
    // Its lost sign-in: offered nowhere (every roster is the replica's, where it never signed in).
    expect(failover.truth.find(([id]) => id === FAULT.agentId(22))?.[2] ?? 'offline').toBe('offline');
    expect(reasons.has('missing-entry')).toBe(true);

    const routed = (await Promise.all(workers.map((w) => (w.send({ t: 'pause' }), w.next('paused'))))).map((p) => p.routed);
    await Promise.all(workers.map((w) => (w.send({ t: 'stop' }), w.next('stopped'))));
    console.log(
      `failover: before it, the servers' rosters held ${staleBefore.join('/')} agents at versions the replica does not have; ` +
        `data loss: ${acks.length} lane events acknowledged in all, ${routed.join('/')} items routed by the 3 servers; the failover dropped ${lastWrites.length} acknowledged ` +
        `writes of the test and ${lastLaneAcks} of the lanes (the servers saw it by: ${[...reasons].join(', ')}); ${Date.now() - began} ms`,
    );
  }, 60_000);
});
