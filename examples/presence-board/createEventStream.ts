/**
 * Server-sent events to every connected board: each client first gets its own opening frames (the snapshot),
 * then every broadcast, in order — broadcasts made while its snapshot was being read are held and sent after it.
 */
import type { ServerResponse } from 'node:http';

/** The clients of `GET /events`. */
export interface EventStream {
  /**
   * Turns `res` into an event stream and adds it (a response already ended or closed is left alone). A client
   * is removed as soon as its connection closes, its response fails, or it falls too far behind.
   *
   * @param res - the response of a `GET /events`
   * @param opening - the frames this client gets before any broadcast (the board snapshot)
   */
  attach(res: ServerResponse, opening: () => Promise<string>): void;
  /**
   * Sends one event to every client.
   *
   * @param event - the event name (`presence`, `agent`)
   * @param data - its data, sent as JSON
   */
  broadcast(event: string, data: unknown): void;
  /** How many clients are connected. */
  readonly size: number;
  /** Ends every stream and stops the keep-alive timer. */
  close(): void;
}

/**
 * @param event - the event name
 * @param data - the data, as JSON (one line: JSON.stringify writes no newline)
 * @returns one server-sent event frame
 */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The headers of `GET /events`, and of `HEAD /events` (which gets them alone and is never attached). */
export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * A client this far behind (bytes not yet flushed) is dropped: removed at once and its connection destroyed, which
 * frees what was buffered for it; its browser reconnects and gets a new snapshot.
 */
const MAX_BUFFERED_BYTES = 1_000_000;

/**
 * @param keepAliveMs - how often a comment line is sent so that idle connections stay open
 * @returns the set of streams
 */
export function createEventStream(keepAliveMs = 15_000): EventStream {
  const clients = new Map<ServerResponse, { held: string[] | null }>();

  /** Removes `res` and ends it: `destroy` cuts the connection (dropping what is buffered), else a clean end. */
  const drop = (res: ServerResponse, destroy: boolean) => {
    clients.delete(res);
    if (destroy) res.destroy();
    else if (!res.writableEnded) res.end();
  };
  /** Writes `frame` to a client still listed and open; a client too far behind is dropped instead. */
  const send = (res: ServerResponse, frame: string): boolean => {
    if (!clients.has(res)) return false;
    if (res.writableEnded || res.destroyed) {
      clients.delete(res);
      return false;
    }
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      drop(res, true);
      return false;
    }
    res.write(frame);
    return true;
  };
  const keepAlive = setInterval(() => {
    for (const res of clients.keys()) send(res, ': keep-alive\n\n');
  }, keepAliveMs);
  keepAlive.unref();

  return {
    attach(res, opening) {
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(200, EVENT_STREAM_HEADERS);
      res.write('retry: 2000\n\n'); // a dropped browser reconnects after 2 s, and gets a new snapshot
      const client = { held: [] as string[] | null };
      clients.set(res, client);
      res.on('close', () => clients.delete(res));
      // A failed write (the connection reset under it) drops the client rather than going unhandled.
      res.on('error', () => drop(res, true));
      opening().then(
        (frames) => {
          if (!send(res, frames)) return;
          for (const frame of client.held ?? []) if (!send(res, frame)) return;
          client.held = null;
        },
        () => drop(res, false),
      );
    },
    broadcast(event, data) {
      const frame = sseFrame(event, data);
      for (const [res, client] of clients) {
        if (client.held !== null) client.held.push(frame);
        else send(res, frame);
      }
    },
    get size() {
      return clients.size;
    },
    close() {
      clearInterval(keepAlive);
      for (const res of [...clients.keys()]) drop(res, false);
    },
  };
}
