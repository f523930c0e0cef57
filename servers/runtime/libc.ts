/**
 * The C library's socket calls, as a program thread makes them: through koffi, a foreign-function
 * interface, straight into the operating system, blocking the calling thread like any C or Python
 * program's would. Everything that depends on the platform lives here: the functions, the
 * constants, the layout of `struct sockaddr_in` and `struct pollfd`, and errno's names.
 * Written for Linux (x64 and arm64, glibc).
 */
import { constants, endianness } from 'node:os';
import koffi from 'koffi';

const libc = koffi.load('libc.so.6');

export const sys = {
  socket: libc.func('int socket(int domain, int type, int protocol)'),
  setsockopt: libc.func('int setsockopt(int fd, int level, int name, const void *value, uint32_t length)'),
  bind: libc.func('int bind(int fd, const void *address, uint32_t length)'),
  listen: libc.func('int listen(int fd, int backlog)'),
  accept4: libc.func('int accept4(int fd, void *address, void *length, int flags)'),
  getsockname: libc.func('int getsockname(int fd, void *address, void *length)'),
  recv: libc.func('intptr_t recv(int fd, void *buffer, size_t length, int flags)'),
  send: libc.func('intptr_t send(int fd, const void *buffer, size_t length, int flags)'),
  shutdown: libc.func('int shutdown(int fd, int how)'),
  close: libc.func('int close(int fd)'),
  poll: libc.func('int poll(void *fds, uint64_t count, int timeoutMs)'),
  epoll_create1: libc.func('int epoll_create1(int flags)'),
  epoll_ctl: libc.func('int epoll_ctl(int epfd, int op, int fd, void *event)'),
  epoll_wait: libc.func('int epoll_wait(int epfd, void *events, int maxEvents, int timeoutMs)'),
  pipe2: libc.func('int pipe2(void *fds, int flags)'),
  fcntl: libc.func('int fcntl(int fd, int command, int argument)'),
  read: libc.func('intptr_t read(int fd, void *buffer, size_t length)'),
  write: libc.func('intptr_t write(int fd, const void *buffer, size_t length)'),
  /** ends the whole process at once, whatever its threads are blocked in */
  exit: libc.func('void _exit(int status)'),
};

export const AF_INET = 2;
export const SOCK_STREAM = 1;
export const SOCK_CLOEXEC = 0o2000000;
export const O_CLOEXEC = 0o2000000;
export const SOL_SOCKET = 1;
export const SO_REUSEADDR = 2;
export const IPPROTO_TCP = 6;
export const TCP_NODELAY = 1;
/** a send to a peer that has gone fails with EPIPE instead of killing the process with SIGPIPE */
export const MSG_NOSIGNAL = 0x4000;
export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;
export const F_SETPIPE_SZ = 1031;
export const F_SETFL = 4;
/** a read that would block fails with EAGAIN instead */
export const O_NONBLOCK = 0o4000;
export const POLLIN = 0x1;
export const POLLOUT = 0x4;
export const POLLERR = 0x8;
export const POLLHUP = 0x10;
export const POLLNVAL = 0x20;
export const EPOLL_CLOEXEC = 0o2000000;
export const EPOLL_CTL_ADD = 1;
export const EPOLL_CTL_DEL = 2;
export const EPOLLIN = 0x1;
/** the most a pipe write may carry and still never be interleaved with another thread's */
export const PIPE_BUF = 4096;

/** errno's names by number; where two share one (EAGAIN and EWOULDBLOCK), the first, as C's and Python's messages say */
const ERRNO_NAMES = new Map<number, string>();
for (const [name, number] of Object.entries(constants.errno)) if (!ERRNO_NAMES.has(number)) ERRNO_NAMES.set(number, name);

/** The errno of this thread's last call, by name (ECONNRESET, EAGAIN, …). */
export function lastErrno(): string {
  const number = koffi.errno();
  return ERRNO_NAMES.get(number) ?? `errno ${number}`;
}

const littleEndian = endianness() === 'LE';
export const SOCKADDR_IN_BYTES = 16;

/** A `struct sockaddr_in` for an IPv4 address and port. */
export function sockaddrIn(host: string, port: number): Uint8Array {
  const octets = host.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) {
    throw new RangeError(`"${host}" is not an IPv4 address`);
  }
  const address = new Uint8Array(SOCKADDR_IN_BYTES);
  const view = new DataView(address.buffer);
  view.setUint16(0, AF_INET, littleEndian);
  view.setUint16(2, port, false); // network byte order
  address.set(octets, 4);
  return address;
}

/** "host:port" of a `struct sockaddr_in`. */
export function sockaddrInToString(address: Uint8Array): string {
  const port = new DataView(address.buffer, address.byteOffset).getUint16(2, false);
  return `${address.subarray(4, 8).join('.')}:${port}`;
}

export const POLLFD_BYTES = 8;

/** An array of `struct pollfd { int fd; short events; short revents; }`. */
export function pollfds(entries: { fd: number; events: number }[]): { buffer: Uint8Array; revents: (index: number) => number } {
  const buffer = new Uint8Array(entries.length * POLLFD_BYTES);
  const view = new DataView(buffer.buffer);
  entries.forEach(({ fd, events }, i) => {
    view.setInt32(i * POLLFD_BYTES, fd, littleEndian);
    view.setInt16(i * POLLFD_BYTES + 4, events, littleEndian);
  });
  return { buffer, revents: (i) => view.getInt16(i * POLLFD_BYTES + 6, littleEndian) };
}

/** `struct epoll_event { uint32_t events; epoll_data_t data; }`: packed on x86-64, the 64-bit data aligned elsewhere. */
export const EPOLL_EVENT_BYTES = process.arch === 'x64' ? 12 : 16;
const EPOLL_DATA_OFFSET = EPOLL_EVENT_BYTES - 8;

/** Room for `count` epoll events, each carrying a descriptor as its data. */
export function epollEvents(count: number): {
  buffer: Uint8Array;
  capacity: number;
  set: (index: number, events: number, fd: number) => void;
  fd: (index: number) => number;
} {
  const buffer = new Uint8Array(count * EPOLL_EVENT_BYTES);
  const view = new DataView(buffer.buffer);
  return {
    buffer,
    capacity: count,
    set: (i, events, fd) => {
      view.setUint32(i * EPOLL_EVENT_BYTES, events, littleEndian);
      view.setInt32(i * EPOLL_EVENT_BYTES + EPOLL_DATA_OFFSET, fd, littleEndian);
    },
    fd: (i) => view.getInt32(i * EPOLL_EVENT_BYTES + EPOLL_DATA_OFFSET, littleEndian),
  };
}
