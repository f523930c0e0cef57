/**
 * A thread pool: a fixed number of worker threads take connections from a first-in,
 * first-out queue. With all workers busy, new clients wait in the queue for one to free up.
 * The workers are daemons: once the program has ended, the process does not wait for them
 * (a ThreadPoolExecutor's idle workers leave then too; its busy ones finish their client first).
 */
import { timestamp } from '../../core/timestamp';
import type { ServeOptions } from '../protocol';
import { accept, get, listen, print, put, queue, startDaemonThread, type Queue } from '../runtime/os';
import { handleClient } from './handle-client';

/** One thread of the pool: serve the oldest waiting connection, then the next, forever. */
export function poolWorker(connections: Queue) {
  for (;;) {
    const [conn, peer] = get<[number, string]>(connections);
    handleClient(conn, peer);
  }
}

export function main({ host, port, workers, backlog }: ServeOptions) {
  const connections = queue();
  for (let i = 0; i < workers; i++) startDaemonThread(poolWorker, connections);

  const server = listen(host, port, backlog);
  for (;;) {
    const [conn, peer] = accept(server);
    print('Connection from   -----', peer, 'at', timestamp());
    put(connections, [conn, peer]);
  }
}
