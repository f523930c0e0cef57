/**
 * How a scenario tells `echolab check` that it could not judge the server at all (the command
 * is not found, it exits before it listens, it never opens its port), as opposed to finding it
 * wrong: it attaches the error with this media type, and check finds it among cucumber's
 * messages. A server that started and then died while clients talked to it was judged: it
 * does not conform, and its scenario says why.
 */
import { EcholabError, type EcholabErrorCode } from '../../core/errors';

export const COULD_NOT_RUN_MEDIA_TYPE = 'application/x.echolab-could-not-run+json';

const COULD_NOT_RUN: readonly EcholabErrorCode[] = ['ECHOLAB_SERVER_START', 'ECHOLAB_PORT_IN_USE'];

/** The attachment body for `error` if it means that the server could not be run, else undefined. */
export function couldNotRunAttachment(error: unknown): string | undefined {
  if (!(error instanceof EcholabError && COULD_NOT_RUN.includes(error.code))) return undefined;
  return JSON.stringify({ code: error.code, message: error.message });
}

/** The error an attachment stands for. */
export function couldNotRunError(body: string): EcholabError {
  const { code, message } = JSON.parse(body) as { code: EcholabErrorCode; message: string };
  return new EcholabError(code, message);
}
