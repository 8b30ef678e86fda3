import { fieldRules, type PresenceEvent } from '../core/index';
import { DEFAULT_MAX_CLOCK_SKEW_MS, type Clock, type PresenceService, type Scheduler } from '../service/index';
import type { RedisCommandClient } from './RedisCommandClient';
import { CLAIM_SCRIPT, list, runScript, text } from './redisCommands';
import { resolveLayout } from './redisLayout';
import type { RedisPresenceOptions } from './RedisPresenceOptions';

/**
 * A due timer claimed by this process: the agent and the deadline to send a `tick` at.
 *
 * @category Timers
 * @example
 * ```ts
 * import type { RedisTimerClaim } from 'agent-presence/redis';
 * const claim: RedisTimerClaim = { agentId: 'agent-7', deadline: 1_767_225_660_000 };
 * ```
 */
export interface RedisTimerClaim {
  readonly agentId: string;
  readonly deadline: number;
}

/**
 * Options of `run`.
 *
 * @category Timers
 * @example
 * ```ts
 * import type { RedisTimerRunOptions } from 'agent-presence/redis';
 * const options: RedisTimerRunOptions = { pollMs: 500, limit: 200, onError: (error, agentId) => console.warn('tick failed', agentId, error) };
 * ```
 */
export interface RedisTimerRunOptions {
  /** The longest wait between two looks at the timers (default 1,000 ms); a sooner deadline seen wakes it earlier. */
  readonly pollMs?: number | undefined;
  /** Timers claimed per shard and look (default 100). */
  readonly limit?: number | undefined;
  /**
   * What "now" is (default `Date.now()`); the deadlines are compared with it, but never more than
   * `maxClockSkewMs` ahead of Redis's own clock (`TIME`, read by the claim script).
   */
  readonly clock?: Clock | undefined;
  /**
   * How far this runner's clock may run ahead of Redis's before it is held back (default 10,000 ms, the service's
   * default `maxClockSkewMs`). A runner ten minutes fast ticks deadlines at most this early, not ten minutes early.
   */
  readonly maxClockSkewMs?: number | undefined;
  /**
   * Told when claiming or a `tick` fails (the runner sends a failed tick again after 1 s, doubling up to a minute,
   * and the claim's lease runs out and it is retaken). Default `console.error`.
   */
  readonly onError?: ((error: unknown, agentId?: string) => void) | undefined;
}

/**
 * A running timer loop.
 *
 * @category Timers
 * @example
 * ```ts
 * import type { RedisTimerRunner } from 'agent-presence/redis';
 * const shutdown = (runner: RedisTimerRunner) => runner.stop();
 * ```
 */
export interface RedisTimerRunner {
  /**
   * Claims what is due now and sends the ticks, without waiting for the next look.
   *
   * @returns how many ticks were sent
   */
  runOnce(): Promise<number>;
  /**
   * @returns once the loop has stopped (after the ticks in flight)
   */
  stop(): Promise<void>;
}

/**
 * The agents' timers in Redis. See {@link createRedisTimers}.
 *
 * @category Timers
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { createRedisTimers, type RedisTimers } from 'agent-presence/redis';
 * const timers: RedisTimers = createRedisTimers(createClient(), { leaseMs: 10_000 });
 * timers.scheduler.cancel('agent-7'); // a no-op: the store's save keeps the timers
 * ```
 */
export interface RedisTimers {
  /**
   * The service's `scheduler` port: the timers themselves are written by the Redis store's save; `set` only wakes a
   * running loop early for a deadline this process just saved. Pass it to `createPresenceService` so the service
   * arms no in-process timers.
   */
  readonly scheduler: Scheduler;
  /**
   * Claims up to `limit` due timers per shard, atomically: each claimed agent's timer moves to `now + leaseMs`, so
   * no other process claims it meanwhile, and another retakes it after the lease if this one never ticks.
   *
   * @param now - the current time, epoch milliseconds; taken as at most `maxClockSkewMs` past Redis's clock
   * @param limit - at most this many per shard (default 100)
   * @param maxClockSkewMs - how far `now` may be ahead of Redis's clock (default 10,000)
   * @returns the claims
   */
  claimDue(now: number, limit?: number, maxClockSkewMs?: number): Promise<RedisTimerClaim[]>;
  /**
   * Sends the `tick` of each due timer to the service until stopped: `{ type: 'tick', at: deadline, eventId:
   * 'tick@<deadline>' }`, the same event any process (or the service's own timer) sends for that deadline, so it
   * applies once.
   *
   * @param service - the service to dispatch the ticks to
   * @param options - polling, batch size, clock, error callback
   * @returns the running loop
   */
  run(service: Pick<PresenceService, 'dispatch'>, options?: RedisTimerRunOptions): RedisTimerRunner;
}

