import type { BaseStatus, HeldWorkItem, PresenceChoice, PresenceEvent, RejectionCode } from '../core/index';
import type { ModelAgentRules } from './modelAgentRules';

/**
 * What the reference model decides a presence from: signed in or not, the choice in force (a manual pick or a
 * sticky default), and the work held.
 *
 * @internal
 */
export interface ModelFacts {
  readonly signedIn: boolean;
  readonly choice: PresenceChoice | null;
  readonly work: readonly HeldWorkItem[];
}

/** One field of an event: what a good value is, and whether the field must be there. */
export interface ModelField {
  readonly required: boolean;
  readonly ok: (value: unknown) => boolean;
}

/**
 * The rules of one event type: its fields beside `type`, and what it does to the facts at its applied time `at`
 * (or the code it is refused with).
 *
 * @internal
 */
export interface ModelEventRule<E extends PresenceEvent> {
  readonly fields: Readonly<Record<string, ModelField>>;
  apply(facts: ModelFacts, event: E, agent: ModelAgentRules, at: number): ModelFacts | RejectionCode;
}

/** @internal The rules of every event type; TypeScript insists on one entry per type of `PresenceEvent`. */
export type ModelEventRules = { readonly [T in PresenceEvent['type']]: ModelEventRule<Extract<PresenceEvent, { type: T }>> };

/** An id: a string, not blank, at most 256 characters. */
const isId = (value: unknown) => typeof value === 'string' && value.trim() !== '' && value.length <= 256;
/** A time or an amount: a finite number, not negative. */
const isAmount = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;

const required = (ok: (value: unknown) => boolean): ModelField => ({ required: true, ok });
const optional = (ok: (value: unknown) => boolean): ModelField => ({ required: false, ok });

/** Fields every event has. */
const COMMON = { at: required(isAmount), eventId: optional(isId) };

/** Away, Do not disturb and Offline picks stay through work events; Available and Busy picks give way to capacity. */
export const isSticky = (base: BaseStatus): boolean => base === 'Away' || base === 'BusyDND' || base === 'Offline';

/** The choice left after a work event. */
const afterWork = (choice: PresenceChoice | null): PresenceChoice | null =>
  choice !== null && isSticky(choice.base) ? choice : null;

const holds = (facts: ModelFacts, workItemId: string) => facts.work.some((item) => item.workItemId === workItemId);

/**
 * The rules, one entry per event type. To model a new event: add its entry here (fields and `apply`), and its
 * generator to `EVENT_GENERATORS` in presenceEventArb.ts.
 *
 * @internal
 */
export const modelEventRules: ModelEventRules = {
  signIn: {
    fields: { ...COMMON },
    apply(facts, _event, agent) {
      if (facts.signedIn) return facts; // already signed in: nothing to do
      const byDefault = agent.presence(agent.defaultPresenceId) as { id: string; base: BaseStatus };
      const choice = isSticky(byDefault.base) ? { presenceId: byDefault.id, base: byDefault.base, source: 'default' as const } : null;
      return { ...facts, signedIn: true, choice };
    },
  },

  signOut: {
    fields: { ...COMMON },
    apply: (facts) => ({ ...facts, signedIn: false, choice: null }), // work stays held
  },

  setPresence: {
    fields: { presenceId: required(isId), ...COMMON },
    apply(facts, event, agent) {
      const presence = agent.presence(event.presenceId);
      if (!facts.signedIn) return 'NOT_SIGNED_IN';
      if (presence === undefined) return 'UNKNOWN_PRESENCE';
      if (!presence.active) return 'PRESENCE_INACTIVE';
      if (!agent.mayPick(event.presenceId)) return 'PRESENCE_NOT_ALLOWED';
      return { ...facts, choice: { presenceId: presence.id, base: presence.base, source: 'manual' } };
    },
  },

  workAssigned: {
    fields: { workItemId: required(isId), units: required(isAmount), ...COMMON },
    apply(facts, event, _agent, at) {
      if (holds(facts, event.workItemId)) return 'DUPLICATE_WORK_ITEM';
      const item = { workItemId: event.workItemId, units: event.units + 0 /* JSON has no -0 */, since: at };
      return { ...facts, work: [...facts.work, item], choice: afterWork(facts.choice) };
    },
  },

  workReleased: {
    fields: { workItemId: required(isId), ...COMMON },
    apply(facts, event) {
      if (!holds(facts, event.workItemId)) return 'UNKNOWN_WORK_ITEM';
      const work = facts.work.filter((item) => item.workItemId !== event.workItemId);
      return { ...facts, work, choice: afterWork(facts.choice) };
    },
  },
};
