/**
 * What passes between a program thread and the kernel (the process's main thread).
 *
 * A program thread posts a `SyscallRequest` on its port and blocks in `Atomics.wait` on its
 * flag; the kernel posts the `SyscallReply` first and only then sets the flag and notifies,
 * so the reply is always there to be read when the thread wakes.
 */
import type { MessagePort } from 'node:worker_threads';

export interface SyscallRequest {
  id: number;
  op: string;
  args: unknown[];
}

export type SyscallReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; code: string; message: string };

/** Handed to every program thread when it starts. */
export interface ThreadStart {
  thread: number;
  port: MessagePort;
  /** one Int32 cell: 0 while the thread waits for a reply, 1 once the reply was posted */
  flag: Int32Array;
  module: string;
  exportName: string;
  args: unknown[];
}

/** What every model's `main` receives from `echolab serve`. */
export interface ServeOptions {
  host: string;
  port: number;
  workers: number;
  /** how many completed connections may wait to be accepted, as listen()'s argument */
  backlog: number;
}
