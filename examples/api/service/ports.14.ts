// Example 14 of the TSDoc in src/service/ports.ts, copied by `npm run examples:extract`: edit it there, not here.
import type { HistoryStore, PresenceChange } from 'agent-presence/service';
const log: PresenceChange[] = [];
const history: HistoryStore = {
  append: (change) => void log.push(change),
  read: (agentId, { from, to }) => {
    const mine = log.filter((c) => c.agentId === agentId && c.at < to);
    const before = mine.filter((c) => c.at <= from).at(-1);
    return [...(before ? [before] : []), ...mine.filter((c) => c.at > from)];
  },
};
export {};
