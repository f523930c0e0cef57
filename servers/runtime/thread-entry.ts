/**
 * The first code every program thread runs: load the socket calls now, while the thread is a
 * spare, then run each function it is handed.
 */
import { workerData } from 'node:worker_threads';
import './os';
import { serveJobs, type SharedThreads } from './threads';

const { threads, slot } = workerData as { threads: SharedThreads; slot: number };
serveJobs(threads, slot, ({ module, exportName, args }) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require(module) as Record<string, (...args: unknown[]) => void>;
  program[exportName](...args);
});
