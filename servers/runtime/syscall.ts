/**
 * The program side of a system call: post the request to the kernel, then block this OS
 * thread in `Atomics.wait` until the kernel has answered. No callbacks, no promises: the
 * calling code simply stops here, as it would in a blocking `recv`.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { SyscallReply, SyscallRequest, ThreadStart } from '../protocol';

/** A failed call, with the errno-style code a C or Python program would see. */
export class OSError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'OSError';
  }
}

let port: MessagePort | undefined;
let flag: Int32Array;
let nextId = 1;

export function attachToKernel(start: ThreadStart) {
  port = start.port;
  flag = start.flag;
}

export function syscall<T>(op: string, ...args: unknown[]): T {
  if (!port) throw new Error(`${op}() can only be called on a program thread started by the kernel`);
  const request: SyscallRequest = { id: nextId++, op, args };
  // lower the flag before asking, so an answer that comes at once is not missed
  Atomics.store(flag, 0, 0);
  port.postMessage(request);
  Atomics.wait(flag, 0, 0);
  const reply = receiveMessageOnPort(port)?.message as SyscallReply | undefined;
  if (!reply || reply.id !== request.id) throw new Error(`kernel answered out of turn for ${op}()`);
  if (!reply.ok) throw new OSError(reply.code, reply.message);
  return reply.value as T;
}
