import { request } from 'node:http';
import { connect } from 'node:net';
import { createPresenceMachine } from 'agent-presence';
import { createPresenceService } from 'agent-presence/service';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBoardServer, type BoardServer } from '../../examples/presence-board/createBoardServer';
import { createDemoBoard, type DemoBoard } from '../../examples/presence-board/createDemoBoard';
import type { BoardAgent } from '../../examples/presence-board/boardAgentOf';

/**
 * The presence board's HTTP API without a browser: the board snapshot, commands through `dispatchRaw` (400 naming
 * the field, 409 with the rejection code), and the server-sent events a board follows.
 */

let demo: DemoBoard;
let server: BoardServer;
let base: string;

beforeEach(async () => {
  demo = await createDemoBoard();
  server = createBoardServer(demo);
  base = (await server.listen(0, '127.0.0.1')).url;
});

afterEach(async () => {
  await server.close();
  await demo.service.close();
});

const post = (agentId: string, body: unknown, contentType = 'application/json') =>
  fetch(`${base}agents/${agentId}/events`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const board = async (): Promise<BoardAgent[]> => ((await (await fetch(`${base}agents`)).json()) as { agents: BoardAgent[] }).agents;
const row = async (agentId: string): Promise<BoardAgent> => {
  const found = (await board()).find((a) => a.agentId === agentId);
  if (found === undefined) throw new Error(`no row for ${agentId}`);
  return found;
};

interface ServerSentEvent {
  readonly event: string;
  readonly data: any;
}

/**
 * Follows `GET /events`: `next(accept)` resolves with the first event (from where it left off) that `accept` takes;
 * `log` holds every event received.
 */
async function follow(url: string) {
  const abort = new AbortController();
  const response = await fetch(url, { signal: abort.signal });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const seen: ServerSentEvent[] = [];
  const log: ServerSentEvent[] = [];
  const next = async (accept: (e: ServerSentEvent) => boolean): Promise<ServerSentEvent> => {
    for (;;) {
      const frames = buffer.split('\n\n');
      buffer = frames.pop() ?? '';
      for (const frame of frames) {
        const event = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (event === undefined || data === undefined) continue;
        seen.push({ event, data: JSON.parse(data) });
        log.push({ event, data: JSON.parse(data) });
      }
      const index = seen.findIndex(accept);
      if (index >= 0) return seen.splice(0, index + 1).at(-1) as ServerSentEvent;
      const { value, done } = await reader.read();
      if (done) throw new Error('the event stream ended');
      buffer += decoder.decode(value, { stream: true });
    }
  };
  return { next, log, stop: () => abort.abort() };
}

describe('presence board HTTP API', () => {
  it('GET /agents lists each agent with presence, base, capacity use and selectable presences, in board order', async () => {
    const agents = await board();
    expect(agents.map((a) => a.agentId)).toEqual(['ana', 'ben', 'cleo', 'dev', 'eve']);
    const [ana, ben, cleo, dev, eve] = agents;
    expect(ana).toMatchObject({ signedIn: true, presence: { presenceId: 'available', text: 'Available', base: 'Available' } });
    expect(ben).toMatchObject({
      presence: { presenceId: 'busy', base: 'Busy', source: 'capacity' },
      capacity: { level: 'partial', units: { used: 40, capacity: 100, free: 60 }, items: { held: 1, max: 4 }, profiles: { chat: { held: 1, max: 3 } } },
    });
    expect(cleo?.presence).toMatchObject({ text: 'Appear away', base: 'Away', source: 'manual' });
    expect(cleo?.selectable.map((p) => p.id)).toEqual(['available', 'busy', 'busy-dnd', 'away', 'offline', 'away-training']);
    expect(ana?.selectable.map((p) => p.id)).toContain('busy-wrap-up');
    expect(dev?.presence).toMatchObject({ presenceId: 'away-training', text: 'In training', base: 'Away' });
    expect(eve).toMatchObject({ signedIn: false, version: 0, presence: { base: 'Offline' }, selectable: [] });
  });

  it('answers malformed commands with 400 naming each bad field, and changes nothing', async () => {
    const before = await row('ben');
    const response = await post('ben', { type: 'workAssigned', workItemId: '', units: -1, at: Date.now() });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; message: string; issues: { field: string; message: string }[] };
    expect(body.code).toBe('INVALID_EVENT');
    expect(body.issues).toEqual([
      { field: 'workItemId', path: ['workItemId'], message: 'must be a non-empty string of ≤ 256 characters (got "")' },
      { field: 'units', path: ['units'], message: 'must be a finite number ≥ 0 (got -1)' },
    ]);
    expect(body.message).toContain('- units: must be a finite number ≥ 0 (got -1)');

    const notJson = await post('ben', '{"type": "signIn",');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { issues: { field: string; message: string }[] }).issues[0]).toMatchObject({
      field: '(root)',
      message: expect.stringMatching(/^must be JSON/),
    });

    // What is not a JSON object is named at the root, as it came: a JSON string is not read as JSON again.
    for (const body of ['[{"type": "signOut"}]', JSON.stringify(JSON.stringify({ type: 'signOut' })), 'null']) {
      const notObject = await post('ben', body);
      expect(notObject.status).toBe(400);
      expect(((await notObject.json()) as { issues: { field: string }[] }).issues.map((i) => i.field)).toEqual(['(root)']);
    }

    expect(await row('ben')).toEqual(before);
  });

  it('answers refused commands with 409, the rejection code and message', async () => {
    const unknown = await post('ana', { type: 'setPresence', presenceId: 'nope', at: Date.now() });
    expect(unknown.status).toBe(409);
    expect(await unknown.json()).toMatchObject({ code: 'UNKNOWN_PRESENCE', message: expect.stringContaining('"nope"') });

    const signedOut = await post('eve', { type: 'setPresence', presenceId: 'away', at: Date.now() });
    expect(signedOut.status).toBe(409);
    expect(await signedOut.json()).toMatchObject({ code: 'NOT_SIGNED_IN', agent: { agentId: 'eve', signedIn: false } });

    const notAllowed = await post('cleo', { type: 'setPresence', presenceId: 'busy-wrap-up', at: Date.now() });
    expect(notAllowed.status).toBe(409);
    expect(((await notAllowed.json()) as { code: string }).code).toBe('PRESENCE_NOT_ALLOWED');
  });

  it('applies a valid command with 200 and the agent row after it', async () => {
    const response = await post('eve', { type: 'signIn', at: Date.now() });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      changed: true,
      duplicate: false,
      version: 1,
      agent: { agentId: 'eve', signedIn: true, presence: { base: 'Available' } },
    });
    expect((await row('eve')).selectable.length).toBeGreaterThan(0);
  });

  it('refuses what is not a board command: unknown agent 404, not JSON 415, wrong method 405, unknown path 404', async () => {
    const stranger = await post('zed', { type: 'signIn', at: Date.now() });
    expect(stranger.status).toBe(404);
    expect(((await stranger.json()) as { code: string }).code).toBe('UNKNOWN_AGENT');
    expect((await post('ana', JSON.stringify({ type: 'signOut', at: Date.now() }), 'text/plain')).status).toBe(415);
    expect((await row('ana')).signedIn).toBe(true);
    const wrongMethod = await fetch(`${base}agents`, { method: 'DELETE' });
    expect([wrongMethod.status, wrongMethod.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    expect((await fetch(`${base}nothing-here`)).status).toBe(404);
  });

  it('answers only requests addressed to a loopback host, and listens only on one', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}agents`, { headers: { host: 'board.example.com' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    const exposed = createBoardServer(demo);
    await expect(exposed.listen(0, '0.0.0.0')).rejects.toThrow(/loopback/);
    await exposed.close();
  });

  it('serves one self-contained page whose policy allows no other origin', async () => {
    const response = await fetch(base);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/default-src 'none'/);
    expect(policy).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(policy).toMatch(/connect-src 'self'/);
    const html = await response.text();
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="(https?:)?\/\//i);
    expect(html).toContain("new EventSource('/events')");
  });

  it('answers HEAD /events with the stream headers alone, and ends it: the connection serves the next request', async () => {
    const { port } = new URL(base);
    const socket = connect(Number(port), '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    // Two requests on one connection: the second is answered only once the first has ended.
    socket.write(`HEAD /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\nGET /agents HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    await new Promise((resolve) => socket.once('close', resolve));
    const [head, agents] = text.split(/(?=HTTP\/1\.1 )/);
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).toMatch(/\r\ncontent-type: text\/event-stream; charset=utf-8\r\n/i);
    expect(head).toMatch(/\r\n\r\n$/); // headers only: no `retry:`, no snapshot
    expect(agents).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(agents).toContain('"agentId":"eve"');
  });

  it('streams a snapshot on connect, then each presence change and each agent row as commands apply', async () => {
    const stream = await follow(`${base}events`);
    try {
      const snapshot = await stream.next((e) => e.event === 'snapshot');
      expect(snapshot.data.agents.map((a: BoardAgent) => a.agentId)).toEqual(['ana', 'ben', 'cleo', 'dev', 'eve']);

      expect((await post('ana', { type: 'workAssigned', workItemId: 'chat-7', units: 30, at: Date.now() })).status).toBe(200);
      const change = await stream.next((e) => e.event === 'presence');
      expect(change.data).toMatchObject({ agentId: 'ana', from: { text: 'Available' }, to: { text: 'Busy', base: 'Busy' }, source: 'capacity', version: 2 });
      const anaRow = await stream.next((e) => e.event === 'agent' && e.data.agentId === 'ana');
      expect(anaRow.data).toMatchObject({ version: 2, presence: { base: 'Busy' }, capacity: { units: { used: 30 } } });

      // Capacity moves while the presence stays Busy: no presence change, but the row follows.
      expect((await post('ben', { type: 'workAssigned', workItemId: 'chat-8', units: 20, at: Date.now() })).status).toBe(200);
      const benRow = await stream.next((e) => e.event === 'agent' && e.data.agentId === 'ben');
      expect(benRow.data).toMatchObject({ presence: { base: 'Busy' }, capacity: { level: 'partial', units: { used: 60 }, items: { held: 2 } } });
      expect(stream.log.filter((e) => e.event === 'presence' && e.data.agentId === 'ben')).toEqual([]);

      // A change made through the service directly (not this server) reaches the stream too.
      await demo.service.dispatch('cleo', { type: 'setPresence', presenceId: 'away-training', at: Date.now() });
      const cleo = await stream.next((e) => e.event === 'presence');
      expect(cleo.data).toMatchObject({ agentId: 'cleo', to: { text: 'In training' }, source: 'manual' });
      expect((await stream.next((e) => e.event === 'agent' && e.data.agentId === 'cleo')).data.presence.presenceId).toBe('away-training');
    } finally {
      stream.stop();
    }
  });
});

