/**
 * Timelines written by hand, in ticks, for unit tests of the pure timeline code: no sockets,
 * no clock. One tick is 100 ms and the run starts at 10 s on the clock.
 */
import { mergeTimeline } from '../support/timeline/query';
import type { ClientEvent, ClientEventKind, ServerEvent, ServerEventKind, Timeline } from '../support/timeline/types';

export const ORIGIN = 10_000;
export const TICK_MS = 100;
export const at = (tick: number) => ORIGIN + tick * TICK_MS;

/** A client's events from `[kind, tick, message?]` steps. */
export function client(name: string, steps: [ClientEventKind, number, string?][]): ClientEvent[] {
  return steps.map(([kind, tick, message]) => ({ source: 'client', client: name, kind, t: at(tick), message }));
}

/** A server's events from `[kind, tick, thread]` steps on one connection. */
export function server(conn: number, name: string | undefined, steps: [ServerEventKind, number, number][]): ServerEvent[] {
  return steps.map(([kind, tick, thread]) => ({ source: 'server', kind, t: at(tick), thread, conn, client: name }));
}

/** The article's client: connect at 0, send "Hello" at 1 and "World!" a tick after its echo, close a tick after the last echo. */
export function articleClient(name: string, firstEcho: number, echoDelay = 0.1): ClientEvent[] {
  return client(name, [
    ['connecting', 0],
    ['connected', 0],
    ['send', 1, 'Hello'],
    ['echo', firstEcho, 'Hello'],
    ['send', firstEcho + 1, 'World!'],
    ['echo', firstEcho + 1 + echoDelay, 'World!'],
    ['closed', firstEcho + 2 + echoDelay],
  ]);
}

/**
 * The article's client whose first SYN the server's kernel dropped: it starts connecting at 0
 * but is connected only at `connectedAt` (10: a second later), then goes on as articleClient.
 */
export function lateClient(name: string, connectedAt: number, firstEcho: number, echoDelay = 0.1): ClientEvent[] {
  return client(name, [
    ['connecting', 0],
    ['connected', connectedAt],
    ['send', connectedAt + 1, 'Hello'],
    ['echo', firstEcho, 'Hello'],
    ['send', firstEcho + 1, 'World!'],
    ['echo', firstEcho + 1 + echoDelay, 'World!'],
    ['closed', firstEcho + 2 + echoDelay],
  ]);
}

/**
 * A client's events, its first message sent again by TCP before its echo came (the server's
 * kernel dropped it), as the client's socket counts resent segments: one for the retried connect.
 */
export function withFirstMessageResent(events: ClientEvent[]): ClientEvent[] {
  const firstEcho = events.find((e) => e.kind === 'echo');
  return events.map((e) => (e.kind === 'connected' ? { ...e, resent: 1 } : e === firstEcho ? { ...e, resent: 2 } : e));
}

/** The server side of one article client: accept, two echoes, EOF, close. */
export function articleConnection(conn: number, name: string, acceptedAt: number, acceptThread: number, thread: number, firstRecv: number) {
  return server(conn, name, [
    ['accepted', acceptedAt, acceptThread],
    ['recv', firstRecv, thread],
    ['send', firstRecv, thread],
    ['recv', firstRecv + 1, thread],
    ['send', firstRecv + 1, thread],
    ['recv', firstRecv + 2, thread],
    ['closed', firstRecv + 2, thread],
  ]);
}

export const timeline = (clientEvents: ClientEvent[], serverEvents?: ServerEvent[], clients = ['A', 'B', 'C']): Timeline =>
  mergeTimeline({ origin: ORIGIN, tickMs: TICK_MS, clients, clientEvents, serverEvents });

// Sequential: B is first answered at 3, the very moment A closes; C at 5, when B closes.
// A's service is [1, 3), B's [3, 5), C's [5, 7): they touch but never overlap.
export const sequential = timeline(
  [...articleClient('A', 1, 0), ...articleClient('B', 3, 0), ...articleClient('C', 5, 0)],
  [...articleConnection(4, 'A', 0, 0, 0, 1), ...articleConnection(5, 'B', 3, 0, 0, 3), ...articleConnection(6, 'C', 5, 0, 0, 5)],
);

// A pool of two: threads 1 and 2 serve A and B at once; C waits for A to leave at 3.2, then thread 1
// serves it while B, slower, is still there.
export const poolOfTwo = timeline(
  [...articleClient('A', 1.1), ...articleClient('B', 1.1, 0.5), ...articleClient('C', 3.2)],
  [...articleConnection(4, 'A', 0, 0, 1, 1), ...articleConnection(5, 'B', 0, 0, 2, 1), ...articleConnection(6, 'C', 0, 0, 1, 3.2)],
);

