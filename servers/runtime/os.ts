/**
 * The blocking calls a server program makes, in the shape of Python's `socket`, `select`,
 * `threading` and `queue`. Each is the operating system's own call, made on the calling
 * thread, which stays blocked in the kernel until the call can complete. Sockets and queues
 * are file descriptors: plain numbers, so they can be handed to other threads, as in C.
 */
import { eventLine, type ServerEventFields, type ServerEventKind } from '../event-log';
import {
  AF_INET, EPOLL_CLOEXEC, EPOLL_CTL_ADD, EPOLL_CTL_DEL, epollEvents, EPOLLIN, F_SETFL, F_SETPIPE_SZ, IPPROTO_TCP, lastErrno, MSG_NOSIGNAL, O_CLOEXEC, O_NONBLOCK, PIPE_BUF, pollfds, POLLERR, POLLHUP, POLLIN, POLLNVAL,
  POLLOUT, SHUT_RDWR, SO_REUSEADDR, SOCK_CLOEXEC, SOCK_STREAM, SOCKADDR_IN_BYTES, sockaddrIn, sockaddrInToString, SOL_SOCKET,
  sys, TCP_NODELAY,
} from './libc';
import { current, eventsEnabled, firstToAnnounce, startOnSpare } from './threads';

export { SHUT_RD, SHUT_RDWR, SHUT_WR } from './libc';

/** A failed call, with the errno name a C or Python program would see (ECONNRESET, EPIPE, …). */
export class OSError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'OSError';
  }
}

/** Makes a call, again if a signal interrupted it; a failure becomes an OSError naming the call. */
function call(name: string, run: () => number): number {
  for (;;) {
    const result = run();
    if (result >= 0) return result;
    againIfInterrupted(name);
  }
}

/**
 * After a call failed: returns if a signal interrupted it, to be made again, else throws the
 * OSError naming it. The calls made for every echo (recv, send) loop on this themselves rather
 * than hand `call` a new function each time.
 */
function againIfInterrupted(name: string) {
  const code = lastErrno();
  if (code !== 'EINTR') throw new OSError(code, `${name}() failed: ${code}`);
}

function log(kind: ServerEventKind, conn: number, fields?: ServerEventFields) {
  if (eventsEnabled()) writeLine(eventLine(kind, current.thread, conn, fields));
}

/** A listening TCP socket on host:port (port 0 picks a free one), with a backlog of `backlog` completed connections. */
export function listen(host: string, port: number, backlog = 128): number {
  const fd = call('socket', () => sys.socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  try {
    call('setsockopt', () => sys.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, new Int32Array([1]), 4));
    const address = sockaddrIn(host, port);
    try {
      call('bind', () => sys.bind(fd, address, address.byteLength));
    } catch (error) {
      if (error instanceof OSError && error.code === 'EADDRINUSE') throw new OSError(error.code, `port ${port} is already in use`);
      throw error;
    }
    call('listen', () => sys.listen(fd, backlog));
  } catch (error) {
    sys.close(fd);
    throw error;
  }
  const local = new Uint8Array(SOCKADDR_IN_BYTES);
  call('getsockname', () => sys.getsockname(fd, local, new Uint32Array([local.byteLength])));
  // the readiness line: the first line a listening echolab server prints
  if (firstToAnnounce()) print(`listening on ${sockaddrInToString(local)}`);
  return fd;
}

/** The next connection from the backlog, and the client's address; blocks until there is one. */
export function accept(server: number): [number, string] {
  const peer = new Uint8Array(SOCKADDR_IN_BYTES);
  const conn = call('accept', () => sys.accept4(server, peer, new Uint32Array([peer.byteLength]), SOCK_CLOEXEC));
  // each echo goes out as soon as it is sent, not held back to be joined with the next
  sys.setsockopt(conn, IPPROTO_TCP, TCP_NODELAY, new Int32Array([1]), 4);
  const address = sockaddrInToString(peer);
  log('accepted', conn, { peer: address });
  return [conn, address];
}

/**
 * Up to `max` received bytes, a value of their own; blocks until there are some. Empty means the
 * client closed its side. With a timeout (ms), as after Python's `sock.settimeout`: see recvInto.
 */
