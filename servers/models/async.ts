/**
 * Async/await on Node's own event loop: the contrast to the blocking models, in the shape of
 * asyncio's streams (`chunk = await reader.read()`). There are no program threads and no
 * blocking calls here: one `async` handler per connection, and each `await` hands the
 * process's only thread back to the event loop, which meanwhile runs whichever other handler
 * has something to do. Everything is thread 0.
 * With limits (serve --idle-timeout, --max-lifetime, --min-rate), a timer per connection is
 * set for its earliest deadline, again whenever bytes arrive: when it fires, the connection
 * is closed.
 */
import { once } from 'node:events';
import net from 'node:net';
import { finished } from 'node:stream/promises';
import { timestamp } from '../../core/timestamp';
import { eventLog, monotonicMs } from '../event-log';
import { anyLimit, nextDeadline, noteReceived, servedFrom } from '../limits';
import type { ServeOptions } from '../protocol';
import { streamReader } from '../stream-reader';

export interface AsyncServerOutput {
  stdout: NodeJS.WritableStream;
  /** write the white-box event log as JSON lines on stdout */
  events: boolean;
}

/** Listens and serves until the server closes; rejects if it cannot listen. */
export function main({ host, port, ...limits }: ServeOptions, { stdout, events }: AsyncServerOutput): Promise<void> {
  const print = (...parts: unknown[]) => stdout.write(parts.join(' ') + '\n');
  const log = eventLog((line) => stdout.write(line), events);
  const limited = anyLimit(limits);
  let connections = 0;

  /** Echoes one client until it closes its side, then closes ours; or until its deadline passes, then closes it. */
  async function handleClient(socket: net.Socket, conn: number) {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    log('accepted', 0, conn, { peer });
    print('Connection from   -----', peer, 'at', timestamp());
    const progress = servedFrom(monotonicMs());
    let timer: NodeJS.Timeout | undefined;
    let cutBy: string | undefined;
    const watch = () => {
      clearTimeout(timer);
      const deadline = nextDeadline(limits, progress);
      if (!deadline) return;
      timer = setTimeout(() => {
        cutBy = deadline.limit;
        socket.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })); // what is awaited below fails with it
      }, deadline.at - monotonicMs());
    };
    watch();
    try {
      const reader = streamReader(socket);
      let chunk: Buffer | null;
      while ((chunk = await reader.read()) !== null) {
        log('recv', 0, conn, { bytes: chunk.byteLength });
        if (limited) {
          noteReceived(progress, chunk.byteLength, monotonicMs());
          watch();
        }
        // while the client is not reading, read nothing more from it: memory stays bounded
        if (!socket.write(chunk)) await once(socket, 'drain');
        log('send', 0, conn, { bytes: chunk.byteLength });
      }
      log('recv', 0, conn, { bytes: 0 });
      socket.end(); // our FIN goes after the last bytes of the echo
      await finished(socket);
    } catch (error) {
      // a client that reset its connection has left, just as one that closed it; anything else is a bug
      if (!(error instanceof Error && 'code' in error)) throw error;
      socket.destroy();
    } finally {
      clearTimeout(timer);
    }
    if (cutBy) print('Cut off           -----', peer, 'at', timestamp(), `(${cutBy})`);
    else print('Disconnected from -----', peer, 'at', timestamp());
    log('closed', 0, conn);
  }

  return new Promise((resolve, reject) => {
    // allowHalfOpen: a client that closes its side may still be reading its echo
    const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => void handleClient(socket, ++connections));
    server.once('error', reject);
    server.once('close', resolve);
    server.listen(port, host, () => {
      // the readiness line: the first line a listening echolab server prints
      stdout.write(`listening on ${host}:${(server.address() as net.AddressInfo).port}\n`);
    });
  });
}
