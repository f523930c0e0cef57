/**
 * What the load generator's coordinating thread and its sending threads share: a few cells
 * of shared memory (the phase, and each thread's progress, read without asking) and the
 * messages they exchange.
 */

/** The cell that says what the run is doing; the sending threads look at it on every echo. */
export const PHASE_CELL = 0;
export const Phase = { warmup: 0, measuring: 1, over: 2 } as const;

/** Each thread's cells: how many of its connections are connected, and how many have had an echo. */
export const Progress = { connected: 0, echoed: 1 } as const;
const PROGRESS_CELLS = 2;

export const cellOf = (thread: number, progress: number) => 1 + thread * PROGRESS_CELLS + progress;
export const controlBytes = (threads: number) => Int32Array.BYTES_PER_ELEMENT * (1 + threads * PROGRESS_CELLS);

/** A sending thread's workerData. */
export interface ThreadSetup {
  thread: number;
  control: SharedArrayBuffer;
  host: string;
  port: number;
  /** the connections this thread runs, by number */
  ids: number[];
  messageBytes: number;
}

export type ToThread = { kind: 'send' } | { kind: 'report' } | { kind: 'close' };

export type FromThread =
  | { kind: 'failed'; code: 'ECHOLAB_SERVER_CRASHED' | 'ECHOLAB_WRONG_ECHO'; message: string }
  | { kind: 'report'; latenciesUs: Float64Array; served: number };
