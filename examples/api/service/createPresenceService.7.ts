// Example 7 of the TSDoc in src/service/createPresenceService.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import type { ServiceErrorContext } from 'agent-presence/service';
const onError = (error: unknown, context: ServiceErrorContext) =>
  console.warn(`presence ${context.kind} failed for ${context.agentId}:`, error);
export {};
