/**
 * Bounds how long the adapters wait for a reply, with one timer for every command in flight.
 *
 * node-redis bounds each command by itself (`commandOptions.timeout`, 5 s by default): an `AbortSignal.timeout`, its
 * timer and its listener per command, all kept alive for the 5 s after the reply. At thousands of commands a second
 * they outlived every scavenge, were copied and promoted, and made most of a routing process's garbage and the
 * longest pauses of a dispatch (docs/performance.md, "findAvailable in one round trip, and what node-redis's command
 * timeout costs"). The adapters send their commands with that timeout off and wait here instead: a command is one
 * small record in a queue, dropped as soon as its reply comes (replies come in the order sent, so the queue's head
 * is almost always the one answered), and one timer, armed for the oldest command still waiting, rejects every
 * command past its time.
 *
 * @internal
 */
export interface CommandWatchdog {
  /** The reply, or a rejection once `timeoutMs` passed without one (the command itself is not cancelled). */
  watch<T>(reply: Promise<T>, command: string): Promise<T>;
  /** How many commands it still holds: those waiting, and answered ones behind an older one still waiting. */
  readonly held: number;
}

interface Waiting {
  readonly until: number;
  readonly command: string;
  readonly reject: (error: Error) => void;
  settled: boolean;
}

/**
 * A {@link CommandWatchdog} that gives each command `timeoutMs` milliseconds.
 *
 * @internal
 */
export function createCommandWatchdog(timeoutMs: number): CommandWatchdog {
  /** The commands in the order sent; `waiting[head…]` may still be waiting (settled ones ahead are dropped). */
  let waiting: (Waiting | undefined)[] = [];
  let head = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const dropSettled = () => {
    while (head < waiting.length && (waiting[head] as Waiting).settled) waiting[head++] = undefined;
    if (head === waiting.length) {
      waiting = [];
      head = 0;
    } else if (head > 1_024 && head * 2 > waiting.length) {
      waiting = waiting.slice(head);
      head = 0;
    }
  };
  const arm = () => {
    if (timer !== undefined || head === waiting.length) return;
    timer = setTimeout(expire, Math.max(0, (waiting[head] as Waiting).until - Date.now()));
    // The timer never keeps a process alive by itself: a command in flight does that.
    timer.unref?.();
  };
  const expire = () => {
    timer = undefined;
    const now = Date.now();
    for (let w = waiting[head]; w !== undefined && (w.settled || w.until <= now); w = waiting[head]) {
      if (!w.settled) {
        w.settled = true;
        w.reject(new Error(`no reply to ${w.command} within ${timeoutMs} ms (commandTimeoutMs)`));
      }
      waiting[head++] = undefined;
    }
    dropSettled();
    arm();
  };

  return {
    watch(reply, command) {
      return new Promise((resolve, reject) => {
        const w: Waiting = { until: Date.now() + timeoutMs, command, reject, settled: false };
        waiting.push(w);
        arm();
        reply.then(
          (value) => {
            if (w.settled) return;
            w.settled = true;
            dropSettled();
            resolve(value);
          },
          (error: unknown) => {
            if (w.settled) return;
            w.settled = true;
            dropSettled();
            reject(error);
          },
        );
      });
    },
    get held() {
      return waiting.length - head;
    },
  };
}
