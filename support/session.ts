/**
 * One run of the article's experiment: start a server, let scripted clients talk to it, and
 * gather what happened into a timeline. Scenarios, the demo and `echolab check` all use it.
 */
import { EcholabError } from '../core/errors';
import { serveCommandLine, type ModelName } from '../core/models';
import { SERVER_EVENT_KINDS } from '../servers/event-log';
import type { Remedies } from './remedies';
import { runClients, scriptTicks, sendAndCollect, type ClientScript, type RecordClientEvent } from './clients';
import { crashReason, type ServerCrash } from './crash';
import { acceptsWithin, startServer, type RawServerEvent, type ServerHandle } from './server-process';
import { mergeTimeline } from './timeline/query';
import type { ClientEvent, ServerEvent, ServerEventKind, ServiceProbe, Timeline } from './timeline/types';
import { Deadline, now, watchLateness } from './wait';

/** Anyone's server: a command to start, told its port through `{port}` or listening on a fixed one. */
export interface ServerCommand {
  command: string[];
  port?: number;
  host?: string;
  startupTimeoutMs?: number;
}

/** A server someone else started, and keeps running: echolab only connects to it. */
export interface RunningServer {
  host: string;
  port: number;
  startupTimeoutMs?: number;
}

/** What `check` and `classify` judge: a command they start, or a server already running. */
export type ServerUnderCheck = ServerCommand | RunningServer;

export const isRunningServer = (server: ServerUnderCheck): server is RunningServer => !('command' in server);

/** The running servers this process has seen stop accepting connections: nothing here can start them again. */
const stoppedServers = new Set<string>();

/** Whether a running server was seen to stop, in an earlier scenario of this process. */
export const hasStopped = ({ host, port }: RunningServer) => stoppedServers.has(`${host}:${port}`);

/** A thread-per-client server starts its spare threads before it listens: seconds on a busy machine. */
const DEFAULT_STARTUP_TIMEOUT_MS = 30_000;
/** Time allowed, beyond the ticks a run's scripts take, for servers to answer on a loaded machine. */
const RUN_ALLOWANCE_MS = 5_000;
/** How long a server whose clients' connections failed gets to show that it died: far longer than an exit takes to be noticed. */
const EXIT_NOTICE_MS = 1_000;
/** What a client of the session's own sends to see that the server still answers. */
const STILL_THERE = 'still there?';

/** What a scenario may set on one of echolab's own servers. */
export interface ModelSettings {
  /** the pool's size (thread-pool) */
  workers?: number;
  /** the listening socket's backlog */
  backlog?: number;
  /** threads a thread-per-client server keeps started ahead (SPARE_THREADS_FOR_A_FEW_CLIENTS unless given) */
  spareThreads?: number;
  /** the most threads a model on OS threads may have at once */
  maxThreads?: number;
  /** what it does about slow clients */
  remedies?: Remedies;
}

/**
 * The threads echolab's thread-per-client server keeps spare where a scenario does not ask for
 * more: enough for the few clients a scenario sends at once (five at most). Each costs tens of
 * milliseconds of CPU to start, so the thirty-odd a crowd needs would slow every scenario.
 */
export const SPARE_THREADS_FOR_A_FEW_CLIENTS = 8;

/**
 * The threads it keeps spare for a crowd of clients (chapter 7's thirty, @many-clients). Its
 * threads are Node workers, each tens of milliseconds to start (an OS thread of C or Python
 * takes tens of microseconds): thirty newcomers would wait for thirty workers to start one
 * after another, which is the cost of echolab's runtime, not of the model. So for a crowd it
 * starts them ahead, as thread libraries cache threads.
 */
export const SPARE_THREADS_FOR_A_CROWD = 32;

export class Session {
  private server?: ServerHandle;
  /**
   * Whether to ask the server, once its clients are done, whether it still answers: a server
   * may die of what the last client did when no other client is there to see it. Only for
   * anyone's server: echolab's own keep an event log, where another connection would show.
   */
  private askWhetherAlive = false;
  /** whether the server is one someone else started, judged where it listens (see useRunning) */
  private judgingRunning = false;
  /** where the clients connect: the started server, or one already running */
  private address?: { host: string; port: number };
  private readonly clientEvents: ClientEvent[] = [];
  private readonly service: ServiceProbe[] = [];
  private clients: string[] = [];
  private origin = now();
  private harnessLateMs = 0;

