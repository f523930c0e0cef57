/**
 * Questions the specs ask of a timeline. Pure: they only read events, never a clock.
 * Times in and out are ms on the timeline's clock unless a name says ticks.
 * The black-box queries read client events only; the white-box ones (at the end) read the
 * server's event log, so only `@white-box` scenarios may use them.
 */
import type { ClientEvent, ClientEventKind, ServerEvent, ServiceProbe, Timeline, TimelineEvent } from './types';

/** What a run recorded, before it is merged into one timeline. */
export interface TimelineParts {
  origin: number;
  tickMs: number;
  clients: readonly string[];
  clientEvents: readonly ClientEvent[];
  /** absent when the server under test keeps no event log (black-box runs) */
  serverEvents?: readonly ServerEvent[];
  harnessLateMs?: number;
  service?: readonly ServiceProbe[];
}

/** One timeline from the clients' and the server's events, sorted by time (equal times keep their order). */
export function mergeTimeline(parts: TimelineParts): Timeline {
  const events: TimelineEvent[] = [...parts.clientEvents, ...(parts.serverEvents ?? [])];
  events.sort((a, b) => a.t - b.t); // Array.prototype.sort is stable
  // a client missing from the list still gets a lane (after the listed ones), so no event goes unseen
  const clients = [...new Set([...parts.clients, ...parts.clientEvents.map((e) => e.client)])];
  return {
    origin: parts.origin,
    tickMs: parts.tickMs,
    clients,
    events,
    ...(parts.harnessLateMs === undefined ? {} : { harnessLateMs: parts.harnessLateMs }),
    ...(parts.service === undefined || parts.service.length === 0 ? {} : { service: [...parts.service] }),
  };
}

// ---------------------------------------------------------------------------------------------
// Black-box: what the clients saw

/** A message at the moment a client sent it or got its echo back. */
export interface MessageAt {
  t: number;
  message: string | undefined;
}

/** One client's run in ms; a moment is undefined when it never happened (the first one counts). */
export interface ClientStory {
  connectingAt: number | undefined;
  connectedAt: number | undefined;
  sends: MessageAt[];
  echoes: MessageAt[];
  firstSend: number | undefined;
  firstEcho: number | undefined;
  closedAt: number | undefined;
  /** when the connection failed or was reset */
  error: number | undefined;
  /** e.g. ECONNRESET */
  errorCode: string | undefined;
  /** when the echo ended the connection: what was wrong with it, in words */
  wrongEcho: string | undefined;
}

/** Everything one client saw, gathered from its events. */
export function clientStory(timeline: Timeline, client: string): ClientStory {
  const own = timeline.events.filter((e): e is ClientEvent => e.source === 'client' && e.client === client);
  const first = (kind: ClientEventKind) => own.find((e) => e.kind === kind);
  const messages = (kind: ClientEventKind) => own.filter((e) => e.kind === kind).map((e) => ({ t: e.t, message: e.message }));
  const sends = messages('send');
  const echoes = messages('echo');
  const error = first('error');
  return {
    connectingAt: first('connecting')?.t,
    connectedAt: first('connected')?.t,
    sends,
    echoes,
    firstSend: sends[0]?.t,
    firstEcho: echoes[0]?.t,
    closedAt: first('closed')?.t,
    error: error?.t,
    errorCode: error?.code,
    wrongEcho: error?.wrongEcho,
  };
}

/** How a server ended a client's connection: a FIN (the client read the end of the stream, EOF), or a reset (ECONNRESET, or EPIPE on a send). */
export type ServerClosingHow = 'FIN' | 'reset';

/** The codes of a client's 'error' that say the server ended its connection, and how. */
const CLOSING_CODES = new Map<string, ServerClosingHow>([
  ['EOF', 'FIN'],
  ['ECONNRESET', 'reset'],
  ['EPIPE', 'reset'],
]);

/** How the server ended the connection, if this client event says it did: an 'error' whose code is a FIN's or a reset's. */
export const closingOf = (event: ClientEvent): ServerClosingHow | undefined =>
  event.kind === 'error' && event.code !== undefined ? CLOSING_CODES.get(event.code) : undefined;

/**
 * Whether the server closed `client`'s connection, when (ms) and how. Only a connection the
 * client had and was still holding counts: its own close, a connect that failed, or any other
 * error (a wrong echo, EECHO_MISMATCH) is not the server closing it. A client fails once, so
 * its first error is the one.
 */
