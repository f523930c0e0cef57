/**
 * Runs the `echolab` command as a user does, bin/echolab.js in a process of its own (so it
 * runs the compiled code in dist/: build first), or as an installed package's user does
 * (`npx echolab`, see runMarked), and keeps what it printed.
 *
 * Each run puts a mark of its own in the environment it starts the command with; every
 * process the command starts inherits it, so the ones still running can be found afterwards,
 * even once they have outlived the command and been handed to another parent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { setTimeout } from 'node:timers/promises';
import { ECHOLAB_BIN } from '../core/paths';
import { startTracked } from './processes';
import { Deadline, waitFor } from './wait';

export interface CommandRun {
  /** the exit status; null if it was killed by a signal */
  code: number | null;
  stdout: string;
  stderr: string;
  /** the value of RUN_MARK in the environment of the command and of everything it started */
  mark: string;
}

const RUN_MARK = 'ECHOLAB_COMMAND_RUN';
/** How long a command told to stop gets to stop its servers (each gets 2 s after SIGTERM) before it is killed. */
const STOP_GRACE_MS = 5_000;

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** told all that the command has printed so far, each time it prints more, and the run's mark */
  onStdout?: (stdout: string, mark: string) => void;
}

/** Runs this package's `echolab` with the arguments given. */
export const runEcholab = (argv: string[], options: RunOptions = {}) => runMarked([process.execPath, ECHOLAB_BIN, ...argv], options);

/** Runs any command line under a mark of its own, keeping what it printed. */
export async function runMarked([program, ...args]: string[], { env = process.env, cwd, onStdout = () => {} }: RunOptions = {}): Promise<CommandRun> {
  const mark = randomUUID();
  // A command told to stop, or left running as this process exits, gets SIGTERM, so that it stops its servers itself.
  const child = startTracked(() => spawn(program, args, { cwd, env: { ...env, [RUN_MARK]: mark }, stdio: ['ignore', 'pipe', 'pipe'] }), {
    kill: (command) => command.kill('SIGTERM'),
    stop: (command) => stopRun(command, mark),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    onStdout(stdout, mark);
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  // 'close': it has exited and all its output has been read
  const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('close', resolve));
  return { code, stdout, stderr, mark };
}

/** A message with every port number in it (five digits) written as P, for comparing messages from runs on different ports. */
export const withPortsAsP = (text: string) => text.replace(/\b\d{5}\b/g, 'P');

/**
 * Stops a command still running (a scenario that ended or timed out while it ran): SIGTERM, so
 * that it stops its servers itself; SIGKILL if it takes too long, and then whatever it had started.
 */
async function stopRun(child: ChildProcess, mark: string): Promise<void> {
  const deadline = new Deadline(STOP_GRACE_MS);
  const exited = waitFor<void>(deadline.signal, (resolve) => {
    const onExit = () => resolve();
    child.once('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    return () => child.off('exit', onExit);
  });
  child.kill('SIGTERM');
  try {
    await exited;
  } catch {
    child.kill('SIGKILL');
    await killMarked(mark);
  } finally {
    deadline.clear();
  }
}

/**
 * Sends `signal` to every process of a run, the command and all it started: for a command that
 * does not pass a signal on to its children, as `npx` does not.
 */
export function signalMarked(mark: string, signal: NodeJS.Signals): void {
  for (const { pid } of processesMarked(mark)) {
    try {
      process.kill(pid, signal);
    } catch {
      // it ended meanwhile
    }
  }
}

/**
 * Kills every process that carries the mark, and again any found on a second look, until none
 * is left: one caught starting a program (between fork and exec) may not show its mark on the
 * first look.
 */
async function killMarked(mark: string): Promise<void> {
  const giveUpAt = Date.now() + GONE_WITHIN_MS;
  for (let left = processesMarked(mark); left.length > 0 && Date.now() < giveUpAt; left = processesMarked(mark)) {
    signalMarked(mark, 'SIGKILL');
    await setTimeout(LOOK_AGAIN_MS);
  }
}

/** How long a process that was just killed may take to be gone, on a loaded machine. */
const GONE_WITHIN_MS = 2_000;
const LOOK_AGAIN_MS = 20;

/**
 * The processes a run started that are still running, as "pid command": those still there
 * after GONE_WITHIN_MS, as one that was killed as the run ended takes a moment to go.
 */
export async function stillRunning(run: CommandRun): Promise<string[]> {
  const giveUpAt = Date.now() + GONE_WITHIN_MS;
  let left = processesMarked(run.mark);
  while (left.length > 0 && Date.now() < giveUpAt) {
    await setTimeout(LOOK_AGAIN_MS);
    left = processesMarked(run.mark);
  }
  return left.map(({ pid, command }) => `${pid} ${command}`);
}

/** Live processes whose environment holds this mark (Linux: read from /proc). */
function processesMarked(mark: string): { pid: number; command: string }[] {
  const entry = `${RUN_MARK}=${mark}`;
  return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((pid) => {
    try {
      // the field after the command's closing parenthesis is the state; Z: it has ended, only its parent has not read its status yet
      if (fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].startsWith('Z')) return [];
      if (!fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(entry)) return [];
      return [{ pid: Number(pid), command: fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() }];
    } catch {
      return []; // it ended while we looked, or is not ours to read
    }
  });
}