  constructor(readonly tickMs: number) {}

  /** Starts one of echolab's own models with its event log on. */
  async startModel(model: ModelName, { workers, backlog, spareThreads = SPARE_THREADS_FOR_A_FEW_CLIENTS, maxThreads, remedies }: ModelSettings = {}): Promise<void> {
    const command = serveCommandLine(model, { events: true, workers, backlog, spareThreads, maxThreads, ...remedies });
    this.assertNoServerYet();
    this.server = await startServer({ command, readiness: 'line', startupTimeoutMs: DEFAULT_STARTUP_TIMEOUT_MS });
    this.address = this.server;
  }

  /** A second server would be left running unseen (a Background's and a scenario's own, say). */
  private assertNoServerYet() {
    if (this.server) throw new Error('this scenario has started a server already');
  }

  /**
   * Starts anyone's server; it is ready when its port accepts a connection. Unless told it is
   * `known` (one of echolab's own fixtures, in a scenario about what it does), it is asked after
   * each run whether it still answers.
   */
  async startCommand({ command, port, host, startupTimeoutMs = DEFAULT_STARTUP_TIMEOUT_MS }: ServerCommand, { known = false } = {}): Promise<void> {
    this.server = await startServer({ command, port, host, readiness: 'port', startupTimeoutMs });
    this.address = this.server;
    this.askWhetherAlive = !known;
  }

  /** Records whether a newcomer was answered, for the timeline's row of the service's availability. */
  recordService(probe: ServiceProbe): void {
    this.service.push(probe);
  }

  /** Undefined once the started server has written `words` on stderr (waiting for it a while), else what it wrote last. */
  async serverSaid(words: string): Promise<string | undefined> {
    const server = this.server;
    if (!server) throw new Error('no server was started in this session');
    const deadline = new Deadline(RUN_ALLOWANCE_MS);
    try {
      if (await server.untilStderrHolds(words, deadline.signal)) return undefined;
    } finally {
      deadline.clear();
    }
    const tail = server.stderrTail(3);
    return `the server never said "${words}"${tail ? `; the last it wrote: ${tail}` : ''}`;
  }

  /** The process of the server this session started; undefined for one someone else runs. */
  get serverPid(): number | undefined {
    return this.server?.pid;
  }

  /** Where the clients connect, once a server is started or named. */
  get serverAddress(): { host: string; port: number } | undefined {
    return this.address && { host: this.address.host, port: this.address.port };
  }

  /**
   * Uses a server someone else started: no event log, and it keeps running afterwards. One
   * being `judged` is asked after each run whether it still answers, as anyone's server is; if
   * it no longer accepts connections, the run fails with ECHOLAB_SERVER_CRASHED and the server
   * counts as stopped for the rest of this process (hasStopped).
   */
  useRunning(host: string, port: number, { judged = false } = {}): void {
    this.address = { host, port };
    this.judgingRunning = judged;
    this.askWhetherAlive = judged;
  }

  /** Runs the client scripts against the server and resolves when every client has finished. */
  run(scripts: ClientScript[], { startGapMs = 0, onEvent = (_: ClientEvent) => {} } = {}): Promise<void> {
    const allTicks = scripts.reduce((total, script) => total + scriptTicks(script), 0);
    const names = scripts.map((script) => script.name);
    return this.talk(names, ({ host, port }, record) =>
      runClients({
        host,
        port,
        tickMs: this.tickMs,
        clients: scripts,
        record: (event) => {
          record(event);
          onEvent(event);
        },
        startGapMs,
        // clients may be served one after another, so allow for all their scripts in a row
        timeoutMs: allTicks * this.tickMs + scripts.length * startGapMs + RUN_ALLOWANCE_MS,
      }),
    );
  }

  /**
   * Lets any client code talk to the server (the scripted clients, an integrity check, a probe):
   * what `record` gets joins the timeline under the clients' `names`. A server that died
   * meanwhile is what went wrong, rather than what its clients saw: then this rejects with
   * ECHOLAB_SERVER_CRASHED, saying what the clients had just done and the server's error.
   */
  async talk<T>(names: string[], clients: (address: { host: string; port: number }, record: RecordClientEvent) => Promise<T>): Promise<T> {
    const address = this.address;
    if (!address) throw new Error('no server to run clients against');
    this.clients.push(...names);
    if (this.clientEvents.length === 0) this.origin = now();
    let done = false;
    const lateness = watchLateness();
    try {
      const result = await clients(address, (event) => this.clientEvents.push(event));
      done = true;
      return result;
    } finally {
      this.harnessLateMs = Math.max(this.harnessLateMs, lateness.stop());
      const suspect = this.clientEvents.some((e) => e.kind === 'error') || (done && this.askWhetherAlive && !(await stillAnswers(address)));
      if (suspect) await this.failIfServerCrashed();
    }
  }

