/**
 * A TCP proxy in front of a redis-server, for the fault tests: it can drop the reply of a save after Redis ran the
 * script (the connection is cut then, as when the network fails between the write and its acknowledgement), and
 * it can move to another server, cutting every connection (a failover, as a Sentinel-aware client or a virtual IP
 * moving would make it).
 */
import { connect, createServer, type Socket } from 'node:net';
import { SAVE_SCRIPT } from '../../src/redis/redisCommands';
import { SAVE_CLAIMED_SCRIPT } from '../../src/redis/workClaimScripts';

export interface RedisProxy {
  readonly url: string;
  /**
   * Cuts the connection that carries the next save (of the agent whose id is given, else any) once Redis answers
   * it: the script ran, its reply is lost (and so are the replies of the commands sent after it on that connection;
   * those sent before it are answered).
   */
  loseNextSaveReply(agentId?: string): void;
  /** How many save replies were dropped so far. */
  readonly dropped: number;
  /** From now on connects to this port, and cuts every connection open. */
  retarget(port: number): void;
  close(): Promise<void>;
}

/** What a save looks like on the wire: EVALSHA with the script's SHA-1 (or the one of a save that adds work), or EVAL with its source. */
const SAVE_MARKERS = [Buffer.from(SAVE_SCRIPT.sha), Buffer.from(SAVE_CLAIMED_SCRIPT.sha), Buffer.from('-- KEYS: record, agents, stream')];

/**
 * Splits a RESP byte stream (commands one way, replies the other) into whole values, each once it is complete, so
 * that the proxy can tell which reply answers which command (Redis answers in order, one reply a command).
 */
function respValues(): (chunk: Buffer) => Buffer[] {
  let buffer: Buffer = Buffer.alloc(0);
  /** The end of the value at `at`, or -1 when the buffer does not hold all of it yet. */
  const end = (at: number): number => {
    const line = buffer.indexOf('\r\n', at);
    if (line < 0) return -1;
    const type = String.fromCharCode(buffer[at]!);
    const size = Number(buffer.toString('latin1', at + 1, line));
    if ('$!='.includes(type)) return size < 0 ? line + 2 : line + 2 + size + 2 <= buffer.length ? line + 2 + size + 2 : -1;
    if ('*~>%|'.includes(type)) {
      let next = line + 2;
      for (let i = 0; i < (size < 0 ? 0 : '%|'.includes(type) ? size * 2 : size); i++) {
        next = end(next);
        if (next < 0) return -1;
      }
      return type === '|' ? end(next) : next; // an attribute comes before the value it describes
    }
    return line + 2; // + - : _ , # ( : one line
  };
  return (chunk) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    const values: Buffer[] = [];
    let at = 0;
    while (at < buffer.length) {
      const next = end(at);
      if (next < 0) break;
      values.push(buffer.subarray(at, next));
      at = next;
    }
    buffer = buffer.subarray(at);
    return values;
  };
}

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
    const commands = respValues();
    const replies = respValues();
    /** Commands sent and replies passed on this connection; the number of the command whose reply is to be lost. */
    let sent = 0;
    let answered = 0;
    let lose: number | undefined;
    /** Set once the reply of a save was dropped: the connection to the client is gone, the one to Redis ending. */
    let lost = false;
    const cut = () => {
      pairs.delete(pair);
      client.destroy();
      if (!lost) upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      for (const command of commands(chunk)) {
        if (lose === undefined && armed.length > 0 && SAVE_MARKERS.some((marker) => command.includes(marker))) {
          const which = armed.findIndex((match) => command.includes(match));
          if (which >= 0) {
            armed.splice(which, 1);
            lose = sent;
          }
        }
        sent++;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (lost) return; // what Redis answers after the save is dropped too
      for (const reply of replies(chunk)) {
        if (answered++ !== lose) {
          client.write(reply);
          continue;
        }
        // The save's own reply: Redis ran it. Ended, not destroyed, so that Redis runs what it received after it.
        lost = true;
        dropped++;
        cut();
        upstream.end();
        return;
      }
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
