/**
 * `agent-presence/testing`: fast-check arbitraries and a reference model of the presence rules, for
 * property-based and model-based tests of code built on agent-presence. Needs `fast-check` 4 (an optional peer
 * dependency: install it beside agent-presence to use this subpath).
 *
 * @packageDocumentation
 * @module agent-presence/testing
 */
export { agentDayArb } from './agentDayArb';
export type { AgentDay, AgentDayArbOptions } from './agentDayArb';
export { hostileInputArb } from './hostileInputArb';
export { presenceConfigArb } from './presenceConfigArb';
export type { PresenceConfigArbOptions } from './presenceConfigArb';
export { presenceEventArb } from './presenceEventArb';
export type { PresenceEventArbOptions } from './presenceEventArb';
export { presenceModel } from './presenceModel';
export type { ModelTransition, PresenceModel } from './presenceModel';
export { TRICKY_IDS } from './TRICKY_IDS';
