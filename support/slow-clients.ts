/**
 * Clients that hold a connection while giving the server next to nothing to do, and the
 * article's clients arriving after them. The features on slow clients describe these in
 * words: keep the two in step.
 */
import { articleScripts, type ClientScript } from './clients';

/**
 * A slow client sends this every SLOW_PAUSE_TICKS, SLOW_MESSAGES times, then leaves. Four
 * times: the article's clients, pausing 3 ticks, are done at about 6 ticks, and a slow client
 * that left at 9 once found one of them still there on a machine beside stress-ng.
 */
const SLOW_MESSAGE = 'still here';
const SLOW_PAUSE_TICKS = 3;
const SLOW_MESSAGES = 4;

/**
 * A client that does not read stays this many ticks longer than the others' scripts take,
 * counted from when the server stopped taking its bytes: room for a busy machine.
 */
const NON_READER_OUTSTAYS_TICKS = 6;

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
  const flood: ClientScript = {
    name: nonReader,
    messages: [new Uint8Array(mib * 1024 ** 2)],
    pauseTicks: 0,
    readEchoes: false,
    holdTicks: messages.length * pauseTicks + NON_READER_OUTSTAYS_TICKS,
  };
  return [flood, ...articleScripts(names, messages, pauseTicks).map((script) => ({ ...script, after: nonReader }))];
}
