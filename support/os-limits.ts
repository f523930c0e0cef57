/**
 * A real limit on the threads a running process may start, set from outside as anyone may set
 * it on their own process: its address space (RLIMIT_AS, through `prlimit`), which binds root
 * too, unlike the limit on processes (RLIMIT_NPROC). Every new thread maps a stack, as big as
 * the stack limit (8 MiB, usually); once the next stack does not fit, `pthread_create` fails
 * with EAGAIN, and Python says "can't start new thread".
 *
 * The C library also gives each new thread a heap of its own (an arena of 64 MiB of address
 * space), as long as one fits, which would make the count depend on what fits when: a server
 * limited this way must be started with MALLOC_ARENA_MAX=1, so that every thread costs a stack.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { parseSoftLimit, parseStatus } from './cost/proc';

/** The environment a server to be limited this way starts with: one heap for all its threads. */
export const ONE_HEAP = 'MALLOC_ARENA_MAX=1';

/** What a thread maps besides its stack: a guard page, its share of the heap (a 64 KiB `recv` buffer, say), and room to spare. */
const BESIDES_THE_STACK = 192 * 1024;

/**
 * The address space that lets a process that has `threadsNow` threads and maps `sizeNow` bytes
 * have `threads` in all: a stack and a little more for each one to come, and half a stack over,
 * so that what fails is the next stack, not some small allocation.
 */
export function addressSpaceFor(threads: number, { threadsNow, sizeNow, stackBytes }: { threadsNow: number; sizeNow: number; stackBytes: number }): number {
  return sizeNow + (threads - threadsNow) * (stackBytes + BESIDES_THE_STACK) + stackBytes / 2;
}

/** Limits process `pid`'s address space so that it can have `threads` threads in all. */
export async function limitThreads(pid: number, threads: number): Promise<void> {
  const status = parseStatus(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  const stackBytes = parseSoftLimit(fs.readFileSync(`/proc/${pid}/limits`, 'utf8'), 'Max stack size');
  if (status.sizeBytes === undefined || stackBytes === undefined) throw new Error(`process ${pid} has no address space or stack limit to measure threads by`);
  const bytes = addressSpaceFor(threads, { threadsNow: status.threads, sizeNow: status.sizeBytes, stackBytes });
  await promisify(execFile)('prlimit', ['--pid', String(pid), `--as=${Math.round(bytes)}`]);
}
