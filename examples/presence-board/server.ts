/**
 * The presence board: a supervisor board and a presence picker in the browser, live over server-sent events.
 *
 *   npx tsx examples/presence-board/server.ts             # http://127.0.0.1:3000/
 *   PORT=8080 npx tsx examples/presence-board/server.ts
 *
 * Then open the page, pick presences, and assign work from a terminal:
 *
 *   curl -s -H 'content-type: application/json' -d '{"type":"workAssigned","workItemId":"chat-2","units":60}' \
 *     http://127.0.0.1:3000/agents/ben/events
 *
 * The server stamps every command's `at` with its own clock; an `at` in the body is overwritten.
 *
 * It runs until interrupted (Ctrl-C). It listens on 127.0.0.1 only: the board has no authentication.
 */
import { createBoardServer } from './createBoardServer';
import { createDemoBoard } from './createDemoBoard';

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`PORT must be a port number (got ${JSON.stringify(process.env.PORT)})`);

const demo = await createDemoBoard();
const board = createBoardServer(demo);
const { url } = await board.listen(port, '127.0.0.1');
console.log(`presence board on ${url} — agents ${demo.agents.join(', ')}; Ctrl-C to stop`);

const stop = async () => {
  await board.close();
  await demo.service.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
