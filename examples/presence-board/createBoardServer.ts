/**
 * The presence board's HTTP server: plain `node:http`, no framework.
 *
 *   GET  /                   the board page (board.html)
 *   GET  /agents             the board: every agent's presence, capacity use and selectable presences
 *   GET  /events             server-sent events: `snapshot` (the board) on connect, then `presence` (each
 *                            PresenceChange the service saves) and `agent` (the agent's row after each change and
 *                            after each command, so capacity moves that leave the presence as it was show too)
 *   HEAD /events             the stream's headers alone (never attached to the stream)
 *   POST /agents/:id/events  a command (a presence event as JSON) through `service.dispatchRaw`, its `at` stamped
 *                            from the server's clock (a client's `at`, if any, is overwritten):
 *                            200 applied · 400 malformed (`issues` name each field) · 409 refused (`code`, `message`)
 *                            · 404 not an agent of the board · 415 not JSON · 413 too large
 *
 * It has no authentication: it binds to a loopback address only and answers only requests whose Host is one.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatPath, type PresenceIssue, type PresenceMachine } from 'agent-presence';
import { PresenceEventError } from 'agent-presence/schema';
import { createSystemClock, PresenceConflictError, type Clock, type PresenceChange, type PresenceService } from 'agent-presence/service';
import { boardAgentOf, type BoardAgent } from './boardAgentOf';
import { createEventStream, EVENT_STREAM_HEADERS, sseFrame } from './createEventStream';
import { loadBoardPage } from './loadBoardPage';

/** What `createBoardServer` takes. */
export interface BoardServerOptions {
  /** The presence service the board shows and commands. The board does not close it. */
  readonly service: PresenceService;
  /** Resolves presence, capacity and selectable presences. Default: the service's machine at each use. */
  readonly machine?: PresenceMachine;
  /** The agents on the board, in display order; commands for other agents get a 404. */
  readonly agents: readonly string[];
  /**
   * The clock every command's `at` is stamped from: give the service's own clock. A browser's clock may be minutes
   * off (a sign-in stamped two minutes slow would outlive a 90-second session time-to-live at once), so whatever
   * `at` a client sends is overwritten. Default: `createSystemClock()` (`Date.now()`).
   */
  readonly clock?: Clock;
}

/** Where a board server listens. */
export interface BoardAddress {
  readonly host: string;
  readonly port: number;
  /** `http://127.0.0.1:3000/` */
  readonly url: string;
}

/** A board server, not yet listening. */
export interface BoardServer {
  /**
   * @param port - the port; 0 picks a free one (default 3000)
   * @param host - a loopback address (default 127.0.0.1)
   * @returns where it listens
   * @throws RangeError for a host that is not a loopback address
   */
  listen(port?: number, host?: string): Promise<BoardAddress>;
  /** Ends the event streams and the connections, and stops listening. */
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const MAX_BODY_BYTES = 16 * 1024;

/** An error answered with its status and JSON body. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: { readonly code: string; readonly message: string; readonly [more: string]: unknown },
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

/**
 * @param body - the request body, as received
 * @param at - the server's time
 * @returns the event as a JSON object with `at` set to `at` (any `at` the client sent is overwritten); a body that
 *   is not a JSON object is returned as it came, so that `dispatchRaw` names what is wrong with it
 */
function stampAt(body: string, at: number): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? { ...parsed, at } : body;
}

/** An issue for a JSON answer: `field` as `formatPath` writes it (`units`, `(root)`), and the path as given. */
const describeIssue = (issue: PresenceIssue) => ({ field: formatPath(issue.path), path: issue.path, message: issue.message });

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  // Requiring JSON also keeps other web pages out: a cross-origin JSON POST needs a CORS preflight, never granted.
  if (type !== 'application/json') {
    throw new HttpError(415, {
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: `content-type must be application/json (got ${JSON.stringify(req.headers['content-type'] ?? '')})`,
    });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, { code: 'PAYLOAD_TOO_LARGE', message: `the body must be at most ${MAX_BODY_BYTES} bytes` });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * @param options - the service, the machine and the agents on the board
 * @returns the server, to `listen` on a loopback address
 * @throws TypeError when `agents` is not a list of distinct agent ids
 */
