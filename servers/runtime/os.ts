/**
 * The blocking calls a server program makes, in the shape of Python's `socket`, `select`,
 * `threading` and `queue`. Each one stops the calling thread until the kernel answers.
 * Sockets and queues are file descriptors: plain numbers, so they can be handed to other
 * threads, as in a real process.
 */
import { syscall } from './syscall';

export { OSError } from './syscall';

/** A listening TCP socket on host:port (port 0 picks a free one). */
export const listen = (host: string, port: number, backlog = 128) => syscall<number>('listen', host, port, backlog);

/** The next connection from the backlog, and the client's address; blocks until there is one. */
export const accept = (server: number) => syscall<[number, string]>('accept', server);

/** Up to `max` received bytes; blocks until there are some. Empty means the client closed its side. */
export const recv = (conn: number, max: number) => syscall<Uint8Array>('recv', conn, max);

/** Sends every byte; blocks while the connection's send buffer is full. */
export const sendall = (conn: number, data: Uint8Array) => syscall<null>('sendall', conn, data);

export const close = (fd: number) => syscall<null>('close', fd);

/** Blocks until one of the sockets is ready, or the timeout (ms; null = never) passes. */
export const select = (readFds: number[], writeFds: number[] = [], timeoutMs: number | null = null) =>
  syscall<{ readable: number[]; writable: number[] }>('select', readFds, writeFds, timeoutMs);

/** A first-in, first-out queue that threads share. */
export const queue = () => syscall<number>('queue');
export const put = (queueFd: number, item: unknown) => syscall<null>('put', queueFd, item);
/** The oldest item; blocks while the queue is empty. */
export const get = <T>(queueFd: number) => syscall<T>('get', queueFd);

/** A line on the server's standard output. */
export const print = (...parts: unknown[]) => syscall<null>('print', parts.join(' '));

/** The time of day, for log lines. */
export const timestamp = () => new Date().toISOString().slice(11, 23);

/**
 * Starts a new OS thread running `target(...args)`, like `threading.Thread(target, args).start()`.
 * Functions cannot cross threads, so the new thread loads `target` again by name from the
 * module that exports it; `target` must therefore be an exported function.
 */
export function startThread<A extends unknown[]>(target: (...args: A) => void, ...args: A): number {
  for (const loaded of Object.values(require.cache)) {
    const exported = Object.entries(loaded?.exports ?? {}).find(([, value]) => value === target);
    if (loaded && exported) return syscall<number>('startThread', loaded.filename, exported[0], args);
  }
  throw new Error(`startThread: ${target.name || 'the target'} must be a function exported by a module`);
}
