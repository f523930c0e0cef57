/**
 * Errors a user can cause or meet, each with a stable code (like undici's), so callers and
 * tests match on `code`, never on message text. The CLI prints `echolab: <message>` on one
 * line and exits 2 for every one of them.
 */
export type EcholabErrorCode =
  | 'ECHOLAB_USAGE' //            bad command-line arguments
  | 'ECHOLAB_UNKNOWN_MODEL' //    a model name echolab does not know
  | 'ECHOLAB_PORT_IN_USE' //      the port asked for is taken
  | 'ECHOLAB_SERVER_START' //     a server command exited, or never became ready, before its port opened
  | 'ECHOLAB_SERVER_CRASHED' //   a server died while clients were talking to it (for check: a failed scenario)
  | 'ECHOLAB_TIMEOUT' //          something awaited did not happen in time
  | 'ECHOLAB_CONNECT' //          a client could not connect
  | 'ECHOLAB_WRONG_ECHO' //       a server sent back bytes other than those it was sent
  | 'ECHOLAB_SLOW_LINK'; //       round trips to a server take too much of a tick for its timing to be judged

export class EcholabError extends Error {
  readonly code: EcholabErrorCode;
  constructor(code: EcholabErrorCode, message: string) {
    super(message);
    this.name = 'EcholabError';
    this.code = code;
  }
}

export const usageError = (message: string) => new EcholabError('ECHOLAB_USAGE', message);

/**
 * A command-line parser's complaint as the one line a usage error is: commander writes
 * "error: unknown option '--prot'\n(Did you mean --port?)", and the user reads
 * "unknown option '--prot' (Did you mean --port?)".
 */
export const commandLineMessage = (parserMessage: string) => parserMessage.replace(/^error: /, '').replace(/\.?\n/g, ' ').replace(/\.$/, '');
