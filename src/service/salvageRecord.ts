import {
  fieldRules,
  MAX_DURATION_MS,
  MAX_HELD_ITEMS,
  MAX_SESSIONS,
  type PresenceEvent,
  type PresenceIssue,
  type PresenceMachine,
  type PresenceState,
} from '../core/index';
import { describeValue, isPlainObject } from '../core/internal';
import type { AgentRepair } from './AgentRepair';
import type { PresenceRecord, SeenEvent } from './ports';
import { readSeenEvent, restoreRecord, snapshotRecord } from './snapshotRecord';

type Path = (string | number)[];

/**
 * What can still be read of an unreadable record, rebuilt by the machine's own rules: from the agent's initial
 * state at `now`, each signed-in session signs in again, each held work item is assigned again (and released into
 * the rest of its wrap-up, if it was in one), and a manual presence is picked again, all at `now`; each remembered
 * event id that `restoreRecord` accepts is kept (the newest `maxSeen`, the service's `dedupMaxIds`). Whatever the machine refuses, or cannot be read, is left out and
 * named in `dropped`. Nothing readable: the agent signed out at `now`. The result always passes `restoreRecord`.
 *
 * @internal
 */
export function salvageRecord(
  raw: unknown,
  agentId: string,
  machine: PresenceMachine,
  now: number,
  maxSeen: number,
): { readonly record: PresenceRecord; readonly kept: AgentRepair['kept']; readonly dropped: PresenceIssue[] } {
  const dropped: PresenceIssue[] = [];
  let input = raw;
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input);
    } catch (cause) {
      dropped.push({ path: [], message: `is not JSON (${(cause as Error).message}): nothing of it kept` });
      input = undefined;
    }
  } else if (input === undefined) {
    dropped.push({ path: [], message: 'could not be read at all: nothing of it kept' });
  }
  if (input !== undefined && !isPlainObject(input)) {
    dropped.push({ path: [], message: `must be an object (got ${describeValue(input)}): nothing of it kept` });
  }
  const root = isPlainObject(input) ? input : {};
  let old = isPlainObject(root.state) ? root.state : undefined;
  if (input !== undefined && isPlainObject(input) && old === undefined) {
    dropped.push({ path: ['state'], message: `must be an object (got ${describeValue(root.state)}): no state kept` });
  }
  if (old !== undefined && old.agentId !== agentId) {
    dropped.push({ path: ['state', 'agentId'], message: `belongs to another agent (got ${describeValue(old.agentId)}): no state kept` });
    old = undefined;
  }

  let state: PresenceState = machine.initialState(agentId, now);
  const kept = { sessions: 0, work: 0, choice: false, seen: 0 };
  const apply = (path: Path, event: PresenceEvent): boolean => {
    const transition = machine.transition(state, event);
    if (transition.rejection !== undefined) {
      dropped.push({ path, message: `not kept: ${transition.rejection.code}: ${transition.rejection.message}` });
      return false;
    }
    state = transition.state;
    return true;
  };
  const problemOf = (path: Path, problems: [string, string | undefined][]): boolean => {
    const found = problems.find(([, problem]) => problem !== undefined);
    if (found !== undefined) dropped.push({ path: [...path, found[0]], message: `${found[1]}: not kept` });
    return found !== undefined;
  };
  const items = (key: 'sessions' | 'work', limit: number): unknown[] => {
    const value = old?.[key];
    if (old === undefined || value === undefined) return [];
    if (!Array.isArray(value)) {
      dropped.push({ path: ['state', key], message: `must be an array (got ${describeValue(value)}): none kept` });
      return [];
    }
    if (value.length > limit) dropped.push({ path: ['state', key], message: `holds ${value.length} items: those after the first ${limit} not kept` });
    return value.slice(0, limit);
  };

  items('sessions', MAX_SESSIONS).forEach((session, index) => {
    const path = ['state', 'sessions', index];
    const s = isPlainObject(session) ? session : {};
    if (problemOf(path, [['sessionId', fieldRules.id(s.sessionId)]])) return;
    if (apply(path, { type: 'signIn', sessionId: s.sessionId as string, at: now })) kept.sessions++;
  });

  items('work', MAX_HELD_ITEMS).forEach((item, index) => {
    const path = ['state', 'work', index];
    const w = isPlainObject(item) ? item : {};
    const invalid = problemOf(path, [
      ['workItemId', fieldRules.id(w.workItemId)],
      ['units', fieldRules.units(w.units)],
      ['profile', w.profile === undefined ? undefined : fieldRules.id(w.profile)],
      ['wrapUpUntil', w.wrapUpUntil === undefined ? undefined : fieldRules.time(w.wrapUpUntil)],
    ]);
    if (invalid) return;
    const wrapUpUntil = w.wrapUpUntil as number | undefined;
    if (wrapUpUntil !== undefined && wrapUpUntil <= now) {
      dropped.push({ path: [...path, 'wrapUpUntil'], message: `its wrap-up ended (${wrapUpUntil}): not kept` });
      return;
    }
    const workItemId = w.workItemId as string;
    const assigned: PresenceEvent = {
      type: 'workAssigned',
      workItemId,
      units: w.units as number,
      ...(w.profile !== undefined ? { profile: w.profile as string } : {}),
      at: now,
    };
    if (!apply(path, assigned)) return;
    if (wrapUpUntil !== undefined) apply(path, { type: 'workReleased', workItemId, at: now, wrapUpMs: Math.min(wrapUpUntil - now, MAX_DURATION_MS) });
    kept.work++;
  });

  const choice = isPlainObject(old?.choice) ? old.choice : undefined;
  if (choice !== undefined && choice.source === 'manual') {
    const path = ['state', 'choice'];
    if (!problemOf(path, [['presenceId', fieldRules.id(choice.presenceId)]])) {
      kept.choice = apply(path, { type: 'setPresence', presenceId: choice.presenceId as string, at: now });
    }
  }

  const seen: SeenEvent[] = [];
  if (Array.isArray(root.seen)) {
    // The newest `maxSeen` only (the service remembers no more): a record holding millions costs no more than that.
    const first = Math.max(0, root.seen.length - maxSeen);
    if (first > 0)
      dropped.push({ path: ['seen'], message: `holds ${root.seen.length} remembered ids: the oldest ${first} not kept (dedupMaxIds is ${maxSeen})` });
    for (let index = first; index < root.seen.length; index++) {
      const read = readSeenEvent(root.seen[index]);
      if ('event' in read) {
        seen.push(read.event);
        kept.seen++;
      } else {
        dropped.push({ path: ['seen', index, ...read.issue.path], message: `${read.issue.message}: not kept` });
      }
    }
  }

  const record: PresenceRecord = { state, seen };
  try {
    restoreRecord(snapshotRecord(record));
    return { record, kept, dropped };
  } catch (error) {
    // Never expected (the machine made the state, restoreRecord took each seen event): keep nothing rather than save it.
    dropped.push({ path: [], message: `the rebuilt record was refused (${(error as Error).message}): signed out instead` });
    return { record: { state: machine.initialState(agentId, now), seen: [] }, kept: { sessions: 0, work: 0, choice: false, seen: 0 }, dropped };
  }
}
