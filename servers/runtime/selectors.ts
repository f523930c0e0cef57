/**
 * A small `selectors.DefaultSelector`, as in Python on Linux: register the sockets to watch,
 * each with some data (typically what to do when it is ready), then block in `select` until
 * some of them can be read without blocking. Built, like Python's, on epoll. Only readiness
 * to read is watched, which is all an echo server needs. The selector lives on one thread, so
 * its data may well be functions.
 */
import { Epoll } from './os';

export interface SelectorKey<T> {
  fd: number;
  data: T;
}

export class DefaultSelector<T> {
  private readonly keys = new Map<number, SelectorKey<T>>();
  private readonly epoll = new Epoll();

  /** Watches `fd`: a connection with bytes, EOF or an error to read, or a listening socket with a client to accept. */
  register(fd: number, data: T): SelectorKey<T> {
    if (this.keys.has(fd)) throw new Error(`${fd} is already registered`);
    this.epoll.register(fd);
    const key = { fd, data };
    this.keys.set(fd, key);
    return key;
  }

  /** Stops watching `fd`; do it before closing it. */
  unregister(fd: number) {
    if (!this.keys.delete(fd)) throw new Error(`${fd} is not registered`);
    this.epoll.unregister(fd);
  }

  /** Blocks until some registered sockets are ready (or `timeoutMs` passes; null waits for ever, 0 or less not at all) and returns their keys. */
  select(timeoutMs: number | null = null): SelectorKey<T>[] {
    return this.epoll.poll(timeoutMs).map((fd) => this.keys.get(fd)!);
  }
}
