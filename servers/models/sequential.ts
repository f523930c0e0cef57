/**
 * The synchronous server: one thread accepts a client, serves it until it disconnects,
 * and only then accepts the next. Everyone else waits in the listening socket's backlog.
 */
import { timestamp } from '../../core/timestamp';
import type { ServeOptions } from '../protocol';
import { accept, listen, print } from '../runtime/os';
import { handleClient } from './handle-client';

export function main({ host, port, backlog, ...limits }: ServeOptions) {
  const server = listen(host, port, backlog);
  for (;;) {
    const [conn, peer] = accept(server);
    print('Connection from   -----', peer, 'at', timestamp());
    handleClient(conn, peer, limits);
  }
}
