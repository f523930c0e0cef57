/**
 * `npm run bench:threads`: how long `startThread` takes to get a target running, and what
 * the spare threads cost in memory. A program starts 30 threads at once, as 30 clients
 * arriving together make a thread-per-client server do, 20 times over; each thread reports
 * how long after the call it began. Beside it, as many bare Node workers in a process of
 * their own say how much of a thread's memory is Node's and how much echolab's. Run it beside
 * `stress-ng --cpu 2` to see a busy machine.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { MAX_THREADS } from '../servers/models';
import { get, print, put, queue, startThread, type Queue } from '../servers/runtime/os';
import { runProgram, THREAD_LIMITS } from '../servers/runtime/threads';

const BURST = 30;
const ROUNDS = 20;
const AHEAD = 32;

const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;
const residentMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;

/** A started thread's whole job: say how late it began. */
export function began(calledAt: number, latencies: Queue) {
  put(latencies, monotonicMs() - calledAt);
}

/** The program: memory with its spares started, then the bursts. Prints one JSON line. */
export function measure() {
  const rssMiB = residentMiB();
  const latencies = queue();
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < BURST; i++) startThread(began, monotonicMs(), latencies);
    for (let i = 0; i < BURST; i++) samples.push(get<number>(latencies));
  }
  samples.sort((a, b) => a - b);
  print(JSON.stringify({ rssMiB, p50: percentile(samples, 50), p99: percentile(samples, 99), max: samples.at(-1) }));
}

/** Memory only: a program with no spare threads, for the difference. */
export function idle() {
  print(JSON.stringify({ rssMiB: residentMiB() }));
}

/** Node's own share: `count` workers that run nothing, with the heap limits echolab's threads have, kept alive. */
async function bareWorkers(count: number) {
  const before = residentMiB();
  const started = Array.from({ length: count }, () => {
    const worker = new Worker("require('node:worker_threads').parentPort.postMessage('up'); setInterval(() => {}, 1 << 30);", { eval: true, resourceLimits: THREAD_LIMITS });
    return new Promise<Worker>((resolve, reject) => worker.once('message', () => resolve(worker)).once('error', reject));
  });
  const workers = await Promise.all(started);
  console.log(JSON.stringify({ rssMiB: residentMiB() - before }));
  await Promise.all(workers.map((worker) => worker.terminate()));
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

function report() {
  const runIn = (program: string, ahead: number) =>
    JSON.parse(execFileSync(process.execPath, [__filename, program, String(ahead)], { encoding: 'utf8' })) as { rssMiB: number; p50: number; p99: number; max: number };
  const bare = runIn('idle', 0);
  const cached = runIn('measure', AHEAD);
  const nodeOnly = runIn('bare-workers', AHEAD).rssMiB / AHEAD;
  const perThread = (cached.rssMiB - bare.rssMiB) / AHEAD;
  console.log(`startThread, ${ROUNDS} bursts of ${BURST} threads at once, ${AHEAD} spare threads kept started:`);
  console.log(`  from the call to the target running: p50 ${cached.p50.toFixed(2)} ms, p99 ${cached.p99.toFixed(2)} ms, max ${cached.max.toFixed(2)} ms`);
  console.log(`  resident memory: ${bare.rssMiB.toFixed(0)} MiB with no spare thread, ${cached.rssMiB.toFixed(0)} MiB with ${AHEAD} (${perThread.toFixed(1)} MiB a thread)`);
  console.log(`  of a thread's ${perThread.toFixed(1)} MiB, ${nodeOnly.toFixed(1)} MiB is a bare Node worker's (${AHEAD} of them, in a process of their own), ${(perThread - nodeOnly).toFixed(1)} MiB echolab's`);
}

if (require.main === module) {
  const [program, ahead] = process.argv.slice(2);
  if (!program) report();
  else if (program === 'bare-workers') void bareWorkers(Number(ahead));
  else {
    const fail = (error: Error) => {
      console.error(error);
      process.exit(1);
    };
    runProgram(__filename, program, [], { ahead: Number(ahead), maxThreads: MAX_THREADS, events: false, onProgramError: fail, onThreadError: (_, error) => console.error(error) })
      .then(() => process.exit(0), fail);
  }
}
