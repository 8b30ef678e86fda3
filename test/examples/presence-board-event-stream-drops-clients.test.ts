import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEventStream, sseFrame, type EventStream } from '../../examples/presence-board/createEventStream';

/**
 * The presence board's event stream (createEventStream) over a real HTTP server and socket: a client that is
 * dropped — too far behind, or its opening frames failed — leaves the list at once, and no broadcast or keep-alive
 * ever writes to its ended response (a write after the end is an unhandled 'error' that ends the process).
 *
 * How far behind a client is (`res.writableLength`) is set by the test, standing in for a client that stopped
 * reading and then read a little: over loopback, how much the kernel takes when it reads again is not the test's
 * to choose (test/examples/presence-board-survives-a-client-that-falls-behind.test.ts runs that with real backlog).
 */

const KEEP_ALIVE_MS = 1_000;

let stream: EventStream | undefined;
let server: Server | undefined;
let socket: Socket | undefined;

afterEach(async () => {
  stream?.close();
  socket?.destroy();
  server?.closeAllConnections();
  await new Promise((resolve) => (server?.listening ? server.close(resolve) : resolve(undefined)));
  vi.useRealTimers();
  stream = server = socket = undefined;
});

/**
 * An event stream (its keep-alive on a fake timer) behind a real HTTP server, and one client of it on a real
 * socket. Resolves once the client has read `until` in the stream.
 */
async function oneClient(opening: () => Promise<string>, until: string) {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  const events = createEventStream(KEEP_ALIVE_MS);
  stream = events;
  let response: ServerResponse | undefined;
  const http = createServer((_req, res) => {
    response = res;
    events.attach(res, opening);
  });
  server = http;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const client = connect((http.address() as AddressInfo).port, '127.0.0.1');
  socket = client;
  client.on('error', () => {});
  let text = '';
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
  await new Promise<void>((resolve) => {
    client.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes(until)) resolve();
    });
    client.write('GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  });
  const res = response as ServerResponse;
  // What is written to the response once it has ended, and the errors it emits.
  const writesAfterEnd: string[] = [];
  const errors: unknown[] = [];
  const write = res.write.bind(res) as (chunk: string) => boolean;
  res.write = ((chunk: string) => {
    if (res.writableEnded || res.destroyed) writesAfterEnd.push(chunk);
    return write(chunk);
  }) as typeof res.write;
  res.on('error', (error) => errors.push(error));
  return { events, res, closed, text: () => text, writesAfterEnd, errors };
}

/** Lets errors emitted on the next tick arrive. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('presence board event stream', () => {
  it('drops a client over 1 MB behind at once, and writes nothing to it when it catches up a little', async () => {
    const client = await oneClient(async () => sseFrame('snapshot', { agents: [] }), 'event: snapshot');
    let buffered = 0;
    Object.defineProperty(client.res, 'writableLength', { configurable: true, get: () => buffered });
    client.events.broadcast('agent', { agentId: 'ana', version: 1 });
    expect(client.events.size).toBe(1);

    buffered = 1_500_000; // it stopped reading
    client.events.broadcast('agent', { agentId: 'ana', version: 2 });
    expect(client.events.size).toBe(0);
    expect(client.res.destroyed).toBe(true);

    buffered = 900_000; // it read a little
    client.events.broadcast('agent', { agentId: 'ana', version: 3 });
    vi.advanceTimersByTime(KEEP_ALIVE_MS); // the keep-alive
    await settle();
    expect(client.writesAfterEnd).toEqual([]);
    expect(client.errors).toEqual([]);
    await client.closed; // its connection is cut: the browser reconnects and gets a new snapshot
    expect(client.text()).not.toMatch(/"version":[23]/);
  });

  it('drops a client whose opening frames failed at once, and the keep-alive writes nothing to it', async () => {
    let fail = (_error: Error) => {};
    const opening = new Promise<string>((_resolve, reject) => (fail = reject));
    const client = await oneClient(() => opening, 'retry: 2000');
    expect(client.events.size).toBe(1);
    fail(new Error('the store is down'));
    await opening.catch(() => {}); // after the stream's own handler
    expect(client.res.writableEnded).toBe(true);
    expect(client.events.size).toBe(0);
    client.events.broadcast('agent', { agentId: 'ana', version: 1 });
    vi.advanceTimersByTime(KEEP_ALIVE_MS);
    await settle();
    expect(client.writesAfterEnd).toEqual([]);
    expect(client.errors).toEqual([]);
  });

  it('keeps a client that reads, and drops it when its connection closes', async () => {
    const client = await oneClient(async () => sseFrame('snapshot', { agents: [] }), 'event: snapshot');
    vi.advanceTimersByTime(KEEP_ALIVE_MS);
    client.events.broadcast('agent', { agentId: 'ana', version: 1 });
    expect(client.events.size).toBe(1);
    socket?.destroy();
    await new Promise((resolve) => client.res.once('close', resolve));
    expect(client.events.size).toBe(0);
    client.events.broadcast('agent', { agentId: 'ana', version: 2 });
    vi.advanceTimersByTime(KEEP_ALIVE_MS);
    await settle();
    expect(client.writesAfterEnd).toEqual([]);
    expect(client.errors).toEqual([]);
  });
});
