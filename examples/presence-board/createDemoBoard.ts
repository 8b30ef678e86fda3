/**
 * The board's demo setup: a machine with two custom presences and capacity profiles, the in-memory presence
 * service, and five agents — four signed in (one free, one on a chat, one away, one in training), one signed out.
 */
import { createPresenceMachine, type PresenceConfig, type PresenceMachine } from 'agent-presence';
import { createPresenceService, type Clock, type PresenceService } from 'agent-presence/service';

/** The demo's agents, in board order. */
export const DEMO_AGENTS = ['ana', 'ben', 'cleo', 'dev', 'eve'] as const;

/** The demo's config: standard presences plus "In training" and "Wrapping up", 100 units and item limits. */
export const DEMO_CONFIG: PresenceConfig = {
  presences: [
    { id: 'away-training', name: 'Away – In training', text: 'In training', base: 'Away' },
    { id: 'busy-wrap-up', name: 'Busy – Wrap-up', text: 'Wrapping up', base: 'Busy' },
  ],
  defaultProfile: { capacity: 100, maxWorkItems: 4, capacityProfiles: { chat: { maxItems: 3 }, voice: { maxItems: 1, blocking: true } } },
  agents: { cleo: { presenceIds: ['away-training'], capacity: 60 } },
};

/** What `createDemoBoard` returns: what `createBoardServer` takes. */
export interface DemoBoard {
  readonly machine: PresenceMachine;
  readonly service: PresenceService;
  readonly agents: readonly string[];
  /** The service's clock, which the board stamps each command's `at` from. */
  readonly clock: Clock;
}

/**
 * @param now - the clock the seed events are stamped with (default `Date.now`)
 * @returns the machine, the seeded service and the agents
 */
export async function createDemoBoard(now: () => number = Date.now): Promise<DemoBoard> {
  const machine = createPresenceMachine(DEMO_CONFIG);
  const clock: Clock = { now };
  // Never forget an agent: the board keeps each agent's highest version, which starts again at 1 after a forget.
  const service = createPresenceService({ machine, clock, forgetSignedOutAfterMs: Infinity });
  const at = now();
  for (const agentId of ['ana', 'ben', 'cleo', 'dev']) await service.dispatch(agentId, { type: 'signIn', at });
  await service.dispatch('ben', { type: 'workAssigned', workItemId: 'chat-1', units: 40, profile: 'chat', at });
  await service.dispatch('cleo', { type: 'setPresence', presenceId: 'away', at });
  await service.dispatch('dev', { type: 'setPresence', presenceId: 'away-training', at });
  return { machine, service, agents: DEMO_AGENTS, clock };
}
