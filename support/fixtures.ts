/**
 * The servers echolab's own specs check, in test/fixtures/: small Python programs and a few in
 * Node, some written right and some wrong in one way each; and programs of the machine's own.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_DIR } from '../core/paths';

const FIXTURES = path.join(PACKAGE_DIR, 'test', 'fixtures');

/**
 * "thread_pool.py --workers 3", "pipe_echo.js": the fixture's command line, its port left to
 * echolab (`{port}`). Anything else is a program of this machine's with its arguments, taken as
 * written, that says itself where `{port}` goes: "socat TCP-LISTEN:{port},fork EXEC:cat". Words
 * are split at spaces, except within single quotes, which are dropped, as a shell does:
 * "socat … SYSTEM:'timeout 0.5 cat'".
 */
export function fixtureCommand(server: string): string[] {
  const [file, ...args] = (server.match(/(?:[^\s']+|'[^']*')+/g) ?? []).map((word) => word.replaceAll("'", ''));
  if (file.endsWith('.js')) return [process.execPath, path.join(FIXTURES, 'node', file), ...args, '--port', '{port}'];
  if (file.endsWith('.py')) return [...python(), path.join(FIXTURES, 'python', file), ...args, '--port', '{port}'];
  return [file, ...args];
}

let interpreter: string | undefined;

/**
 * `python3`'s own executable, found once, then `-S`: without the `site` module. A version
 * manager's `python3` is often a shell script that looks the interpreter up anew on every
 * start, and `site` runs every `.pth` file of the installation (with PYTHONDONTWRITEBYTECODE
 * set, compiled from source each time): together a quarter of a second of CPU per server on
 * the machines the gate runs on, where a bare interpreter starts in twenty milliseconds. The
 * fixtures use the standard library alone, so they lose nothing.
 */
function python(): string[] {
  interpreter ??= execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  return [interpreter, '-S'];
}
