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
    ['available', 'Available', 'Available', 'Available'],
    ['busy', 'Busy', 'Busy', 'Busy'],
    ['busy-dnd', 'Busy DND', 'Do not disturb', 'BusyDND'],
    ['away', 'Away', 'Appear away', 'Away'],
    ['offline', 'Offline', 'Offline', 'Offline'],
    ['inactive', 'Inactive', 'Inactive', 'Away'],
  ] as const
).map(([id, name, text, base]) => ({ id, name, text, base, description: '', active: true, selectable: id !== 'inactive', standard: true }));
