/** `await reader.read()` over a stream (servers/stream-reader.ts), on an in-memory stream: no sockets. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import { streamReader } from '../servers/stream-reader';

const bytes = (text: string) => Buffer.from(text);

describe('reading a stream with await reader.read()', () => {
  it('a read that waits gets the next bytes to arrive', async () => {
    const stream = new PassThrough();
    const reader = streamReader(stream);
    const next = reader.read();
    assert.ok(next instanceof Promise);
    stream.write(bytes('hello'));
    assert.deepEqual(await next, bytes('hello'));
  });

  it('while nobody reads, the stream is paused: what arrived waits, in order, and reading it lets the stream flow again', async () => {
    const stream = new PassThrough();
    const reader = streamReader(stream);
    stream.write(bytes('one'));
    stream.write(bytes('two'));
    await new Promise(setImmediate);
    assert.equal(stream.isPaused(), true);
    assert.deepEqual(await reader.read(), bytes('one'));
    assert.deepEqual(await reader.read(), bytes('two'));
    assert.equal(stream.isPaused(), false);
  });

  it('once the other side has ended, what was sent before is read, then null, again and again', async () => {
    const stream = new PassThrough();
    const reader = streamReader(stream);
    stream.end(bytes('last'));
    assert.deepEqual(await reader.read(), bytes('last'));
    assert.equal(await reader.read(), null);
    assert.equal(await reader.read(), null);
  });

  it('a read waiting when the stream fails rejects with its error, and so does every read after it', async () => {
    const stream = new PassThrough();
    const reader = streamReader(stream);
    const next = reader.read();
    const reset = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    stream.destroy(reset);
    await assert.rejects(Promise.resolve(next), reset);
    assert.throws(() => reader.read(), reset);
  });

  it('a stream destroyed without an error reads as ended: a read waiting gets null, and so does one with bytes not yet read', async () => {
    const idle = new PassThrough();
    const waiting = streamReader(idle).read();
    idle.destroy();
    assert.equal(await waiting, null);

    const busy = new PassThrough();
    const reader = streamReader(busy);
    busy.write(bytes('unread'));
    await new Promise(setImmediate);
    busy.destroy();
    assert.equal(await reader.read(), null);
  });
});