export function createBoardServer(options: BoardServerOptions): BoardServer {
  const { service, agents, clock = createSystemClock() } = options;
  if (!Array.isArray(agents) || agents.length === 0 || agents.some((a) => typeof a !== 'string' || a === '') || new Set(agents).size !== agents.length) {
    throw new TypeError('createBoardServer: agents must be a non-empty list of distinct agent ids');
  }
  const onBoard = new Set(agents);
  const machine = () => options.machine ?? service.machine;
  const page = loadBoardPage();
  const stream = createEventStream();
  /** The highest version of each agent's row sent on the stream, so a row is never sent twice or backwards. */
  const sent = new Map<string, number>();

  const rowOf = async (agentId: string): Promise<BoardAgent> => {
    const { state, version } = await service.get(agentId);
    return boardAgentOf(machine(), state, version);
  };
  const board = () => Promise.all(agents.map(rowOf));
  const publishRow = (row: BoardAgent) => {
    if ((sent.get(row.agentId) ?? -1) >= row.version) return;
    sent.set(row.agentId, row.version);
    stream.broadcast('agent', row);
  };
  const reportError = (error: unknown) => console.error('presence board:', error);

  const unsubscribe = service.subscribe((change: PresenceChange) => {
    if (!onBoard.has(change.agentId)) return;
    stream.broadcast('presence', change);
    rowOf(change.agentId).then(publishRow, reportError);
  });

  const command = async (req: IncomingMessage, res: ServerResponse, rawId: string) => {
    let agentId: string;
    try {
      agentId = decodeURIComponent(rawId);
    } catch {
      throw new HttpError(400, {
        code: 'INVALID_EVENT',
        message: 'agentId: must be a valid URL-encoded id',
        issues: [{ field: 'agentId', path: ['agentId'], message: 'must be a valid URL-encoded id' }],
      });
    }
    if (!onBoard.has(agentId)) throw new HttpError(404, { code: 'UNKNOWN_AGENT', message: `no agent ${JSON.stringify(agentId)} on this board` });
    const body = await readBody(req);
    let result;
    try {
      result = await service.dispatchRaw(agentId, stampAt(body, clock.now()));
    } catch (error) {
      if (error instanceof PresenceEventError) {
        throw new HttpError(400, { code: 'INVALID_EVENT', message: error.message, issues: error.issues.map(describeIssue) });
      }
      if (error instanceof PresenceConflictError) throw new HttpError(503, { code: 'CONFLICT', message: error.message });
      throw error;
    }
    const row = boardAgentOf(machine(), result.state, result.version);
    publishRow(row); // capacity moves that leave the presence as it was publish no PresenceChange
    if (result.rejection !== undefined) {
      const status = result.rejection.code === 'INVALID_EVENT' ? 400 : 409;
      sendJson(res, status, { code: result.rejection.code, message: result.rejection.message, agent: row });
      return;
    }
    sendJson(res, 200, {
      changed: result.changed,
      duplicate: result.duplicate,
      version: result.version,
      ...(result.late !== undefined ? { late: result.late } : {}),
      agent: row,
    });
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const hostname = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    // Against DNS rebinding: a page on another site resolving its own name to 127.0.0.1 sends its own Host.
    if (!LOOPBACK_HOSTS.has(hostname))
      throw new HttpError(403, { code: 'FORBIDDEN_HOST', message: `Host must be a loopback address (got ${JSON.stringify(req.headers.host ?? '')})` });
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = req.method ?? 'GET';
    const only = (allowed: string) => {
      if (method !== allowed && !(allowed === 'GET' && method === 'HEAD')) {
        throw new HttpError(
          405,
          { code: 'METHOD_NOT_ALLOWED', message: `${method} ${path}: use ${allowed}` },
          { allow: allowed === 'GET' ? 'GET, HEAD' : allowed },
        );
      }
    };

    if (path === '/') {
      only('GET');
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': page.contentSecurityPolicy,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      res.end(method === 'HEAD' ? undefined : page.html);
      return;
    }
    if (path === '/agents') {
      only('GET');
      sendJson(res, 200, { agents: await board() });
      return;
    }
    if (path === '/events') {
      only('GET');
      if (method === 'HEAD') {
        res.writeHead(200, EVENT_STREAM_HEADERS);
        res.end();
        return;
      }
      stream.attach(res, async () => sseFrame('snapshot', { agents: await board() }));
      return;
    }
    const match = /^\/agents\/([^/]+)\/events$/.exec(path);
    if (match !== null) {
      only('POST');
      await command(req, res, match[1] as string);
      return;
    }
    throw new HttpError(404, { code: 'NOT_FOUND', message: `nothing at ${method} ${path}` });
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.end();
      if (error instanceof HttpError) return sendJson(res, error.status, error.body, error.headers);
      reportError(error);
      sendJson(res, 500, { code: 'INTERNAL', message: 'the board server failed; see its log' });
    });
  });

  return {
    listen(port = 3000, host = '127.0.0.1') {
      if (!LOOPBACK_HOSTS.has(host)) {
        return Promise.reject(new RangeError(`listen: the board has no authentication; bind it to a loopback address, not ${JSON.stringify(host)}`));
      }
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host.replace(/^\[|\]$/g, ''), () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve({ host: address.address, port: address.port, url: `http://${shown}:${address.port}/` });
        });
      });
    },
    close() {
      unsubscribe();
      stream.close();
      return new Promise((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
