/**
 * How echolab's tests start a Python server: with the interpreter that `python3` names, found
 * once, and without the `site` module. A version manager's `python3` is often a shell script
 * that looks the interpreter up anew on every start, and `site` runs every `.pth` file of the
 * installation (with PYTHONDONTWRITEBYTECODE set, compiled from source each time): together a
 * quarter of a second of CPU per server on the machines the gate runs on, where a bare
 * interpreter starts in twenty milliseconds. The fixtures use the standard library alone, so
 * they lose nothing.
 */
import { execFileSync } from 'node:child_process';

let interpreter: string | undefined;

/** `python3`'s own executable, then `-S`: a command line to put a script and its arguments after. */
export function python(): string[] {
  interpreter ??= execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  return [interpreter, '-S'];
}
