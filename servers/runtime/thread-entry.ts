/**
 * The first code every program thread runs: connect the blocking calls to the kernel,
 * then run the function the thread was started for.
 */
import { workerData } from 'node:worker_threads';
import type { ThreadStart } from '../protocol';
import { attachToKernel } from './syscall';

const start = workerData as ThreadStart;
attachToKernel(start);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const program = require(start.module) as Record<string, (...args: unknown[]) => void>;
program[start.exportName](...start.args);
