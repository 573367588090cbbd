import { performance } from "node:perf_hooks";

/**
 * The fastest of several runs of `work`: at least `minRuns`, and more (up to `maxRuns`) while the runs
 * so far took less than `budgetMs` in all, so small instances are timed after the JIT has warmed up.
 */
export function bestTime<T>(work: () => T, { minRuns = 2, maxRuns = 20, budgetMs = 500 } = {}) {
  let bestMs = Number.POSITIVE_INFINITY;
  let spentMs = 0;
  let result: T | undefined;
  for (let run = 0; run < maxRuns && (run < minRuns || spentMs < budgetMs); run++) {
    const started = performance.now();
    result = work();
    const ms = performance.now() - started;
    spentMs += ms;
    bestMs = Math.min(bestMs, ms);
  }
  return { ms: bestMs, result: result as T };
}