export function closedByServer(timeline: Timeline, client: string): { t: number; how: ServerClosingHow } | undefined {
  const { connectedAt, closedAt, error, errorCode } = clientStory(timeline, client);
  const how = errorCode === undefined ? undefined : CLOSING_CODES.get(errorCode);
  if (how === undefined || error === undefined || connectedAt === undefined || connectedAt > error) return undefined;
  if (closedAt !== undefined && closedAt <= error) return undefined; // it had gone already
  return { t: error, how };
}

/** How long (ms) a client sat waiting for its first echo; undefined if it never sent or never got one. */
export function waitOf(timeline: Timeline, client: string): number | undefined {
  const { firstSend, firstEcho } = clientStory(timeline, client);
  return firstSend === undefined || firstEcho === undefined ? undefined : firstEcho - firstSend;
}

/** For each echo, how long (ms) after its message it arrived; the n-th echo answers the n-th send. */
export function echoDelays(timeline: Timeline, client: string): number[] {
  const { sends, echoes } = clientStory(timeline, client);
  return echoes.slice(0, sends.length).map((echo, i) => echo.t - sends[i].t);
}

/** A stretch of time in ms; `end` is Infinity when it had not ended by the end of the run. */
export interface Interval {
  start: number;
  end: number;
}

/** When a client was being served, as far as it can tell: from its first echo until it closed or failed. */
export function serviceInterval(timeline: Timeline, client: string): Interval | undefined {
  const story = clientStory(timeline, client);
  if (story.firstEcho === undefined) return undefined;
  return { start: story.firstEcho, end: story.closedAt ?? story.error ?? Infinity };
}

/**
 * A client whose handshake packet the kernel dropped (the listen backlog was full) sends it
 * again after a second, Linux's first retransmission timeout: its connect takes that long
 * at least, however idle or busy the machine. A connect on loopback otherwise takes well
 * under a millisecond.
 */
export const SYN_RETRY_MS = 1000;
/** A connect this long was retried: a tenth off the retransmission time, as its first packet left just after the 'connecting' mark. */
export const RETRIED_CONNECT_MS = SYN_RETRY_MS * 0.9;

/** How long (ms) a client's connect took; undefined if it never connected. */
export function connectDelay(timeline: Timeline, client: string): number | undefined {
  const { connectingAt, connectedAt } = clientStory(timeline, client);
  return connectingAt === undefined || connectedAt === undefined ? undefined : connectedAt - connectingAt;
}

/** A client whose connect was retried because the kernel had dropped its SYN. */
export interface LateConnect {
  client: string;
  /** from connect() to the connection, ms */
  delayMs: number;
}

/** The clients whose connect was retried, in lane order. */
export function lateConnects(timeline: Timeline): LateConnect[] {
  return timeline.clients.flatMap((client) => {
    const delayMs = connectDelay(timeline, client);
    return delayMs !== undefined && delayMs >= RETRIED_CONNECT_MS ? [{ client, delayMs }] : [];
  });
}

/**
 * Whether TCP had to send `client`'s first message again before its echo came: the server's
 * kernel dropped it (with the handshake's last packet, the listen backlog being full), and the
 * server could not have seen it until it came again, a fifth of a second or more later.
 */
export function firstMessageResent(timeline: Timeline, client: string): boolean {
  const own = timeline.events.filter((e): e is ClientEvent => e.source === 'client' && e.client === client);
  const connected = own.find((e) => e.kind === 'connected')?.resent;
  const firstEcho = own.find((e) => e.kind === 'echo')?.resent;
  return connected !== undefined && firstEcho !== undefined && firstEcho > connected;
}

/** The most clients being served at one moment (one that starts as another ends does not overlap it). */
export function maxServedAtOnce(timeline: Timeline): number {
  return maxOverlap(timeline.clients.flatMap((client) => serviceInterval(timeline, client) ?? []));
}

/** Client names in the order of their first echo; clients never served are left out. */
export function servedOrder(timeline: Timeline): string[] {
  return clientsOrderedBy(timeline, (story) => story.firstEcho);
}

/** Client names in the order they started connecting; ties keep the lane order. */
export function arrivalOrder(timeline: Timeline): string[] {
  return clientsOrderedBy(timeline, (story) => story.connectingAt);
}

function clientsOrderedBy(timeline: Timeline, moment: (story: ClientStory) => number | undefined): string[] {
  return timeline.clients
    .flatMap((name) => {
      const t = moment(clientStory(timeline, name));
      return t === undefined ? [] : [{ name, t }];
    })
    .sort((a, b) => a.t - b.t)
    .map((c) => c.name);
}

