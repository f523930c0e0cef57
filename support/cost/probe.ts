/**
 * The cost probe: what a server's processes cost this machine as idle connections are added.
 * It opens connections in steps (0, 10, 100 by default), and at each step, once the server
 * serves every one of them, reads from /proc what its process tree holds: OS threads,
 * processes, memory, open files. The growth per connection, fitted over the steps, says what
 * the server is made of: a thread per client costs a thread per connection, async none.
 *
 * The connections are idle: they connect and send nothing, so that a server that serves one
 * client at a time (or two) holds them as well as one that serves them all, in its listen
 * backlog or its queue. A step is measured once the server has done with them whatever it is
 * going to do (accepted them, started threads or processes for them, or nothing) and gone
 * quiet: none of its threads running or waiting for a core, and no CPU used, for QUIET_MS. That
 * is the event waited for; /proc is read until it comes. The connections are opened a few at a
 * time, each once an earlier one is connected, so that a server's accept loop has a chance to
 * keep up; a connection is connected once the kernel has queued it, accepted or not, so a server
 * that accepts none (a sequential one, busy) can still find its backlog full.
 */
import os from 'node:os';
import { isIPv6, SocketAddress } from 'node:net';
import { EcholabError } from '../../core/errors';
import { Connection } from '../connection';
import { startServer, untilAccepting } from '../server-process';
import { isRunningServer, type ServerUnderCheck } from '../session';
import { Deadline, now, pause } from '../wait';
import { commandLine, pidListeningOn, processTree, sampleTree, treeActivity, type TreeActivity } from './sampler';
import { costSlopes, costVerdict, type CostSlopes, type CostStep, type CostVerdict } from './verdict';

export const DEFAULT_STEPS: readonly number[] = [0, 10, 100];
/** The most connections a probe holds open: each is a file descriptor here and one there, and a port of this machine's. */
export const MAX_CONNECTIONS = 10_000;
/** What a probe's steps must be, for a message. */
export const STEPS_RULE = `at least two whole numbers from 0 to ${MAX_CONNECTIONS}, each larger than the one before, as in ${DEFAULT_STEPS.join(',')}`;
/** How long a connection gets to be taken into the server's listen backlog, on a loaded machine; one that is not finds it full. */
const CONNECTED_WITHIN_MS = 10_000;
/** How long a server's processes must stay still to count as done with a step's connections: ten of the kernel's CPU clock ticks. */
const QUIET_MS = 100;
/** How long a server gets to go quiet after a step, on a loaded machine. */
const QUIET_WITHIN_MS = 60_000;
/**
 * How many connections are opened at once. Fewer than the smallest listen backlog a server is
 * likely to have (Python's socketserver and socat listen with 5): with the backlog full, the
 * kernel drops the next connection attempts, and TCP tries them again only a second or more
 * later. It keeps the backlog from overflowing only where the server accepts as fast as they come.
 */
const IN_FLIGHT = 4;

/** What a probe found. */
export interface CostProbe {
  /** where its connections went */
  host: string;
  port: number;
  /** the server: the process that holds its listening socket (its processes are this one and those under it) */
  pid: number;
  command: string;
  steps: CostStep[];
  slopes: CostSlopes;
  verdict: CostVerdict;
  /** from the first step to the last connection closed */
  tookMs: number;
}

/** A probe's result, or why the cost of that server cannot be seen from this machine. */
export type CostOutcome = { seen: true; probe: CostProbe } | { seen: false; why: string };

/** Throws a RangeError unless `steps` keep STEPS_RULE. */
export function checkSteps(steps: readonly number[]): void {
  const rising = steps.every((count, i) => i === 0 || count > steps[i - 1]);
  const inRange = steps.every((count) => Number.isInteger(count) && count >= 0 && count <= MAX_CONNECTIONS);
  if (steps.length < 2 || !rising || !inRange) throw new RangeError(`connection steps must be ${STEPS_RULE}, not [${steps.join(', ')}]`);
}

/**
 * Measures a server's cost: a command, started here on a free port (`{port}`) and stopped
 * after, or a server already running at host:port, found by its listening socket. The server
 * must be on this machine; if it is not, or no process here that we may look into holds its
 * socket, the outcome says so.
 */
export async function measureCost(server: ServerUnderCheck & { startupTimeoutMs: number }, steps: readonly number[] = DEFAULT_STEPS): Promise<CostOutcome> {
  checkSteps(steps);
  const host = server.host ?? '127.0.0.1';
  if (!isThisMachine(host)) return unseen(`${host} is another machine`);
  if (isRunningServer(server)) {
    await untilAccepting(host, server.port, server.startupTimeoutMs);
    const pid = serverProcess({ host, port: server.port });
    if (typeof pid === 'string') return { seen: false, why: pid };
    return { seen: true, probe: await probe({ host, port: server.port, pid }, steps) };
  }
  const started = await startServer({ command: server.command, port: server.port, host, readiness: 'port', startupTimeoutMs: server.startupTimeoutMs });
  try {
    const pid = serverProcess(started, started.pid) as number;
    return { seen: true, probe: await probe({ host, port: started.port, pid }, steps) };
  } finally {
    await started.stop();
  }
}

/**
 * The process of the server listening at host:port, whose cost is the server's: the one that
 * holds its listening socket. For a server echolab `started`, that one if it is under the
 * process started (which may be a wrapper, such as `sh -c` or `npx`), else the process started.
 * For any other, a sentence saying why its cost cannot be seen from here.
 */
