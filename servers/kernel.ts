/**
 * The kernel: the process's main thread, playing the operating system for the server programs.
 *
 * Node has no blocking socket calls, so the models run on worker threads (real OS threads)
 * and make blocking calls (`accept`, `recv`, `sendall`, `select`, …) that post a request here
 * and sleep in `Atomics.wait` until this thread answers. This thread owns the real sockets:
 * it completes connections into a backlog, buffers received bytes up to a high-water mark
 * (the OS receive buffer, which pushes TCP backpressure back to the client), writes sent
 * bytes, and wakes the sleeping caller when its call can complete.
 *
 * It never waits itself: a call that cannot complete yet is parked on its connection and
 * answered later by a socket event. Because every call passes through here, it can also
 * write the white-box event log: who accepted, received, sent and closed, on which thread.
 */
import net from 'node:net';
import path from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { eventLog, type EventLog } from './event-log';
import type { SyscallReply, SyscallRequest, ThreadStart } from './protocol';

/** How many received bytes a connection buffers before we stop reading from it. */
const RECEIVE_BUFFER_BYTES = 64 * 1024;

interface Caller {
  thread: number;
  id: number;
}

interface Listener {
  kind: 'listener';
  server: net.Server;
  backlog: Connection[];
  accepting: Caller[];
}

interface Connection {
  kind: 'connection';
  fd: number;
  socket: net.Socket;
  peer: string;
  received: Buffer[];
  receivedBytes: number;
  eof: boolean;
  error?: string;
  receiving?: { caller: Caller; max: number };
  sending?: Caller;
}

interface Queue {
  kind: 'queue';
  items: unknown[];
  getting: Caller[];
}

interface Selecting {
  caller: Caller;
  readFds: number[];
  writeFds: number[];
  timer?: NodeJS.Timeout;
}

type Descriptor = Listener | Connection | Queue;

class SyscallError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export interface KernelOptions {
  /** write the white-box event log as JSON lines on stdout */
  events: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** called when the program's first thread ends: with an error, or with none */
  onExit: (error?: Error) => void;
}

export class Kernel {
  private readonly descriptors = new Map<number, Descriptor>();
  private nextFd = 3;
  private readonly threads = new Map<number, { worker: Worker; post: (reply: SyscallReply) => void }>();
  private nextThread = 0;
  private selecting: Selecting[] = [];
  private announced = false;
  private readonly log: EventLog;

  constructor(private readonly options: KernelOptions) {
    this.log = eventLog(options.stdout, options.events);
  }

  /** Starts a program thread running `exportName(...args)` from the compiled module `module`. */
  startThread(module: string, exportName: string, args: unknown[]): number {
    const thread = this.nextThread++;
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const start: ThreadStart = { thread, port: port2, flag, module, exportName, args };
    const worker = new Worker(path.join(__dirname, 'runtime', 'thread-entry.js'), {
      workerData: start,
      transferList: [port2],
    });
    const post = (reply: SyscallReply) => {
      const transfer = reply.ok && reply.value instanceof Uint8Array ? [reply.value.buffer as ArrayBuffer] : [];
      port1.postMessage(reply, transfer);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    };
    this.threads.set(thread, { worker, post });
    port1.on('message', (request: SyscallRequest) => this.handle({ thread, id: request.id }, request));
    worker.on('error', (error) => this.threadEnded(thread, error));
    worker.on('exit', () => this.threadEnded(thread));
    return thread;
  }

  /** Stops every thread and socket: the process is about to end. */
  shutdown(): Promise<unknown> {
    for (const descriptor of this.descriptors.values()) {
      if (descriptor.kind === 'listener') descriptor.server.close();
      if (descriptor.kind === 'connection') descriptor.socket.destroy();
    }
    return Promise.all([...this.threads.values()].map(({ worker }) => worker.terminate()));
  }

  private threadEnded(thread: number, error?: Error) {
    if (!this.threads.delete(thread)) return;
    if (thread === 0) this.options.onExit(error);
    else if (error) this.options.stderr.write(`thread ${thread} ended with an error: ${error.message}\n`);
  }

  private handle(caller: Caller, { op, args }: SyscallRequest) {
    try {
      const syscall = this.syscalls[op];
      if (!syscall) throw new SyscallError('ENOSYS', `no such call: ${op}`);
      syscall(caller, ...args);
    } catch (error) {
      if (!(error instanceof SyscallError)) throw error;
      this.fail(caller, error);
    }
  }

  private reply(caller: Caller, value: unknown) {
    this.threads.get(caller.thread)?.post({ id: caller.id, ok: true, value });
  }

  private fail(caller: Caller, error: SyscallError) {
    this.threads.get(caller.thread)?.post({ id: caller.id, ok: false, code: error.code, message: error.message });
  }

  private open(descriptor: Descriptor): number {
    const fd = this.nextFd++;
    this.descriptors.set(fd, descriptor);
    return fd;
  }

