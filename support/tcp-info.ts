/**
 * What the kernel knows of a client's connection and Node does not tell: how many segments TCP
 * has had to send again on it (`tcpi_total_retrans` of Linux's `struct tcp_info`). A client the
 * server's full backlog kept out has its connect, and often its first message, sent again
 * (a fifth of a second and more later, doubling), which makes it wait for nothing the server did.
 */
import type net from 'node:net';
import { endianness } from 'node:os';
import koffi from 'koffi';

const getsockopt = koffi.load('libc.so.6').func('int getsockopt(int fd, int level, int name, void *value, void *length)');
const IPPROTO_TCP = 6;
const TCP_INFO = 11;
/** `struct tcp_info` is made of fixed-size fields, laid out alike on x64 and arm64 */
const TCP_INFO_BYTES = 232;
const TOTAL_RETRANS_OFFSET = 100;

/** Segments sent again so far on the socket's connection; undefined if the kernel does not say. */
export function resentSegments(socket: net.Socket): number | undefined {
  // Node keeps a TCP socket's descriptor on its handle, and nowhere public
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (fd === undefined || fd < 0) return undefined;
  const info = new Uint8Array(TCP_INFO_BYTES);
  if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, info, new Uint32Array([TCP_INFO_BYTES])) < 0) return undefined;
  return new DataView(info.buffer).getUint32(TOTAL_RETRANS_OFFSET, endianness() === 'LE');
}
