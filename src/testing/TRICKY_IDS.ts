/**
 * Ids that are also names of `Object.prototype` members or prototype-pollution keys. They are valid ids and must
 * work like any other: the generators of this module use them now and then as agent, presence and work item ids,
 * and so can your own tests.
 *
 * @category Arbitraries
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { TRICKY_IDS } from 'agent-presence/testing';
 * const machine = createPresenceMachine({});
 * for (const id of TRICKY_IDS) {
 *   const { state } = machine.transition(machine.initialState(id), { type: 'workAssigned', workItemId: id, units: 10, at: 0 });
 *   if (state.work[0]?.workItemId !== id) throw new Error(`work item ${id} lost`);
 * }
 * console.log(TRICKY_IDS.includes('__proto__')); // true
 * ```
 */
export const TRICKY_IDS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  'isPrototypeOf',
  '__defineGetter__',
];
