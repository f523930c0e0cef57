/**
 * What Linux's /proc says about a process and about the machine's TCP sockets, read from the
 * text of its files: text in, numbers out. Reading the files is support/cost/sampler.ts's job.
 *
 * Sizes in /proc are written in kB, which the kernel means as KiB: they come back in bytes.
 */
import { SocketAddress } from 'node:net';

/** From /proc/PID/status: the process's threads, its resident memory, and its parent. */
export interface ProcessStatus {
  threads: number;
  /** VmRSS; undefined for a process with no memory of its own (a kernel thread, or one that has ended but not been reaped) */
  rssBytes?: number;
  /** VmSize: the address space it has mapped, used or not */
  sizeBytes?: number;
  ppid: number;
}

export function parseStatus(text: string): ProcessStatus {
  const fields = keyedLines(text);
  const rss = fields.get('VmRSS');
  const size = fields.get('VmSize');
  return {
    threads: wholeNumber(fields.get('Threads'), 'Threads'),
    ...(rss === undefined ? {} : { rssBytes: kilobytes(rss, 'VmRSS') }),
    ...(size === undefined ? {} : { sizeBytes: kilobytes(size, 'VmSize') }),
    ppid: wholeNumber(fields.get('PPid'), 'PPid'),
  };
}

/**
 * From /proc/PID/smaps_rollup: the process's proportional share of the memory it maps (PSS), of
 * that its anonymous memory's (stacks and heaps: Pss_Anon, Linux 5.13 and later), and its
 * resident memory (RSS).
 */
export interface MemoryRollup {
  pssBytes: number;
  pssAnonBytes?: number;
  rssBytes: number;
}

export function parseSmapsRollup(text: string): MemoryRollup {
  const fields = keyedLines(text);
  const anon = fields.get('Pss_Anon');
  return {
    pssBytes: kilobytes(fields.get('Pss'), 'Pss'),
    ...(anon === undefined ? {} : { pssAnonBytes: kilobytes(anon, 'Pss_Anon') }),
    rssBytes: kilobytes(fields.get('Rss'), 'Rss'),
  };
}

/**
 * The parent's id, from /proc/PID/stat. The command's name comes second, in parentheses, and
 * may hold spaces and parentheses of its own ("my (odd) name"): the fields after it start
 * after the last closing parenthesis, with the state, then the parent.
 */
export function parseStatPpid(text: string): number {
  const afterName = text.slice(text.lastIndexOf(')') + 1).trim().split(/\s+/);
  return wholeNumber(afterName[1], 'the parent in stat');
}

/** What one thread is doing, from /proc/PID/task/TID/stat: its state (R running or runnable, S sleeping, …) and the CPU it has used, in clock ticks. */
export interface ThreadActivity {
  state: string;
  cpuTicks: number;
}

export function parseTaskStat(text: string): ThreadActivity {
  // after the name: state, ppid, pgrp, session, tty, tpgid, flags, minflt, cminflt, majflt, cmajflt, utime, stime
  const afterName = text.slice(text.lastIndexOf(')') + 1).trim().split(/\s+/);
  return { state: afterName[0], cpuTicks: wholeNumber(afterName[11], 'utime in stat') + wholeNumber(afterName[12], 'stime in stat') };
}

/** A soft limit from /proc/PID/limits, e.g. "Max stack size": in its units, or undefined if unlimited. */
export function parseSoftLimit(text: string, name: string): number | undefined {
  const line = text.split('\n').find((each) => each.startsWith(name));
  if (line === undefined) throw new Error(`no "${name}" in limits`);
  const soft = line.slice(name.length).trim().split(/\s+/)[0];
  return soft === 'unlimited' ? undefined : wholeNumber(soft, name);
}

/** The inode of the socket an open file is, from the target of its link in /proc/PID/fd ("socket:[12345]"); undefined for any other kind of file. */
export function socketInode(linkTarget: string): number | undefined {
  const socket = /^socket:\[(\d+)\]$/.exec(linkTarget);
  return socket ? Number(socket[1]) : undefined;
}

/** A process's open files, counted from the targets of its links in /proc/PID/fd. */
export interface OpenFiles {
  fds: number;
  /** of which sockets */
  sockets: number;
}

export function countOpenFiles(linkTargets: readonly string[]): OpenFiles {
  return { fds: linkTargets.length, sockets: linkTargets.filter((target) => socketInode(target) !== undefined).length };
}

/** One line of /proc/net/tcp or /proc/net/tcp6: a TCP socket of this machine. */
export interface TcpSocket {
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** the kernel's TCP state, e.g. 0x0A listening, 0x01 established */
  state: number;
  inode: number;
}

export const TCP_LISTEN = 0x0a;

/**
 * The sockets of /proc/net/tcp or /proc/net/tcp6. Each address is written as the hex of the
 * 32-bit words the kernel holds it in, in the machine's byte order: little-endian on the x64
 * and arm64 machines echolab runs on (package.json's `cpu`), so each word's bytes are reversed.
 */
export function parseTcpTable(text: string): TcpSocket[] {
  return text
    .split('\n')
    .slice(1) // the header
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [, local, remote, state, , , , , , inode] = line.trim().split(/\s+/);
      const [localAddress, localPort] = endpoint(local);
      const [remoteAddress, remotePort] = endpoint(remote);
      return { localAddress, localPort, remoteAddress, remotePort, state: parseInt(state, 16), inode: Number(inode) };
    });
}

/** The inodes of the sockets listening on `port`, on any address, in a table parsed by parseTcpTable. */
export function listeningInodes(sockets: readonly TcpSocket[], port: number): number[] {
  return sockets.filter((socket) => socket.state === TCP_LISTEN && socket.localPort === port).map((socket) => socket.inode);
}

/** "0100007F:A029" → ["127.0.0.1", 41001]; an IPv6 address has 32 hex digits. */
function endpoint(hex: string): [string, number] {
  const [address, port] = hex.split(':');
  return [address.length === 8 ? ipv4(address) : ipv6(address), parseInt(port, 16)];
}

/** The bytes of each 32-bit word, written as hex in little-endian order, in network order. */
function wordBytes(hex: string): number[] {
  const words = hex.match(/.{8}/g) ?? [];
  return words.flatMap((word) => (word.match(/../g) ?? []).reverse().map((byte) => parseInt(byte, 16)));
}

const ipv4 = (hex: string) => wordBytes(hex).join('.');

/** In its shortest form, as Node writes it: `::1`, `::`, `::ffff:127.0.0.1`. */
function ipv6(hex: string): string {
  const bytes = wordBytes(hex);
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] << 8) | bytes[2 * i + 1]).toString(16));
  return new SocketAddress({ address: groups.join(':'), family: 'ipv6' }).address;
}

/** "Key:   value" lines, as /proc/PID/status and smaps_rollup are written. */
function keyedLines(text: string): Map<string, string> {
  return new Map(
    text.split('\n').flatMap((line) => {
      const colon = line.indexOf(':');
      return colon < 0 ? [] : [[line.slice(0, colon), line.slice(colon + 1).trim()] as [string, string]];
    }),
  );
}

function wholeNumber(value: string | undefined, what: string): number {
  if (value === undefined || !/^\d+$/.test(value)) throw new Error(`/proc: no ${what} (found ${JSON.stringify(value)})`);
  return Number(value);
}

function kilobytes(value: string | undefined, what: string): number {
  const size = /^(\d+) kB$/.exec(value ?? '');
  if (!size) throw new Error(`/proc: no ${what} in kB (found ${JSON.stringify(value)})`);
  return Number(size[1]) * 1024;
}
