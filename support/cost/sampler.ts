/**
 * What a server's processes cost the machine right now, read from Linux's /proc: its process
 * and every process under it, their OS threads, their memory and their open files. Nothing
 * here opens a socket or keeps a count of its own.
 *
 * Processes come and go while /proc is read: one that ended between the listing and the
 * reading of its files (ENOENT, or ESRCH from a file of a process being torn down) is left
 * out, as if the listing had been taken a moment later.
 */
import fs from 'node:fs';
import { countOpenFiles, listeningInodes, parseSmapsRollup, parseStatPpid, parseStatus, parseTaskStat, parseTcpTable, socketInode } from './proc';

/** One look at a process tree. */
export interface TreeSample {
  /** the root and the processes under it, at any depth */
  processes: number;
  /** OS threads, of all of them (entries of /proc/PID/task) */
  threads: number;
  /**
   * their proportional share of the anonymous memory they map (stacks and heaps), summed (PSS:
   * pages shared with a forked child split between them); all of it, files too, on a kernel that
   * does not tell anonymous memory apart; RSS for one whose PSS cannot be read. Shared libraries
   * are left out where they can be: a process's share of them changes whenever another process
   * that maps them starts or ends, which would be counted as what its connections cost.
   */
  pssBytes: number;
  /** the root's resident memory, shared pages included */
  rootRssBytes: number;
  /** open file descriptors, of all of them */
  fds: number;
  /** of which sockets */
  sockets: number;
}

/** A file of a process that ended while we read: ENOENT once it is gone, ESRCH while it goes. */
const ENDED = new Set(['ENOENT', 'ESRCH']);

/** `read()`, or undefined if the process it reads ended meanwhile. */
function unlessEnded<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (ENDED.has((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}

/** The ids of the processes running now: the numbered entries of /proc (thread-group leaders; threads are under each one's task/). */
function processIds(): number[] {
  return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
}

/** Each running process's parent, from /proc/PID/stat. */
function parents(): Map<number, number> {
  return new Map(
    processIds().flatMap((pid) => {
      const ppid = unlessEnded(() => parseStatPpid(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')));
      return ppid === undefined ? [] : [[pid, ppid] as [number, number]];
    }),
  );
}

/** `root` and every process under it, at any depth, root first; empty if `root` is not running. */
export function processTree(root: number): number[] {
  const parentOf = parents();
  if (!parentOf.has(root)) return [];
  const childrenOf = new Map<number, number[]>();
  for (const [pid, ppid] of parentOf) childrenOf.set(ppid, [...(childrenOf.get(ppid) ?? []), pid]);
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(childrenOf.get(tree[i]) ?? []));
  return tree;
}

/** The targets of a process's open-file links in /proc/PID/fd; a descriptor closed meanwhile is left out. */
function fdTargets(pid: number): string[] {
  const fds = fs.readdirSync(`/proc/${pid}/fd`);
  return fds.flatMap((fd) => unlessEnded(() => fs.readlinkSync(`/proc/${pid}/fd/${fd}`)) ?? []);
}

/** What one process holds. */
interface ProcessCost {
  threads: number;
  rssBytes: number;
  pssBytes: number;
  fds: number;
  sockets: number;
}

/** What one process holds now; undefined if it ended while we read. */
function sampleProcess(pid: number): ProcessCost | undefined {
  return unlessEnded(() => {
    const { rssBytes = 0 } = parseStatus(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    const threads = fs.readdirSync(`/proc/${pid}/task`).length;
    const { fds, sockets } = countOpenFiles(fdTargets(pid));
    return { threads, rssBytes, pssBytes: proportionalMemory(pid) ?? rssBytes, fds, sockets };
  });
}

/**
 * A process's PSS of anonymous memory from smaps_rollup (all its PSS before Linux 5.13), or
 * undefined where it cannot be read: an older kernel, or a process this user may not look into (EACCES).
 */
function proportionalMemory(pid: number): number | undefined {
  try {
    const rollup = parseSmapsRollup(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return rollup.pssAnonBytes ?? rollup.pssBytes;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EACCES' || code === 'EPERM' || (code === 'ENOENT' && fs.existsSync(`/proc/${pid}`))) return undefined;
    throw error;
  }
}

/** What `root` and the processes under it cost now; undefined if `root` is not running. */
export function sampleTree(root: number): TreeSample | undefined {
  const [rootSample, ...others] = processTree(root).map(sampleProcess);
  if (!rootSample) return undefined;
  const alive = [rootSample, ...others.flatMap((sample) => sample ?? [])];
  const sum = (measure: keyof ProcessCost) => alive.reduce((total, sample) => total + sample[measure], 0);
  return { processes: alive.length, threads: sum('threads'), pssBytes: sum('pssBytes'), rootRssBytes: rootSample.rssBytes, fds: sum('fds'), sockets: sum('sockets') };
}

/** What a process tree is doing now: how many of its threads are running or waiting for a core, and the CPU all of them have used. */
export interface TreeActivity {
  runnable: number;
  cpuTicks: number;
}

/** What `root` and the processes under it are doing now; undefined if `root` is not running. */
export function treeActivity(root: number): TreeActivity | undefined {
  const tree = processTree(root);
  if (tree.length === 0) return undefined;
  const threads = tree.flatMap((pid) =>
    (unlessEnded(() => fs.readdirSync(`/proc/${pid}/task`)) ?? []).flatMap((tid) => unlessEnded(() => parseTaskStat(fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'))) ?? []),
  );
  return { runnable: threads.filter(({ state }) => state === 'R').length, cpuTicks: threads.reduce((total, { cpuTicks }) => total + cpuTicks, 0) };
}

/** The TCP sockets of /proc/net/tcp and tcp6 (none of IPv6 on a machine without it). */
function tcpSockets() {
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) => unlessEnded(() => parseTcpTable(fs.readFileSync(file, 'utf8'))) ?? []);
}

/**
 * The process that holds the socket listening on `port` (on any address of this machine), or
 * undefined if none that this user may look into does. Where a server's children hold it too
 * (a server that forks after listening), the one above them; of unrelated ones (SO_REUSEPORT),
 * the lowest id.
 */
export function pidListeningOn(port: number): number | undefined {
  const inodes = new Set(listeningInodes(tcpSockets(), port));
  if (inodes.size === 0) return undefined;
  const parentOf = parents();
  const holders = new Set([...parentOf.keys()].filter((pid) => holdsAny(pid, inodes)));
  const hasHolderAbove = (pid: number) => {
    for (let up = parentOf.get(pid); up !== undefined && up > 0; up = parentOf.get(up)) if (holders.has(up)) return true;
    return false;
  };
  return [...holders].filter((pid) => !hasHolderAbove(pid)).sort((a, b) => a - b)[0];
}

/** Whether `pid` has one of these sockets open; false for a process that ended or that this user may not look into. */
function holdsAny(pid: number, inodes: Set<number>): boolean {
  try {
    return fdTargets(pid).some((target) => inodes.has(socketInode(target) ?? -1));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (ENDED.has(code) || code === 'EACCES') return false;
    throw error;
  }
}

/** A process's command line, its arguments joined by spaces; undefined if it has ended. */
export function commandLine(pid: number): string | undefined {
  return unlessEnded(() => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim());
}
