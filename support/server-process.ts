/**
 * Start and stop a server program as a real child process: one of echolab's own models, or
 * anyone's echo server in any language.
 *
 * Each server runs in its own process group, and stopping it signals the whole group, so a
 * server's own children go too. Servers still running when the harness exits, crashes or is
 * interrupted are killed on the way out (support/processes.ts): nothing is left running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { EcholabError, usageError } from '../core/errors';
import type { ServerCrash } from './crash';
import { startTracked } from './processes';
import { errorLine, exitDescription, plainLine } from './server-output';
import { Condition, Deadline, TimedOut, now, pause, waitFor } from './wait';

/** How to tell that a server is ready: its `listening on <host>:<port>` line (echolab's servers), or its port accepting a connection (any server). */
export type Readiness = 'line' | 'port';

export interface StartServerOptions {
  /** the program and its arguments; `{port}` anywhere in them is replaced by the port */
  command: string[];
  /** the port to put in `{port}`; default: a free port echolab picks (0: the server picks, readiness 'line' only) */
  port?: number;
  /** where the server listens; default 127.0.0.1 */
  host?: string;
  readiness: Readiness;
  startupTimeoutMs: number;
  /** added to this process's environment */
  env?: NodeJS.ProcessEnv;
  /** how long `stop()` lets the server end after SIGTERM before it sends SIGKILL; default 2000 */
  stopGraceMs?: number;
}

export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A JSON object line of the server's `--events` log, as written: checking its fields is the timeline's job. */
export type RawServerEvent = Record<string, unknown>;

export interface ServerHandle {
  readonly host: string;
  /** the port the server listens on (from its readiness line, if it printed one) */
  readonly port: number;
  /** also the id of its process group */
  readonly pid: number;
  /** the command as it was run, for messages */
  readonly command: string;
  /** stdout lines that are JSON objects: the `--events` log */
  readonly events: RawServerEvent[];
  /** every other stdout line, the readiness line included (as all output kept here: without terminal control codes) */
  readonly stdoutLines: string[];
  /** the last lines of stderr */
  stderrTail(maxLines?: number): string;
  /** Resolves with whether a line of stderr held `words` before the output ended or `signal` aborted. */
  untilStderrHolds(words: string, signal: AbortSignal): Promise<boolean>;
  /**
   * Resolves once `happened()` is true, checked again each time an event line arrives (say,
   * until the log shows every connection closed). Rejects with ECHOLAB_SERVER_CRASHED if the
   * server's output ends first, or with the signal's reason if it aborts.
   */
  untilEvents(happened: () => boolean, signal: AbortSignal): Promise<void>;
  /** settles when the process has exited and its output has been read */
  readonly exited: Promise<ServerExit>;
  /** SIGTERM to the group, SIGKILL if it lingers; resolves once it has exited. Safe to call again. */
  stop(): Promise<void>;
  /**
   * Whether the server died by itself (not by `stop()`): how and when, if it has ended or
   * ends within `withinMs`; undefined if it is still running.
   */
  crashed(withinMs: number): Promise<ServerCrash | undefined>;
}

const READY_LINE = /^listening on (\S+):(\d+)\s*$/;
const PROBE_INTERVAL_MS = 20;
const DEFAULT_STOP_GRACE_MS = 2000;
const STDERR_LINES_KEPT = 50;

/**
 * Start a server and resolve once it is ready for clients. Rejects with ECHOLAB_SERVER_START
 * (command not found, exited early, not ready in time), ECHOLAB_PORT_IN_USE (the given port
 * is taken) or ECHOLAB_USAGE (no way to know its port); nothing is left running then.
 */
export async function startServer(options: StartServerOptions): Promise<ServerHandle> {
  const host = options.host ?? '127.0.0.1';
  const { port, release } = await choosePort(options, host);
  try {
    const command = options.command.map((arg) => arg.replaceAll('{port}', String(port)));
    const server = new ServerProcess(command, host, port, options);
    await server.spawned();
    try {
      await server.untilReady(options.readiness, options.startupTimeoutMs);
    } catch (err) {
      await server.stop(); // also waits until all of its stderr has been read, for the message
      throw await server.startError(err, options);
    }
    return server;
  } finally {
    release(); // bound by the server now, or never to be
  }
}

