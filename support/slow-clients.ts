/**
 * Clients that hold a connection while giving the server next to nothing to do, and the
 * article's clients arriving after them. The features on slow clients describe these in
 * words: keep the two in step.
 */
import { articleScripts, type ClientScript } from './clients';

/**
 * A slow client sends this every SLOW_PAUSE_TICKS, SLOW_MESSAGES times, then leaves. Four
 * times: the article's clients, pausing 3 ticks, are done at about 6 ticks, and a slow client
 * that left at 9 once found one of them still there on a machine beside stress-ng. (Where they
 * are to be served at once, they pause 3 ticks rather than 1, so that their times of being
 * served overlap by 3 ticks and one that a busy machine answers a little late still overlaps
 * the others.)
 */
export const SLOW_MESSAGE = 'still here';
export const SLOW_PAUSE_TICKS = 3;
export const SLOW_MESSAGES = 4;

/**
 * A client that does not read stays this many ticks longer than the others' scripts take,
 * counted from when the server stopped taking its bytes: room for a busy machine.
 */
export const NON_READER_OUTSTAYS_TICKS = 6;

/**
 * The slow clients connect first, one after another, then the article's clients, pausing
 * `pauseTicks` before each message: each one a tenth of a tick after the one before, so the
 * order of arrival is clear. A slow client pauses `slowPauseTicks` before each of its words.
 */
export function slowClientsFirst(slow: string[], names: string[], messages: string[], pauseTicks = 1, slowPauseTicks = SLOW_PAUSE_TICKS): ClientScript[] {
  const slowScripts = slow.map((name) => ({ name, messages: Array<string>(SLOW_MESSAGES).fill(SLOW_MESSAGE), pauseTicks: slowPauseTicks }));
  return [...slowScripts, ...articleScripts(names, messages, pauseTicks)];
}

/** As slowClientsFirst, but each slow client sends one byte a tick, `bytes` times: never silent for long, and next to nothing sent. */
export function tricklersFirst(slow: string[], names: string[], bytes: number): ClientScript[] {
  const tricklers = slow.map((name) => ({ name, messages: Array<string>(bytes).fill('.'), pauseTicks: 1 }));
  return [...tricklers, ...articleScripts(names)];
}

/**
 * `nonReader` sends `mib` MiB the moment it is connected and never reads its echo. Once the
 * server stops taking its bytes, the article's clients arrive, all at once, pausing
 * `pauseTicks` before each message, and the non-reader leaves NON_READER_OUTSTAYS_TICKS after
 * their scripts would have ended.
 */
export function nonReaderFirst(nonReader: string, mib: number, names: string[], messages: string[], pauseTicks = 1): ClientScript[] {
  const flood = { ...sendsAndNeverReads(nonReader, mib), holdTicks: messages.length * pauseTicks + NON_READER_OUTSTAYS_TICKS };
  return [flood, ...articleScripts(names, messages, pauseTicks).map((script) => ({ ...script, after: nonReader }))];
}

/**
 * `resetter` sends `mib` MiB the moment it is connected, never reads its echo, and resets its
 * connection once the server stops taking its bytes (or has taken them all), as a client that
 * crashed would: the server meets the reset in the middle of its echo. Then the article's
 * clients arrive.
 */
export function resetterFirst(resetter: string, mib: number, names: string[], messages: string[]): ClientScript[] {
  return [{ ...sendsAndNeverReads(resetter, mib), resets: true }, ...articleScripts(names, messages).map((script) => ({ ...script, after: resetter }))];
}

/** A client that sends `mib` MiB the moment it is connected and never reads. */
const sendsAndNeverReads = (name: string, mib: number): ClientScript => ({ name, messages: [new Uint8Array(mib * 1024 ** 2)], pauseTicks: 0, readEchoes: false });