  private async failIfServerCrashed(): Promise<void> {
    const crash = this.judgingRunning ? await this.runningServerStopped() : await this.server?.crashed(EXIT_NOTICE_MS);
    if (crash) throw new EcholabError('ECHOLAB_SERVER_CRASHED', crashReason(this.timeline(), crash));
  }

  /**
   * A server with no process of ours has stopped when it refuses connections. One that accepts
   * but is slow to answer is still there: the scenario's verdict says what is wrong with it.
   */
  private async runningServerStopped(): Promise<ServerCrash | undefined> {
    const { host, port } = this.address!;
    if (await acceptsWithin(host, port, EXIT_NOTICE_MS)) return undefined;
    stoppedServers.add(`${host}:${port}`);
    return { how: `at ${host}:${port} stopped accepting connections`, at: now() };
  }

  /**
   * For white-box questions: waits until the server's event log has caught up with the
   * clients, that is, until it logged the closing of every connection it accepted.
   */
  async serverLogSettled(): Promise<void> {
    const server = this.server;
    if (!server) throw new Error('no server was started in this session');
    const deadline = new Deadline(RUN_ALLOWANCE_MS);
    const settled = () => {
      const events = this.serverEvents();
      const accepted = events.filter((e) => e.kind === 'accepted').length;
      return accepted >= this.clients.length && events.filter((e) => e.kind === 'closed').length >= accepted;
    };
    try {
      await server.untilEvents(settled, deadline.signal);
    } catch (error) {
      if (!deadline.timedOut) throw error;
      throw new EcholabError('ECHOLAB_TIMEOUT', `the server's event log did not show every connection closed within ${RUN_ALLOWANCE_MS} ms`);
    } finally {
      deadline.clear();
    }
  }

  timeline(): Timeline {
    return mergeTimeline({
      origin: this.origin,
      tickMs: this.tickMs,
      clients: this.clients,
      clientEvents: this.clientEvents,
      serverEvents: this.serverEvents(),
      harnessLateMs: this.harnessLateMs,
      service: this.service,
    });
  }

  /** Stops the server; safe to call whatever state the session is in. */
  async close(): Promise<void> {
    await this.server?.stop();
  }

  /** The server's event log, each connection named after the client whose local port it came from. */
  private serverEvents(): ServerEvent[] {
    const clientByPort = new Map(
      this.clientEvents.filter((e) => e.kind === 'connected' && e.localPort !== undefined).map((e) => [e.localPort!, e.client]),
    );
    const clientByConn = new Map<number, string | undefined>();
    return (this.server?.events ?? []).flatMap((raw) => {
      const event = toServerEvent(raw);
      if (!event) return [];
      if (event.kind === 'accepted') clientByConn.set(event.conn, clientByPort.get(peerPort(raw)));
      return [{ ...event, client: clientByConn.get(event.conn) }];
    });
  }
}

/**
 * Whether the server answers one more client, off the timeline, as it is no part of the
 * scenario: any bytes back will do, since whether they are the echo is no question of whether
 * it is alive (the scenario's own clients judge that).
 */
async function stillAnswers({ host, port }: { host: string; port: number }): Promise<boolean> {
  const { received } = await sendAndCollect({ host, port, payload: STILL_THERE, record: () => {}, timeoutMs: EXIT_NOTICE_MS });
  return received.length > 0;
}

function toServerEvent(raw: RawServerEvent): ServerEvent | undefined {
  const { t, kind, thread, conn, bytes } = raw;
  if (typeof t !== 'number' || typeof thread !== 'number' || typeof conn !== 'number') return undefined;
  if (!SERVER_EVENT_KINDS.includes(kind as ServerEventKind)) return undefined;
  return { source: 'server', kind: kind as ServerEventKind, t, thread, conn, bytes: typeof bytes === 'number' ? bytes : undefined };
}

const peerPort = (raw: RawServerEvent) => Number(String(raw.peer ?? '').split(':').at(-1));
