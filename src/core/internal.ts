/**
 * The core's helpers that the other layers (schema, service, redis, testing, admin) share with it, behind one
 * module: outside `src/core`, code imports the core through `./index` (its public API) or this file, never a core
 * file by its path (test/package/layers-import-the-core-through-its-index.test.ts checks it). No public entry
 * exports it.
 */
export { describeValue } from './fieldRules';
export { isPlainObject } from './isPlainObject';
