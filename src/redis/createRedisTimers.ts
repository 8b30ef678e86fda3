import { fieldRules } from '../core/index';
import { describeValue } from '../core/internal';
import { DEFAULT_MAX_CLOCK_SKEW_MS, tickEvent, UnreadableRecordError, type Clock, type PresenceService, type Scheduler } from '../service/index';
import { checkCommandClient } from './clusterCommandClient';
import type { RedisCommandClient } from './RedisCommandClient';
import { CLAIM_SCRIPT, DROP_TIMER_SCRIPT, list, runScript, send, text, boundCommands } from './redisCommands';
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
   * and the claim's lease runs out and it is retaken). Told once, with the agent:
   * a deadline that is not a time (the runner then ticks the agent at now, which saves its own next deadline over
   * it; an agent with no record has the value removed), and a tick refused because the agent's record cannot be
   * read (`UnreadableRecordError`: its timer is removed, and `repairAgent` arms it again; a record a newer release
   * wrote keeps its timer, for a process of that release to tick). Told once, without an agent: a timer that is no
   * agent's (an agent id that is not an id, or an agent of another shard, written by hand), which is removed.
   * Default `console.error`.
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
   * A deadline that is not a time, or a timer that is no agent's (an agent id that is not an id, or an agent of
   * another shard: written by hand), is leased but not returned: a runner (`run`) reports and repairs or removes it.
   *
   * @param now - the current time, epoch milliseconds; taken as at most `maxClockSkewMs` past Redis's clock
   * @param limit - at most this many per shard (default 100)
   * @param maxClockSkewMs - how far `now` may be ahead of Redis's clock (default 10,000)
   * @returns the claims
   */
  claimDue(now: number, limit?: number, maxClockSkewMs?: number): Promise<RedisTimerClaim[]>;
  /**
   * Sends the `tick` of each due timer to the service until stopped: the service's `tickEvent(deadline)`, the same
   * event any process (or the service's own timer) sends for that deadline, so it applies once.
   *
   * @param service - the service to dispatch the ticks to
   * @param options - polling, batch size, clock, error callback
   * @returns the running loop
   */
  run(service: Pick<PresenceService, 'dispatch'>, options?: RedisTimerRunOptions): RedisTimerRunner;
}

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
  checkCommandClient('createRedisTimers', client);
  const layout = resolveLayout('createRedisTimers', options);
  boundCommands(client, layout.commandTimeoutMs);
  const wakers = new Set<(at: number) => void>();

  /**
   * Claims per shard, the claimed values that are not a time, and the claimed timers that are no agent's (an agent
   * id that is not an id, or an agent of another shard: written by hand); also the earliest timer left (Infinity when none).
   */
  const claim = async (
    now: number,
    limit: number,
    skew: number,
  ): Promise<{
    claims: RedisTimerClaim[];
    garbage: { agentId: string; value: string }[];
    strays: { shard: number; agentId: string; value: string; problem: string }[];
    next: number;
    full: boolean;
    heldBack: number;
  }> => {
    const claims: RedisTimerClaim[] = [];
    const garbage: { agentId: string; value: string }[] = [];
    const strays: { shard: number; agentId: string; value: string; problem: string }[] = [];
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
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const agentId = flat[i] as string;
        const value = flat[i + 1] as string;
        const deadline = Number(value);
        const idProblem = fieldRules.id(agentId);
        if (idProblem !== undefined) strays.push({ shard, agentId, value, problem: `an agent id that ${idProblem}` });
        else if (layout.shardOf(agentId) !== shard)
          strays.push({ shard, agentId, value, problem: `agent ${JSON.stringify(agentId)}, of shard ${layout.shardOf(agentId)}` });
        // As the save script writes it: String(time). Anything else was put there by hand, or by another program.
        else if (String(deadline) === value && fieldRules.time(deadline) === undefined) claims.push({ agentId, deadline });
        else garbage.push({ agentId, value });
      }
      if (flat.length / 2 >= limit) full = true;
      const earliest = text(first);
      if (earliest !== undefined && earliest !== '') next = Math.min(next, Number(earliest));
      heldBack = Math.max(heldBack, now - Number(text(used)));
    }
    return { claims, garbage, strays, next, full, heldBack };
  };

  /** Removes the agent's timer (in its shard, or the one given) if its deadline is still `value`; whether it did. */
  const dropTimer = async (agentId: string, value: string, shard = layout.shardOf(agentId)): Promise<boolean> =>
    Number(await runScript(client, DROP_TIMER_SCRIPT, [layout.deadlinesKey(shard), layout.timersKey(shard)], [agentId, value])) === 1;

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
      /** Agents whose tick met a record a newer release wrote, told once until a tick of theirs succeeds. */
      const newerTold = new Set<string>();
      const tell = (error: unknown, agentId?: string) => {
        try {
          onError(error, agentId);
        } catch {
          // onError itself failed: nothing more can be done about it here
        }
      };

      /**
       * Ticks that failed, by `agentId@deadline`, sent again from here: a tick whose save was written but whose reply
       * was lost has moved the agent's timer on in Redis (no claim will come back for it), and only its redelivery
       * publishes the change it made. After 1 s, doubling up to a minute, until it gets through.
       */
      const failed = new Map<string, { agentId: string; deadline: number; attempt: number; at: number }>();

      /**
       * One claimed timer's tick. A failure is told and sent again later (see `failed`), except an unreadable record:
       * its timer is removed (a newer release's kept), told once.
       */
      const tick = async (agentId: string, deadline: number, value = String(deadline)): Promise<void> => {
        const key = `${agentId}@${deadline}`;
        try {
          await service.dispatch(agentId, tickEvent(deadline));
          failed.delete(key);
          newerTold.delete(agentId);
        } catch (error) {
          if (!(error instanceof UnreadableRecordError)) {
            tell(error, agentId);
            const attempt = (failed.get(key)?.attempt ?? -1) + 1;
            failed.set(key, { agentId, deadline, attempt, at: now() + Math.min(1_000 * 2 ** attempt, 60_000) });
            return;
          }
          failed.delete(key);
          if (error.newerSchema) {
            if (!newerTold.has(agentId)) tell(error, agentId);
            newerTold.add(agentId);
            return;
          }
          // Nobody can tick it until it is repaired, and the repair's save arms the timer again: remove it.
          if (await dropTimer(agentId, value).catch(() => false)) {
            tell(new Error(`the timer of agent ${JSON.stringify(agentId)} (tick at ${value}) was removed: ${error.message}`, { cause: error }), agentId);
          }
        }
      };

      /** A deadline that is not a time: told once, and replaced by the agent's own, saved by a tick at `at`. */
      const repairDeadline = async (agentId: string, value: string, at: number): Promise<void> => {
        const where = layout.deadlinesKey(layout.shardOf(agentId));
        let outcome: string;
        try {
          if (Number(await send(client, ['EXISTS', layout.recordKey(agentId)])) === 0) {
            outcome = (await dropTimer(agentId, value)) ? 'removed (the agent has no record)' : 'already replaced';
          } else {
            const result = await service.dispatch(agentId, tickEvent(at));
            // A tick that saved nothing (a duplicate, a refusal) left the value: remove it rather than claim it again and again.
            const left = text(await send(client, ['HGET', where, agentId])) === value && (await dropTimer(agentId, value));
            outcome = left
              ? `removed (the tick at ${at} saved nothing${result.rejection === undefined ? '' : `: ${result.rejection.code}`})`
              : `replaced by the agent's own next deadline (a tick at ${at} saved it)`;
          }
        } catch (error) {
          const dropped = error instanceof UnreadableRecordError && !error.newerSchema && (await dropTimer(agentId, value).catch(() => false));
          outcome = dropped
            ? `removed (the agent's record cannot be read: ${error.message})`
            : `left for now (${error instanceof Error ? error.message : String(error)})`;
        }
        tell(new Error(`the deadline of agent ${JSON.stringify(agentId)} in ${where} is not a time (got ${describeValue(value)}): ${outcome}`), agentId);
      };
      /** A timer that is no agent's (see `claim`): removed, and told once (no agent id to tell it with). */
      const removeStray = async (shard: number, agentId: string, value: string, problem: string): Promise<void> => {
        const removed = await dropTimer(agentId, value, shard).catch((error: unknown) => error);
        if (removed === false) return; // another runner removed it
        tell(
          new Error(
            `the timers of ${layout.deadlinesKey(shard)} hold ${problem} (deadline ${describeValue(value)}): ${removed === true ? 'removed' : `left for now (${removed instanceof Error ? removed.message : String(removed)})`}`,
          ),
        );
      };
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

      /** One look: claim and tick (and send again the failed ticks due); the time to look again. */
      const once = async (): Promise<{ sent: number; next: number }> => {
        const at = now();
        const again = [...failed.values()].filter((f) => f.at <= at);
        await Promise.all(again.map((f) => tick(f.agentId, f.deadline))); // looked at again within pollMs of their time
        let result;
        try {
          result = await claim(at, limit, skew);
        } catch (error) {
          tell(error);
          return { sent: 0, next: at + pollMs };
        }
        if (result.heldBack > 0 && !warned) {
          warned = true;
          tell(
            new Error(
              `this runner's clock is ${result.heldBack} ms ahead of Redis's, past maxClockSkewMs (${skew}): deadlines are ticked by Redis's clock plus ${skew} ms; fix the host's time sync`,
            ),
          );
        }
        if (result.heldBack <= 0) warned = false;
        // A tick at "now" as the claim used it (held to Redis's clock), for the deadlines that are not a time.
        const usedNow = at - Math.max(0, result.heldBack);
        await Promise.all([
          ...result.claims.map(({ agentId, deadline }) => tick(agentId, deadline, String(deadline))),
          ...result.garbage.map(({ agentId, value }) => repairDeadline(agentId, value, usedNow)),
          ...result.strays.map(({ shard, agentId, value, problem }) => removeStray(shard, agentId, value, problem)),
        ]);
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
