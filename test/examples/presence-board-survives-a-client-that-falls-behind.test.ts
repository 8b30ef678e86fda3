import { readFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { root } from '../helpers/dist';

/**
 * The presence board's event stream with a client that stops reading, against a real board server in its own
 * process (test/helpers/wideBoardServer.ts), over real sockets: the server cuts that client off once it is more
 * than 1 MB behind, writes nothing more to it while the client reads a little and changes keep coming, and keeps
 * serving the other clients. A write to a response it had ended is an unhandled error that ends the process with
 * exit code 1; the process here runs on and exits 0 when told to stop.
 *
 * (Whether such a write happens over loopback depends on how much the kernel takes at once when the client reads
 * again; test/examples/presence-board-event-stream-drops-clients.test.ts shows it without the kernel in the way.)
 */

let child: ChildProcess | undefined;
afterEach(() => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
});

/** Starts the board on a free port. */
async function startBoard(): Promise<{ url: URL; process: ChildProcess; stderr: () => string }> {
  const started = spawn(process.execPath, ['--import', 'tsx', join(root, 'test', 'helpers', 'wideBoardServer.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  let stderr = '';
  started.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<URL>((resolve, reject) => {
    let stdout = '';
    started.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const found = /presence board on (http:\/\/\S+\/)/.exec(stdout);
      if (found !== null) resolve(new URL(found[1] as string));
    });
    started.once('exit', (code) => reject(new Error(`the board exited with ${String(code)} before listening: ${stderr}`)));
  });
  return { url, process: started, stderr: () => stderr };
}

/**
 * A `GET /events` on a socket of its own: the bytes read, the markers seen, and how the stream ended.
 * `trickle()` makes it read a chunk (at most 64 KB) every 20 ms, as a client on a poor link would.
 */
function rawStream(url: URL, markers: readonly string[]) {
  const socket: Socket = connect(Number(url.port), url.hostname);
  let received = 0;
  let tail = '';
  let slow = false;
  const seen = new Set<string>();
  let wake = () => {};
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
    const text = tail + chunk.toString('latin1');
    for (const marker of markers) if (text.includes(marker)) seen.add(marker);
    tail = text.slice(-200);
    wake();
    if (slow) {
      socket.pause();
      setTimeout(() => socket.resume(), 20);
    }
  });
  socket.on('error', () => {}); // a connection the server cut shows as 'close'
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  void closed.then(() => wake());
  socket.write(`GET /events HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
  return {
    socket,
    closed,
    isClosed: () => socket.destroyed,
    received: () => received,
    saw: (marker: string) => seen.has(marker),
    /** Whether the stream ended as a response does, with the last chunk of a chunked body. */
    endedCleanly: () => tail.endsWith('\r\n0\r\n\r\n'),
    trickle: () => void (slow = true),
    /** Reads at full speed again. */
    readAll: () => {
      slow = false;
      socket.resume();
    },
    /** Resolves once `done()` holds, or the connection is closed. */
    until: async (done: () => boolean) => {
      while (!done() && !socket.destroyed) await new Promise<void>((resolve) => (wake = resolve));
    },
  };
}

/** A `GET /events` client that reads everything: the bytes read, and a wait for a frame. */
async function follower(url: URL) {
  const abort = new AbortController();
  const response = await fetch(new URL('/events', url), { signal: abort.signal });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let buffer = '';
  const waiters: { accept: (event: string, data: any) => boolean; resolve: () => void }[] = [];
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done || value === undefined) return;
      received += value.length;
      buffer += decoder.decode(value, { stream: true });
      const frames = buffer.split('\n\n');
      buffer = frames.pop() ?? '';
      for (const frame of frames) {
        const event = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (event === undefined || data === undefined) continue;
        const parsed = JSON.parse(data);
        for (const waiter of [...waiters]) {
          if (!waiter.accept(event, parsed)) continue;
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    }
  })();
  return {
    received: () => received,
    /** Resolves at the next frame `accept` takes. */
    next: (accept: (event: string, data: any) => boolean) => new Promise<void>((resolve) => waiters.push({ accept, resolve })),
    stop: () => abort.abort(),
  };
}

/** The largest buffer the kernel may give a TCP socket in one direction (`tcp_rmem` or `tcp_wmem`), or `fallback`. */
function kernelBuffer(name: 'tcp_rmem' | 'tcp_wmem', fallback: number): number {
  try {
    return Number(readFileSync(`/proc/sys/net/ipv4/${name}`, 'utf8').trim().split(/\s+/)[2]) || fallback;
  } catch {
    return fallback;
  }
}

/**
 * What is sent while the slow client reads nothing: more than the kernel can hold for it (its receive buffer may
 * grow to `tcp_rmem`'s maximum, 32 MB on some machines; the server's send buffer to `tcp_wmem`'s) plus the 1 MB the
 * board allows. Then a bound on what is sent while it reads a little at a time.
 */
const FILL = kernelBuffer('tcp_rmem', 6_291_456) + kernelBuffer('tcp_wmem', 4_194_304) + 4_000_000;
const VOLUME = FILL + 24_000_000;
const LAST = '"presence":{"presenceId":"wide-049"';

describe('presence board with a client that falls behind', () => {
  it('cuts the client off once it is over 1 MB behind, writes nothing more to it, and keeps serving the others', async () => {
    const board = await startBoard();
    const { url } = board;
    const setPresence = async (agentId: string, presenceId: string) => {
      const response = await fetch(new URL(`/agents/${agentId}/events`, url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'setPresence', presenceId }),
      });
      await response.arrayBuffer();
      return response.status;
    };
    let flip = 0;
    const change = () => setPresence('ana', flip++ % 2 === 0 ? 'wide-000' : 'wide-001');

    const reader = await follower(url);
    const slow = rawStream(url, ['event: snapshot', LAST]);
    await slow.until(() => slow.saw('event: snapshot'));

    // It stops reading while changes come (each a `presence` frame and an `agent` row of about 100 KB).
    slow.socket.pause();
    while (reader.received() < FILL) expect(await change()).toBe(200);
    // Then it reads a little at a time, and the changes keep coming.
    slow.trickle();
    slow.socket.resume();
    while (!slow.isClosed() && reader.received() < VOLUME) expect(await change()).toBe(200);

    // What the kernel had already taken for it (up to tcp_rmem's maximum) still reaches it before the cut does:
    // read it out, within a bound, and the connection must then be closed.
    slow.readAll();
    await Promise.race([slow.closed, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    // Cut off, not ended: a browser takes it as a network error and reconnects for a new snapshot.
    expect(slow.isClosed()).toBe(true);
    expect(slow.endedCleanly()).toBe(false);

    // The server stays up for everyone else, and the client it cut off got nothing more.
    for (let i = 0; i < 10; i++) expect(await setPresence('ben', i % 2 === 0 ? 'wide-002' : 'wide-003')).toBe(200);
    const last = reader.next((event, data) => event === 'agent' && data.presence.presenceId === 'wide-049');
    expect(await setPresence('ana', 'wide-049')).toBe(200);
    await last;
    expect(slow.saw(LAST)).toBe(false);
    expect([board.process.exitCode, board.process.signalCode]).toEqual([null, null]);
    expect(board.stderr()).toBe('');
    expect((await fetch(new URL('/agents', url))).status).toBe(200);
    const late = rawStream(url, ['event: snapshot', LAST]); // a new client gets its snapshot, with the last change
    await late.until(() => late.saw('event: snapshot') && late.saw(LAST));
    expect(late.isClosed()).toBe(false);
    late.socket.destroy();
    reader.stop();

    const exited = new Promise<number | null>((resolve) => board.process.once('exit', (code) => resolve(code)));
    board.process.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);
});
