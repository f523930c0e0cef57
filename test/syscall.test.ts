/**
 * The program side of a blocking call, against a stand-in kernel on another thread that
 * misbehaves on purpose: it wakes the caller with an answer to an earlier call first.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MessageChannel, Worker } from 'node:worker_threads';
import { attachToKernel, syscall } from '../servers/runtime/syscall';

/** Answers every request twice over: a stale answer (an earlier id) with a wake-up, then, a little later, the right one. */
const STALE_THEN_RIGHT = `
const { workerData } = require('node:worker_threads');
const { port, flag } = workerData;
port.on('message', (request) => {
  const wake = () => { Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); };
  port.postMessage({ id: request.id - 1, ok: true, value: 'stale' });
  wake();
  setTimeout(() => { port.postMessage({ id: request.id, ok: true, value: 'answer to ' + request.op }); wake(); }, 20);
});
`;

describe('syscall', () => {
  it('drops an answer to an earlier call and waits for its own', async () => {
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const kernel = new Worker(STALE_THEN_RIGHT, { eval: true, workerData: { port: port1, flag }, transferList: [port1] });
    await new Promise((ready) => kernel.once('online', ready));
    try {
      attachToKernel({ thread: 0, port: port2, flag, module: '', exportName: '', args: [] });
      assert.equal(syscall<string>('first'), 'answer to first');
      assert.equal(syscall<string>('second'), 'answer to second');
    } finally {
      port2.close();
      await kernel.terminate();
    }
  });
});
