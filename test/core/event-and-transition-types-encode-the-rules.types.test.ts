/**
 * Type tests: the public types that encode a rule, checked by the compiler. `expectTypeOf` does nothing at run
 * time; `npm run typecheck` (tsc over test/, which `npm test` runs first) fails when a type stops saying what is
 * asserted here. A `@ts-expect-error` line fails the same way when the line it marks starts to compile.
 */
import { describe, expectTypeOf, it } from 'vitest';
import {
  EVENT_TYPES,
  type PresenceEvent,
  type PresenceMachine,
  type PresenceState,
  type Rejection,
  type RejectionCode,
  type SetPresenceEvent,
  type Transition,
  type WorkAssignedEvent,
  type WorkRequest,
} from '../../src/index';

/** The event of one type. */
type EventOf<T extends PresenceEvent['type']> = Extract<PresenceEvent, { type: T }>;

describe('PresenceEvent', () => {
  it('is told apart by `type`, one of the thirteen event types, which EVENT_TYPES lists', () => {
    expectTypeOf<PresenceEvent['type']>().toEqualTypeOf<
      | 'signIn'
      | 'signOut'
      | 'heartbeat'
      | 'disconnected'
      | 'activity'
      | 'tick'
      | 'setPresence'
      | 'resetPresence'
      | 'workAssigned'
      | 'workReleased'
      | 'wrapUpEnded'
      | 'workMissed'
      | 'workRejected'
    >();
    expectTypeOf(EVENT_TYPES).toEqualTypeOf<readonly PresenceEvent['type'][]>();
  });

  it('always has a time `at`, and an optional `eventId` that may be given as undefined', () => {
    expectTypeOf<PresenceEvent['at']>().toEqualTypeOf<number>();
    expectTypeOf<PresenceEvent['eventId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<{ readonly type: 'tick' }>().not.toExtend<PresenceEvent>();
    expectTypeOf<{ readonly type: 'tick'; readonly at: number; readonly eventId: undefined }>().toExtend<PresenceEvent>();
  });

  it('has no event type outside the list', () => {
    expectTypeOf<{ readonly type: 'signedIn'; readonly at: number }>().not.toExtend<PresenceEvent>();
  });
});

describe('workAssigned', () => {
  type Base = { readonly type: 'workAssigned'; readonly workItemId: string; readonly at: number };

  it('needs units, unless it names a capacity profile', () => {
    expectTypeOf<Base & { readonly units: number }>().toExtend<WorkAssignedEvent>();
    expectTypeOf<Base & { readonly profile: string }>().toExtend<WorkAssignedEvent>();
    expectTypeOf<Base & { readonly units: number; readonly profile: string }>().toExtend<WorkAssignedEvent>();
    expectTypeOf<Base>().not.toExtend<WorkAssignedEvent>();
    expectTypeOf<Base & { readonly units: undefined }>().not.toExtend<WorkAssignedEvent>();
    expectTypeOf<Base & { readonly units: undefined; readonly profile: string }>().toExtend<WorkAssignedEvent>();
  });

  it('is the event of type workAssigned in the union, with the same rule', () => {
    expectTypeOf<EventOf<'workAssigned'>>().toEqualTypeOf<WorkAssignedEvent>();
    // @ts-expect-error -- neither units nor a profile: refused by the type, as the machine refuses it
    const missing: PresenceEvent = { type: 'workAssigned', workItemId: 'c1', at: 0 };
    void missing;
  });

  it('needs a work item id', () => {
    expectTypeOf<{ readonly type: 'workAssigned'; readonly units: number; readonly at: number }>().not.toExtend<WorkAssignedEvent>();
  });
});

describe('the other events', () => {
  it('setPresence names a presence, now or after work', () => {
    expectTypeOf<SetPresenceEvent['presenceId']>().toEqualTypeOf<string>();
    expectTypeOf<SetPresenceEvent['when']>().toEqualTypeOf<'now' | 'afterWork' | undefined>();
    expectTypeOf<{ readonly type: 'setPresence'; readonly at: number }>().not.toExtend<PresenceEvent>();
  });

  it('the session events take an optional session id; release and wrap-up end name the item; a missed or rejected offer may', () => {
    expectTypeOf<EventOf<'signIn' | 'signOut' | 'heartbeat' | 'disconnected'>['sessionId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<EventOf<'workReleased' | 'wrapUpEnded'>['workItemId']>().toEqualTypeOf<string>();
    expectTypeOf<EventOf<'workMissed' | 'workRejected'>['workItemId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<EventOf<'workReleased'>['wrapUpMs']>().toEqualTypeOf<number | undefined>();
  });
});

describe('Transition', () => {
  it('carries a refusal as data: an optional rejection with a code from a closed list and a message', () => {
    expectTypeOf<Transition['rejection']>().toEqualTypeOf<Rejection | undefined>();
    expectTypeOf<Rejection>().toEqualTypeOf<{ readonly code: RejectionCode; readonly message: string }>();
    expectTypeOf<RejectionCode>().toEqualTypeOf<
      | 'INVALID_EVENT'
      | 'NOT_SIGNED_IN'
      | 'UNKNOWN_PRESENCE'
      | 'PRESENCE_INACTIVE'
      | 'PRESENCE_NOT_ALLOWED'
      | 'DUPLICATE_WORK_ITEM'
      | 'UNKNOWN_WORK_ITEM'
      | 'UNKNOWN_CAPACITY_PROFILE'
      | 'PRESENCE_NOT_SELECTABLE'
      | 'UNKNOWN_SESSION'
      | 'TOO_MANY_SESSIONS'
      | 'TOO_MANY_WORK_ITEMS'
      | 'EVENT_IN_FUTURE'
      | 'WORK_ITEM_TAKEN'
    >();
  });

  it('always has the state and presence, whether it changed, and optionally how late the event was and the next deadline', () => {
    expectTypeOf<Transition['state']>().toEqualTypeOf<PresenceState>();
    expectTypeOf<Transition['changed']>().toEqualTypeOf<boolean>();
    expectTypeOf<Transition['late']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Transition['nextDeadline']>().toEqualTypeOf<number | undefined>();
  });

  it('is what the machine returns for any event: refusals are returned, never thrown as a type', () => {
    expectTypeOf<PresenceMachine['transition']>().returns.toEqualTypeOf<Transition>();
    expectTypeOf<PresenceMachine['transition']>().toBeCallableWith({} as PresenceState, { type: 'tick', at: 0 });
  });
});

describe('WorkRequest', () => {
  it('asks for units and a profile, both optional and both taking undefined', () => {
    expectTypeOf<WorkRequest>().toEqualTypeOf<{ readonly units?: number | undefined; readonly profile?: string | undefined }>();
    expectTypeOf<PresenceMachine['canTake']>().parameter(1).toEqualTypeOf<WorkRequest>();
  });
});
