/** Settings read from the environment, in one place. */
import { usageError } from './errors';

/** How many ms one tick (the article's second) lasts: ECHOLAB_TICK_MS, default 100. */
export function tickMsFrom(env: NodeJS.ProcessEnv): number {
  const value = env.ECHOLAB_TICK_MS;
  if (value === undefined || value === '') return 100;
  const tickMs = Number(value);
  if (!Number.isInteger(tickMs) || tickMs < 10 || tickMs > 10_000) {
    throw usageError(`ECHOLAB_TICK_MS must be a whole number of milliseconds from 10 to 10000, not "${value}"`);
  }
  return tickMs;
}