  private lookup<K extends Descriptor['kind']>(fd: number, kind: K): Extract<Descriptor, { kind: K }> {
    const descriptor = this.descriptors.get(fd);
    if (!descriptor || descriptor.kind !== kind) throw new SyscallError('EBADF', `bad file descriptor ${fd}`);
    return descriptor as Extract<Descriptor, { kind: K }>;
  }

  /** The calls a program can make; each answers now or parks the caller until an event does. */
  private readonly syscalls: Record<string, (caller: Caller, ...args: any[]) => void> = {
    print: (caller, text: string) => {
      this.options.stdout.write(text + '\n');
      this.reply(caller, null);
    },

    listen: (caller, host: string, port: number, backlog: number) => {
      const listener: Listener = { kind: 'listener', server: net.createServer({ pauseOnConnect: true, allowHalfOpen: true }), backlog: [], accepting: [] };
      const { server } = listener;
      server.on('connection', (socket) => this.connected(listener, socket));
      const failListen = (error: NodeJS.ErrnoException) => {
        this.fail(caller, new SyscallError(error.code ?? 'EIO', error.code === 'EADDRINUSE' ? `port ${port} is already in use` : error.message));
      };
      server.once('error', failListen);
      server.listen({ host, port, backlog, exclusive: true }, () => {
        // listen() has had its answer: a later error (a failed accept) must not answer it again
        server.off('error', failListen);
        server.on('error', (error) => this.options.stderr.write(`listening socket: ${error.message}\n`));
        const fd = this.open(listener);
        const { port: actual } = server.address() as net.AddressInfo;
        // the readiness line: the first line a listening echolab server prints
        if (!this.announced) this.options.stdout.write(`listening on ${host}:${actual}\n`);
        this.announced = true;
        this.reply(caller, fd);
      });
    },

    accept: (caller, fd: number) => {
      const listener = this.lookup(fd, 'listener');
      listener.accepting.push(caller);
      this.completeAccepts(listener);
    },

    recv: (caller, fd: number, max: number) => {
      const connection = this.lookup(fd, 'connection');
      if (connection.receiving) throw new SyscallError('EBUSY', `another thread is already receiving on ${fd}`);
      connection.receiving = { caller, max };
      this.completeRecv(connection);
    },

    sendall: (caller, fd: number, data: Uint8Array) => {
      const connection = this.lookup(fd, 'connection');
      if (connection.error) throw new SyscallError(connection.error, `connection ${fd}: ${connection.error}`);
      if (connection.socket.destroyed || connection.socket.writableEnded) throw new SyscallError('EPIPE', `connection ${fd} is closed`);
      const flushed = connection.socket.write(data);
      if (flushed) return this.sent(caller, connection, data.byteLength);
      // the socket's send buffer is full: block the caller until it drains
      connection.sending = caller;
      connection.socket.once('drain', () => {
        if (connection.sending !== caller) return;
        connection.sending = undefined;
        this.sent(caller, connection, data.byteLength);
      });
    },

    close: (caller, fd: number) => {
      const descriptor = this.descriptors.get(fd);
      if (!descriptor) throw new SyscallError('EBADF', `bad file descriptor ${fd}`);
      this.descriptors.delete(fd);
      if (descriptor.kind === 'listener') descriptor.server.close();
      if (descriptor.kind === 'connection') {
        // other threads blocked on this connection learn it is gone, as with close(2)
        const gone = new SyscallError('EBADF', `connection ${fd} was closed`);
        if (descriptor.receiving) this.fail(descriptor.receiving.caller, gone);
        if (descriptor.sending) this.fail(descriptor.sending, gone);
        descriptor.receiving = descriptor.sending = undefined;
        descriptor.socket.destroySoon();
        this.log('closed', caller.thread, fd);
      }
      this.reply(caller, null);
      this.wakeSelectors();
    },

    select: (caller, readFds: number[], writeFds: number[], timeoutMs: number | null) => {
      const selecting: Selecting = { caller, readFds, writeFds };
      if (this.answerSelect(selecting)) return;
      if (timeoutMs !== null) {
        selecting.timer = setTimeout(() => {
          this.selecting = this.selecting.filter((s) => s !== selecting);
          this.reply(caller, { readable: [], writable: [] });
        }, timeoutMs);
      }
      this.selecting.push(selecting);
    },

    startThread: (caller, module: string, exportName: string, args: unknown[]) => {
      this.reply(caller, this.startThread(module, exportName, args));
    },

    queue: (caller) => {
      this.reply(caller, this.open({ kind: 'queue', items: [], getting: [] }));
    },

    put: (caller, fd: number, item: unknown) => {
      const queue = this.lookup(fd, 'queue');
      const getter = queue.getting.shift();
      if (getter) this.reply(getter, item);
      else queue.items.push(item);
      this.reply(caller, null);
    },

    get: (caller, fd: number) => {
      const queue = this.lookup(fd, 'queue');
      if (queue.items.length > 0) this.reply(caller, queue.items.shift());
      else queue.getting.push(caller);
    },
  };