const tickEvent = (at: number): PresenceEvent => ({ type: 'tick', at, eventId: `tick@${at}` });

/**
 * Agents' timers kept in Redis, so that deadlines (a session to expire, a wrap-up to end, idleness) are met even
 * when the process that saved the state is gone. The Redis store's save script writes each agent's next deadline
 * (`machine.nextDeadline` of the saved state) to its shard's `deadlines` hash and `timers` sorted set. Any number of
 * processes run `run(service)`: each claims due agents with one Lua script (`ZRANGEBYSCORE` up to now, then
 * each claimed agent's score moved to now + `leaseMs`) and dispatches the `tick`. The tick's save moves the
 * agent's timer to its next deadline (or removes it); a process that dies after claiming leaves the lease to run
 * out, and then another process claims the agent again. Ticks are idempotent: one deadline is one event id. A tick
 * that fails is sent again by the runner that sent it (after 1 s, doubling up to a minute): when its save was
 * written but its reply lost, the agent's timer has moved on in Redis, and the redelivery is what publishes its
 * change.
 *
 * @param client - a connected client
 * @param options - the same key prefix and shards as the store; `leaseMs`
 * @returns the timers
 * @throws TypeError naming each bad option
 * @category Timers
 * @example
 * ```ts
 * import { createPresenceMachine } from 'agent-presence';
 * import { createPresenceService } from 'agent-presence/service';
 * import { createRedisPresenceStore, createRedisTimers } from 'agent-presence/redis';
 * import { createClient } from 'redis';
 * const client = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }); // await client.connect() before use
 * const timers = createRedisTimers(client, { leaseMs: 15_000 });
 * const service = createPresenceService({
 *   machine: createPresenceMachine({ defaultProfile: { sessionTtlMs: 60_000 } }),
 *   store: createRedisPresenceStore(client),
 *   scheduler: timers.scheduler,
 * });
 * // Once connected: const runner = timers.run(service); … await runner.stop();
 * ```
 */