/** The most intervals that hold one moment. That moment is always some interval's start, so count there. */
export function maxOverlap(intervals: Interval[]): number {
  const holding = (i: Interval) => intervals.filter((o) => o === i || (o.start <= i.start && i.start < o.end));
  return Math.max(0, ...intervals.map((i) => holding(i).length));
}

// ---------------------------------------------------------------------------------------------
// Ticks: the article's unit of time

/** A duration in ms, in ticks. */
export function ticks(timeline: Timeline, ms: number): number {
  return ms / timeline.tickMs;
}

/** A moment on the clock as ticks since the scenario's clients started. */
export function ticksSinceOrigin(timeline: Timeline, t: number): number {
  return (t - timeline.origin) / timeline.tickMs;
}

/** The moment on the clock `tick` ticks after the scenario's clients started. */
export function momentAtTick(timeline: Timeline, tick: number): number {
  return timeline.origin + tick * timeline.tickMs;
}

// ---------------------------------------------------------------------------------------------
// White-box: what the server's event log says

/** One connection as the server saw it, with every call made on it, in order. */
export interface ServerConnection {
  conn: number;
  /** the client on the other end, from the first event that names it */
  client: string | undefined;
  events: ServerEvent[];
}

/** The server's connections in the order they appeared; an 'accepted' on a reused number starts a new one. */
export function serverConnections(timeline: Timeline): ServerConnection[] {
  const all: ServerConnection[] = [];
  const current = new Map<number, ServerConnection>();
  for (const e of serverEvents(timeline)) {
    let connection = current.get(e.conn);
    if (connection === undefined || e.kind === 'accepted') {
      connection = { conn: e.conn, client: undefined, events: [] };
      all.push(connection);
      current.set(e.conn, connection);
    }
    connection.events.push(e);
    connection.client ??= e.client;
  }
  return all;
}

/** For each client, the server threads that called recv or send on its connection. */
export function threadsServing(timeline: Timeline): Map<string, Set<number>> {
  const threads = new Map(timeline.clients.map((client) => [client, new Set<number>()]));
  for (const { client, events } of serverConnections(timeline)) {
    if (client === undefined) continue;
    const set = threads.get(client) ?? new Set<number>();
    for (const e of events) if (isServing(e)) set.add(e.thread);
    threads.set(client, set);
  }
  return threads;
}

/** The ids of the server threads that served anyone (called recv or send), ascending; a thread that only accepts is not counted. */
export function distinctServerThreads(timeline: Timeline): number[] {
  const threads = new Set(serverEvents(timeline).filter(isServing).map((e) => e.thread));
  return [...threads].sort((a, b) => a - b);
}

/**
 * The most connections the server was serving at once, each from its first recv to its last
 * send. Merely holding a connection (accepted, nothing read yet) does not count: a pool of two
 * accepts everyone at once but serves two.
 */
export function maxServingAtOnce(timeline: Timeline): number {
  const serving = serverConnections(timeline).flatMap(({ events }) => {
    const firstRecv = events.find((e) => e.kind === 'recv');
    const lastSend = events.findLast((e) => e.kind === 'send');
    return firstRecv === undefined || lastSend === undefined ? [] : [{ start: firstRecv.t, end: lastSend.t }];
  });
  return maxOverlap(serving);
}

function serverEvents(timeline: Timeline): ServerEvent[] {
  return timeline.events.filter((e): e is ServerEvent => e.source === 'server');
}

function isServing(e: ServerEvent): boolean {
  return e.kind === 'recv' || e.kind === 'send';
}

/**
 * Whether some client connected only after another had already sent its first message: its
 * connect took longer than the others' first pause, which only a dropped handshake does.
 */
export function connectedAfterOthersSent(timeline: Timeline): boolean {
  const stories = timeline.clients.map((client) => clientStory(timeline, client));
  const connects = stories.flatMap(({ connectedAt }) => (connectedAt === undefined ? [] : [connectedAt]));
  const firstSends = stories.flatMap(({ firstSend }) => (firstSend === undefined ? [] : [firstSend]));
  return connects.length > 0 && firstSends.length > 0 && Math.max(...connects) > Math.min(...firstSends);
}

/** Whether any client got an echo back. */
export const anyEcho = (timeline: Timeline): boolean => timeline.events.some((e) => e.source === 'client' && e.kind === 'echo');
