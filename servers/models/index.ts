/** The server models echolab knows, in the article's order. */
import path from 'node:path';
import { EcholabError } from '../../support/errors';

export const MODELS = {
  sequential: 'one thread: accept a client, serve it until it leaves, then accept the next',
  'thread-per-client': 'a new OS thread for every connection',
  'thread-pool': 'a fixed pool of OS threads (--workers, default 2) fed by a first-in, first-out queue',
  multiplexing: 'one thread: a select loop that runs a callback for each socket that is ready',
  async: "Node's own event loop: an async handler per connection, no threads and no blocking calls",
} as const;

export type ModelName = keyof typeof MODELS;

/** The models that are programs on the kernel's threads: every one but `async`. */
export type KernelModelName = Exclude<ModelName, 'async'>;

export function isModelName(name: string): name is ModelName {
  return Object.hasOwn(MODELS, name);
}

export function assertModelName(name: string): ModelName {
  if (!isModelName(name)) {
    throw new EcholabError('ECHOLAB_UNKNOWN_MODEL', `unknown model "${name}"; the models are: ${Object.keys(MODELS).join(', ')}`);
  }
  return name;
}

/** The compiled program file of a model that runs on the kernel. */
export const modelProgram = (name: KernelModelName) => path.join(__dirname, `${name}.js`);
