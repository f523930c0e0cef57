/**
 * What each model looks like from the machine it runs on, to anyone who may read its processes
 * in /proc (support/cost/): whether every connection gets a thread of control of its own, an OS
 * thread or a process, or all of them are held by the same threads. Clients cannot see it, and
 * it tells apart the two models they cannot (support/from-outside.ts): a thread per client and
 * async. `classify` decides by it where the server runs on this machine; the table in docs/check.md is
 * held to it by the unit tests. Pure.
 */
import type { ModelName } from '../core/models';
import type { CostSlopes, CostVerdict } from './cost/verdict';

/** Whether each connection gets a thread of control of its own, an OS thread or a process, rather than a share of threads that do not grow. */
export const OWN_THREAD_PER_CONNECTION: Readonly<Record<ModelName, boolean>> = {
  // one thread, serving one connection; the others wait in the listen backlog
  sequential: false,
  // a thread blocked in recv for every connection, whatever its client does
  'thread-per-client': true,
  // its workers, however many connect; the connections wait in its queue
  'thread-pool': false,
  // one thread and a select loop
  multiplexing: false,
  // one thread and an event loop (Node's own helper threads beside it do not grow either)
  async: false,
};

/**
 * Threads that grow by more than this per connection follow the connections: a thread for each,
 * but for those a server keeps started ahead. echolab's own thread-per-client keeps 32 spare
 * and replaces them at once only when fewer than half are left, so twenty connections, five at a
 * time, add nothing to it until the last five, and twenty threads then: 0.8 per connection,
 * fitted over every step. One event loop adds none; a thread pool, none either.
 */
export const OWN_THREAD_ABOVE = 0.5;

/**
 * What a cost probe says of whether each connection gets a thread of its own: yes where threads
 * follow the connections (a process brings its thread), no where none were added; undefined for
 * threads that grow by less, which says neither.
 */
export function ownThreadSeen({ verdict, slopes }: { verdict: CostVerdict; slopes: CostSlopes }): boolean | undefined {
  if (verdict.looksLike === 'one thread for all connections' || verdict.looksLike === 'a fixed number of threads') return false;
  return slopes.threadsPerConnection > OWN_THREAD_ABOVE ? true : undefined;
}

/** Whether the machine can tell apart some of `models`, which look alike to clients. */
export const machineTellsApart = (models: readonly ModelName[]): boolean => new Set(models.map((model) => OWN_THREAD_PER_CONNECTION[model])).size > 1;
