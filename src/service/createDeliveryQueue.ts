import type { PresenceChange } from './ports';

/**
 * Per-agent queues of changes (or work entries) waiting to be delivered to a port (publisher or history), delivered in order. A
 * delivery that throws stays at the head of its agent's queue and is tried again at the agent's next drain, so
 * nothing is skipped and the order holds: at-least-once. Drains of one agent must not overlap (the service runs
 * them inside the agent's serial queue).
 *
 * @internal
 */
export function createDeliveryQueue<T extends { readonly agentId: string } = PresenceChange>(
  deliver: (change: T) => void | Promise<void>,
  onError: (error: unknown, change: T) => void,
): {
  push(change: T): void;
  drain(agentId: string): Promise<void>;
  has(agentId: string): boolean;
  pendingAgents(): string[];
  readonly pending: number;
} {
  const queues = new Map<string, T[]>();
  let pending = 0;
  return {
    push(change) {
      let queue = queues.get(change.agentId);
      if (queue === undefined) queues.set(change.agentId, (queue = []));
      queue.push(change);
      pending++;
    },
    async drain(agentId) {
      const queue = queues.get(agentId);
      while (queue !== undefined && queue.length > 0) {
        const change = queue[0] as T;
        try {
          await deliver(change);
        } catch (error) {
          onError(error, change);
          return;
        }
        queue.shift();
        pending--;
      }
      queues.delete(agentId);
    },
    has: (agentId) => queues.has(agentId),
    pendingAgents: () => [...queues.keys()],
    get pending() {
      return pending;
    },
  };
}
