// Example 1 of the TSDoc in src/testing/hostileInputArb.ts, copied by `npm run examples:extract`: edit it there, not here.
import fc from 'fast-check';
import { PresenceEventError, safeParseEvent } from 'agent-presence/schema';
import { hostileInputArb } from 'agent-presence/testing';
fc.assert(
  fc.property(hostileInputArb(), (input) => {
    const result = safeParseEvent(input);
    return (result.success || result.error instanceof PresenceEventError) && ({} as { polluted?: unknown }).polluted === undefined;
  }),
  { numRuns: 200 },
);
export {};
