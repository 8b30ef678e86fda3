/**
 * Type tests of `agent-presence/service`: the types that encode a rule, checked by the compiler. `expectTypeOf`
 * does nothing at run time; `npm run typecheck` (tsc over test/, which `npm test` runs first) fails when a type
 * stops saying what is asserted here, and a `@ts-expect-error` line fails it when the line it marks compiles.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { BaseStatus, PresenceEvent, PresenceMachine, PresenceState, TickEvent, Transition } from '../../src/index';
import type { AssignOptions as RedisAssignOptions } from '../../src/redis/index';
import {
  assignIfAvailable,
  tickEvent,
  type AssignOptions,
  type DispatchEvent,
  type DispatchOptions,
  type DispatchResult,
  type PresenceService,
  type RosterQuery,
} from '../../src/service/index';

describe('DispatchEvent', () => {
  it('is any event, with `at` optional (the service stamps it with its own clock)', () => {
    expectTypeOf<DispatchEvent['type']>().toEqualTypeOf<PresenceEvent['type']>();
    expectTypeOf<DispatchEvent['at']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PresenceEvent>().toExtend<DispatchEvent>();
    expectTypeOf<{ readonly type: 'setPresence'; readonly presenceId: string }>().toExtend<DispatchEvent>();
    expectTypeOf<{ readonly type: 'tick' }>().toExtend<DispatchEvent>();
  });

  it('keeps the rules of each event: workAssigned needs units unless it names a profile, setPresence a presence', () => {
    type Assigned = { readonly type: 'workAssigned'; readonly workItemId: string };
    expectTypeOf<Assigned & { readonly units: number }>().toExtend<DispatchEvent>();
    expectTypeOf<Assigned & { readonly profile: string }>().toExtend<DispatchEvent>();
    expectTypeOf<Assigned>().not.toExtend<DispatchEvent>();
    expectTypeOf<{ readonly type: 'setPresence' }>().not.toExtend<DispatchEvent>();
    expectTypeOf<{ readonly type: 'signedIn' }>().not.toExtend<DispatchEvent>();
  });

  it('is what dispatch takes', () => {
    expectTypeOf<PresenceService['dispatch']>().parameter(1).toEqualTypeOf<DispatchEvent>();
    expectTypeOf<PresenceService['dispatch']>().parameter(2).toEqualTypeOf<DispatchOptions | undefined>();
    expectTypeOf<PresenceService['dispatchRaw']>().parameter(1).toEqualTypeOf<unknown>();
  });
});

describe('DispatchResult', () => {
  it("is the machine's transition plus the stored version, whether it was a redelivery, and `declined` only as true", () => {
    expectTypeOf<DispatchResult>().toExtend<Transition>();
    expectTypeOf<DispatchResult['version']>().toEqualTypeOf<number>();
    expectTypeOf<DispatchResult['duplicate']>().toEqualTypeOf<boolean>();
    expectTypeOf<DispatchResult['declined']>().toEqualTypeOf<true | undefined>();
    expectTypeOf<PresenceService['dispatch']>().returns.resolves.toEqualTypeOf<DispatchResult>();
  });

  it('asks a precondition with the state and the machine in use', () => {
    expectTypeOf<NonNullable<DispatchOptions['precondition']>>().toEqualTypeOf<(state: PresenceState, machine: PresenceMachine) => boolean>();
  });
});

describe('routing', () => {
  it('a roster query may leave out every field (defaults), and names one of four orders', () => {
    expectTypeOf<RosterQuery['order']>().toEqualTypeOf<'mostFree' | 'longestIdle' | 'leastRecentlyOffered' | 'roundRobin' | undefined>();
    expectTypeOf<RosterQuery['bases']>().toEqualTypeOf<readonly BaseStatus[] | undefined>();
    expectTypeOf<Record<never, never>>().toExtend<RosterQuery>();
    expectTypeOf<{ readonly order: 'random' }>().not.toExtend<RosterQuery>();
  });

  it('assignIfAvailable takes a workAssigned event only, and the deprecated redis name is the same type', () => {
    expectTypeOf(assignIfAvailable).parameter(2).toEqualTypeOf<Extract<PresenceEvent, { type: 'workAssigned' }>>();
    expectTypeOf(assignIfAvailable).returns.resolves.toEqualTypeOf<DispatchResult>();
    expectTypeOf<AssignOptions['bases']>().toEqualTypeOf<readonly BaseStatus[]>();
    expectTypeOf<RedisAssignOptions>().toEqualTypeOf<AssignOptions>();
  });
});

describe('tickEvent', () => {
  it('makes the tick event, with its time required', () => {
    expectTypeOf(tickEvent).returns.toEqualTypeOf<TickEvent>();
    expectTypeOf(tickEvent).parameters.toEqualTypeOf<[deadline: number]>();
  });
});
