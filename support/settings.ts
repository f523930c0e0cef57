/** Settings read from the environment, in one place. */
import { usageError } from '../core/errors';

/** How many ms a tick (the article's second) lasts in the specs unless ECHOLAB_TICK_MS says otherwise: short, so that they are fast. */
export const DEFAULT_TICK_MS = 100;

/** How many ms one tick lasts: ECHOLAB_TICK_MS, or `fallback`. */
export function tickMsFrom(env: NodeJS.ProcessEnv, fallback = DEFAULT_TICK_MS): number {
  return tickMs(env.ECHOLAB_TICK_MS, 'ECHOLAB_TICK_MS', fallback);
}

/** A tick length given as text: a setting or a command-line option. */
export function tickMs(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 10 || ms > 10_000) {
    throw usageError(`${name} must be a whole number of milliseconds from 10 to 10000, not "${value}"`);
  }
  return ms;
}
