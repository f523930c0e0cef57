/** The server models echolab knows, in the article's order. */
import path from 'node:path';
import { EcholabError } from '../../support/errors';
import type { ServeOptions } from '../protocol';

export const MODELS = {
  sequential: 'one thread: accept a client, serve it until it leaves, then accept the next',
  'thread-per-client': 'a new OS thread for every connection',
  'thread-pool': 'a fixed pool of OS threads (--workers, default 2) fed by a first-in, first-out queue',
  multiplexing: 'one thread: a select loop that runs a callback for each socket that is ready',
  async: "Node's own event loop: an async handler per connection, no threads and no blocking calls",
} as const;

export type ModelName = keyof typeof MODELS;

/** The models that are programs on OS threads making blocking calls: every one but `async`. */
export type ThreadedModelName = Exclude<ModelName, 'async'>;

export function isModelName(name: string): name is ModelName {
  return Object.hasOwn(MODELS, name);
}

export function assertModelName(name: string): ModelName {
  if (!isModelName(name)) {
    throw new EcholabError('ECHOLAB_UNKNOWN_MODEL', `unknown model "${name}"; the models are: ${Object.keys(MODELS).join(', ')}`);
  }
  return name;
}

/** The compiled program file of a threaded model. */
export const modelProgram = (name: ThreadedModelName) => path.join(__dirname, `${name}.js`);

/**
 * How many threads echolab's thread-per-client server keeps spare unless told otherwise: as
 * many as the largest crowd the specs send at once (30), and a few more. A thread per client
 * wants one the moment a client arrives, and starting one takes tens of milliseconds.
 */
export const DEFAULT_SPARE_THREADS = 32;

/**
 * Spare threads a threaded model's server keeps started, besides its first: the threads it
 * will ask for at once. A pool asks for its workers, once; sequential and select loops never.
 */
export function threadsAhead(name: ThreadedModelName, { workers }: ServeOptions, spareThreads = DEFAULT_SPARE_THREADS): number {
  return { sequential: 0, multiplexing: 0, 'thread-pool': workers, 'thread-per-client': spareThreads }[name];
}
