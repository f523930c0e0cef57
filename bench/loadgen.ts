/**
 * A closed-loop load generator for echo servers: each connection sends one message, waits
 * for exactly that many bytes back, checks they are the same, and only then sends the next
 * (whose content differs, so a stale echo cannot pass). Round trips per second then measure
 * how fast the server turns messages around, not how much it can buffer.
 *
 * It runs on this process's event loop; its own CPU over the window is measured too, so a
 * run can show whether the generator, rather than the server, was the limit.
 */
import fs from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { EcholabError } from '../support/errors';
import { cpuTicksFromStat, percentOfOneCore, threadsFromStatus } from './stats';

export interface LoadOptions {
  host: string;
  port: number;
  connections: number;
  messageBytes: number;
  /** the least time to run before measuring; see `warmedUp` */
  warmupMs: number;
  /** how many connections the server serves at once (a pool: its workers); default all of them */
  servedAtOnce?: number;
  /** how long to measure */
  windowMs: number;
  /** the server's process, whose CPU time over the window is read from /proc */
  serverPid?: number;
  /** clock ticks per second of /proc's CPU times (`getconf CLK_TCK`) */
  clockTicks: number;
}

export interface LoadResult {
  /** seconds measured */
  seconds: number;
  roundTrips: number;
  /** how many connections completed at least one round trip in the window (a pool serves only as many as it has workers) */
  served: number;
  /** each round trip's latency in µs, sorted */
  latenciesUs: Float64Array;
  /** this process's CPU over the window, as % of one core */
  generatorCpu: number;
  /** the server's CPU over the window, as % of one core; NaN without a pid */
  serverCpu: number;
}

/** Longest the warm-up waits for every connection to get its first echo: a loaded machine may start threads slowly. */
const SETTLE_LIMIT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 30_000;
/** How long the connections get to close when the run is over, before they are cut. */
const CLOSE_GRACE_MS = 5_000;
/** How long the server's thread count must hold still before measuring. */
const THREADS_STEADY_MS = 500;
/** How often the warm-up looks at whether it is over. */
const CHECK_EVERY_MS = 20;
const READ_BUFFER_BYTES = 64 * 1024;

type Phase = 'warmup' | 'measuring' | 'over';

/** One client connection's loop: send, collect the echo, compare, send the next. */
class Client {
  readonly socket: net.Socket;
  private readonly message: Buffer;
  private readonly echo: Buffer;
  private received = 0;
  private sentAt = 0;
  private round = 0;
  /** when this connection's first echo came, performance.now() ms */
  firstEchoAt?: number;
  roundTripsMeasured = 0;
  /** settles once the socket is closed, however that came about */
  readonly closed: Promise<void>;

  constructor(
    private readonly run: LoadRun,
    readonly id: number,
  ) {
    const bytes = run.options.messageBytes;
    this.message = Buffer.alloc(bytes);
    for (let i = 0; i < bytes; i++) this.message[i] = (id * 31 + i * 7) & 0xff;
    this.echo = Buffer.alloc(bytes);
    // onread: reads land in one reused buffer, without a stream chunk per read
    const readBuffer = Buffer.alloc(READ_BUFFER_BYTES);
    this.socket = net.connect({
      host: run.options.host,
      port: run.options.port,
      noDelay: true,
      onread: {
        buffer: readBuffer,
        callback: (bytes) => {
          this.onData(readBuffer.subarray(0, bytes));
          return true; // keep reading
        },
      },
    });
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    this.socket.on('error', (error) => run.fail(new EcholabError('ECHOLAB_SERVER_CRASHED', `connection ${id}: ${error.message}`)));
    this.socket.on('end', () => run.fail(new EcholabError('ECHOLAB_SERVER_CRASHED', `connection ${id}: the server closed it`)));
  }

  send(): void {
    this.round++;
    this.message.writeUInt32LE(this.round, 0); // a new message each round
    this.received = 0;
    this.sentAt = performance.now();
    this.socket.write(this.message);
  }

  private onData(chunk: Buffer): void {
    if (this.received + chunk.length > this.echo.length) {
      this.run.fail(new EcholabError('ECHOLAB_WRONG_ECHO', `connection ${this.id}: more bytes came back than were sent`));
      return;
    }
    chunk.copy(this.echo, this.received);
    this.received += chunk.length;
    if (this.received < this.echo.length) return;
    const at = performance.now();
    if (!this.echo.equals(this.message)) {
      this.run.fail(new EcholabError('ECHOLAB_WRONG_ECHO', `connection ${this.id}: the echo of message ${this.round} differs from it`));
      return;
    }
    this.firstEchoAt ??= at;
    this.run.roundTrip(this, (at - this.sentAt) * 1000);
    if (this.run.phase !== 'over') this.send();
  }
}

/** When the number of threads of a process last changed, looked at each time it is asked. */
class ThreadWatch {
  private count: number;
  private changedAt = performance.now();

