/**
 * A presence board server in a process of its own, for tests that must see whether the process survives (an
 * uncaught error ends it with exit code 1). Its agents' rows are wide — 50 custom presences with 1,000-character
 * names and texts, every one selectable — so each change sends about 100 KB on the event stream, and a client
 * that stops reading soon leaves the server megabytes behind. Prints `presence board on <url>`; SIGTERM closes it
 * and exits 0.
 */
import { createPresenceMachine, type PresenceConfig } from 'agent-presence';
import { createPresenceService } from 'agent-presence/service';
import { createBoardServer } from '../../examples/presence-board/createBoardServer';

const presences: PresenceConfig['presences'] = Array.from({ length: 50 }, (_, i) => ({
  id: `wide-${String(i).padStart(3, '0')}`,
  name: `${i} `.padEnd(1000, 'n'),
  text: `${i} `.padEnd(1000, 't'),
  base: i % 2 === 0 ? 'Busy' : 'Away',
}));
const machine = createPresenceMachine({ presences });
const service = createPresenceService({ machine });
const agents = ['ana', 'ben'];
for (const agentId of agents) await service.dispatch(agentId, { type: 'signIn', at: Date.now() });
const board = createBoardServer({ service, agents });
const { url } = await board.listen(0, '127.0.0.1');
console.log(`presence board on ${url}`);

const stop = async () => {
  await board.close();
  await service.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
