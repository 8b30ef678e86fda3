import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../helpers/dist';
import { connectClient, startRedisServer, type RedisServer } from '../helpers/redisServer';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('examples/redis/two-servers.ts', () => {
  it('runs against a real Redis: routing, the other server hearing, a session expiring by a Redis timer, and it cleans up', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'examples', 'redis', 'two-servers.ts')], {
      cwd: root,
      env: { ...process.env, REDIS_URL: server.url },
      timeout: 30_000,
    });
    expect(stdout).toContain('[west] ana: Offline → Available (capacity, v1)');
    expect(stdout).toContain('chat-1 → ana: assigned (1 held)');
    expect(stdout).toContain('chat-2 → ben: assigned (1 held)');
    expect(stdout).toContain('chat-3 → ana: assigned (2 held)');
    expect(stdout).toMatch(/\[east\] ben: Busy → Offline \(expired, v3\)/);
    expect(stdout).toMatch(/ben: Offline \(expired\), v3/);
    expect(stdout).toContain('duplicate=true');
    expect(stdout).toContain('from the Redis history: available, busy');
    const client = await connectClient(server.url);
    expect(await client.sendCommand(['DBSIZE'])).toBe(0);
    await client.close();
  }, 40_000);

  it('says what it needs when REDIS_URL is not set', async () => {
    const { REDIS_URL: _, ...env } = process.env;
    const error = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'examples', 'redis', 'two-servers.ts')], { cwd: root, env }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 2, stderr: expect.stringContaining('Set REDIS_URL') });
  }, 30_000);
});
