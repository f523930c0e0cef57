/**
 * Which model an unknown server behaves like, decided from what probing clients observed.
 * Pure: the observations come in, a verdict and its evidence come out.
 *
 * From outside, a server shows how many clients it serves at once, in what order it takes
 * the ones that wait, and whether one slow client, or one client that does not read, holds
 * up the rest. That tells sequential from a pool of N from the rest; it cannot tell a thread
 * per client from async, nor from a select loop that buffers what it cannot send at once:
 * all three serve everyone at once and let nobody hold anybody up. The article's select loop,
 * whose sendall blocks, is the one that a client that does not read stalls, though it serves
 * everyone at once: that is echolab's multiplexing model.
 */
import type { ModelName } from '../servers/models';

export interface Observations {
  /** how many clients came at once to see how many are served at once: the most this can tell */
  bound: number;
  /** the most of them served at the same moment */
  servedAtOnce: number;
  /** those never served, even after the others had left */
  unserved: string[];
  /** whether the clients that had to wait were served in the order they connected */
  waitersInArrivalOrder: boolean;
  /** whether a client that was served and then sat idle kept the next client from being served */
  slowClientBlocks: boolean;
  /** whether a client sending much and reading nothing kept another client from being served */
  nonReaderStalls: boolean;
  /** undefined if a large binary payload came back byte for byte, else what went wrong */
  echoProblem: string | undefined;
}

/** One way of serving clients, and what it looks like from outside. */
interface Shape {
  models: ModelName[];
  /** for a pool: how many it serves at once */
  workers?: number;
  waitersInArrivalOrder: boolean;
  slowClientBlocks: boolean;
  nonReaderStalls: boolean;
}

export interface Classification {
  /** the models it behaves like: none if something it did fits no model */
  models: ModelName[];
  /** the models it resembles most, by how many it serves at once */
  closest: ModelName[];
  /** the pool size, when it behaves like a thread pool */
  workers?: number;
  /** what it did that its closest models would not */
  mismatches: string[];
}

/** What each probe asked, as a row of the evidence, and as said of a server that did, or did not. */
const TRAITS = {
  waitersInArrivalOrder: {
    row: 'clients that wait are served in the order they connected',
    no: 'clients that wait are not served in the order they connected',
    yes: 'clients that wait are served in the order they connected',
  },
  slowClientBlocks: {
    row: 'an idle client holds up the next one',
    no: 'an idle client does not hold up the next one',
    yes: 'an idle client holds up the next one',
  },
  nonReaderStalls: {
    row: 'a client that does not read holds up another one',
    no: 'a client that does not read holds up nobody',
    yes: 'a client that does not read holds up another one',
  },
} as const;

type Trait = keyof typeof TRAITS;

/** The shape that serves as many at once as this server did. */
function closestShape({ bound, servedAtOnce, nonReaderStalls }: Observations): Shape {
  if (servedAtOnce <= 1) return { models: ['sequential'], waitersInArrivalOrder: true, slowClientBlocks: true, nonReaderStalls: true };
  if (servedAtOnce < bound) return { models: ['thread-pool'], workers: servedAtOnce, waitersInArrivalOrder: true, slowClientBlocks: false, nonReaderStalls: false };
  // everyone at once: only the article's select loop, blocking in sendall, is held up by a client that does not read
  if (nonReaderStalls) return { models: ['multiplexing'], waitersInArrivalOrder: true, slowClientBlocks: false, nonReaderStalls: true };
  return { models: ['thread-per-client', 'async'], waitersInArrivalOrder: true, slowClientBlocks: false, nonReaderStalls: false };
}

export function classify(observations: Observations): Classification {
  const shape = closestShape(observations);
  const mismatches: string[] = (Object.keys(TRAITS) as Trait[])
    .filter((trait) => observations[trait] !== shape[trait])
    .map((trait) => TRAITS[trait][observations[trait] ? 'yes' : 'no']);
  if (observations.unserved.length > 0) mismatches.unshift(`client${observations.unserved.length > 1 ? 's' : ''} ${observations.unserved.join(', ')} never served`);
  if (observations.echoProblem) mismatches.push(observations.echoProblem);
  return { models: mismatches.length === 0 ? shape.models : [], closest: shape.models, workers: shape.workers, mismatches };
}

/**
 * Whether clients were served first come, first served: the first `atOnce` to connect were
 * served first (in any order among themselves, being served side by side), and every later
 * one in the order it connected. `served` lists clients in the order they were first served.
 */
export function firstComeFirstServed(arrival: string[], served: string[], atOnce: number): boolean {
  const expected = arrival.filter((client) => served.includes(client));
  const firstWave = new Set(expected.slice(0, atOnce));
  return served.every((client, i) => (i < atOnce ? firstWave.has(client) : client === expected[i]));
}

/** "thread-pool with 2 workers", "thread-per-client or async". */
export function describeModels(models: ModelName[], workers?: number): string {
  const names = models.length < 2 ? models.join('') : `${models.slice(0, -1).join(', ')} or ${models.at(-1)}`;
  return workers === undefined ? names : `${names} with ${workers} workers`;
}

/** The verdict in a sentence. */
export function verdictLine(result: Classification): string {
  const closest = describeModels(result.closest, result.workers);
  if (result.models.length === 0) return `It behaves like no model. Closest: ${closest}, but ${result.mismatches.join('; ')}.`;
  const apart = result.models.length > 1 ? ' (from outside these cannot be told apart)' : '';
  return `It behaves like ${closest}${apart}.`;
}

/** The evidence as a table: each probe, what the server did, and what its closest model would do. */
export function evidenceTable(observations: Observations, result: Classification): string {
  const shape = closestShape(observations);
  const yesNo = (value: boolean) => (value ? 'yes' : 'no');
  const rows: [string, string, string][] = [
    [`clients served at once (${observations.bound} came together)`, atOnce(observations), shape.workers === undefined ? atOnceOf(shape, observations.bound) : String(shape.workers)],
    ...(Object.keys(TRAITS) as Trait[]).map((trait): [string, string, string] => [TRAITS[trait].row, yesNo(observations[trait]), yesNo(shape[trait])]),
    ['a large binary payload comes back byte for byte', observations.echoProblem ? 'no' : 'yes', 'yes'],
  ];
  const header: [string, string, string] = ['probe', 'observed', describeModels(result.closest, result.workers)];
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column].length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

function atOnce({ servedAtOnce, bound }: Observations): string {
  return servedAtOnce >= bound ? `at least ${bound}` : String(servedAtOnce);
}

function atOnceOf(shape: Shape, bound: number): string {
  return shape.models.includes('sequential') ? '1' : `at least ${bound}`;
}
