/**
 * The playground's config presets: each is a plain `PresenceConfig` handed to `createPresenceMachine`, with the
 * values the page's inputs start from.
 */
import type { PresenceConfig } from 'agent-presence';

/** A config the page can start from. */
export interface Preset {
  /** Used in the preset picker and in `data-preset`. */
  readonly id: string;
  readonly title: string;
  /** One or two sentences on what the preset shows and what to try. */
  readonly description: string;
  readonly config: PresenceConfig;
  /** What the units input starts at. */
  readonly units: number;
}

/** Five standard presences, capacity 100 for everyone, no timers: capacity and manual picks alone. */
const standard: Preset = {
  id: 'standard',
  title: 'Standard',
  description:
    'createPresenceMachine() with no config: the five standard presences, 100 units of capacity, nothing expires. ' + 'Sign in, assign chats, pick a presence.',
  config: {},
  units: 40,
};

/** A chat team: 100 units, at most 3 chats, a custom "In training" presence and a wrap-up presence. */
const chatTeam: Preset = {
  id: 'chat-team',
  title: 'Chat team',
  description:
    'Capacity 100 units and at most 3 chats; each chat takes the units you give it. Two chats of 50 fill the ' +
    'capacity (Do not disturb). A release with wrap-up holds its units until the wrap-up ends.',
  config: {
    presences: [
      { id: 'away-training', name: 'Away – In training', text: 'In training', base: 'Away' },
      { id: 'busy-wrap-up', name: 'Busy – Wrap-up', text: 'Wrapping up', base: 'Busy', selectable: false },
    ],
    defaultProfile: { capacity: 100, maxWorkItems: 3, wrapUpPresenceId: 'busy-wrap-up' },
  },
  units: 50,
};

/** Sessions that expire, idleness and a default wrap-up. */
const sessions: Preset = {
  id: 'sessions',
  title: 'Sessions, idle and wrap-up',
  description:
    'A session not heard from for 90 s expires (send heartbeats), 2 min without activity make the agent idle ' +
    '(Appear away), and every release has 30 s of wrap-up unless it says otherwise. Advance the clock to see them.',
  config: {
    presences: [{ id: 'busy-wrap-up', name: 'Busy – Wrap-up', text: 'Wrapping up', base: 'Busy', selectable: false }],
    defaultProfile: {
      capacity: 100,
      sessionTtlMs: 90_000,
      idleAfterMs: 120_000,
      wrapUpMs: 30_000,
      wrapUpPresenceId: 'busy-wrap-up',
    },
  },
  units: 40,
};

/** The presets, the first one being the page's start. */
export const PRESETS: readonly Preset[] = [standard, chatTeam, sessions];