describe('presence board time', () => {
  it("stamps every command with the server clock: a client's `at`, two minutes slow or missing, is not used", async () => {
    let now = 1_750_000_000_000;
    const clock = { now: () => now };
    const machine = createPresenceMachine({ defaultProfile: { sessionTtlMs: 90_000 } });
    const service = createPresenceService({ machine, clock });
    const server = createBoardServer({ service, agents: ['ana', 'ben', 'cleo'], clock });
    const url = (await server.listen(0, '127.0.0.1')).url;
    const send = async (agentId: string, event: unknown) => {
      const response = await fetch(`${url}agents/${agentId}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
      });
      return { status: response.status, body: (await response.json()) as { agent: BoardAgent } };
    };
    try {
      // A browser two minutes slow signs in: at its own time, the 90-second session would be over already.
      const slow = await send('ana', { type: 'signIn', sessionId: 'tab-1', at: now - 120_000 });
      expect(slow.status).toBe(200);
      expect(slow.body.agent).toMatchObject({ signedIn: true, presence: { since: now } });
      now += 89_000;
      await service.dispatch('ana', { type: 'tick', at: now });
      expect((await service.get('ana')).state.signedIn).toBe(true);
      now += 2_000; // 91 s after the server took the sign-in: the session is over
      await service.dispatch('ana', { type: 'tick', at: now });
      expect((await service.get('ana')).state.signedIn).toBe(false);

      // No `at`, an `at` ahead, an `at` that is not a time: all applied at the server's time.
      expect(await send('ben', { type: 'signIn' })).toMatchObject({ status: 200, body: { agent: { signedIn: true, presence: { since: now } } } });
      now += 1_000;
      expect(await send('ben', { type: 'setPresence', presenceId: 'away', at: now + 3_600_000 })).toMatchObject({
        status: 200,
        body: { agent: { presence: { presenceId: 'away', since: now } } },
      });
      expect(await send('cleo', { type: 'signIn', at: 'yesterday' })).toMatchObject({ status: 200, body: { agent: { presence: { since: now } } } });

      // Bad fields are still named.
      const bad = await send('ben', { type: 'setPresence', presenceId: '', at: now });
      expect(bad.status).toBe(400);
      expect((bad.body as unknown as { issues: { field: string }[] }).issues.map((i) => i.field)).toEqual(['presenceId']);
    } finally {
      await server.close();
      await service.close();
    }
  });
});
