/**
 * Echo integrity: random binary payloads, each sent cut into pieces on a connection of its
 * own, must come back byte for byte. Sizes and piece lists are written the way a feature
 * writes them ("64 KiB + 1 B", "1, 7, 4096"); parsing them is pure.
 */
import { randomBytes } from 'node:crypto';
import { sendAndCollect, type RecordClientEvent } from './clients';
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
 * How long one payload's echo may take: generous, so only a server that loses bytes misses it,
 * not one on a busy machine echoing a thousand one-byte pieces one after another.
 */
export const echoDeadlineMs = (size: number) => 2000 + Math.ceil((2000 * size) / 1024 ** 2);

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
