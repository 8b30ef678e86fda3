/**
 * A pause for long loops over many agents (a report over the whole store): once `budgetMs` of work has run since the
 * last pause, the next call waits for a turn of the event loop (`setImmediate` where there is one, else
 * `setTimeout(0)`), so timers, I/O and other agents' dispatches go on meanwhile; otherwise it returns at once. The
 * budget is measured with `performance.now()`, which only paces the loop and never decides an outcome.
 *
 * @internal
 */
export function createEventLoopYield(budgetMs = 10): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < budgetMs) return;
    await new Promise<void>((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
    since = performance.now();
  };
}
