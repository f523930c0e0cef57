/**
 * What a server's cost per idle connection looks like: a thread per client, a process per
 * client, or a set of threads that does not grow with the connections. Read from the steps of
 * a cost probe (support/cost/probe.ts), and pure, so that classify can take it as evidence.
 */
import { withinBound, type Bound } from '../bounds';
import { leastSquaresSlope } from './fit';
import type { TreeSample } from './sampler';

/** One step of a probe: how many idle connections were open, and what the server's processes cost then. */
export interface CostStep {
  connections: number;
  sample: TreeSample;
}

/** How the server's cost grew with its connections: least-squares slopes over every step. */
export interface CostSlopes {
  threadsPerConnection: number;
  processesPerConnection: number;
  /** PSS */
  memoryBytesPerConnection: number;
  fdsPerConnection: number;
  /** idle connections added from the first step to the last */
  connectionsAdded: number;
  /** at the first step: what the server holds before those connections */
  threadsAtStart: number;
}

export function costSlopes(steps: readonly CostStep[]): CostSlopes {
  const slope = (measure: (sample: TreeSample) => number) => leastSquaresSlope(steps.map(({ connections, sample }) => ({ x: connections, y: measure(sample) })));
  return {
    threadsPerConnection: slope((sample) => sample.threads),
    processesPerConnection: slope((sample) => sample.processes),
    memoryBytesPerConnection: slope((sample) => sample.pssBytes),
    fdsPerConnection: slope((sample) => sample.fds),
    connectionsAdded: steps[steps.length - 1].connections - steps[0].connections,
    threadsAtStart: steps[0].sample.threads,
  };
}

/**
 * A slope this close to a whole number, 1 or more, is that many per connection (socat forks a
 * process and runs a program in another for each client: 2): room for a thread started ahead,
 * or one not yet replaced, at a step.
 */
export const PER_CONNECTION_WITHIN = 0.2;
/** A slope below this is none per connection: fewer than one thread (or process) per 20 connections. */
export const NONE_PER_CONNECTION_BELOW = 0.05;

export type CostLook =
  | 'a process per client'
  | 'a thread per client'
  | 'one thread for all connections'
  | 'a fixed number of threads'
  | 'threads that grow, but not one per client';

export interface CostVerdict {
  looksLike: CostLook;
  /**
   * What the connections added in threads and processes, and where they added none, what it
   * holds however many connect: "100 idle connections added 100 OS threads", "100 idle
   * connections added no OS threads to the 7 it holds". What classify quotes.
   */
  threads: string;
  /** e.g. "100 idle connections added 100 OS threads and 7.1 MiB of memory (73 KiB each): it looks like a thread per client" */
  sentence: string;
}

export function costVerdict(slopes: CostSlopes): CostVerdict {
  const looksLike = look(slopes);
  const { connectionsAdded: added, threadsAtStart } = slopes;
  const threads = Math.round(slopes.threadsPerConnection * added);
  const processes = Math.round(slopes.processesPerConnection * added);
  const grew = [count(threads, 'OS thread'), ...(processes === 0 ? [] : [count(processes, 'process', 'processes')])];
  const ofMemory = `${memory(slopes.memoryBytesPerConnection * added)} of memory (${memory(slopes.memoryBytesPerConnection)} each)`;
  const holdsAll = looksLike === 'one thread for all connections' || looksLike === 'a fixed number of threads';
  const addedAll = (costs: string[]) => `${added} idle connections added ${listed(costs)}`;
  return {
    looksLike,
    threads: `${addedAll(grew)}${holdsAll ? ` to the ${threadsAtStart === 1 ? 'one' : threadsAtStart} it holds` : ''}`,
    sentence: `${addedAll([...grew, ofMemory])}${holdsAll ? `; it holds ${count(threadsAtStart, 'OS thread')} however many connect` : ''}: it looks like ${looksLike}`,
  };
}

function look({ threadsPerConnection, processesPerConnection, threadsAtStart }: CostSlopes): CostLook {
  const somePerConnection = (slope: number) => slope >= 1 - PER_CONNECTION_WITHIN && Math.abs(slope - Math.round(slope)) <= PER_CONNECTION_WITHIN;
  const none = (slope: number) => Math.abs(slope) < NONE_PER_CONNECTION_BELOW;
  if (somePerConnection(processesPerConnection)) return 'a process per client';
  if (somePerConnection(threadsPerConnection)) return 'a thread per client';
  if (none(threadsPerConnection) && none(processesPerConnection)) return threadsAtStart === 1 ? 'one thread for all connections' : 'a fixed number of threads';
  return 'threads that grow, but not one per client';
}

const count = (n: number, one: string, many = `${one}s`) => `${n === 0 ? 'no' : n} ${n === 1 ? one : many}`;

/** "a", "a and b", "a, b and c". */
const listed = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** "0.3 KiB", "41 KiB", "1.5 MiB"; a fall in memory as "-3 KiB". */
export function memory(bytes: number): string {
  const kib = Math.abs(bytes) / 1024;
  const text = kib >= 1024 ? `${(kib / 1024).toFixed(1)} MiB` : `${kib < 10 ? kib.toFixed(1) : Math.round(kib)} KiB`;
  return bytes < 0 && text !== '0.0 KiB' ? `-${text}` : text;
}

/** What a chapter bounds of a server's cost per connection. */
export type BoundedCost = 'threads' | 'memory';

/**
 * Undefined if the cost per connection is within `bound`, else a sentence saying what it was:
 * "each idle client added 0.02 threads, not between 0.9 and 1.1 (16 threads with 0 open, 18 with 100)".
 */
export function costWithin(steps: readonly CostStep[], what: BoundedCost, bound: Bound): string | undefined {
  const slopes = costSlopes(steps);
  const value = what === 'threads' ? slopes.threadsPerConnection : slopes.memoryBytesPerConnection;
  if (withinBound(value, bound)) return undefined;
  const each = what === 'threads' ? `${value.toFixed(2)} threads` : `${memory(value)} of memory`;
  const threads = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;
  const seen = steps.map(({ connections, sample }) => `${what === 'threads' ? threads(sample.threads) : memory(sample.pssBytes)} with ${connections} open`).join(', ');
  return `each idle client added ${each}, not ${bound.text} (${seen})`;
}
