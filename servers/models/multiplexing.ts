/**
 * IO multiplexing: one thread serves every client. It blocks in `select` until some
 * registered socket is ready, then runs that socket's callback, which will not block on
 * reading: the listening socket's accepts the new client, a client's echoes what it sent.
 * Only the thread's own `sendall` can still block, and while it does nobody else is served.
 */
import { timestamp } from '../../core/timestamp';
import type { ServeOptions } from '../protocol';
import { accept, close, listen, OSError, print, recv, sendall } from '../runtime/os';
import { DefaultSelector } from '../runtime/selectors';

export function main({ host, port, backlog }: ServeOptions) {
  const selector = new DefaultSelector<() => void>();

  function acceptClient(server: number) {
    const [conn, peer] = accept(server);
    print('Connection from   -----', peer, 'at', timestamp());
    selector.register(conn, () => echo(conn, peer));
  }

  function echo(conn: number, peer: string) {
    try {
      const data = recv(conn, 4096);
      if (data.byteLength > 0) {
        sendall(conn, data); // blocks while this client is not reading, and every other client waits
        return;
      }
    } catch (error) {
      // a client that reset its connection has left, just as one that closed it
      if (!(error instanceof OSError)) throw error;
    }
    selector.unregister(conn);
    print('Disconnected from -----', peer, 'at', timestamp());
    close(conn);
  }

  const server = listen(host, port, backlog);
  selector.register(server, () => acceptClient(server));
  for (;;) {
    for (const key of selector.select()) key.data();
  }
}
