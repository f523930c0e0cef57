/**
 * Program threads: real OS threads (Node workers), kept started ahead like a thread library's
 * cache, because a worker takes tens of milliseconds to start (hundreds on a busy machine)
 * and a thread-per-client server must give a new client its thread at once.
 *
 * Every spare thread waits in `Atomics.wait` on its own cell of a shared array. `startThread`,
 * called on any program thread, claims a spare with a compare-and-swap, writes the job into
 * the spare's mailbox and wakes it: no message passes through the main thread on the way. The
 * main thread only tops the cache up in the background (thread-cache.ts), when told a spare
 * was taken. A thread whose target returns becomes a spare again, or ends if there are spares
 * enough.
 *
 * A process may have so many threads at once, spares included, as an operating system limits
 * a process's threads: once that many are running targets (none can be spare), starting one
 * more fails, as `pthread_create` fails with EAGAIN. So it does when no spare is left and the
 * operating system itself refuses the thread that would be one.
 */
import path from 'node:path';
import { parentPort, Worker } from 'node:worker_threads';
import { sys } from './libc';
import { eventLoopClock, ThreadCache, type ThreadNote } from './thread-cache';

const JOB_BYTES = 2048;
/**
 * Each thread's heap for new objects, the smallest V8 allows (two semi-spaces of 1 MiB, and
 * room for large objects). Left to grow (to 16 MiB each), ten threads each echoing a client
 * used 40 % more CPU per echo, and grew by 18 MiB each instead of 8: their short-lived
 * objects no longer fitted in the processor's caches.
 */
export const THREAD_LIMITS = { maxYoungGenerationSizeMb: 3 };

// cells of the control array
const NEXT_THREAD = 0; //   the number the next started thread gets
const ANNOUNCED = 1; //     1 once the readiness line is written
const SPARES = 2; //        threads waiting for a job
const SPARES_CHANGED = 3; // bumped whenever a thread becomes a spare
const AHEAD = 4; //         how many spares to keep
const EVENTS = 5; //        1: write the event log
const TARGETS = 6; //       threads handed a target and not through with it, the first included
const WAITED_FOR = 7; //    those of them that are not daemons: the process ends once none is left
const REFUSALS = 8; //      bumped whenever the operating system refuses a thread
const SLOTS = 9; //         from here, one cell per thread the process may have: its state

const EMPTY = 0;
const STARTING = 1;
const SPARE = 2;
const CLAIMED = 3;
const RUNNING = 4;
/** the thread is ending; only the main thread, once its worker has exited, frees the slot */
const ENDING = 5;

/** What every program thread shares: the control cells and each thread's mailbox. */
export interface SharedThreads {
  control: Int32Array;
  mailboxes: Uint8Array;
}

/** A target to run on a thread: an exported function, found again by module and name. */
export interface Job {
  module: string;
  exportName: string;
  args: unknown[];
  /** a daemon thread does not keep the process once its first thread has ended */
  daemon: boolean;
  thread: number;
}

/** The thread this code runs on: set by the thread's entry before each job. */
export const current = { shared: undefined as SharedThreads | undefined, thread: -1 };

export function shared(): SharedThreads {
  if (!current.shared) throw new Error('blocking calls can only be made on a program thread');
  return current.shared;
}

/** Set once, before the program starts, so each thread reads it once. */
let events: boolean | undefined;
export const eventsEnabled = () => (events ??= Atomics.load(shared().control, EVENTS) === 1);

/** True the first time it is called in this process, false after: who writes the readiness line. */
export const firstToAnnounce = () => Atomics.compareExchange(shared().control, ANNOUNCED, 0, 1) === 0;

/** How many threads the process may have at once: one cell of the control array each. */
const maxThreads = (control: Int32Array) => control.length - SLOTS;

/**
 * Hands `job` (less its thread number) to a spare thread and returns the thread's number; blocks
 * only while no spare is left. Starts nothing, and says why instead, when as many threads as the
 * process may have are running targets already (then no spare is left or can start), or when
 * none is left and the operating system refuses to start one.
 */
