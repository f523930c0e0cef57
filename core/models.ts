/** The server models echolab knows, in the article's order, and the command line that runs one. */
import { EcholabError } from './errors';
import { ECHOLAB_BIN } from './paths';

export const MODELS = {
  sequential: 'one thread: accept a client, serve it until it leaves, then accept the next',
  'thread-per-client': 'a new OS thread for every connection',
  'thread-pool': 'a fixed pool of OS threads (--workers, default 2) fed by a first-in, first-out queue',
  multiplexing: 'one thread: a select loop that runs a callback for each socket that is ready',
  async: "Node's own event loop: an async handler per connection, no threads and no blocking calls",
} as const;

export type ModelName = keyof typeof MODELS;

export const MODEL_NAMES = Object.keys(MODELS) as readonly ModelName[];

function isModelName(name: string): name is ModelName {
  return Object.hasOwn(MODELS, name);
}

export function assertModelName(name: string): ModelName {
  if (!isModelName(name)) {
    throw new EcholabError('ECHOLAB_UNKNOWN_MODEL', `unknown model "${name}"; the models are: ${MODEL_NAMES.join(', ')}`);
  }
  return name;
}

/** What `echolab serve` is told, beyond the model. */
export interface ServeSettings {
  /** default 0: the server picks a free one and its first line says which; `{port}`: the port is put in when it is started */
  port?: number | '{port}';
  /** also write the event log on stdout */
  events?: boolean;
  /** the pool's size (thread-pool) */
  workers?: number;
  /** the listening socket's backlog */
  backlog?: number;
  /** threads kept started ahead; thread-per-client alone is given them */
  spareThreads?: number;
  /** threads the process may have at once; for the models on OS threads, every one but async */
  maxThreads?: number;
  /** the remedies for slow clients, for every model: close a connection silent for this long (ms) */
  idleTimeoutMs?: number;
  /** close a connection this long (ms) after it began to be served */
  maxLifetimeMs?: number;
  /** close a connection that falls behind this many bytes/s, after its grace (ms; serve's default 5000) */
  minRate?: number;
  minRateGraceMs?: number;
  /** thread-pool: this IPv4 address's connections are taken from the queue first */
  priorityFrom?: string;
}

/**
 * The command that runs one of echolab's models as a program of its own, for the scenarios,
 * the check of echolab's own servers and the bench alike. Spare threads go to a thread per
 * client only, which alone keeps them (serve refuses them for any other model): a caller can
 * hold one number for every model.
 */
export function serveCommandLine(model: ModelName, settings: ServeSettings = {}): string[] {
  const { port = 0, events = false, workers, backlog, spareThreads, maxThreads, idleTimeoutMs, maxLifetimeMs, minRate, minRateGraceMs, priorityFrom } = settings;
  const command = [process.execPath, ECHOLAB_BIN, 'serve', model, '--port', String(port)];
  if (events) command.push('--events');
  if (workers !== undefined) command.push('--workers', String(workers));
  if (backlog !== undefined) command.push('--backlog', String(backlog));
  if (spareThreads !== undefined && model === 'thread-per-client') command.push('--spare-threads', String(spareThreads));
  if (maxThreads !== undefined) command.push('--max-threads', String(maxThreads));
  if (idleTimeoutMs !== undefined) command.push('--idle-timeout', String(idleTimeoutMs));
  if (maxLifetimeMs !== undefined) command.push('--max-lifetime', String(maxLifetimeMs));
  if (minRate !== undefined) command.push('--min-rate', String(minRate));
  if (minRateGraceMs !== undefined) command.push('--min-rate-grace', String(minRateGraceMs));
  if (priorityFrom !== undefined) command.push('--priority-from', priorityFrom);
  return command;
}