export function createRedisTimers(client: RedisCommandClient, options?: RedisPresenceOptions): RedisTimers {
  if (typeof client?.sendCommand !== 'function') {
    throw new TypeError('createRedisTimers: client must have a sendCommand method (a node-redis client)');
  }
  const layout = resolveLayout('createRedisTimers', options);
  const wakers = new Set<(at: number) => void>();

  /** Claims per shard; also the earliest timer left (Infinity when none). */
  const claim = async (now: number, limit: number, skew: number): Promise<{ claims: RedisTimerClaim[]; next: number; full: boolean; heldBack: number }> => {
    const claims: RedisTimerClaim[] = [];
    let next = Number.POSITIVE_INFINITY;
    let full = false;
    let heldBack = 0;
    for (let shard = 0; shard < layout.shards; shard++) {
      const [claimed, first, used] = list(
        await runScript(
          client,
          CLAIM_SCRIPT,
          [layout.timersKey(shard), layout.deadlinesKey(shard)],
          [String(now), String(layout.leaseMs), String(limit), String(skew)],
        ),
      );
      const flat = list(claimed).map(text);
      for (let i = 0; i + 1 < flat.length; i += 2) claims.push({ agentId: flat[i] as string, deadline: Number(flat[i + 1]) });
      if (flat.length / 2 >= limit) full = true;
      const earliest = text(first);
      if (earliest !== undefined && earliest !== '') next = Math.min(next, Number(earliest));
      heldBack = Math.max(heldBack, now - Number(text(used)));
    }
    return { claims, next, full, heldBack };
  };

  const checkSkew = (caller: string, skew: number) => {
    const problem = fieldRules.duration(skew);
    if (problem !== undefined) throw new TypeError(`${caller}: maxClockSkewMs ${problem}`);
  };

  const checkLimit = (caller: string, limit: number) => {
    if (!(Number.isInteger(limit) && limit >= 1)) throw new TypeError(`${caller}: limit must be a whole number ≥ 1 (got ${String(limit)})`);
  };

  return {
    scheduler: {
      set(_agentId, at) {
        for (const wake of wakers) wake(at);
      },
      cancel() {},
    },

    async claimDue(now, limit = 100, maxClockSkewMs = DEFAULT_MAX_CLOCK_SKEW_MS) {
      checkLimit('claimDue', limit);
      checkSkew('claimDue', maxClockSkewMs);
      return (await claim(now, limit, maxClockSkewMs)).claims;
    },

    run(service, runOptions = {}) {
      if (typeof service?.dispatch !== 'function') throw new TypeError('run: service must be a presence service (with dispatch)');
      const pollMs = runOptions.pollMs ?? 1_000;
      const limit = runOptions.limit ?? 100;
      if (!(Number.isInteger(pollMs) && pollMs >= 1)) throw new TypeError(`run: pollMs must be a whole number ≥ 1 (got ${String(pollMs)})`);
      checkLimit('run', limit);
      const skew = runOptions.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
      checkSkew('run', skew);
      const now = () => (runOptions.clock ? runOptions.clock.now() : Date.now());
      const onError =
        runOptions.onError ??
        ((error: unknown, agentId?: string) =>
          console.error(`agent-presence redis timers: ${agentId === undefined ? 'claim' : `tick of ${JSON.stringify(agentId)}`} failed`, error));
      let stopped = false;
      let warned = false; // told onError that this clock runs ahead of Redis's, until it no longer does
      let timer: ReturnType<typeof setTimeout> | undefined;
      let wakeAt = Number.POSITIVE_INFINITY;
      let wake: (() => void) | undefined;

      const sleepUntil = (at: number) =>
        new Promise<void>((resolve) => {
          wakeAt = at;
          wake = resolve;
          timer = setTimeout(resolve, Math.max(0, at - now()));
        }).finally(() => {
          clearTimeout(timer);
          wake = undefined;
          wakeAt = Number.POSITIVE_INFINITY;
        });
      const waker = (at: number) => {
        if (at < wakeAt && wake !== undefined) {
          clearTimeout(timer);
          wakeAt = at;
          const resolve = wake;
          timer = setTimeout(resolve, Math.max(0, at - now()));
        }
      };
      wakers.add(waker);

      /**
       * Ticks that failed, by `agentId@deadline`, sent again from here: a tick whose save was written but whose reply
       * was lost has moved the agent's timer on in Redis (no claim will come back for it), and only its redelivery
       * publishes the change it made. After 1 s, doubling up to a minute, until it gets through.
       */
      const failed = new Map<string, { agentId: string; deadline: number; attempt: number; at: number }>();
      const tick = (agentId: string, deadline: number) =>
        service.dispatch(agentId, tickEvent(deadline)).then(
          () => void failed.delete(`${agentId}@${deadline}`),
          (error: unknown) => {
            onError(error, agentId);
            const key = `${agentId}@${deadline}`;
            const attempt = (failed.get(key)?.attempt ?? -1) + 1;
            failed.set(key, { agentId, deadline, attempt, at: now() + Math.min(1_000 * 2 ** attempt, 60_000) });
          },
        );

      /** One look: claim and tick (and send again the failed ticks due); the time to look again. */
      const once = async (): Promise<{ sent: number; next: number }> => {
        const at = now();
        const again = [...failed.values()].filter((f) => f.at <= at);
        await Promise.all(again.map((f) => tick(f.agentId, f.deadline))); // looked at again within pollMs of their time
        let result;
        try {
          result = await claim(at, limit, skew);
        } catch (error) {
          onError(error);
          return { sent: 0, next: at + pollMs };
        }
        if (result.heldBack > 0 && !warned) {
          warned = true;
          onError(
            new Error(
              `this runner's clock is ${result.heldBack} ms ahead of Redis's, past maxClockSkewMs (${skew}): deadlines are ticked by Redis's clock plus ${skew} ms; fix the host's time sync`,
            ),
          );
        }
        if (result.heldBack <= 0) warned = false;
        await Promise.all(result.claims.map(({ agentId, deadline }) => tick(agentId, deadline)));
        const next = result.full ? at : Math.min(result.next, at + pollMs);
        // Held back by Redis's clock, a timer "due" by this fast clock is not due yet: look again after pollMs, not at once.
        return { sent: result.claims.length, next: result.heldBack > 0 && next <= at ? at + pollMs : next };
      };

      let current: Promise<unknown> = Promise.resolve();
      const loop = (async () => {
        while (!stopped) {
          const step = once();
          current = step;
          const { next } = await step;
          if (!stopped) await sleepUntil(next);
        }
      })();

      return {
        async runOnce() {
          await current.catch(() => {});
          const step = once();
          current = step;
          return (await step).sent;
        },
        async stop() {
          stopped = true;
          wakers.delete(waker);
          wake?.();
          await loop;
          await current.catch(() => {});
        },
      };
    },
  };
}
