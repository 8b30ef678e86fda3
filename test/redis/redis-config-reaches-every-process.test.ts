/**
 * One config everywhere, across processes: three worker processes (child_process.fork) set presences as fast as
 * they can while the parent publishes a config that removes the presence 'coffee'. Two workers are pushed the new
 * version; the third reads the config every ten minutes only, so it learns of it from its saves being refused. Every
 * worker takes the new version up, and no save made after the publish resolved holds 'coffee' — no process went on
 * saving with the older config, neither in the instant before it heard of the new one, nor for minutes. On one
 * redis-server and on a 3-master Cluster (the config's stream in a slot of its own, the shards' versions on every
 * master).
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PresenceConfig } from '../../src/index';
import { createRedisPresence } from '../../src/redis/index';
import { root } from '../helpers/dist';
import type { ConfigParentMessage, ConfigWorkerMessage } from '../helpers/redisConfigWorker';
import { REDIS_TARGETS, useRedisTarget, type RedisTarget } from '../helpers/redisTarget';

const WORKERS = 3;
const withCoffee: PresenceConfig = { defaultProfile: { capacity: 100 }, presences: [{ id: 'coffee', name: 'Away – Coffee', base: 'Away' }] };
const withoutCoffee: PresenceConfig = { defaultProfile: { capacity: 100 } };

function startWorker(target: RedisTarget, index: number, prefix: string, slow: boolean) {
  const child = fork(join(root, 'test', 'helpers', 'redisConfigWorker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, WORKER: String(index), ...target.env, PREFIX: prefix, SLOW: slow ? '1' : '0' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages: ConfigWorkerMessage[] = [];
  const waiters: [(m: ConfigWorkerMessage) => boolean, (m: ConfigWorkerMessage) => void][] = [];
  child.on('message', (message: ConfigWorkerMessage) => {
    messages.push(message);
    for (const waiter of waiters.filter(([where]) => where(message))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter[1](message);
    }
  });
  return {
    send: (message: ConfigParentMessage) => child.send(message),
    /** The first message (already received or to come) that `where` accepts. */
    next: (where: (m: ConfigWorkerMessage) => boolean) =>
      new Promise<ConfigWorkerMessage>((resolve) => {
        const seen = messages.find(where);
        if (seen !== undefined) resolve(seen);
        else waiters.push([where, resolve]);
      }),
    exited: new Promise<void>((resolve) => child.once('exit', () => resolve())),
  };
}

describe.each(REDIS_TARGETS)('a config published in Redis on %s', (kind) => {
  const redis = useRedisTarget(kind);

  it('reaches every process, and none saves with the older one once the publish resolved', { timeout: 60_000 }, async () => {
    const prefix = 'configmp:';
    const { config } = createRedisPresence(redis.client, { keyPrefix: prefix, shards: 4 });
    await config.publish(withCoffee, { expectedVersion: 0 });
    const workers = Array.from({ length: WORKERS }, (_, i) => startWorker(redis.target, i, prefix, i === WORKERS - 1));
    await Promise.all(workers.map((w) => w.next((m) => m.t === 'config' && m.version === 1)));
    for (const w of workers) w.send({ t: 'start' });
    await Promise.all(workers.map((w) => w.next((m) => m.t === 'progress' && m.events >= 200)));

    await config.publish(withoutCoffee, { expectedVersion: 1 });
    // Where each shard's stream is now: every save after these entries was accepted after the publish resolved.
    const streams = [0, 1, 2, 3].map((shard) => `${prefix}{${shard}}:changes`);
    const cut = await Promise.all(
      streams.map(async (stream) => ((await redis.client.sendCommand(['XREVRANGE', stream, '+', '-', 'COUNT', '1'])) as [string, string[]][])[0]?.[0] ?? '0-0'),
    );
    // Taken up by every worker (the parent tells them nothing); then a few hundred events more each.
    await Promise.all(workers.map((w) => w.next((m) => m.t === 'config' && m.version === 2)));
    const before = await Promise.all(workers.map((w) => w.next((m) => m.t === 'progress')));
    await Promise.all(workers.map((w, i) => w.next((m) => m.t === 'progress' && m.events >= (before[i] as { events: number }).events + 300)));
    for (const w of workers) w.send({ t: 'stop' });
    const reports = (await Promise.all(workers.map((w) => w.next((m) => m.t === 'report')))) as Extract<ConfigWorkerMessage, { t: 'report' }>[];
    await Promise.all(workers.map((w) => w.exited));

    for (const report of reports) {
      expect(report.version).toBe(2);
      expect(report.config).toEqual(withoutCoffee);
      expect(report.coffee).toBeGreaterThan(0); // it did save 'coffee' under version 1
      expect(report.refused).toBeGreaterThan(0); // and was refused it under version 2
    }
    let after = 0;
    const coffeeAfter: string[] = [];
    for (const [shard, stream] of streams.entries()) {
      const entries = (await redis.client.sendCommand(['XRANGE', stream, `(${cut[shard]}`, '+'])) as [string, string[]][];
      after += entries.length;
      for (const [id, fields] of entries) {
        const state = fields[fields.indexOf('state') + 1] ?? '';
        if (state.includes('"presenceId":"coffee"')) coffeeAfter.push(`${stream} ${id}`);
      }
    }
    expect(after).toBeGreaterThan(0);
    expect(coffeeAfter).toEqual([]);
  });
});
