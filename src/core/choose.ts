import type { PresenceDefinition } from './PresenceDefinition';
import type { PresenceSource } from './PresenceState';

/**
 * The choice of a presence, made by `source`. The presence is one the checked config is known to have (the
 * config check saw to it), hence the `as`.
 */
export const choose = <Source extends PresenceSource>(presence: Pick<PresenceDefinition, 'id' | 'base'> | undefined, source: Source) => {
  const { id, base } = presence as PresenceDefinition;
  return { presenceId: id, base, source };
};
