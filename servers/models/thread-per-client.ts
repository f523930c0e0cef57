/**
 * A thread per client: the main thread only accepts, and hands every connection to a new
 * OS thread of its own, so no client waits for another (until threads run out).
 */
import { timestamp } from '../../core/timestamp';
import type { ServeOptions } from '../protocol';
import { accept, listen, print, startThread } from '../runtime/os';
import { handleClient } from './handle-client';

export function main({ host, port, backlog, ...limits }: ServeOptions) {
  const server = listen(host, port, backlog);
  for (;;) {
    const [conn, peer] = accept(server);
    print('Connection from   -----', peer, 'at', timestamp());
    startThread(handleClient, conn, peer, limits);
  }
}
