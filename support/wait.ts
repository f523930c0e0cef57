/**
 * Waiting without sleeping: every wait here ends because something happened (an event, a
 * state change), or because an AbortSignal said to stop waiting (a deadline, a caller).
 * The only timers are deadlines and the pauses a client script asks for.
 */

/**
 * The machine's monotonic clock in ms. `process.hrtime.bigint()` is the same clock in every
 * process on a machine, so client events and a server's event log line up on one timeline.
 */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Wait for something that a callback will report. `start` begins listening and returns how
 * to stop listening; that clean-up runs however the wait ends. If `signal` aborts first, the
 * promise rejects with the signal's reason.
 */
export function waitFor<T>(
  signal: AbortSignal,
  start: (resolve: (value: T) => void, reject: (reason: unknown) => void) => () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    let settled = false;
    let stopListening: (() => void) | undefined;
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      stopListening?.();
      settle();
    };
    const onAbort = (): void => finish(() => reject(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    stopListening = start(
      (value) => finish(() => resolve(value)),
      (reason) => finish(() => reject(reason)),
    );
    // `start` may have reported at once, before we held its clean-up: run it now.
    if (settled) stopListening();
  });
}

/** A pause a script asks for (the article's `time.sleep`): never used to wait for a result. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return waitFor<void>(signal, (resolve) => {
    const timer = setTimeout(resolve, ms);
    return () => clearTimeout(timer);
  });
}

/**
 * Like Python's `threading.Condition.wait_for`: whoever changes some state calls `notify()`,
 * and each waiter re-checks its own predicate. Waiters never poll.
 */
export class Condition {
  private readonly waiters = new Set<() => void>();

  notify(): void {
    for (const recheck of [...this.waiters]) recheck();
  }

  waitFor(predicate: () => boolean, signal: AbortSignal): Promise<void> {
    return waitFor<void>(signal, (resolve) => {
      const recheck = (): void => {
        if (predicate()) resolve();
      };
      this.waiters.add(recheck);
      recheck();
      return () => this.waiters.delete(recheck);
    });
  }

  /** Like waitFor, but gives up after `ms`: resolves with whether `predicate` came true. */
  waitAtMost(predicate: () => boolean, ms: number, signal: AbortSignal): Promise<boolean> {
    // a plain timer: a signal from AbortSignal.timeout() that nothing else holds may be collected before it fires
    return waitFor<boolean>(signal, (resolve) => {
      const recheck = (): void => {
        if (predicate()) resolve(true);
      };
      const timer = setTimeout(() => resolve(false), ms);
      this.waiters.add(recheck);
      recheck();
      return () => {
        clearTimeout(timer);
        this.waiters.delete(recheck);
      };
    });
  }
}

/** The reason a Deadline's signal carries when its time ran out. */
export class TimedOut extends Error {
  constructor(readonly afterMs: number) {
    super(`timed out after ${afterMs} ms`);
    this.name = 'TimedOut';
  }
}

/**
 * One signal for a piece of work that must end in time: it aborts when `timeoutMs` pass
 * (reason: TimedOut), when the caller's `outer` signal aborts (its reason), or when `abort()`
 * is called. Call `clear()` when the work is over, so no timer or listener outlives it.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly timeoutMs: number,
    private readonly outer?: AbortSignal,
  ) {
    this.timer = setTimeout(() => this.abort(new TimedOut(timeoutMs)), timeoutMs);
    outer?.addEventListener('abort', this.onOuterAbort, { once: true });
    if (outer?.aborted) this.onOuterAbort();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get timedOut(): boolean {
    return this.signal.reason instanceof TimedOut;
  }

  abort(reason: unknown): void {
    this.controller.abort(reason);
    this.clear();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }

  private readonly onOuterAbort = (): void => this.abort(this.outer?.reason);
}

/** How often a lateness watch looks at the clock. */
const LATENESS_STEP_MS = 5;

/**
 * Watches how late this process's own timers fire (a busy machine may not run it for a while),
 * from now until `stop()`, which says the worst, in ms. Node's monitorEventLoopDelay misses a
 * stall before its first sample; this counts from the moment it starts.
 */
export function watchLateness(): { stop(): number } {
  let worst = 0;
  let last = now();
  const look = () => {
    const at = now();
    worst = Math.max(worst, at - last - LATENESS_STEP_MS);
    last = at;
  };
  const timer = setInterval(look, LATENESS_STEP_MS);
  return {
    stop() {
      clearInterval(timer);
      look();
      return Math.max(0, worst);
    },
  };
}