/**
 * A port that was free a moment ago, for a command that is told its port. Chosen below the
 * range the kernel hands out to outgoing connections: a port from that range (what binding
 * port 0 gives) may be taken, before the command binds it, by any client that connects
 * anywhere meanwhile, and with scenarios side by side that happens.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const { port, release } = await reserveFreePort(host);
  release();
  return port;
}

/**
 * A free port as `freePort` finds it, held for the caller until `release()`: echolab processes
 * side by side (a gate's workers, and the checks they run) each choose at random, and two that
 * chose the same port in the moment before either server bound it would each take the other's
 * server for its own. Held by a file named after the port, which only one process can create.
 */
async function reserveFreePort(host: string): Promise<{ port: number; release: () => void }> {
  const count = firstLentPort() - LOWEST_CHOSEN_PORT;
  for (let attempt = 0; count > 0 && attempt < PORT_ATTEMPTS; attempt++) {
    const port = LOWEST_CHOSEN_PORT + Math.floor(Math.random() * count);
    const release = holdPort(port);
    if (!release) continue; // another echolab process is starting a server on it
    try {
      return { port: await bindAndRelease(host, port), release };
    } catch {
      release(); // taken: try another
    }
  }
  // every one tried was taken, or the kernel lends out the low ports too
  return { port: await bindAndRelease(host, 0), release: () => {} };
}

const PORT_ATTEMPTS = 20;
/** Where the files that hold chosen ports are: one directory for every echolab process of this user on this machine. */
const HELD_PORTS = path.join(os.tmpdir(), `echolab-ports-${os.userInfo().uid}`);
/** A hold older than this was left by a process that ended before it let go: no server takes this long to start. */
const STALE_HOLD_MS = 5 * 60_000;

/** The function that lets go of `port`, or undefined if another process holds it. */
function holdPort(port: number): (() => void) | undefined {
  const file = path.join(HELD_PORTS, String(port));
  try {
    fs.mkdirSync(HELD_PORTS, { recursive: true });
    fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return () => {}; // nowhere to hold it: choose without
    if (isStale(file)) fs.rmSync(file, { force: true }); // free for the next one to choose it
    return undefined;
  }
  return () => fs.rmSync(file, { force: true });
}

function isStale(file: string): boolean {
  try {
    return Date.now() - fs.statSync(file).mtimeMs > STALE_HOLD_MS;
  } catch {
    return false; // let go of meanwhile
  }
}

/** Below this are the ports of well-known and registered services, best left alone. */
const LOWEST_CHOSEN_PORT = 10_000;

/** The first of the ports the kernel lends to outgoing connections (Linux: 32768 unless set otherwise). */
function firstLentPort(): number {
  try {
    const from = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(from)) return from;
  } catch {
    // not Linux: assume its default
  }
  return 32768;
}

async function choosePort(options: StartServerOptions, host: string): Promise<{ port: number; release: () => void }> {
  if (options.port === undefined && options.command.some((arg) => arg.includes('{port}'))) return reserveFreePort(host);
  const port = options.port ?? 0;
  if (port === 0 && options.readiness === 'port') {
    throw usageError(`cannot tell which port "${displayCommand(options.command)}" will listen on: put {port} in the command or give a port`);
  }
  if (port !== 0) await ensurePortFree(host, port);
  return { port, release: () => {} };
}

/** Otherwise a probe for readiness 'port' would find whatever else listens there. */
async function ensurePortFree(host: string, port: number): Promise<void> {
  try {
    await bindAndRelease(host, port);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new EcholabError('ECHOLAB_PORT_IN_USE', `port ${port} on ${host} is already in use`);
    throw new EcholabError('ECHOLAB_SERVER_START', `cannot listen on ${host}:${port}: ${code ?? String(err)}`);
  }
}

function bindAndRelease(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen({ host, port, exclusive: true }, () => {
      const bound = (probe.address() as AddressInfo).port;
      probe.close(() => resolve(bound));
    });
  });
}

/**
 * For a server someone else started: resolves once host:port accepts a connection, trying
 * again every little while; rejects with ECHOLAB_SERVER_START if nothing does in `timeoutMs`.
 */
