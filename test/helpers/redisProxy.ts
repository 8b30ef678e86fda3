/**
 * A TCP proxy in front of a redis-server, for the fault tests: it can drop the reply of a save after Redis ran the
 * script (the connection is cut then, as when the network fails between the write and its acknowledgement), and
 * it can move to another server, cutting every connection (a failover, as a Sentinel-aware client or a virtual IP
 * moving would make it).
 */
import { connect, createServer, type Socket } from 'node:net';
import { SAVE_SCRIPT } from '../../src/redis/redisCommands';

export interface RedisProxy {
  readonly url: string;
  /**
   * Cuts the connection that carries the next save (of the agent whose id is given, else any) once Redis answers on
   * it (the save, or a command sent before it on the same connection): the client's side is cut at once, Redis's
   * side ended, so the script runs all the same and its reply is lost (and so are the replies of the commands sent
   * with it).
   */
  loseNextSaveReply(agentId?: string): void;
  /** How many save replies were dropped so far. */
  readonly dropped: number;
  /** From now on connects to this port, and cuts every connection open. */
  retarget(port: number): void;
  close(): Promise<void>;
}

/** What a save looks like on the wire: EVALSHA with the script's SHA-1, or EVAL with its source. */
const SAVE_MARKERS = [Buffer.from(SAVE_SCRIPT.sha), Buffer.from('-- KEYS: record, agents, stream')];

export function startRedisProxy(targetPort: number): Promise<RedisProxy> {
  let target = targetPort;
  /** Saves to drop the reply of: an agent's (its record key's tail) or any (''). */
  const armed: Buffer[] = [];
  let dropped = 0;
  const pairs = new Set<[Socket, Socket]>();
  const server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    let dropping = false;
    /** Set once the reply of a save was dropped: the connection to the client is gone, the one to Redis ending. */
    let lost = false;
    const cut = () => {
      pairs.delete(pair);
      client.destroy();
      if (!lost) upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (armed.length > 0 && SAVE_MARKERS.some((marker) => chunk.includes(marker))) {
        const which = armed.findIndex((match) => chunk.includes(match));
        if (which >= 0) {
          armed.splice(which, 1);
          dropping = true;
        }
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!dropping) {
        client.write(chunk);
        return;
      }
      if (lost) return; // what Redis answers after that is dropped too
      lost = true;
      dropped++;
      cut();
      // Ended, not destroyed: this reply may be an earlier command's (pipelined), and a reset reaching Redis before it
      // read the save would make Linux drop the save unread. Ended, Redis runs all it received, then sees the end.
      upstream.end();
    });
    client.on('error', cut);
    upstream.on('error', cut);
    client.on('close', cut);
    upstream.on('close', cut);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address !== 'object' || address === null) return reject(new Error('proxy: no port'));
      resolve({
        url: `redis://127.0.0.1:${address.port}`,
        loseNextSaveReply: (agentId) => void armed.push(Buffer.from(agentId === undefined ? '' : `:agent:${agentId}\r\n`)),
        get dropped() {
          return dropped;
        },
        retarget(port) {
          target = port;
          for (const [client, upstream] of [...pairs]) {
            client.destroy();
            upstream.destroy();
          }
          pairs.clear();
        },
        close: () =>
          new Promise<void>((done) => {
            for (const [client, upstream] of pairs) {
              client.destroy();
              upstream.destroy();
            }
            server.close(() => done());
          }),
      });
    });
  });
}
