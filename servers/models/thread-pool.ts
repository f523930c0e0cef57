/**
 * A thread pool: a fixed number of worker threads take connections from a first-in,
 * first-out queue. With all workers busy, new clients wait in the queue for one to free up.
 * With --priority-from, the queue is a priority queue: connections from that address are taken
 * before any other waiting one. The workers are daemons: once the program has ended, the process
 * does not wait for them (a ThreadPoolExecutor's idle workers leave then too; its busy ones
 * finish their client first).
 */
import { timestamp } from '../../core/timestamp';
import type { Limits } from '../limits';
import type { ServeOptions } from '../protocol';
import { accept, get, listen, print, priorityQueue, put, queue, startDaemonThread, type PriorityQueue, type Queue } from '../runtime/os';
import { handleClient } from './handle-client';

/** One thread of the pool: serve the oldest waiting connection, then the next, forever. */
export function poolWorker(connections: Queue | PriorityQueue, limits: Limits) {
  for (;;) {
    const [conn, peer] = get<[number, string]>(connections);
    handleClient(conn, peer, limits);
  }
}

export function main({ host, port, workers, backlog, priorityFrom, ...limits }: ServeOptions) {
  const connections = priorityFrom === undefined ? queue() : priorityQueue();
  for (let i = 0; i < workers; i++) startDaemonThread(poolWorker, connections, limits);

  const server = listen(host, port, backlog);
  for (;;) {
    const [conn, peer] = accept(server);
    print('Connection from   -----', peer, 'at', timestamp());
    if (priorityFrom === undefined) put(connections, [conn, peer]);
    else put(connections, [conn, peer], peer.startsWith(`${priorityFrom}:`) ? 0 : 1); // priority 0 is taken first
  }
}
