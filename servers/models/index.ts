/** The programs of the models that run on OS threads, the threads each keeps ready, and how many they may have. */
import path from 'node:path';
import type { ModelName } from '../../core/models';
import type { ServeOptions } from '../protocol';

/** The models that are programs on OS threads making blocking calls: every one but `async`. */
export type ThreadedModelName = Exclude<ModelName, 'async'>;

/** The compiled program file of a threaded model. */
export const modelProgram = (name: ThreadedModelName) => path.join(__dirname, `${name}.js`);

/**
 * How many threads echolab's thread-per-client server keeps spare unless told otherwise: as
 * many as the largest crowd the specs send at once (30), and a few more. A thread per client
 * wants one the moment a client arrives, and starting one takes tens of milliseconds.
 */
export const DEFAULT_SPARE_THREADS = 32;

/**
 * How many threads a threaded model's process may have at once unless told fewer, spares
 * included: more than a machine runs Node workers for (each takes about 9 MiB), so that only
 * `serve --max-threads` makes the limit bite.
 */
export const MAX_THREADS = 1024;

/**
 * Spare threads a threaded model's server keeps started, besides its first: the threads it
 * will ask for at once. A pool asks for its workers, once; sequential and select loops never.
 */
export function threadsAhead(name: ThreadedModelName, { workers }: ServeOptions, spareThreads = DEFAULT_SPARE_THREADS): number {
  return { sequential: 0, multiplexing: 0, 'thread-pool': workers, 'thread-per-client': spareThreads }[name];
}
