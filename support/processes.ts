/**
 * Every process echolab starts, servers and echolab commands alike, from its start until it has
 * closed: stopped together when a scenario or a run ends, and killed if this process goes
 * first, however it goes, so that nothing is left running.
 *
 * 'exit' handlers must be synchronous, hence a kill that does not wait. A child in a process
 * group of its own does not get the terminal's Ctrl+C: on a signal we kill them all, then, if
 * nobody else handles that signal, end this process by it as it would have ended without us.
 */
import type { ChildProcess } from 'node:child_process';

/** How to end a process of one kind: at once, as this process exits, and as it should be ended. */
export interface Stopping<Child extends ChildProcess> {
  /** without waiting: all an 'exit' handler has time for */
  kill(child: Child): void;
  /** resolves once it has ended */
  stop(child: Child): Promise<void>;
}

const running = new Set<{ child: ChildProcess; stopping: Stopping<ChildProcess> }>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Starts a process with `start` (a spawn) and counts it as running until it has closed. The
 * hooks go in before the child exists: a signal that came while spawn() runs (say, from someone
 * who saw the child start) would otherwise end this process the default way, leaving the child
 * behind.
 */
export function startTracked<Child extends ChildProcess>(start: () => Child, stopping: Stopping<Child>): Child {
  installHooks();
  const child = start();
  const entry = { child, stopping };
  running.add(entry);
  // 'close' comes also after a spawn that failed ('error'), and once the output has been read
  child.once('close', () => {
    if (running.delete(entry) && running.size === 0) removeHooks();
  });
  return child;
}

/** Stops every process still running (a scenario or a run has ended), each as its kind is stopped. */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...running].map(({ child, stopping }) => stopping.stop(child)));
}

function killAllNow(): void {
  for (const { child, stopping } of running) stopping.kill(child);
}

function onSignal(signal: NodeJS.Signals): void {
  killAllNow();
  if (process.listenerCount(signal) === 1) {
    removeHooks();
    process.kill(process.pid, signal);
  }
}

function installHooks(): void {
  if (process.listeners('exit').includes(killAllNow)) return;
  process.on('exit', killAllNow);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function removeHooks(): void {
  process.off('exit', killAllNow);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}