export function serverProcess({ host, port }: { host: string; port: number }, started?: number): number | string {
  if (started !== undefined) {
    const holder = pidListeningOn(port);
    return holder !== undefined && processTree(started).includes(holder) ? holder : started;
  }
  if (!isThisMachine(host)) return `the cost cannot be seen from here: ${host} is another machine`;
  return pidListeningOn(port) ?? `the cost cannot be seen from here: no process on this machine that echolab may look into holds the socket listening on port ${port}`;
}

const unseen = (reason: string): CostOutcome => ({ seen: false, why: `the cost cannot be seen from here: ${reason}` });

/** Whether `host` (an address, or "localhost") is this machine: a loopback address or one of its interfaces'. */
function isThisMachine(host: string): boolean {
  const address = isIPv6(host) ? new SocketAddress({ address: host, family: 'ipv6' }).address : host;
  if (['localhost', '0.0.0.0', '::', '::1'].includes(address) || /^(::ffff:)?127\./.test(address)) return true;
  return Object.values(os.networkInterfaces()).some((addresses) => addresses?.some((each) => each.address === address));
}

/** A server on this machine: where it listens, and the process that holds its listening socket. */
export interface Target {
  host: string;
  port: number;
  pid: number;
}

/** Measures a server's cost where the caller knows its process already (one it started). */
export async function probe(target: Target, steps: readonly number[]): Promise<CostProbe> {
  const started = now();
  const command = commandLine(target.pid) ?? '';
  const open: Connection[] = [];
  const measured: CostStep[] = [];
  try {
    for (const connections of steps) {
      await openIdle(target, open, connections);
      await untilQuiet(target.pid, open.length);
      measured.push({ connections, sample: sampleNow(target, open) });
    }
  } finally {
    await Promise.all(open.map((connection) => connection.close()));
  }
  const slopes = costSlopes(measured);
  return { ...target, command, steps: measured, slopes, verdict: costVerdict(slopes), tookMs: now() - started };
}

/**
 * Opens connections until `open` holds `total`, IN_FLIGHT at a time, each once an earlier one
 * is connected. A connection refused or closed, or one the server's backlog has no room for,
 * is an error that stops the rest: the probe cannot hold it idle.
 */
async function openIdle(target: Target, open: Connection[], total: number): Promise<void> {
  const stop = new AbortController();
  const openOneAfterAnother = async () => {
    while (open.length < total && !stop.signal.aborted) await openOne(target, open, stop.signal);
  };
  const lanes = Array.from({ length: Math.min(IN_FLIGHT, total - open.length) }, () => openOneAfterAnother().catch((error: unknown) => stop.abort(error)));
  await Promise.all(lanes);
  if (stop.signal.aborted) throw stop.signal.reason;
}

/** Opens one more connection, and resolves once it is connected; `stop` ends the wait with its reason. */
async function openOne(target: Target, open: Connection[], stop: AbortSignal): Promise<void> {
  const connection = new Connection(String(open.length + 1), () => {}, stop);
  open.push(connection);
  const connected = await connection.connect(target.host, target.port, { withinMs: CONNECTED_WITHIN_MS });
  if (!connected && !connection.failed) {
    throw new EcholabError(
      'ECHOLAB_TIMEOUT',
      `connection ${connection.name} was not taken within ${CONNECTED_WITHIN_MS / 1000} s, with ${open.length - 1} others open: ` +
        "the server's listen backlog is full, so it cannot be held with that many idle connections",
    );
  }
  failIfAnyFailed(target, [connection]);
}

/**
 * Resolves once the server's processes (`pid` and those under it) have been still for QUIET_MS: no thread of theirs
 * running or waiting for a core at either end, and no CPU used in between. A server still busy
 * with the step's connections (accepting them, starting threads) is not still; one starved of
 * the cores by a loaded machine shows its threads waiting for one.
 */
export async function untilQuiet(pid: number, open: number): Promise<void> {
  const deadline = new Deadline(QUIET_WITHIN_MS);
  const look = (): TreeActivity => {
    const activity = treeActivity(pid);
    if (!activity) throw new EcholabError('ECHOLAB_SERVER_CRASHED', `the server (pid ${pid}) ended while ${open} connections were open`);
    return activity;
  };
  try {
    for (let before = look(); ; ) {
      await pause(QUIET_MS, deadline.signal);
      const after = look();
      if (before.runnable === 0 && after.runnable === 0 && after.cpuTicks === before.cpuTicks) return;
      before = after;
    }
  } catch (error) {
    if (!deadline.timedOut) throw error;
    throw new EcholabError('ECHOLAB_TIMEOUT', `the server (pid ${pid}) did not go quiet within ${QUIET_WITHIN_MS / 1000} s of its ${open} connections`);
  } finally {
    deadline.clear();
  }
}

/**
 * A connection the server refused, reset or closed ends the probe, which would measure fewer
 * connections than it says; and so does the server's end, which is what the message names then.
 */
function failIfAnyFailed({ pid }: Target, connections: readonly Connection[]): void {
  const failed = connections.find((connection) => connection.failed);
  if (!failed) return;
  if (processTree(pid).length === 0) throw new EcholabError('ECHOLAB_SERVER_CRASHED', `the server (pid ${pid}) ended by connection ${failed.name}`);
  throw new EcholabError('ECHOLAB_CONNECT', `connection ${failed.name} ended: ${(failed.failureSignal.reason as Error).message}`);
}

/** What the server costs now, with `open` connections that must all still be open. */
function sampleNow(target: Target, open: readonly Connection[]): CostStep['sample'] {
  const sample = sampleTree(target.pid);
  if (!sample) throw new EcholabError('ECHOLAB_SERVER_CRASHED', `the server (pid ${target.pid}) ended while ${open.length} connections were open`);
  failIfAnyFailed(target, open);
  return sample;
}