  constructor(private readonly pid: number) {
    this.count = this.read();
  }

  private read(): number {
    return threadsFromStatus(fs.readFileSync(`/proc/${this.pid}/status`, 'utf8'));
  }

  unchangedFor(now: number): number {
    const count = this.read();
    if (count !== this.count) {
      this.count = count;
      this.changedAt = now;
    }
    return now - this.changedAt;
  }
}

class LoadRun {
  phase: Phase = 'warmup';
  readonly clients: Client[];
  private latencies: number[] = [];
  private failure?: Error;
  private onFailure?: (error: Error) => void;

  constructor(readonly options: LoadOptions) {
    this.clients = Array.from({ length: options.connections }, (_, id) => new Client(this, id));
  }

  roundTrip(client: Client, latencyUs: number): void {
    if (this.phase !== 'measuring') return;
    this.latencies.push(latencyUs);
    client.roundTripsMeasured++;
  }

  fail(error: Error): void {
    if (this.phase === 'over' || this.failure) return;
    this.failure = error;
    this.onFailure?.(error);
  }

  /** Resolves after `ms`, or earlier once `done()` is true (looked at every CHECK_EVERY_MS); rejects as soon as a connection fails. */
  private during(ms: number, done?: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        clearInterval(poll);
        this.onFailure = undefined;
        settle();
      };
      const timer = setTimeout(() => finish(resolve), ms);
      const poll = done && setInterval(() => {
        try {
          if (done()) finish(resolve);
        } catch (error) {
          finish(() => reject(error)); // say, the server's /proc entry is gone
        }
      }, CHECK_EVERY_MS);
      this.onFailure = (error) => finish(() => reject(error));
    });
  }

  async connect(): Promise<void> {
    let connected = 0;
    for (const client of this.clients) client.socket.once('connect', () => connected++);
    await this.during(CONNECT_TIMEOUT_MS, () => connected === this.clients.length);
    if (connected < this.clients.length) {
      throw new EcholabError('ECHOLAB_CONNECT', `only ${connected} of ${this.clients.length} connections to port ${this.options.port} were made within ${CONNECT_TIMEOUT_MS} ms`);
    }
  }

  /**
   * The warm-up is over once it has lasted `warmupMs`, as many connections as the server
   * serves at once have had an echo, and the server has started no thread for
   * THREADS_STEADY_MS (a thread per client starts a thread per connection, then refills its
   * cache of spare ones: on a busy machine that takes seconds, and it is not the steady state
   * to measure). After SETTLE_LIMIT_MS it is over whatever happened: `served` then shows it.
   */
  private warmedUp(startedAt: number, threads: ThreadWatch | undefined): boolean {
    const { warmupMs, servedAtOnce = this.clients.length } = this.options;
    const now = performance.now();
    const steady = threads === undefined || threads.unchangedFor(now) >= THREADS_STEADY_MS;
    const echoed = this.clients.filter((client) => client.firstEchoAt !== undefined).length;
    return now - startedAt >= warmupMs && echoed >= Math.min(servedAtOnce, this.clients.length) && steady;
  }

  async measure(): Promise<LoadResult> {
    const { windowMs, serverPid, clockTicks } = this.options;
    const warmupStart = performance.now();
    const threads = serverPid === undefined ? undefined : new ThreadWatch(serverPid);
    for (const client of this.clients) client.send();
    await this.during(SETTLE_LIMIT_MS, () => this.warmedUp(warmupStart, threads));

    const serverTicks = () => (serverPid === undefined ? NaN : cpuTicksFromStat(fs.readFileSync(`/proc/${serverPid}/stat`, 'utf8')));
    const serverBefore = serverTicks();
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    this.phase = 'measuring';
    await this.during(windowMs);
    this.phase = 'over';
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const serverAfter = serverTicks();

    return {
      seconds,
      roundTrips: this.latencies.length,
      served: this.clients.filter((client) => client.roundTripsMeasured > 0).length,
      latenciesUs: Float64Array.from(this.latencies).sort(),
      generatorCpu: percentOfOneCore((cpu.user + cpu.system) / 1e6, seconds),
      serverCpu: percentOfOneCore((serverAfter - serverBefore) / clockTicks, seconds),
    };
  }

  /** Ends every connection and waits until the server has closed them too, so the next run starts on a quiet server. */
  async close(): Promise<void> {
    this.phase = 'over';
    for (const client of this.clients) client.socket.end();
    const cut = setTimeout(() => this.clients.forEach((client) => client.socket.destroy()), CLOSE_GRACE_MS);
    await Promise.all(this.clients.map((client) => client.closed));
    clearTimeout(cut);
  }
}

/** Connects, warms up, measures one window, and closes every connection, whether or not the run succeeded. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const run = new LoadRun(options);
  try {
    await run.connect();
    return await run.measure();
  } finally {
    await run.close();
  }
}