// A thread per client: everybody is served at once.
export const allAtOnce = timeline([...articleClient('A', 1.1), ...articleClient('B', 1.1), ...articleClient('C', 1.1)]);

// A select loop: one thread accepts A, B and C a hundredth of a tick apart and serves all three at once, taking turns.
export const selectLoop = timeline(
  [...articleClient('A', 1.01, 0), ...articleClient('B', 1.02, 0), ...articleClient('C', 1.03, 0)],
  [...articleConnection(4, 'A', 0, 0, 0, 1.01), ...articleConnection(5, 'B', 0.01, 0, 0, 1.02), ...articleConnection(6, 'C', 0.02, 0, 0, 1.03)],
);

// Clients held up by others. S and T are stayers, slow clients that hold their connections:
// each says "still here" at 0, is answered at 0.1, and then says nothing more until it leaves.

/** A stayer: connects at 0, sends "still here" at once and gets its echo at 0.1, leaves at `leaves`. */
export const stayer = (name: string, leaves: number) =>
  client(name, [['connecting', 0], ['connected', 0], ['send', 0, 'still here'], ['echo', 0.1, 'still here'], ['closed', leaves]]);

/** A client's connection failing at `tick` with `code`, e.g. ECONNRESET. */
export const failure = (name: string, tick: number, code: string): ClientEvent => ({ source: 'client', client: name, kind: 'error', t: at(tick), code });

// A sequential server stuck on S: it answered S at 0.1 and sat in recv, logging nothing, until S left at 4.
// Only then did it serve A (from 4.1), then B (from 6.1, when A closed), though both had sent at 1.
export const heldUpByS = timeline(
  [...stayer('S', 4), ...articleClient('A', 4.1, 0), ...articleClient('B', 6.1, 0)],
  [
    ...server(3, 'S', [['accepted', 0, 0], ['recv', 0.1, 0], ['send', 0.1, 0], ['recv', 4, 0], ['closed', 4, 0]]),
    ...articleConnection(4, 'A', 4, 0, 0, 4.1),
    ...articleConnection(5, 'B', 6.1, 0, 0, 6.1),
  ],
  ['S', 'A', 'B'],
);

// A thread per client: while S stays (until 4) on thread 1, threads 2 and 3 serve A and B side by side; both leave at 3.1.
export const servedBesideS = timeline(
  [...stayer('S', 4), ...articleClient('A', 1.1, 0), ...articleClient('B', 1.1, 0)],
  [
    ...server(3, 'S', [['accepted', 0, 0], ['recv', 0.1, 1], ['send', 0.1, 1], ['recv', 4, 1], ['closed', 4, 1]]),
    ...articleConnection(4, 'A', 0, 0, 2, 1.1),
    ...articleConnection(5, 'B', 0, 0, 3, 1.1),
  ],
  ['S', 'A', 'B'],
);

// A pool of three, two of whose threads S and T hold until 8: the third serves A, B and C one at a time, all before 8.
export const servedInTurnBesideSAndT = timeline(
  [...stayer('S', 8), ...stayer('T', 8), ...articleClient('A', 1.1, 0), ...articleClient('B', 3.1, 0), ...articleClient('C', 5.1, 0)],
  undefined,
  ['S', 'T', 'A', 'B', 'C'],
);

// S leaves at 4 and T at 6. A, which sent at 1, is answered at 4.1, after S left; B sends its first message only at 5.
export const sLeavesThenT = timeline(
  [
    ...stayer('S', 4),
    ...stayer('T', 6),
    ...articleClient('A', 4.1, 0),
    ...client('B', [['connecting', 0], ['connected', 0], ['send', 5, 'Hello'], ['echo', 5.1, 'Hello'], ['closed', 6.1]]),
  ],
  undefined,
  ['S', 'T', 'A', 'B'],
);

// While S stays (until 4), A gets its first echo at 1.1, then its connection is reset at 2.
export const resetBesideS = timeline(
  [...stayer('S', 4), ...client('A', [['connecting', 0], ['connected', 0], ['send', 1, 'Hello'], ['echo', 1.1, 'Hello']]), failure('A', 2, 'ECONNRESET')],
  undefined,
  ['S', 'A'],
);

/** S, which said "still here" and then nothing, has its connection ended by the server at `tick` with `code` (EOF: a FIN; ECONNRESET: a reset). */
export const endedByServer = (name: string, tick: number, code: string): ClientEvent[] => [
  ...client(name, [['connecting', 0], ['connected', 0], ['send', 0, 'still here'], ['echo', 0.1, 'still here']]),
  failure(name, tick, code),
];

// The server ends S's connection at 3.02, as a remedy for a client that sits idle would, while A is served beside it.
export const sClosedByServer = (code: string) => timeline([...endedByServer('S', 3.02, code), ...articleClient('A', 1.1, 0)], undefined, ['S', 'A']);