export async function untilAccepting(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = new Deadline(timeoutMs);
  try {
    while (!(await accepts(host, port, deadline.signal))) await pause(PROBE_INTERVAL_MS, deadline.signal);
  } catch (err) {
    if (!(err instanceof TimedOut)) throw err;
    throw new EcholabError('ECHOLAB_SERVER_START', `nothing accepted a connection on ${host}:${port} within ${timeoutMs / 1000} s`);
  } finally {
    deadline.clear();
  }
}

/** Whether host:port accepts a connection within `withinMs`: false if it refuses or does not answer. */
export async function acceptsWithin(host: string, port: number, withinMs: number): Promise<boolean> {
  const deadline = new Deadline(withinMs);
  try {
    return await accepts(host, port, deadline.signal);
  } catch (err) {
    if (err instanceof TimedOut) return false;
    throw err;
  } finally {
    deadline.clear();
  }
}

/** Resolves true once host:port accepts a connection, false if it refuses; the probe is closed at once. */
function accepts(host: string, port: number, signal: AbortSignal): Promise<boolean> {
  return waitFor<boolean>(signal, (resolve) => {
    const probe = net.connect({ host, port });
    probe.once('connect', () => resolve(true));
    probe.once('error', () => resolve(false));
    return () => probe.destroy();
  });
}

/** The reason a startup wait stops when the server exits first. */
class ExitedEarly extends Error {}

class ServerProcess implements ServerHandle {
  readonly command: string;
  readonly events: RawServerEvent[] = [];
  readonly stdoutLines: string[] = [];
  readonly exited: Promise<ServerExit>;
  private readonly child: ChildProcess;
  private readonly stderrLines: string[] = [];
  /** notified when the readiness line or an event arrives, and when the output ends */
  private readonly changed = new Condition();
  private readonly stopGraceMs: number;
  private announcedPort?: number;
  private hasExited = false;
  /** when the process was seen to exit, on the monotonic clock */
  private exitedAt = Infinity;
  private outputEnded = false;
  private stopping?: Promise<void>;

