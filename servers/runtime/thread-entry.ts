/**
 * The first code every program thread runs: load the socket calls and the program now, while
 * the thread is a spare, then run each function it is handed. Loaded on the first job instead,
 * the program's code took thirty threads handed thirty clients at once 60 ms to compile.
 */
import { workerData } from 'node:worker_threads';
import './os';
import { serveJobs, type SharedThreads } from './threads';

const { threads, slot, program } = workerData as { threads: SharedThreads; slot: number; program: string };
require(program); // eslint-disable-line @typescript-eslint/no-require-imports
serveJobs(threads, slot, ({ module, exportName, args }) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(module) as Record<string, (...args: unknown[]) => void>;
  exported[exportName](...args);
});
