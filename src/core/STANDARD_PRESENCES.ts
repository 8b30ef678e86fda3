import type { PresenceDefinition } from './PresenceDefinition';

/**
 * The six standard presences every machine has, with fixed ids: one per base status (`available`, `busy`,
 * `busy-dnd`, `away`, `offline`), which every agent may select, and the system presence `inactive` (base Away,
 * text "Inactive"), which only rules set (for example `onMissed: 'inactive'`).
 *
 * @category Presences
 * @example
 * ```ts
 * import { STANDARD_PRESENCES } from 'agent-presence';
 * for (const p of STANDARD_PRESENCES) console.log(`${p.id}: ${p.text} (${p.base})`);
 * // available: Available (Available) … busy-dnd: Do not disturb (BusyDND) … away: Appear away (Away) …
 * ```
 */
export const STANDARD_PRESENCES: readonly PresenceDefinition[] = (
  [
    ['available', 'Available', 'Available', 'Available', 'Routing offers new work.'],
    ['busy', 'Busy', 'Busy', 'Busy', 'Routing may still offer work.'],
    ['busy-dnd', 'Busy DND', 'Do not disturb', 'BusyDND', 'Routing offers no new work.'],
    ['away', 'Away', 'Appear away', 'Away', 'Routing offers no new work.'],
    ['offline', 'Offline', 'Offline', 'Offline', 'Routing offers no work.'],
    ['inactive', 'Inactive', 'Inactive', 'Away', 'Set by the system; the agent cannot pick it.'],
  ] as const
).map(([id, name, text, base, description]) => ({ id, name, text, base, description, active: true, selectable: id !== 'inactive', standard: true }));
