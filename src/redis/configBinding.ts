import type { PresenceStore } from '../service/index';

/**
 * What a Redis store asks of the config its process follows (see `createRedisPresence`): the config version its
 * service runs now, and a way to take up a newer one when a save was refused for it.
 *
 * @internal
 */
export interface ConfigBinding {
  /** The version the service runs (0: none taken up); a promise while the first read of the config is under way. */
  version(): number | Promise<unknown>;
  /** Takes up the newest config (the shard is on `version`): resolves once the service runs it; rejects with a `RedisConfigError` when it cannot. */
  stale(version: number): Promise<void>;
}

const bindings = new WeakMap<PresenceStore, ConfigBinding>();

/**
 * Ties a store to the config its process follows.
 *
 * @internal
 */
export function bindConfig(store: PresenceStore, binding: ConfigBinding): void {
  bindings.set(store, binding);
}

/**
 * The config a store's process follows, if any.
 *
 * @internal
 */
export function configBindingOf(store: PresenceStore): ConfigBinding | undefined {
  return bindings.get(store);
}
