/**
 * IO multiplexing: one thread serves every client. It blocks in `select` until some
 * registered socket is ready, then runs that socket's callback, which will not block on
 * reading: the listening socket's accepts the new client, a client's echoes what it sent.
 * Only the thread's own `sendall` can still block, and while it does nobody else is served.
 * With limits (serve --idle-timeout, --max-lifetime, --min-rate), each client has a deadline:
 * `select` waits no longer than the nearest, and then the clients past theirs are cut off.
 */
import { timestamp } from '../../core/timestamp';
import { monotonicMs } from '../event-log';
import { anyLimit, earliest, nextDeadline, noteReceived, servedFrom, type Deadline, type Progress } from '../limits';
import type { ServeOptions } from '../protocol';
import { accept, close, listen, OSError, print, recvInto, sendall } from '../runtime/os';
import { DefaultSelector } from '../runtime/selectors';

export function main({ host, port, backlog, ...limits }: ServeOptions) {
  const selector = new DefaultSelector<() => void>();
  const deadlines = new Map<number, Deadline & { peer: string }>();
  const limited = anyLimit(limits);
  const buffer = new Uint8Array(4096); // one for every client: each echo is sent before the next is received

  function acceptClient(server: number) {
    const [conn, peer] = accept(server);
    print('Connection from   -----', peer, 'at', timestamp());
    const progress = servedFrom(monotonicMs());
    selector.register(conn, () => echo(conn, peer, progress));
    watch(conn, peer, progress);
  }

  /** Notes when the client is to be cut off, if a limit says so. */
  function watch(conn: number, peer: string, progress: Progress) {
    const deadline = nextDeadline(limits, progress);
    if (deadline) deadlines.set(conn, { ...deadline, peer });
  }

  function echo(conn: number, peer: string, progress: Progress) {
    try {
      const received = recvInto(conn, buffer);
      if (received > 0) {
        if (limited) {
          noteReceived(progress, received, monotonicMs());
          watch(conn, peer, progress);
        }
        sendall(conn, buffer.subarray(0, received)); // blocks while this client is not reading, and every other client waits
        return;
      }
    } catch (error) {
      // a client that reset its connection has left, just as one that closed it
      if (!(error instanceof OSError)) throw error;
    }
    hangUp(conn, 'Disconnected from -----', peer, 'at', timestamp());
  }

  function hangUp(conn: number, ...line: unknown[]) {
    selector.unregister(conn);
    deadlines.delete(conn);
    print(...line);
    close(conn);
  }

  const server = listen(host, port, backlog);
  selector.register(server, () => acceptClient(server));
  for (;;) {
    const nearest = earliest(deadlines.values());
    for (const key of selector.select(nearest ? nearest.at - monotonicMs() : null)) key.data();
    for (const [conn, { at, limit, peer }] of deadlines) {
      if (at <= monotonicMs()) hangUp(conn, 'Cut off           -----', peer, 'at', timestamp(), `(${limit})`);
    }
  }
}
