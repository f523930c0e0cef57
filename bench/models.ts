/**
 * `npm run bench:models`: how fast echolab's blocking models echo under a concurrent load,
 * next to the same two loops written in Python, echolab's async, and a plain Node echo that
 * shows the load generator's own ceiling, all started and driven the same way in one run.
 * A benchmark, not a test: it prints figures and ratios, and fails only if a server does.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Command, CommanderError } from 'commander';
import { numberOption } from '../cli/args';
import { commandLineMessage, EcholabError, usageError } from '../core/errors';
import { stopAllProcesses } from '../support/processes';
import { startServer, type ServerHandle } from '../support/server-process';
import { runLoad } from './loadgen';
import { generatorLines, measurement, ratiosTable, resultsTable, type Comparison, type Measurement } from './report';
import { benchServers, CEILING, type BenchServer } from './servers';
import { formatLatency, formatRate } from './stats';

const CONNECTION_COUNTS = [10, 100];
const MESSAGE_BYTES = 4096;
/** thread-per-client starts its spare threads before it listens, which takes a while on a busy machine */
const STARTUP_TIMEOUT_MS = 60_000;
/** How long a server whose connections failed gets to show that it has died. */
const EXIT_NOTICE_MS = 1000;

/** The runtime's targets: echolab's blocking models as fast as Python's, its async close to a plain Node echo and faster than Python's asyncio. */
const COMPARISONS: Comparison[] = [
  { numerator: 'thread-per-client', denominator: 'python-threads', target: 1 },
  { numerator: 'multiplexing', denominator: 'python-selectors', target: 1 },
  { numerator: 'async', denominator: CEILING, target: 0.95 },
  { numerator: 'async', denominator: 'python-asyncio', target: 1.2 },
];

interface BenchOptions {
  rounds: number;
  windowMs: number;
  warmupMs: number;
  workers: number;
  generatorThreads: number;
}

/** The options, or undefined once the help asked for is written. */
function parseOptions(argv: string[]): BenchOptions | undefined {
  const program = new Command('npm run bench:models --')
    .description("Measures echolab's blocking models under load, next to the same loops in Python and a plain Node echo.")
    .addOption(numberOption('rounds', 'measurements of each server at each connection count, interleaved', { min: 1, max: 100 }, 3))
    .addOption(numberOption('seconds', 'how long each measurement lasts', { min: 1, max: 600 }, 2))
    .addOption(numberOption('warmup', 'the least warm-up before each, in seconds', { min: 0, max: 600 }, 1))
    .addOption(numberOption('workers', "the thread pool's workers", { min: 1, max: 1000 }, 4))
    .addOption(numberOption('generator-threads', "the load generator's sending threads", { min: 1, max: 64 }, 2))
    .exitOverride()
    .configureOutput({ outputError: () => {} }); // one line, written below
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return undefined;
    if (error instanceof CommanderError) throw usageError(commandLineMessage(error.message));
    throw error;
  }
  const { rounds, seconds, warmup, workers, generatorThreads } = program.opts<Record<'rounds' | 'seconds' | 'warmup' | 'workers' | 'generatorThreads', number>>();
  return { rounds, windowMs: 1000 * seconds, warmupMs: 1000 * warmup, workers, generatorThreads };
}

/** The servers in another order each round, so that no server always follows the same neighbour. */
const rotated = <T>(items: readonly T[], by: number) => items.map((_, i) => items[(i + by) % items.length]);

async function measureAll(servers: readonly BenchServer[], started: Map<string, ServerHandle>, options: BenchOptions): Promise<Measurement[]> {
  const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  const measurements: Measurement[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const connections of CONNECTION_COUNTS) {
      for (const server of rotated(servers, round - 1)) {
        const handle = started.get(server.key)!;
        const { host, port, pid } = handle;
        const { warmupMs, windowMs } = options;
        const load = { host, port, connections, messageBytes: MESSAGE_BYTES, threads: options.generatorThreads, warmupMs, windowMs, servedAtOnce: server.servedAtOnce, serverPid: pid, clockTicks };
        const result = await runLoad(load).catch(async (error: unknown) => {
          // a server that died says so better than the connection it broke
          const reason = (await handle.crashed(EXIT_NOTICE_MS)) ?? error;
          if (!(reason instanceof EcholabError)) throw reason;
          throw new EcholabError(reason.code, `${server.label}, ${connections} connections: ${reason.message}`);
        });
        const m = measurement(server.key, connections, round, result);
        measurements.push(m);
        process.stderr.write(`round ${round}/${options.rounds}  ${String(connections).padStart(3)} connections  ${server.label}: ${formatRate(m.rate)} round trips/s, p99 ${formatLatency(m.p99Us)}\n`);
      }
    }
  }
  return measurements;
}

function report(servers: readonly BenchServer[], measurements: Measurement[], options: BenchOptions, loadAtStart: number, seconds: number): string {
  const input = { servers, connectionCounts: CONNECTION_COUNTS, measurements, ceiling: CEILING, comparisons: COMPARISONS };
  const load = (average: number) => average.toFixed(1);
  return [
    "## echolab's blocking models under load",
    '',
    `Closed loop, ${MESSAGE_BYTES / 1024} KiB messages, the load generator on ${options.generatorThreads} thread${options.generatorThreads === 1 ? '' : 's'}. ${options.rounds} round${options.rounds === 1 ? '' : 's'}, the servers interleaved; each measurement a warm-up of at least ` +
      `${options.warmupMs / 1000} s, then ${options.windowMs / 1000} s measured. Figures are medians of the rounds; CPU is % of one core ` +
      `(this machine has ${os.availableParallelism()}; load average ${load(loadAtStart)} at the start, ${load(os.loadavg()[0])} at the end). ` +
      `"÷ Node echo" is a rate over the plain Node echo's, round by round. The run took ${Math.round(seconds)} s.`,
    '',
    resultsTable(input),
    '',
    ...generatorLines(input, options.generatorThreads),
    '',
    ratiosTable(input),
    '',
  ].join('\n');
}

async function bench(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  if (!options) return;
  const begun = performance.now();
  const loadAtStart = os.loadavg()[0];
  const servers = benchServers(options.workers);
  const started = new Map<string, ServerHandle>();
  try {
    for (const server of servers) {
      started.set(server.key, await startServer({ command: server.command, readiness: 'line', startupTimeoutMs: STARTUP_TIMEOUT_MS }));
    }
    const measurements = await measureAll(servers, started, options);
    process.stdout.write(report(servers, measurements, options, loadAtStart, (performance.now() - begun) / 1000));
  } finally {
    await stopAllProcesses(); // also on failure; on Ctrl-C the process registry kills them on its own
  }
}

bench(process.argv.slice(2)).catch((error: unknown) => {
  if (!(error instanceof EcholabError)) throw error;
  process.stderr.write(`echolab bench: ${error.message}\n`);
  process.exitCode = 2;
});
