/**
 * Echo integrity: random binary payloads, each sent cut into pieces on a connection of its
 * own, must come back byte for byte; so must one whose client closes its sending side at once,
 * and one whose client reads slowly. Sizes and piece lists are written the way a feature
 * writes them ("64 KiB + 1 B", "1, 7, 4096"); parsing them is pure.
 */
import { randomBytes } from 'node:crypto';
import { sendAndCollect, type RecordClientEvent } from './clients';
import type { ReadingPace } from './connection';
import { echoProblem } from './echo-problem';
import type { Verdict } from './verdicts';

export interface PayloadSpec {
  /** how the feature wrote the size, e.g. "64 KiB + 1 B"; also the client's lane name */
  label: string;
  size: number;
  /** sizes of the pieces, used in turn; undefined: the whole payload at once */
  pieces?: number[];
}

const UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2 };

/** "3 MiB", "64 KiB + 1 B", "0 B": a number of bytes. */
export function parseSize(text: string): number {
  return text.split('+').reduce((total, term) => {
    const match = /^\s*(\d+)\s*(B|KiB|MiB)\s*$/.exec(term);
    if (!match) throw new Error(`"${text}" is not a size like "3 MiB" or "64 KiB + 1 B"`);
    return total + Number(match[1]) * UNITS[match[2]];
  }, 0);
}

/** "whole", or piece sizes in bytes used in turn: "1, 7, 4096". */
export function parsePieces(text: string): number[] | undefined {
  if (text.trim() === 'whole') return undefined;
  const sizes = text.split(',').map((size) => Number(size.trim()));
  if (sizes.some((size) => !Number.isInteger(size) || size < 1)) throw new Error(`"${text}" is not "whole" or a list of piece sizes like "1, 7, 4096"`);
  return sizes;
}

/**
 * How long one payload's echo may take, ECHO_GRACE_MS plus ECHO_MS_PER_MIB for every MiB (as
 * chapter 9 says): generous, so only a server that loses bytes misses it, not one on a busy
 * machine echoing a thousand one-byte pieces one after another.
 */
export const ECHO_GRACE_MS = 2000;
export const ECHO_MS_PER_MIB = 2000;
export const echoDeadlineMs = (size: number) => ECHO_GRACE_MS + Math.ceil((ECHO_MS_PER_MIB * size) / 1024 ** 2);

/**
 * Sends each payload in turn and compares its echo. Resolves with undefined when every echo
 * was byte-exact, else a sentence about the first that was not (support/echo-problem.ts).
 */
export async function echoEachExactly({ host, port }: { host: string; port: number }, payloads: PayloadSpec[], record: RecordClientEvent): Promise<Verdict> {
  for (const { label, size, pieces } of payloads) {
    const payload = randomBytes(size);
    const transcript = await sendAndCollect({ host, port, payload, pieceSizes: pieces, name: label, record, timeoutMs: echoDeadlineMs(size) });
    // the lane's name is the payload's, so the sentence names the payload, not a client
    const problem = echoProblem({ ...transcript, client: undefined, sent: [{ bytes: payload, prose: `the ${label} payload` }] });
    if (problem) return problem;
  }
  return undefined;
}

/**
 * A client sends `size` random bytes, shuts its sending side at once (a half-close) and reads
 * until the server closes its side: all of it must have come back by then. Undefined when it
 * did, else a sentence about what went wrong.
 */
export async function echoAfterHalfClose({ host, port }: { host: string; port: number }, label: string, size: number, record: RecordClientEvent): Promise<Verdict> {
  const payload = randomBytes(size);
  const timeoutMs = echoDeadlineMs(size);
  const transcript = await sendAndCollect({ host, port, payload, name: label, finish: true, record, timeoutMs });
  const problem = echoProblem({ ...transcript, client: undefined, sent: [{ bytes: payload, prose: `the ${label} payload` }] });
  if (problem) return problem;
  if (transcript.gaveUpAfterMs !== undefined) return `all of the ${label} payload came back, but the server had not closed its side ${timeoutMs} ms after the client closed its own`;
  return undefined;
}

/**
 * How the client that reads slowly reads: a little at a time, far slower than a server on
 * this machine sends, so that every buffer between them stays full and the server's sends
 * wait most of the time, while its client's bytes pile up unread on its side.
 */
export const SLOW_READING: ReadingPace = { bytes: 16 * 1024, everyMs: 2 };

/**
 * A client sends `size` random bytes as fast as TCP takes them and reads the echo slowly
 * (SLOW_READING): back-pressure through every buffer on the way. Undefined when all of it came
 * back, else a sentence about what went wrong.
 */
export async function echoReadSlowly({ host, port }: { host: string; port: number }, label: string, size: number, record: RecordClientEvent): Promise<Verdict> {
  const payload = randomBytes(size);
  const transcript = await sendAndCollect({ host, port, payload, name: label, pace: SLOW_READING, record, timeoutMs: echoDeadlineMs(size) });
  return echoProblem({ ...transcript, client: undefined, sent: [{ bytes: payload, prose: `the ${label} payload` }] });
}
