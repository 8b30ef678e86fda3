// Example 14 of the TSDoc in src/service/ports.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
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