export function recv(conn: number, max: number, timeoutMs?: number): Uint8Array {
  const buffer = Buffer.allocUnsafe(max);
  return buffer.subarray(0, recvInto(conn, buffer, timeoutMs));
}

/**
 * As Python's `sock.recv_into(buffer)`: receives into `buffer` and returns how many bytes came;
 * blocks until some did. 0 means the client closed its side. A server that sends what it
 * received before it receives again needs only one buffer, which stays in the processor's
 * cache. Fresh memory for every receive would not: a C or Python server gets the memory of
 * its last `recv` back at once (from `free`, from a reference count), but memory handed to
 * JavaScript comes back only when the garbage collector runs, long after.
 * With a timeout (ms), as after Python's `sock.settimeout`, it waits no longer: first `poll` on
 * this one socket, then `recv`; if nothing came in time, OSError ETIMEDOUT (Python's
 * `TimeoutError: timed out`). A timeout of 0 or less has already passed.
 */
export function recvInto(conn: number, buffer: Uint8Array, timeoutMs?: number): number {
  if (timeoutMs !== undefined) {
    const ready = timeoutMs > 0 ? call('recv', () => sys.poll(pollfds([{ fd: conn, events: POLLIN }]).buffer, 1, Math.ceil(timeoutMs))) : 0;
    if (ready === 0) throw new OSError('ETIMEDOUT', 'recv() failed: ETIMEDOUT (timed out)');
  }
  let received: number;
  while ((received = sys.recv(conn, buffer, buffer.byteLength, 0)) < 0) againIfInterrupted('recv');
  log('recv', conn, { bytes: received });
  return received;
}

/** Sends every byte; blocks while the connection's send buffer is full. */
export function sendall(conn: number, data: Uint8Array) {
  for (let sent = 0, result: number; sent < data.byteLength; ) {
    const rest = sent === 0 ? data : data.subarray(sent);
    if ((result = sys.send(conn, rest, rest.byteLength, MSG_NOSIGNAL)) >= 0) sent += result;
    else againIfInterrupted('send');
  }
  log('send', conn, { bytes: data.byteLength });
}

/** Stops reading, writing or both on a socket (SHUT_RD, SHUT_WR, SHUT_RDWR); wakes threads blocked in it. */
export function shutdown(fd: number, how: number) {
  call('shutdown', () => sys.shutdown(fd, how));
}

/**
 * Closes a socket or a queue. Unlike a bare close(2), which leaves other threads blocked on the
 * descriptor asleep, this first shuts the socket down, so a thread blocked in its `accept` or
 * `recv` wakes (with EINVAL, or with end of file), as threads blocked on a closed queue do.
 */
export function close(fd: number | Queue | PriorityQueue) {
  if (typeof fd !== 'number') {
    for (const pipe of isPriorityQueue(fd) ? [fd.tickets, ...fd.items] : [fd]) {
      call('close', () => sys.close(pipe.write)); // getters wake with end of file
      call('close', () => sys.close(pipe.read));
    }
    return;
  }
  log('closed', fd); // before the number is free to be handed out again
  sys.shutdown(fd, SHUT_RDWR); // fails harmlessly on a socket that never connected
  call('close', () => sys.close(fd));
}

/** Blocks until one of the sockets is ready, or the timeout (ms; null = never; 0 or less, no wait) passes. A closed descriptor is EBADF. */
export function select(readFds: number[], writeFds: number[] = [], timeoutMs: number | null = null) {
  const entries = [...readFds.map((fd) => ({ fd, events: POLLIN })), ...writeFds.map((fd) => ({ fd, events: POLLOUT }))];
  const fds = pollfds(entries);
  call('select', () => sys.poll(fds.buffer, entries.length, timeoutMs === null ? -1 : Math.max(0, Math.ceil(timeoutMs))));
  const ready = (mask: number) => entries.flatMap(({ fd, events }, i) => {
    const revents = fds.revents(i);
    if (revents & POLLNVAL) throw new OSError('EBADF', `select() failed: EBADF (${fd} is not open)`);
    return events === mask && revents & (mask | POLLERR | POLLHUP) ? [fd] : [];
  });
  return { readable: ready(POLLIN), writable: ready(POLLOUT) };
}

