/**
 * Ids that are also names of `Object.prototype` members or prototype-pollution keys, and well-formed unicode that
 * careless encoding mangles (U+FFFD, an astral character, a letter composed and the same letter decomposed). They
 * are valid ids and must work like any other, each its own: the generators of this module use them now and then as
 * agent, presence and work item ids, and so can your own tests.
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
  'agent-\uFFFD',
  'agent-\u{1F600}',
  'caf\u00E9',
  'cafe\u0301',
];
