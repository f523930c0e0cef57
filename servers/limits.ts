/**
 * The article's remedies for slow clients, as deadlines: each limit `echolab serve` is given
 * puts a deadline on a connection, the earliest wins, and the server closes the connection
 * once it has passed. Pure arithmetic on the monotonic clock (ms), shared by every model.
 */
import type { ServeOptions } from './protocol';

export type Limits = Pick<ServeOptions, 'idleTimeoutMs' | 'maxLifetimeMs' | 'minRate' | 'minRateGraceMs'>;

/** How long a client has, from when it is served, before --min-rate applies, unless told otherwise. */
export const DEFAULT_MIN_RATE_GRACE_MS = 5000;

/**
 * Whether any limit is set. Without one a server has no deadline to keep, so it need not read
 * the clock or note what it receives: with a hundred threads, each its own V8 isolate, that
 * bookkeeping on every echo cost more than the echo's own system calls.
 */
export const anyLimit = ({ idleTimeoutMs, maxLifetimeMs, minRate }: Limits) => idleTimeoutMs !== undefined || maxLifetimeMs !== undefined || minRate !== undefined;

/** What the limits look at: when the server began serving the connection, when it last received bytes, and how many in all. */
export interface Progress {
  since: number;
  lastReceived: number;
  received: number;
}

export const servedFrom = (now: number): Progress => ({ since: now, lastReceived: now, received: 0 });

export function noteReceived(progress: Progress, bytes: number, now: number) {
  progress.lastReceived = now;
  progress.received += bytes;
}

/** When the connection is to be closed (monotonic ms), and the limit that says so, as the cut-off line names it. */
export interface Deadline {
  at: number;
  limit: string;
}

/** The earliest deadline the limits put on a connection; none without limits. */
export function nextDeadline({ idleTimeoutMs, maxLifetimeMs, minRate, minRateGraceMs = DEFAULT_MIN_RATE_GRACE_MS }: Limits, progress: Progress): Deadline | undefined {
  const deadlines: Deadline[] = [];
  if (idleTimeoutMs !== undefined) deadlines.push({ at: progress.lastReceived + idleTimeoutMs, limit: `idle ${idleTimeoutMs} ms` });
  if (maxLifetimeMs !== undefined) deadlines.push({ at: progress.since + maxLifetimeMs, limit: `max lifetime ${maxLifetimeMs} ms` });
  // as Apache's mod_reqtimeout MinRate: the grace, then each byte received buys 1/rate s more
  if (minRate !== undefined) {
    deadlines.push({ at: progress.since + minRateGraceMs + (progress.received * 1000) / minRate, limit: `min rate ${minRate} bytes/s after ${minRateGraceMs} ms` });
  }
  return earliest(deadlines);
}

/** The earliest of several deadlines (the first of those due at once); none of none. */
export function earliest<D extends Deadline>(deadlines: Iterable<D>): D | undefined {
  let first: D | undefined;
  for (const deadline of deadlines) if (first === undefined || deadline.at < first.at) first = deadline;
  return first;
}