export function startOnSpare(job: Omit<Job, 'thread'>): number | string {
  const { control } = shared();
  if (!countInRunning(control)) return `all ${maxThreads(control)} threads the process may have are running`;
  if (!job.daemon) Atomics.add(control, WAITED_FOR, 1);
  const thread = Atomics.add(control, NEXT_THREAD, 1);
  const mail = new TextEncoder().encode(JSON.stringify({ ...job, thread }));
  if (mail.byteLength > JOB_BYTES - 4) throw new RangeError(`the arguments of ${job.exportName} are too large to hand to a thread`);
  const refusals = Atomics.load(control, REFUSALS);
  for (;;) {
    const seen = Atomics.load(control, SPARES_CHANGED);
    const slot = claimSpare(control);
    if (slot >= 0) {
      post(slot, mail);
      return thread;
    }
    if (Atomics.load(control, REFUSALS) !== refusals) {
      Atomics.sub(control, TARGETS, 1);
      if (!job.daemon) Atomics.sub(control, WAITED_FOR, 1);
      return 'the operating system refused to start one';
    }
    tellMain({ note: 'wanted' });
    Atomics.wait(control, SPARES_CHANGED, seen, 1000);
  }
}

/** Counts one more thread in as running, unless as many as the process may have are running: then false. */
function countInRunning(control: Int32Array): boolean {
  for (let running = Atomics.load(control, TARGETS); running < maxThreads(control); running = Atomics.load(control, TARGETS)) {
    if (Atomics.compareExchange(control, TARGETS, running, running + 1) === running) return true;
  }
  return false;
}

function claimSpare(control: Int32Array): number {
  for (let slot = 0; slot < maxThreads(control); slot++) {
    if (Atomics.load(control, SLOTS + slot) === SPARE && Atomics.compareExchange(control, SLOTS + slot, SPARE, CLAIMED) === SPARE) {
      Atomics.sub(control, SPARES, 1);
      return slot;
    }
  }
  return -1;
}

function post(slot: number, mail: Uint8Array) {
  const { control, mailboxes } = shared();
  const box = mailboxes.subarray(slot * JOB_BYTES, (slot + 1) * JOB_BYTES);
  new DataView(box.buffer, box.byteOffset).setUint32(0, mail.byteLength);
  box.set(mail, 4);
  Atomics.store(control, SLOTS + slot, RUNNING);
  Atomics.notify(control, SLOTS + slot);
}

function tellMain(note: ThreadNote) {
  parentPort!.postMessage(note);
}

/**
 * A thread's life, run by its entry module: become a spare, run each job handed over, and
 * end once there are spares enough without it.
 */
export function serveJobs(threads: SharedThreads, slot: number, run: (job: Job) => void) {
  current.shared = threads;
  const { control, mailboxes } = threads;
  // once the program runs, a thread beyond the spares wanted ends instead of waiting
  const surplus = () => Atomics.load(control, NEXT_THREAD) > 0 && Atomics.load(control, SPARES) >= Atomics.load(control, AHEAD);
  while (!surplus()) {
    Atomics.store(control, SLOTS + slot, SPARE);
    Atomics.add(control, SPARES, 1);
    Atomics.add(control, SPARES_CHANGED, 1);
    Atomics.notify(control, SPARES_CHANGED);
    tellMain({ note: 'spare' });
    // wait on the very state read: read again, it could already be RUNNING, and waiting for a
    // change from RUNNING would sleep through the job for ever
    for (let state = Atomics.load(control, SLOTS + slot); state !== RUNNING; state = Atomics.load(control, SLOTS + slot)) {
      Atomics.wait(control, SLOTS + slot, state);
    }
    tellMain({ note: 'taken' });

    const box = mailboxes.subarray(slot * JOB_BYTES, (slot + 1) * JOB_BYTES);
    const length = new DataView(box.buffer, box.byteOffset).getUint32(0);
    const job = JSON.parse(new TextDecoder().decode(box.subarray(4, 4 + length))) as Job;
    current.thread = job.thread;
    let failure: Extract<ThreadNote, { note: 'ended' }>['error'];
    try {
      run(job);
    } catch (error) {
      const { name, message, stack, code } = error as Error & { code?: string };
      failure = { name, message, stack, code };
    }
    // counted out before the main thread hears of it, which then reads the counts
    Atomics.sub(control, TARGETS, 1);
    if (!job.daemon) Atomics.sub(control, WAITED_FOR, 1);
    tellMain({ note: 'ended', thread: job.thread, error: failure });
  }
  Atomics.store(control, SLOTS + slot, ENDING);
}