  /** A client completed its handshake: it waits in the backlog, unread, until accepted. */
  private connected(listener: Listener, socket: net.Socket) {
    const connection: Connection = {
      kind: 'connection',
      fd: -1,
      socket,
      peer: `${socket.remoteAddress}:${socket.remotePort}`,
      received: [],
      receivedBytes: 0,
      eof: false,
    };
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      connection.received.push(chunk);
      connection.receivedBytes += chunk.byteLength;
      if (connection.receivedBytes >= RECEIVE_BUFFER_BYTES) socket.pause();
      this.completeRecv(connection);
      this.wakeSelectors();
    });
    socket.on('end', () => {
      connection.eof = true;
      this.completeRecv(connection);
      this.wakeSelectors();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      connection.error = error.code ?? 'EIO';
      this.completeRecv(connection);
      if (connection.sending) this.failSend(connection, connection.error);
      this.wakeSelectors();
    });
    socket.on('close', () => {
      if (connection.sending) this.failSend(connection, 'EPIPE');
    });
    socket.on('drain', () => this.wakeSelectors());
    listener.backlog.push(connection);
    this.completeAccepts(listener);
    this.wakeSelectors();
  }

  private completeAccepts(listener: Listener) {
    while (listener.accepting.length > 0 && listener.backlog.length > 0) {
      const caller = listener.accepting.shift()!;
      const connection = listener.backlog.shift()!;
      connection.fd = this.open(connection);
      connection.socket.resume();
      this.log('accepted', caller.thread, connection.fd, { peer: connection.peer });
      this.reply(caller, [connection.fd, connection.peer]);
    }
  }

  private completeRecv(connection: Connection) {
    const receiving = connection.receiving;
    if (!receiving) return;
    if (connection.receivedBytes > 0) {
      connection.receiving = undefined;
      const data = this.takeReceived(connection, receiving.max);
      this.log('recv', receiving.caller.thread, connection.fd, { bytes: data.byteLength });
      this.reply(receiving.caller, data);
    } else if (connection.error) {
      connection.receiving = undefined;
      this.fail(receiving.caller, new SyscallError(connection.error, `connection ${connection.fd}: ${connection.error}`));
    } else if (connection.eof) {
      connection.receiving = undefined;
      this.log('recv', receiving.caller.thread, connection.fd, { bytes: 0 });
      this.reply(receiving.caller, new Uint8Array(0));
    }
  }

  /** Up to `max` buffered bytes, copied into an array of exactly that size (cheap to transfer). */
  private takeReceived(connection: Connection, max: number): Uint8Array {
    const size = Math.min(max, connection.receivedBytes);
    const data = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      const chunk = connection.received[0];
      const take = Math.min(chunk.byteLength, size - filled);
      data.set(chunk.subarray(0, take), filled);
      filled += take;
      if (take === chunk.byteLength) connection.received.shift();
      else connection.received[0] = chunk.subarray(take);
    }
    connection.receivedBytes -= size;
    if (connection.receivedBytes < RECEIVE_BUFFER_BYTES && connection.socket.isPaused()) connection.socket.resume();
    return data;
  }

  private sent(caller: Caller, connection: Connection, bytes: number) {
    this.log('send', caller.thread, connection.fd, { bytes });
    this.reply(caller, null);
  }

  private failSend(connection: Connection, code: string) {
    const caller = connection.sending!;
    connection.sending = undefined;
    this.fail(caller, new SyscallError(code, `connection ${connection.fd}: ${code}`));
  }

  private isReadable(fd: number): boolean {
    const descriptor = this.descriptors.get(fd);
    if (!descriptor) return true; // a closed descriptor is reported, so the caller finds out
    if (descriptor.kind === 'listener') return descriptor.backlog.length > 0;
    if (descriptor.kind === 'connection') return descriptor.receivedBytes > 0 || descriptor.eof || !!descriptor.error;
    return descriptor.items.length > 0;
  }

  private isWritable(fd: number): boolean {
    const descriptor = this.descriptors.get(fd);
    return descriptor?.kind !== 'connection' || !descriptor.socket.writableNeedDrain;
  }

  /** Answers a select if any of its descriptors is ready; says whether it did. */
  private answerSelect(selecting: Selecting): boolean {
    const readable = selecting.readFds.filter((fd) => this.isReadable(fd));
    const writable = selecting.writeFds.filter((fd) => this.isWritable(fd));
    if (readable.length === 0 && writable.length === 0) return false;
    clearTimeout(selecting.timer);
    this.reply(selecting.caller, { readable, writable });
    return true;
  }

  private wakeSelectors() {
    if (this.selecting.length > 0) this.selecting = this.selecting.filter((s) => !this.answerSelect(s));
  }
}
