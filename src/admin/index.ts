/**
 * `agent-presence/admin`: helpers for an administrator's screen that edit the presence config — add, change,
 * deactivate and remove custom presences; set agents' default presence, allowed presences and capacity; the
 * presences applied at each capacity level. Each returns a new config (immer `produce`: unchanged parts shared,
 * the result frozen) checked as `createPresenceMachine` checks it; a machine made from it goes to the service's
 * `reconfigure`. This is the only entry that bundles immer.
 *
 * @packageDocumentation
 * @module agent-presence/admin
 */
export {
  activatePresence,
  addPresence,
  assignPresences,
  deactivatePresence,
  removeAgentProfile,
  removePresence,
  setCapacity,
  setCapacityPresence,
  setDefaultPresence,
  updatePresence,
} from './configAdmin';