export interface ProgramOptions {
  /** spare threads to keep started, besides the program's first thread */
  ahead: number;
  /** threads the process may have at once: its first, those it starts and the spares */
  maxThreads: number;
  /** write the white-box event log */
  events: boolean;
  /** the first thread ended with an error: said at once, while the threads that are not daemons go on */
  onProgramError: (error: Error) => void;
  /** a thread other than the first ended with an error */
  onThreadError: (thread: number, error: Error) => void;
}

/**
 * Runs `exportName(...args)` of `module` as a program's first thread (thread 0), once the
 * spare threads are started, and keeps the cache topped up. When that thread ends, the process
 * waits, as Python's does, for the threads started that are not daemons to return from their
 * targets; then the promise resolves (it rejects only if a thread could not even start). The
 * process ends by `_exit`, as a C program's `exit` does: daemon and spare threads blocked in
 * system calls cannot be stopped, and nothing need wait for them.
 */
export function runProgram(module: string, exportName: string, args: unknown[], options: ProgramOptions): Promise<void> {
  const control = new Int32Array(new SharedArrayBuffer((SLOTS + options.maxThreads) * 4));
  const threads: SharedThreads = { control, mailboxes: new Uint8Array(new SharedArrayBuffer(options.maxThreads * JOB_BYTES)) };
  Atomics.store(control, EVENTS, options.events ? 1 : 0);
  process.once('exit', (code) => sys.exit(code));

  return new Promise<void>((resolve, reject) => {
    let programStarted = false;
    const cache = new ThreadCache({
      ahead: options.ahead,
      maxThreads: options.maxThreads,
      spares: () => Atomics.load(control, SPARES),
      waitedFor: () => Atomics.load(control, WAITED_FOR),
      startThread: () => {
        const slot = takeEmptySlot(control);
        let worker: Worker;
        try {
          worker = new Worker(path.join(__dirname, 'thread-entry.js'), { workerData: { threads, slot, program: module }, resourceLimits: THREAD_LIMITS });
        } catch (error) {
          // the operating system refused the thread (ERR_WORKER_INIT_FAILED: EAGAIN)
          Atomics.store(control, SLOTS + slot, EMPTY);
          if (!programStarted) reject(error); // not even the threads it starts with: the program cannot run
          Atomics.add(control, REFUSALS, 1); // a thread waiting for a spare fails, as pthread_create would
          Atomics.add(control, SPARES_CHANGED, 1);
          Atomics.notify(control, SPARES_CHANGED);
          return undefined;
        }
        worker.on('message', (note: ThreadNote) => cache.noted(slot, note));
        worker.on('error', reject); // a thread that could not even start: the program cannot run
        worker.on('exit', () => {
          Atomics.store(control, SLOTS + slot, EMPTY);
          cache.exited(slot);
        });
        return slot;
      },
      startProgram: () => {
        programStarted = true;
        current.shared = threads;
        startOnSpare({ module, exportName, args, daemon: false }); // there is a spare: this does not block
      },
      onProgramEnd: (error) => {
        if (error) options.onProgramError(error);
      },
      onThreadsDone: resolve,
      onThreadError: options.onThreadError,
      clock: eventLoopClock,
    });
    Atomics.store(control, AHEAD, cache.ahead); // as many as fit beside the first thread
    cache.fill();
  });
}

/**
 * Marks the first free slot as starting and returns it. Only the main thread frees slots, when a
 * worker has exited, so there are as many taken as threads alive, and the cache keeps no more
 * alive than the process may have.
 */
function takeEmptySlot(control: Int32Array): number {
  for (let slot = 0; slot < maxThreads(control); slot++) {
    if (Atomics.compareExchange(control, SLOTS + slot, EMPTY, STARTING) === EMPTY) return slot;
  }
  throw new Error(`all ${maxThreads(control)} thread slots are taken`);
}
