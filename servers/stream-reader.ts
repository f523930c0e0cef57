/**
 * `await reader.read()`, as in Python's asyncio streams, for a Node stream such as a socket:
 * the next bytes that arrived, or null once the other side has closed; a failure of the
 * stream (a reset, a deadline's destroy) is thrown by the read that meets it.
 *
 * The async model reads with it rather than with `for await (… of socket)`: that iterator
 * costs a tenth of the model's echoes (docs/internals.md). Bytes come on 'data', as they do
 * to `socket.pipe`; while nobody is waiting for them (the handler is sending, or waiting for
 * the client to read its echo) the stream is paused, so what is held stays bounded.
 */
import type { Readable } from 'node:stream';

export interface StreamReader {
  /** The next chunk, or null once the stream has ended; a value at once when one is waiting, else a promise. */
  read(): Buffer | null | Promise<Buffer | null>;
}

export function streamReader(stream: Readable): StreamReader {
  const arrived: Buffer[] = [];
  let waiting: { resolve(chunk: Buffer | null): void; reject(error: Error): void } | undefined;
  const wake = () => {
    const reader = waiting;
    waiting = undefined;
    return reader;
  };

  stream.on('data', (chunk: Buffer) => {
    const reader = wake();
    if (reader) return reader.resolve(chunk);
    arrived.push(chunk);
    stream.pause();
  });
  const ended = () => wake()?.resolve(null);
  stream.on('end', ended).on('close', ended);
  stream.on('error', (error) => wake()?.reject(error));

  return {
    read() {
      if (stream.errored) throw stream.errored;
      if (stream.destroyed) return null;
      const chunk = arrived.shift();
      if (chunk) {
        if (arrived.length === 0) stream.resume();
        return chunk;
      }
      if (stream.readableEnded) return null;
      return new Promise((resolve, reject) => (waiting = { resolve, reject }));
    },
  };
}
