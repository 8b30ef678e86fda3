import type { PresenceDefinition } from './PresenceDefinition';

/**
 * The five standard presences every machine has, one per base status, with fixed ids:
 * `available`, `busy`, `busy-dnd`, `away`, `offline`. Every agent may select them.
 *
 * @category Presences
 * @example
 * ```ts
 * import { STANDARD_PRESENCES } from 'agent-presence';
 * for (const p of STANDARD_PRESENCES) console.log(`${p.id}: ${p.text} (${p.base})`);
 * // available: Available (Available) … busy-dnd: Do not disturb (BusyDND) … away: Appear away (Away) …
 * ```
 */
export const STANDARD_PRESENCES: readonly PresenceDefinition[] = [
  {
    id: 'available',
    name: 'Available',
    text: 'Available',
    base: 'Available',
    description: 'Ready for work; routing offers new work.',
    active: true,
    standard: true,
  },
  {
    id: 'busy',
    name: 'Busy',
    text: 'Busy',
    base: 'Busy',
    description: 'Working, with capacity left; routing may still offer work.',
    active: true,
    standard: true,
  },
  {
    id: 'busy-dnd',
    name: 'Busy DND',
    text: 'Do not disturb',
    base: 'BusyDND',
    description: 'Capacity used up or chosen; routing offers no new work.',
    active: true,
    standard: true,
  },
  {
    id: 'away',
    name: 'Away',
    text: 'Appear away',
    base: 'Away',
    description: 'Away from the desk; routing offers no new work.',
    active: true,
    standard: true,
  },
  {
    id: 'offline',
    name: 'Offline',
    text: 'Offline',
    base: 'Offline',
    description: 'Signed out or chosen offline; routing offers no work.',
    active: true,
    standard: true,
  },
];
