/**
 * What each model looks like from outside, to clients that see only when their bytes come
 * back: the one table of it. `echolab classify` decides by it; which model's specs each of
 * echolab's own servers passes follows from it (two models whose servers look alike pass each
 * other's specs), and the table in docs/check.md and features/13-telling-models-apart.feature
 * are held to it by the unit tests. Pure.
 */
import { MODEL_NAMES, type ModelName } from '../core/models';

/** How many clients a server serves at the same time: one, as many as its pool has threads, or every one that comes. */
export type ServedAtOnce = 'one' | 'its workers' | 'everyone';

export interface Looks {
  servedAtOnce: ServedAtOnce;
  /** whether the clients that wait are served in the order they connected (nobody waits where everyone is served) */
  waitersInArrivalOrder: boolean;
  /** whether a client that was served and then sits idle keeps the next client from being served */
  slowClientBlocks: boolean;
  /** whether a client sending much and reading nothing keeps another client from being served */
  nonReaderStalls: boolean;
}

/** The yes-or-no questions a client can answer, in the order the evidence lists them. */
export const QUESTIONS = ['waitersInArrivalOrder', 'slowClientBlocks', 'nonReaderStalls'] as const satisfies readonly (keyof Looks)[];
export type Question = (typeof QUESTIONS)[number];

export const LOOKS: Readonly<Record<ModelName, Looks>> = {
  // one thread, blocked in recv on the client it serves: an idle one holds everyone up, and so does one that does not read
  sequential: { servedAtOnce: 'one', waitersInArrivalOrder: true, slowClientBlocks: true, nonReaderStalls: true },
  // a blocked thread holds up only its own client
  'thread-per-client': { servedAtOnce: 'everyone', waitersInArrivalOrder: true, slowClientBlocks: false, nonReaderStalls: false },
  // N threads, a first-in, first-out queue: one idle client takes one thread of N
  'thread-pool': { servedAtOnce: 'its workers', waitersInArrivalOrder: true, slowClientBlocks: false, nonReaderStalls: false },
  // the select loop (chapter 4's): a blocking sendall to a client that does not read stops its only thread
  multiplexing: { servedAtOnce: 'everyone', waitersInArrivalOrder: true, slowClientBlocks: false, nonReaderStalls: true },
  // an event loop waits for writes as for reads: nobody holds anybody up
  async: { servedAtOnce: 'everyone', waitersInArrivalOrder: true, slowClientBlocks: false, nonReaderStalls: false },
};

/** Whether two servers look the same to every client. */
export function looksAlike(a: Looks, b: Looks): boolean {
  return a.servedAtOnce === b.servedAtOnce && QUESTIONS.every((question) => a[question] === b[question]);
}

/** The models a client cannot tell from `model`, itself included, in the article's order. */
export function lookalikes(model: ModelName): ModelName[] {
  return MODEL_NAMES.filter((other) => looksAlike(LOOKS[other], LOOKS[model]));
}

export type Cell = 'passes' | 'fails';

/**
 * Whether echolab's server of model `server` passes the client-observable specs of model
 * `specs` (a pool checked for as many workers as it has): exactly when the two look alike.
 */
export function expectedCell(server: ModelName, specs: ModelName): Cell {
  return looksAlike(LOOKS[server], LOOKS[specs]) ? 'passes' : 'fails';
}

/** The table of which server passes which specs, as rows: a header, then one row per server, cells in the order of MODEL_NAMES. */
export function expectedTable(): string[][] {
  return [['server', ...MODEL_NAMES], ...MODEL_NAMES.map((server) => [server, ...MODEL_NAMES.map((specs) => expectedCell(server, specs))])];
}

/** A row of the table as measured: a server checked against every model's specs. */
export interface CheckedRow {
  /** in the order of MODEL_NAMES */
  cells: Cell[];
  /** which scenario failed each check that failed, to tell a surprise from what was expected */
  failures: string[];
}
