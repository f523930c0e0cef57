/**
 * The main thread's bookkeeping of a program's spare threads (see threads.ts): how many are
 * wanted, there and starting, when replacements start, when the program's first thread starts
 * and ends, and when the threads the process waits for after it have ended. It starts no thread
 * and sets no timer itself but is handed what does (Node workers and the event loop's timers in
 * a program), so that when threads start, which the specs' timings depend on, is tested without
 * threads.
 */

/**
 * Replacements start only once fewer than half of the spares are left, as a thread library's
 * cache refills from a low-water mark: a worker's start takes tens of ms of CPU, which the
 * threads just handed their clients need more, and a thread whose client leaves is a spare
 * again, so that ten clients served by a server that keeps 32 spare start no thread at all.
 * Then the cache is filled up again, to as many spares as it keeps, counting any taken
 * meanwhile; so the threads of a process that served a crowd are its clients' and all its
 * spares. The filling starts this long after the spares were taken, not at once: a thread
 * whose target returns meanwhile is a spare again, and one started in its place would be
 * wasted work.
 */
const TOP_UP_AFTER_MS = 25;
/**
 * Replacement threads start one at a time once the program runs, for the same reason: thirty
 * started at once would take the cores from the threads that were just handed the clients that
 * made them needed. Before it runs, the spares all start at once.
 */
const STARTING_AT_ONCE_WHILE_RUNNING = 1;

/** What a thread tells the main thread, whose cache keeps itself topped up and learns how the program ends. */
export type ThreadNote =
  | { note: 'spare' }
  | { note: 'taken' }
  | { note: 'wanted' }
  | { note: 'ended'; thread: number; error?: { name: string; code?: string; message: string; stack?: string } };

/** Timers: the event loop's in a program, run by a clock moved by hand in tests. */
export interface Clock {
  /** runs `run` in `ms` milliseconds */
  after(ms: number, run: () => void): void;
}

export const eventLoopClock: Clock = {
  after: (ms, run) => void setTimeout(run, ms),
};

export interface ThreadCacheOptions {
  /** spare threads to keep started, besides the program's first thread (no more than fit beside it) */
  ahead: number;
  /** threads that may be alive at once, spares included: more wait until one exits */
  maxThreads: number;
  /** how many threads wait for a job now; the threads count themselves in, and whoever claims one counts it out */
  spares: () => number;
  /** how many threads that are not daemons run a target now, the first included; each counts itself out before its 'ended' note */
  waitedFor: () => number;
  /** starts a thread and returns a number that names it until it exits (its slot), or undefined if the operating system refused it */
  startThread: () => number | undefined;
  /** hands the program's first thread to a spare; there is one */
  startProgram: () => void;
  /** the program's first thread ended, with `error` if it threw: said at once */
  onProgramEnd: (error?: Error) => void;
  /** the first thread has ended, and so has every thread that is not a daemon: the process may end */
  onThreadsDone: () => void;
  /** a thread other than the first ended with an error */
  onThreadError: (thread: number, error: Error) => void;
  clock: Clock;
}

export class ThreadCache {
  /** spare threads kept: as many as asked for, if they fit beside the program's first thread */
  readonly ahead: number;
  /** threads started and not yet spares, by slot */
  private readonly starting = new Set<number>();
  /** threads asked for and not yet being started */
  private queued = 0;
  /** threads started and not yet exited */
  private live = 0;
  private programStarted = false;
  private programEnded = false;
  private threadsDone = false;
  private topUpSet = false;
  /** filling the cache up, until as many spares as it keeps are there again */
  private filling = false;

  constructor(private readonly options: ThreadCacheOptions) {
    this.ahead = Math.min(options.ahead, options.maxThreads - 1);
  }

  /** Starts the spares and the thread the program will take, all at once; the program starts once they are all spares. */
  fill() {
    this.startThreads(this.ahead + 1);
  }

  /** What the thread in `slot` told the main thread. */
  noted(slot: number, note: ThreadNote) {
    if (note.note === 'spare' && this.starting.delete(slot)) this.startQueued();
    // a thread waits in startThread for a spare: start one now unless one is coming
    if (note.note === 'wanted' && this.starting.size === 0 && this.queued === 0) this.startThreads(1);
    if (note.note === 'ended') {
      const error = note.error && Object.assign(new Error(note.error.message), note.error);
      if (note.thread === 0) {
        this.programEnded = true;
        this.options.onProgramEnd(error);
      } else if (error) this.options.onThreadError(note.thread, error);
      if (this.programEnded && !this.threadsDone && this.options.waitedFor() === 0) {
        this.threadsDone = true;
        this.options.onThreadsDone();
      }
    }
    if (!this.programStarted && this.options.spares() > this.ahead) {
      this.programStarted = true;
      this.options.startProgram();
    }
    this.topUp();
  }

  /** The thread in `slot` has exited: its slot is free. */
  exited(slot: number) {
    this.live--;
    this.starting.delete(slot);
    this.startQueued();
    this.topUp();
  }

  private startThreads(count: number) {
    this.queued += Math.max(0, count);
    this.startQueued();
  }

  private startQueued() {
    const atOnce = this.programStarted ? STARTING_AT_ONCE_WHILE_RUNNING : Infinity;
    while (this.queued > 0 && this.starting.size < atOnce && this.live < this.options.maxThreads) {
      const slot = this.options.startThread();
      if (slot === undefined) {
        this.queued = 0; // none will start now: the next thread asked for tries again
        return;
      }
      this.queued--;
      this.live++;
      this.starting.add(slot);
    }
  }

  /** Spares there, starting, or asked for. */
  private coming() {
    return this.options.spares() + this.starting.size + this.queued;
  }

  /** Sets the timer that fills the cache up again once fewer than half the spares are left (or more are taken while it fills), unless it is set already. */
  private topUp() {
    const { ahead } = this;
    if (this.options.spares() >= ahead) this.filling = false;
    const coming = this.coming();
    if (this.topUpSet || coming >= (this.filling ? ahead : ahead / 2)) return;
    this.topUpSet = true;
    this.options.clock.after(TOP_UP_AFTER_MS, () => {
      this.topUpSet = false;
      this.filling = true;
      this.startThreads(ahead - this.coming());
    });
  }
}