/**
 * An epoll instance, as Python's `select.epoll` (what its `selectors.DefaultSelector` uses on
 * Linux): the kernel keeps the set of watched sockets, so a wait costs what is ready, not what
 * is watched. Watches readiness to read; a socket closed while watched simply drops out.
 */
export class Epoll {
  private readonly fd = call('epoll_create1', () => sys.epoll_create1(EPOLL_CLOEXEC));
  private watched = 0;
  private ready = epollEvents(1);

  register(fd: number) {
    const event = epollEvents(1);
    event.set(0, EPOLLIN, fd);
    call('epoll_ctl', () => sys.epoll_ctl(this.fd, EPOLL_CTL_ADD, fd, event.buffer));
    this.watched++;
  }

  unregister(fd: number) {
    call('epoll_ctl', () => sys.epoll_ctl(this.fd, EPOLL_CTL_DEL, fd, null));
    this.watched--;
  }

  /** Blocks until some watched sockets can be read (or the timeout, ms, passes; null = never; 0 or less, no wait); returns them. */
  poll(timeoutMs: number | null = null): number[] {
    const room = Math.max(1, this.watched);
    if (this.ready.capacity < room) this.ready = epollEvents(room);
    const { ready } = this;
    const count = call('epoll_wait', () => sys.epoll_wait(this.fd, ready.buffer, ready.capacity, timeoutMs === null ? -1 : Math.max(0, Math.ceil(timeoutMs))));
    const fds: number[] = [];
    for (let i = 0; i < count; i++) fds.push(ready.fd(i));
    return fds;
  }
}

/** A first-in, first-out queue that threads share: a pipe, so `get` blocks in the kernel's read. */
export interface Queue {
  read: number;
  write: number;
}

/**
 * A queue whose items have a priority, 0 or 1, like Python's `queue.PriorityQueue` with two
 * priorities (the lower first): `get` hands out the oldest item of priority 0 while there is
 * one, else the oldest of priority 1. Three pipes: one for each priority's items, and one of
 * tickets, a byte written after each item. A getter blocks in the kernel reading a ticket,
 * then takes an item of priority 0 if one is there (a read that does not block), else one of
 * priority 1.
 *
 * That read of priority 1 finds an item, however many threads put and get. An item is in its
 * pipe before its ticket, and a getter takes its ticket before its item, so at every instant
 * the pipes hold at least as many items as there are getters holding a ticket. A getter that
 * finds priority 0 empty thus finds, at that instant, enough items of priority 1 for itself
 * and for every other getter that found priority 0 empty and has not yet taken one. Puts only
 * add to them, and a getter that takes an item of priority 0 takes none of them: so they stay
 * enough until each of those getters has taken its own.
 */
export interface PriorityQueue {
  tickets: Queue;
  /** the items of priority 0, read without blocking, and those of priority 1 */
  items: [Queue, Queue];
}

/** Every item takes one record of this size, written and read whole, so items never split or mix. */
const QUEUE_RECORD_BYTES = 256;

export function queue(): Queue {
  const fds = new Int32Array(2);
  call('pipe', () => sys.pipe2(fds, O_CLOEXEC));
  sys.fcntl(fds[1], F_SETPIPE_SZ, 1 << 20); // room for 4096 items, if the system allows it
  return { read: fds[0], write: fds[1] };
}

export function priorityQueue(): PriorityQueue {
  const items: [Queue, Queue] = [queue(), queue()];
  call('fcntl', () => sys.fcntl(items[0].read, F_SETFL, O_NONBLOCK));
  return { tickets: queue(), items };
}

const isPriorityQueue = (q: Queue | PriorityQueue): q is PriorityQueue => 'tickets' in q;

/** Adds an item (any JSON value), to a priority queue with its priority; blocks only while the queue is full. */
export function put(q: Queue | PriorityQueue, item: unknown, priority?: 0 | 1) {
  if (isPriorityQueue(q) !== (priority !== undefined)) throw new TypeError('put: a priority queue takes a priority (0 or 1), a plain queue none');
  const record = new Uint8Array(QUEUE_RECORD_BYTES).fill(0x20);
  const encoded = new TextEncoder().encode(JSON.stringify(item));
  if (encoded.byteLength > QUEUE_RECORD_BYTES) throw new RangeError(`a queue item takes at most ${QUEUE_RECORD_BYTES} bytes as JSON`);
  record.set(encoded);
  const into = isPriorityQueue(q) ? q.items[priority!] : q;
  call('put', () => sys.write(into.write, record, QUEUE_RECORD_BYTES));
  if (isPriorityQueue(q)) call('put', () => sys.write(q.tickets.write, new Uint8Array(1), 1)); // after the item, never before
}

