/**
 * What echolab quotes from a server's output, and how it says that a server ended. Pure: lines
 * in, text out, so it can be tested on the output of real programs kept as files.
 */
import { stripVTControlCharacters } from 'node:util';

/**
 * A line as the server wrote it, without terminal control codes: colours (Node colours its
 * stack frames when FORCE_COLOR is set, as `node --test` sets it for its children in a
 * terminal), cursor moves, bells, carriage returns. Tabs stay: they indent like spaces.
 */
export function plainLine(line: string): string {
  return stripVTControlCharacters(line).replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, '');
}

/**
 * A line that names an error, in the forms runtimes print them when a program dies of one:
 * Python's `ConnectionResetError: [Errno 104] …` or `socket.gaierror: …`, Node's
 * `Error: read ECONNRESET` or `TypeError [ERR_X]: …`, Java's `Exception in thread "main"
 * java.net.SocketException: …`, Go's `panic: …`.
 */
const NAMES_AN_ERROR = /^(?:Uncaught |Exception in thread "[^"]*" )?(?:[\w$]+\.)*[\w$]*(?:Error|error|Exception)(?: \[[\w.-]+\])?: |^panic: /;

/** Lines that say nothing of what went wrong: indented (stack frames, code excerpts), Node's version footer, lone brackets and carets. */
const SAYS_NOTHING = /^\s|^Node\.js v\d|^[\s{}[\]()^~]*$/;

/**
 * The line of a server's stderr (as plainLine gives them) that says what went wrong: the last
 * one that names an error (a traceback's last line is the exception that ended it; Node
 * prints it above the stack and an object's closing brace), else the last that is not a stack
 * frame or a footer, such as a program's own `exit("…")` message.
 */
export function errorLine(lines: readonly string[]): string | undefined {
  return lines.findLast((line) => NAMES_AN_ERROR.test(line)) ?? lines.findLast((line) => !SAYS_NOTHING.test(line));
}

/** How a process ended, as `exited with status 1` or `was killed by SIGKILL`. */
export function exitDescription({ code, signal }: { code: number | null; signal: NodeJS.Signals | null }): string {
  return signal ? `was killed by ${signal}` : `exited with status ${code}`;
}