  constructor(
    private readonly argv: string[],
    readonly host: string,
    private readonly chosenPort: number,
    options: Pick<StartServerOptions, 'env' | 'stopGraceMs'>,
  ) {
    this.command = displayCommand(argv);
    this.stopGraceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
    // detached: the child leads a new process group, which stop() can signal as a whole.
    this.child = startTracked(
      () =>
        spawn(argv[0], argv.slice(1), {
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, ...options.env },
        }),
      { kill: (child) => signalGroup(child.pid ?? 0, 'SIGKILL'), stop: () => this.stop() },
    );
    this.exited = new Promise((resolve) =>
      this.child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        this.outputEnded = true;
        this.changed.notify();
        resolve({ code, signal });
      }),
    );
    this.child.once('exit', () => {
      this.hasExited = true;
      this.exitedAt = now();
      // Nothing of the group may outlive its leader: a crashed server's helpers go with it.
      signalGroup(this.pid, 'SIGKILL');
    });
    readLines(this.child.stdout, (line) => this.onStdoutLine(plainLine(line)));
    readLines(this.child.stderr, (raw) => {
      const line = plainLine(raw);
      this.stderrLines.push(line);
      if (this.stderrLines.length > STDERR_LINES_KEPT) this.stderrLines.shift();
      this.changed.notify();
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get port(): number {
    return this.announcedPort ?? this.chosenPort;
  }

  /** Resolves once the process runs; a command that cannot run becomes ECHOLAB_SERVER_START. */
  async spawned(): Promise<void> {
    try {
      await new Promise<void>((resolve, reject) => {
        this.child.once('spawn', resolve);
        this.child.once('error', reject);
      });
    } catch (err) {
      const { code, message } = err as NodeJS.ErrnoException;
      throw new EcholabError(
        'ECHOLAB_SERVER_START',
        code === 'ENOENT' ? `command not found: ${this.argv[0]}` : `cannot run "${this.command}": ${message}`,
      );
    }
  }

  /** Wait for the readiness line, or for the port to accept; stops early if the process exits. */
  async untilReady(readiness: Readiness, timeoutMs: number): Promise<void> {
    const startup = new Deadline(timeoutMs);
    const onExit = (): void => startup.abort(new ExitedEarly());
    this.child.once('exit', onExit);
    try {
      if (this.hasExited) onExit();
      if (readiness === 'line') {
        await this.changed.waitFor(() => this.announcedPort !== undefined, startup.signal);
      } else {
        while (!(await accepts(this.host, this.port, startup.signal))) await pause(PROBE_INTERVAL_MS, startup.signal);
      }
    } finally {
      startup.clear();
      this.child.off('exit', onExit);
    }
  }

  /** The error to throw for a failed startup: a one-line ECHOLAB_SERVER_START. Call it after stop(), when stderr is complete. */
  async startError(reason: unknown, options: StartServerOptions): Promise<unknown> {
    const where = this.port === 0 ? this.host : `${this.host}:${this.port}`;
    let what: string;
    if (reason instanceof ExitedEarly) {
      what = `${await this.exitDescription()} before listening on ${where}`;
    } else if (reason instanceof TimedOut && options.readiness === 'line') {
      what = `did not print "listening on ${where}" within ${options.startupTimeoutMs} ms`;
    } else if (reason instanceof TimedOut) {
      what = `did not start listening on ${where} within ${options.startupTimeoutMs} ms`;
    } else {
      return reason;
    }
    const error = errorLine(this.stderrLines);
    return new EcholabError('ECHOLAB_SERVER_START', `server "${this.command}" ${what}${error ? `: ${error}` : ''}`);
  }

  async untilEvents(happened: () => boolean, signal: AbortSignal): Promise<void> {
    await this.changed.waitFor(() => happened() || this.outputEnded, signal);
    if (!happened()) {
      throw new EcholabError('ECHOLAB_SERVER_CRASHED', `server "${this.command}" ${await this.exitDescription()} before its event log showed what was awaited`);
    }
  }

  async crashed(withinMs: number): Promise<ServerCrash | undefined> {
    if (this.stopping) return undefined;
    const notice = new Deadline(withinMs);
    try {
      await this.changed.waitFor(() => this.outputEnded, notice.signal);
    } catch (err) {
      if (err instanceof TimedOut) return undefined;
      throw err;
    } finally {
      notice.clear();
    }
    return { how: await this.exitDescription(), at: this.exitedAt, errorLine: errorLine(this.stderrLines) };
  }

  async untilStderrHolds(words: string, signal: AbortSignal): Promise<boolean> {
    const said = () => this.stderrLines.some((line) => line.includes(words));
    await this.changed.waitFor(() => said() || this.outputEnded, signal).catch((error: unknown) => {
      if (!(error instanceof TimedOut)) throw error;
    });
    return said();
  }

  stderrTail(maxLines = 10): string {
    return this.stderrLines.slice(-maxLines).join('\n');
  }

  stop(): Promise<void> {
    this.stopping ??= this.terminate();
    return this.stopping;
  }

  private async terminate(): Promise<void> {
    // Once the leader has exited, its group was already killed (see the 'exit' handler).
    if (this.hasExited) {
      await this.exited;
      return;
    }
    signalGroup(this.pid, 'SIGTERM');
    const escalate = setTimeout(() => signalGroup(this.pid, 'SIGKILL'), this.stopGraceMs);
    await this.exited;
    clearTimeout(escalate);
  }

  private async exitDescription(): Promise<string> {
    return exitDescription(await this.exited);
  }

  private onStdoutLine(line: string): void {
    const event = parseEvent(line);
    if (event) this.events.push(event);
    else this.stdoutLines.push(line);
    const ready = READY_LINE.exec(line);
    if (ready && this.announcedPort === undefined) this.announcedPort = Number(ready[2]);
    if (event || ready) this.changed.notify();
  }
}

function readLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (stream) readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
}

function parseEvent(line: string): RawServerEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RawServerEvent) : undefined;
  } catch {
    return undefined;
  }
}

/** The command on one short line: long arguments (like `node -e` scripts) are cut. */
function displayCommand(argv: string[]): string {
  return argv
    .map((arg) => arg.replace(/\s+/g, ' '))
    .map((arg) => (arg.length > 40 ? `${arg.slice(0, 39)}…` : arg))
    .map((arg) => (arg.includes(' ') ? `'${arg}'` : arg))
    .join(' ');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  // kill(-0) would signal echolab's own group: never, even if a pid is missing.
  if (pid <= 0) return;
  try {
    process.kill(-pid, signal);
  } catch (err) {
    // ESRCH: the group is gone already. EPERM: what macOS says when only zombies are left.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ESRCH' && code !== 'EPERM') throw err;
  }
}