/** The oldest item (of a priority queue, the oldest of the first priority that has one); blocks while the queue is empty. A closed queue is EPIPE. */
export function get<T>(q: Queue | PriorityQueue): T {
  if (!isPriorityQueue(q)) return take<T>(q.read)!;
  if (call('get', () => sys.read(q.tickets.read, new Uint8Array(1), 1)) === 0) throw closedQueue();
  return take<T>(q.items[0].read) ?? take<T>(q.items[1].read)!;
}

/** The next record of a pipe; undefined if it has none and does not block. */
function take<T>(fd: number): T | undefined {
  const record = new Uint8Array(QUEUE_RECORD_BYTES);
  let read: number;
  try {
    read = call('get', () => sys.read(fd, record, QUEUE_RECORD_BYTES));
  } catch (error) {
    if (error instanceof OSError && error.code === 'EAGAIN') return undefined;
    throw error;
  }
  if (read === 0) throw closedQueue();
  return JSON.parse(new TextDecoder().decode(record)) as T;
}

const closedQueue = () => new OSError('EPIPE', 'get() failed: EPIPE (the queue was closed)');

/** A line on the server's standard output, written whole. */
export const print = (...parts: unknown[]) => writeLine(parts.join(' ') + '\n');

function writeLine(line: string) {
  const bytes = new TextEncoder().encode(line);
  if (bytes.byteLength > PIPE_BUF) throw new RangeError(`a line of ${bytes.byteLength} bytes could be interleaved with another thread's`);
  for (let written = 0; written < bytes.byteLength; ) {
    const result = sys.write(1, bytes.subarray(written), bytes.byteLength - written);
    if (result >= 0) written += result;
    else if (lastErrno() === 'EAGAIN') sys.poll(pollfds([{ fd: 1, events: POLLOUT }]).buffer, 1, -1);
    else if (lastErrno() !== 'EINTR') return; // nobody is reading our output any more
  }
}

/** Blocks the calling thread for `ms` milliseconds. */
export const sleep = (ms: number) => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Starts a new OS thread running `target(...args)`, like `threading.Thread(target, args).start()`,
 * and returns its number. Functions cannot cross threads, so the new thread loads `target`
 * again by name from the module that exports it; `target` must be an exported function, and
 * `args` JSON values. Once the program's first thread has ended, the process waits for this
 * thread to return, as Python waits for a thread that is not a daemon. When the process has as
 * many threads as it may, or the operating system refuses one, it fails as `pthread_create` does
 * (EAGAIN), and as Python's "can't start new thread".
 */
export function startThread<A extends unknown[]>(target: (...args: A) => void, ...args: A): number {
  return startOn(target, args, false);
}

/** As startThread, but a daemon thread, like `threading.Thread(..., daemon=True)`: the process does not wait for it. */
export function startDaemonThread<A extends unknown[]>(target: (...args: A) => void, ...args: A): number {
  return startOn(target, args, true);
}

function startOn(target: Function, args: unknown[], daemon: boolean): number {
  const thread = startOnSpare({ ...whereExported(target), args, daemon });
  if (typeof thread === 'string') throw new OSError('EAGAIN', `can't start new thread: EAGAIN (${thread})`);
  return thread;
}

/** Where each target was found: a thread per client starts one per connection, so look once. */
const exportedAt = new WeakMap<Function, { module: string; exportName: string }>();

function whereExported(target: Function): { module: string; exportName: string } {
  const known = exportedAt.get(target);
  if (known) return known;
  for (const loaded of Object.values(require.cache)) {
    const exported = Object.entries(loaded?.exports ?? {}).find(([, value]) => value === target);
    if (loaded && exported) {
      const where = { module: loaded.filename, exportName: exported[0] };
      exportedAt.set(target, where);
      return where;
    }
  }
  throw new Error(`startThread: ${target.name || 'the target'} must be a function exported by a module`);
}
