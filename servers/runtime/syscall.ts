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
  // Woken without our answer (seen once in a few hundred runs under heavy load; the cause is
  // not yet found): lower the flag, look again, and from then on look every few ms as well,
  // rather than trust the next wake-up.
  for (let recheckMs: number | undefined; ; recheckMs = 5) {
    Atomics.wait(flag, 0, 0, recheckMs);
    let reply = answerTo(request);
    if (!reply) {
      Atomics.store(flag, 0, 0);
      reply = answerTo(request);
    }
    if (reply) return result(reply);
  }
}

/** The kernel's answer to `request` if it has come; answers to earlier calls are dropped. */
function answerTo(request: SyscallRequest): SyscallReply | undefined {
  for (;;) {
    const reply = receiveMessageOnPort(port!)?.message as SyscallReply | undefined;
    if (!reply) return undefined;
    if (reply.id === request.id) return reply;
    if (reply.id > request.id) throw new Error(`kernel answered call ${reply.id} before it was made, during ${request.op}()`);
  }
}

function result<T>(reply: SyscallReply): T {
  if (!reply.ok) throw new OSError(reply.code, reply.message);
  return reply.value as T;
}
