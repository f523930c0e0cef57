/**
 * A closed-loop load generator for echo servers: each connection sends one message, waits
 * for exactly that many bytes back, checks they are the same, and only then sends the next.
 * Round trips per second then measure how fast a server turns messages around, not how much
 * it can buffer.
 *
 * The connections are shared out over a few sending threads (`loadgen-thread.ts`), so that
 * one event loop is not what limits a fast server; this thread only coordinates: it waits
 * for the connections, ends the warm-up, opens and closes the measured window, and reads the
 * CPU time of the generator (this whole process) and of the server over that window.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { EcholabError } from '../core/errors';
import { cellOf, controlBytes, Phase, PHASE_CELL, Progress, type FromThread, type ThreadSetup, type ToThread } from './loadgen-protocol';
import { cpuTicksFromStat, percentOfOneCore, threadsFromStatus } from './stats';

export interface LoadOptions {
  host: string;
  port: number;
  connections: number;
  messageBytes: number;
  /** sending threads; the connections are dealt out among them */
  threads: number;
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
  /** the generator's CPU over the window (all its threads), as % of one core */
  generatorCpu: number;
  /** the server's CPU over the window, as % of one core; NaN without a pid */
  serverCpu: number;
}

/** Longest the warm-up waits for the server to settle: a loaded machine may start threads slowly. */
const SETTLE_LIMIT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 30_000;
/** How long the server's thread count must hold still before measuring. */
const THREADS_STEADY_MS = 500;
/** How often a wait looks at whether it is over. */
const CHECK_EVERY_MS = 20;
/** How long the sending threads get to close their connections and end, beyond their own grace. */
const THREAD_END_MS = 10_000;

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
  private readonly control: Int32Array;
  private readonly threads: Worker[];
  private readonly reports: Extract<FromThread, { kind: 'report' }>[] = [];
  private readonly ended: Promise<unknown>[];
  private failure?: Error;
  private onFailure?: (error: Error) => void;

  constructor(readonly options: LoadOptions) {
    const buffer = new SharedArrayBuffer(controlBytes(options.threads));
    this.control = new Int32Array(buffer);
    const ids = Array.from({ length: options.connections }, (_, id) => id);
    this.threads = Array.from({ length: options.threads }, (_, thread) => {
      const setup: ThreadSetup = {
        thread,
        control: buffer,
        host: options.host,
        port: options.port,
        ids: ids.filter((id) => id % options.threads === thread),
        messageBytes: options.messageBytes,
      };
      const worker = new Worker(path.join(__dirname, 'loadgen-thread.js'), { workerData: setup });
      worker.on('message', (message: FromThread) => this.heard(message));
      worker.on('error', (error) => this.fail(error));
      return worker;
    });
    this.ended = this.threads.map((worker) => new Promise((resolve) => worker.once('exit', resolve)));
  }

  private heard(message: FromThread): void {
    if (message.kind === 'failed') this.fail(new EcholabError(message.code, message.message));
    if (message.kind === 'report') this.reports.push(message);
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.onFailure?.(error);
  }

  private tellAll(message: ToThread): void {
    for (const worker of this.threads) worker.postMessage(message);
  }

  /** The sum over the threads of one progress cell. */
  private total(progress: number): number {
    return this.threads.reduce((sum, _, thread) => sum + Atomics.load(this.control, cellOf(thread, progress)), 0);
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
    const { connections, port } = this.options;
    await this.during(CONNECT_TIMEOUT_MS, () => this.total(Progress.connected) === connections);
    const connected = this.total(Progress.connected);
    if (connected < connections) {
      throw new EcholabError('ECHOLAB_CONNECT', `only ${connected} of ${connections} connections to port ${port} were made within ${CONNECT_TIMEOUT_MS} ms`);
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
    const { warmupMs, connections, servedAtOnce = connections } = this.options;
    const now = performance.now();
    const steady = threads === undefined || threads.unchangedFor(now) >= THREADS_STEADY_MS;
    return now - startedAt >= warmupMs && this.total(Progress.echoed) >= Math.min(servedAtOnce, connections) && steady;
  }

  async measure(): Promise<LoadResult> {
    const { windowMs, serverPid, clockTicks } = this.options;
    const warmupStart = performance.now();
    const serverThreads = serverPid === undefined ? undefined : new ThreadWatch(serverPid);
    this.tellAll({ kind: 'send' });
    await this.during(SETTLE_LIMIT_MS, () => this.warmedUp(warmupStart, serverThreads));

    const serverTicks = () => (serverPid === undefined ? NaN : cpuTicksFromStat(fs.readFileSync(`/proc/${serverPid}/stat`, 'utf8')));
    const serverBefore = serverTicks();
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    Atomics.store(this.control, PHASE_CELL, Phase.measuring);
    await this.during(windowMs);
    Atomics.store(this.control, PHASE_CELL, Phase.over);
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const serverAfter = serverTicks();

    this.tellAll({ kind: 'report' });
    await this.during(THREAD_END_MS, () => this.reports.length === this.threads.length);
    if (this.reports.length < this.threads.length) throw new EcholabError('ECHOLAB_TIMEOUT', 'a sending thread of the load generator did not report');
    const latenciesUs = new Float64Array(this.reports.reduce((sum, report) => sum + report.latenciesUs.length, 0));
    this.reports.reduce((offset, report) => (latenciesUs.set(report.latenciesUs, offset), offset + report.latenciesUs.length), 0);

    return {
      seconds,
      roundTrips: latenciesUs.length,
      served: this.reports.reduce((sum, report) => sum + report.served, 0),
      latenciesUs: latenciesUs.sort(),
      generatorCpu: percentOfOneCore((cpu.user + cpu.system) / 1e6, seconds),
      serverCpu: percentOfOneCore((serverAfter - serverBefore) / clockTicks, seconds),
    };
  }

  /** Has every connection ended and waits until the server has closed them too, so the next run starts on a quiet server; cuts threads that do not end. */
  async close(): Promise<void> {
    Atomics.store(this.control, PHASE_CELL, Phase.over);
    this.tellAll({ kind: 'close' });
    const cut = setTimeout(() => this.threads.forEach((worker) => void worker.terminate()), THREAD_END_MS);
    await Promise.all(this.ended);
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
