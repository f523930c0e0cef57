/**
 * Runs an `echolab` command in this process, as a user would from a shell, and keeps what it
 * printed: for specs about the commands themselves, without the cost of a new process.
 */
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { main } from '../cli/main';

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A stream that keeps what is written to it. */
class Captured extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export async function runEcholab(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<CommandRun> {
  const stdout = new Captured();
  const stderr = new Captured();
  const code = await main({ argv, stdout, stderr, env, cwd: process.cwd() });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The processes this one started that are still alive, as "pid command" (Linux: read from /proc). */
export function runningChildren(): string[] {
  return fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).flatMap((pid) => {
    try {
      // the fields after the command's closing parenthesis: state, then the parent's pid
      const [state, parent] = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      if (Number(parent) !== process.pid || state === 'Z') return [];
      return [`${pid} ${fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()}`];
    } catch {
      return []; // it ended while we looked
    }
  });
}
