/**
 * The article's claims as checks on a timeline. Each returns `undefined` when the timeline
 * bears the claim out, or one sentence saying what happened instead, in ticks, so a failing
 * scenario explains itself. Pure: no clock, no sockets.
 *
 * Causal checks ("B's first echo came after A disconnected") are preferred; where a duration
 * matters, the slack is half a tick, far more than the milliseconds a loaded machine adds.
 */
import {
  arrivalOrder,
  clientStory,
  connectDelay,
  distinctServerThreads,
  echoDelays,
  firstMessageResent,
  lateConnects,
  maxServingAtOnce,
  maxServedAtOnce,
  RETRIED_CONNECT_MS,
  SYN_RETRY_MS,
  threadsServing,
  ticks,
  ticksSinceOrigin,
} from './timeline/query';
import type { ServerEvent, Timeline } from './timeline/types';

export type Verdict = string | undefined;

/** Allowed slack where durations are compared, in ticks. */
export const SLACK_TICKS = 0.5;

const at = (timeline: Timeline, t: number) => `tick ${ticksSinceOrigin(timeline, t).toFixed(2)}`;
const span = (timeline: Timeline, ms: number) => `${ticks(timeline, ms).toFixed(2)} ticks`;
const joinNames = (names: string[]) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);

/**
 * Every client got through first, or a sentence about the first that did not: what was wrong
 * with its echo if that ended its connection, so that a wrong echo is named as such before any
 * claim about who was served is judged.
 */
function everyoneEchoed(timeline: Timeline, clients = timeline.clients): Verdict {
  for (const client of clients) {
    const story = clientStory(timeline, client);
    if (story.wrongEcho) return story.wrongEcho;
    if (story.firstEcho === undefined) {
      return story.errorCode
        ? `client ${client} never got an echo: its connection failed with ${story.errorCode}`
        : `client ${client} never got an echo`;
    }
  }
  return undefined;
}

/** The backlog lets everyone in: every connection completes before the first message is sent. */
export function everyoneConnectedBeforeAnySend(timeline: Timeline): Verdict {
  const stories = timeline.clients.map((client) => ({ client, ...clientStory(timeline, client) }));
  const firstSend = Math.min(...stories.map((s) => s.firstSend ?? Infinity));
  const late = stories.find((s) => s.connectedAt === undefined || s.connectedAt > firstSend);
  if (!late) return undefined;
  return late.connectedAt === undefined
    ? `client ${late.client} never connected`
    : `client ${late.client} connected at ${at(timeline, late.connectedAt)}, after the first message was sent at ${at(timeline, firstSend)}`;
}

/**
 * Exactly `expected` clients were served at one moment, and never more. Fewer may do where
 * the server's kernel dropped some clients' packets: those were not there to be served with the
 * others, so each client is judged on what it saw once connected (see servedOnceConnected).
 * More is always too many.
 */
export function servedAtOnce(timeline: Timeline, expected: number): Verdict {
  const problem = everyoneEchoed(timeline);
  if (problem) return problem;
  const most = maxServedAtOnce(timeline);
  if (most === expected || (most < expected && servedOnceConnected(timeline, expected))) return undefined;
  const late = most < expected ? lateConnectFinding(timeline) : undefined;
  return `${most} client(s) were served at the same time, not ${expected}${late ? ` (${late})` : ''}`;
}

/**
 * Where the server's full backlog kept some clients out a while: the others were served
 * `expected` at once (all of them, if fewer), and each one kept out was served without
 * waiting for another client to leave.
 */
function servedOnceConnected(timeline: Timeline, expected: number): boolean {
  const late = lateClients(timeline);
  if (late.size === 0) return false;
  const onTime = timeline.clients.filter((client) => !late.has(client));
  return (
    maxServedAtOnce({ ...timeline, clients: onTime }) >= Math.min(expected, onTime.length) &&
    [...late].every((client) => leftWhileWaiting(timeline, client) === undefined)
  );
}

/** Clients the server's full backlog kept out a while: their connect was retried, or their first message sent again. */
const lateClients = (timeline: Timeline) => new Set([...lateConnects(timeline).map(({ client }) => client), ...resentClients(timeline)]);
const resentClients = (timeline: Timeline) => timeline.clients.filter((client) => firstMessageResent(timeline, client));

/**
 * A fact about the connects, not a verdict: how many clients the server's kernel kept out
 * because its listen backlog was full, by dropping their handshake (they connected late) or
 * their first message (TCP sent it again). Such a wait comes before the server could see the
 * client, so no model is to blame; a small listen backlog is.
 */
export function lateConnectWarning(timeline: Timeline): string | undefined {
  const finding = lateConnectFinding(timeline);
  return finding && `warning: ${finding}`;
}

function lateConnectFinding(timeline: Timeline): string | undefined {
  const late = lateConnects(timeline);
  const resent = resentClients(timeline).length;
  if (late.length === 0 && resent === 0) return undefined;
  const seconds = [...new Set(late.map(({ delayMs }) => Math.max(1, Math.round(delayMs / 1000))))].sort((a, b) => a - b);
  const howLate = seconds.length === 1 ? `${seconds[0]} s` : `${seconds[0]} to ${seconds.at(-1)} s`;
  const facts = [
    ...(late.length > 0 ? [`${late.length} of ${timeline.clients.length} clients connected ${howLate} late`] : []),
    ...(resent > 0 ? [`${resent === 1 ? '1 client' : `${resent} clients`} had ${resent === 1 ? 'its' : 'their'} first message sent again`] : []),
  ];
  return `${facts.join(', and ')}: the server's listen backlog was full`;
}

/** `client` got its first echo only after at least one of `others` had disconnected. */
export function firstEchoAfterOneLeaves(timeline: Timeline, client: string, others: string[]): Verdict {
  const problem = everyoneEchoed(timeline, [client]);
  if (problem) return problem;
  const firstEcho = clientStory(timeline, client).firstEcho!;
  const left = others.map((other) => clientStory(timeline, other).closedAt ?? Infinity);
  const firstLeft = Math.min(...left);
  if (firstEcho > firstLeft) return undefined;
  return firstLeft === Infinity
    ? `client ${client} got its first echo at ${at(timeline, firstEcho)}, while ${joinNames(others)} never disconnected`
    : `client ${client} got its first echo at ${at(timeline, firstEcho)}, before ${joinNames(others)} disconnected (first at ${at(timeline, firstLeft)})`;
}

/**
 * First come, first served: no client is served a good while (more than the slack) before one
 * that connected earlier and was waiting its turn, that is, got its first echo only once
 * another client had left. Clients served side by side, answered without such a wait, may get
 * their echoes in any order, however late a busy machine wakes the thread of one of them.
 */
export function servedInArrivalOrder(timeline: Timeline): Verdict {
  const problem = everyoneEchoed(timeline);
  if (problem) return problem;
  const arrivals = arrivalOrder(timeline);
  const firstEcho = (client: string) => clientStory(timeline, client).firstEcho!;
  const waitedItsTurn = (client: string) => {
    const { firstSend, firstEcho } = clientStory(timeline, client);
    return timeline.clients.some((other) => {
      const { closedAt } = clientStory(timeline, other);
      return other !== client && closedAt !== undefined && closedAt > firstSend! && closedAt < firstEcho!;
    });
  };
  for (const [i, earlier] of arrivals.entries()) {
    for (const later of arrivals.slice(i + 1)) {
      if (waitedItsTurn(earlier) && firstEcho(later) < firstEcho(earlier) - SLACK_TICKS * timeline.tickMs) {
        return `client ${later} was served at ${at(timeline, firstEcho(later))}, before client ${earlier} (at ${at(timeline, firstEcho(earlier))}), which connected before it`;
      }
    }
  }
  return undefined;
}

/**
 * `client` waited for its first echo at least as long as `others` were served one after the
 * other, each from its first echo (or from `client`'s first message, if that came later: on a
 * busy machine a client may connect a little after the others) until it disconnected.
 */
export function waitsForOthersService(timeline: Timeline, client: string, others: string[]): Verdict {
  const problem = everyoneEchoed(timeline, [client, ...others]);
  if (problem) return problem;
  const story = clientStory(timeline, client);
  const waited = story.firstEcho! - story.firstSend!;
  const served = others.reduce((total, other) => {
    const { firstEcho, closedAt } = clientStory(timeline, other);
    return total + Math.max(0, (closedAt ?? Infinity) - Math.max(firstEcho!, story.firstSend!));
  }, 0);
  if (waited >= served - SLACK_TICKS * timeline.tickMs) return undefined;
  return `client ${client} waited ${span(timeline, waited)} for its first echo, less than the ${span(timeline, served)} that ${joinNames(others)} were served together`;
}

/**
 * Nobody waits for anybody: no client's first echo comes only after another client left while
 * it waited for it (from its first message on; one that left before could not hold it up).
 */
export function noClientWaitsForAnother(timeline: Timeline): Verdict {
  const problem = everyoneEchoed(timeline);
  if (problem) return problem;
  for (const client of timeline.clients) {
    const leaver = leftWhileWaiting(timeline, client);
    if (leaver) {
      return `client ${client} got its first echo at ${at(timeline, clientStory(timeline, client).firstEcho!)}, only after client ${leaver} had disconnected at ${at(timeline, clientStory(timeline, leaver).closedAt!)}`;
    }
  }
  return undefined;
}

/**
 * Another client that disconnected after `client` sent its first message and before its first
 * echo came, so that `client` may have waited for it. Not for a client whose first message TCP
 * had to send again: the server saw it only when it came again, at a moment no client sees,
 * and whoever left meanwhile did not hold it up. (A server that does make such clients wait
 * still fails: its full backlog held clients that had connected on time, and they waited too.)
 */
function leftWhileWaiting(timeline: Timeline, client: string): string | undefined {
  const { firstSend, firstEcho } = clientStory(timeline, client);
  if (firstSend === undefined || firstEcho === undefined || firstMessageResent(timeline, client)) return undefined;
  return timeline.clients.find((other) => {
    const { closedAt } = clientStory(timeline, other);
    return other !== client && closedAt !== undefined && closedAt >= firstSend && closedAt < firstEcho;
  });
}

/**
 * Every echo arrives within `limitTicks` of its message, give or take the slack and however
 * late the harness itself ran meanwhile (which may have stamped the echo late).
 */
export function echoesWithin(timeline: Timeline, limitTicks: number): Verdict {
  const problem = everyoneEchoed(timeline);
  if (problem) return problem;
  for (const client of timeline.clients) {
    const { sends } = clientStory(timeline, client);
    const delays = echoDelays(timeline, client);
    if (delays.length < sends.length) return `client ${client} got ${delays.length} of its ${sends.length} echoes`;
    const allowedMs = (limitTicks + SLACK_TICKS) * timeline.tickMs + (timeline.harnessLateMs ?? 0);
    const slow = delays.findIndex((delay) => delay > allowedMs);
    if (slow >= 0) return `client ${client}'s echo of "${sends[slow].message}" took ${span(timeline, delays[slow])}, more than ${limitTicks}`;
  }
  return undefined;
}

// White-box: these read the server's own event log.

/** One server thread served `count` clients at the same time: it took turns between them. */
export function oneThreadServesAtOnce(timeline: Timeline, count: number): Verdict {
  const problem = servedByThreads(timeline, 1);
  if (problem) return problem;
  const serving = maxServingAtOnce(timeline);
  return serving === count ? undefined : `the server's one thread served ${serving} client(s) at the same time, not ${count}`;
}

/** Each client was served by one thread that served no other client. */
export function threadOfItsOwn(timeline: Timeline): Verdict {
  const serving = threadsServing(timeline);
  const owner = new Map<number, string>();
  for (const client of timeline.clients) {
    const threads = [...(serving.get(client) ?? [])];
    if (threads.length !== 1) return `client ${client} was served by ${threads.length} threads (${threads.join(', ')}), not 1`;
    const sharedWith = owner.get(threads[0]);
    if (sharedWith) return `clients ${sharedWith} and ${client} were both served by thread ${threads[0]}`;
    owner.set(threads[0], client);
  }
  return undefined;
}

/** Exactly `expected` server threads served clients, however many clients came. */
export function servedByThreads(timeline: Timeline, expected: number): Verdict {
  const threads = distinctServerThreads(timeline);
  return threads.length === expected ? undefined : `${threads.length} server threads served clients (${threads.join(', ')}), not ${expected}`;
}

// Clients held up by others (slow clients, a client that does not read): `clients` only want
// to be served, while `stayers` hold their connections open.

/** When the first of `stayers` left (closed, or its connection failed); Infinity if none did. */
function firstLeft(timeline: Timeline, stayers: string[]): number {
  return Math.min(...stayers.map((stayer) => {
    const { closedAt, error } = clientStory(timeline, stayer);
    return closedAt ?? error ?? Infinity;
  }));
}

const firstOf = (names: string[]) => (names.length < 2 ? names.join('') : `the first of ${joinNames(names)}`);

/**
 * Every one of `clients` sent its first message while all of `stayers` were still connected,
 * yet got its first echo only after one of them left.
 */
export function servedOnlyAfterOneLeaves(timeline: Timeline, clients: string[], stayers: string[]): Verdict {
  const left = firstLeft(timeline, stayers);
  for (const client of clients) {
    const { firstSend } = clientStory(timeline, client);
    // a client that came after a stayer had gone would show nothing about waiting for it
    if (firstSend !== undefined && firstSend >= left) {
      return `client ${client} sent its first message at ${at(timeline, firstSend)}, after ${firstOf(stayers)} had left (at ${at(timeline, left)})`;
    }
    const problem = firstEchoAfterOneLeaves(timeline, client, stayers);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Every one of `clients` was served to the end (every echo back, its connection closed) before
 * the first of `stayers` left, and `atOnce` of them, never more, were served at the same time.
 */
export function servedWhileOthersStay(timeline: Timeline, clients: string[], stayers: string[], atOnce: number): Verdict {
  const problem = everyoneEchoed(timeline, clients);
  if (problem) return problem;
  const left = firstLeft(timeline, stayers);
  for (const client of clients) {
    const { sends, echoes, closedAt, errorCode } = clientStory(timeline, client);
    if (errorCode) return `client ${client}'s connection failed with ${errorCode}`;
    if (echoes.length < sends.length) return `client ${client} got ${echoes.length} of its ${sends.length} echoes`;
    if (closedAt === undefined || closedAt >= left) {
      return `client ${client} was still being served at ${at(timeline, left)}, when ${firstOf(stayers)} left`;
    }
  }
  const most = maxServedAtOnce({ ...timeline, clients });
  return most === atOnce ? undefined : `${most} of ${joinNames(clients)} were served at the same time, not ${atOnce}`;
}

/**
 * Every one of `clients` sent a message while all of `stayers` were connected, and got its
 * echo only after one of them left: each was held up by them, if not from its first message.
 */
export function heldUpUntilOneLeaves(timeline: Timeline, clients: string[], stayers: string[]): Verdict {
  const problem = everyoneEchoed(timeline, clients);
  if (problem) return problem;
  const left = firstLeft(timeline, stayers);
  for (const client of clients) {
    const { sends, echoes } = clientStory(timeline, client);
    const heldUp = sends.some((send, i) => send.t < left && (echoes[i]?.t ?? Infinity) > left);
    if (!heldUp) return `client ${client} got the echo of every message it sent before ${firstOf(stayers)} left (at ${at(timeline, left)}) while ${firstOf(stayers)} was still there`;
  }
  return undefined;
}

/**
 * White-box: from the moment all of `clients` were waiting (the last message any of them sent
 * before the first of `stayers` left) until that stayer left, the server logged no call at
 * all. Its thread was not busy: it was stuck inside one call.
 */
export function serverStillWhileWaiting(timeline: Timeline, clients: string[], stayers: string[]): Verdict {
  const left = firstLeft(timeline, stayers);
  const lastSendBefore = (client: string) => Math.max(-Infinity, ...clientStory(timeline, client).sends.map((send) => send.t).filter((t) => t < left));
  const from = Math.max(...clients.map(lastSendBefore));
  if (from === -Infinity) return `none of ${joinNames(clients)} sent a message before ${firstOf(stayers)} left (at ${at(timeline, left)})`;
  const call = timeline.events.find((e): e is ServerEvent => e.source === 'server' && e.t > from && e.t < left);
  if (!call) return undefined;
  const on = call.client === undefined ? `connection ${call.conn}` : `client ${call.client}'s connection`;
  return `the server logged a ${call.kind} on ${on} at ${at(timeline, call.t)}, while ${joinNames(clients)} waited for ${firstOf(stayers)} to leave`;
}

/** Each of `clients` completed its connection at once (in under half a retransmission time): the backlog had room for it. */
export function connectedAtOnce(timeline: Timeline, clients: string[]): Verdict {
  for (const client of clients) {
    const ms = connectDelay(timeline, client);
    if (ms === undefined) return `client ${client} never connected`;
    if (ms >= SYN_RETRY_MS / 2) return `client ${client} took ${(ms / 1000).toFixed(2)} s to connect, as if the backlog had been full`;
  }
  return undefined;
}

/** Each of `clients` connected only after its handshake was retried, a second or more: the backlog was full. */
export function connectedOnlyOnRetry(timeline: Timeline, clients: string[]): Verdict {
  for (const client of clients) {
    const ms = connectDelay(timeline, client);
    if (ms === undefined) return `client ${client} never connected`;
    if (ms < RETRIED_CONNECT_MS) return `client ${client} connected after ${(ms / 1000).toFixed(2)} s, so the backlog had room for it`;
  }
  return undefined;
}

/** Each of `clients` got the echo of every message it sent, and was not cut off: whatever another client did, it cost them nothing. */
export function everyEchoBack(timeline: Timeline, clients: string[]): Verdict {
  for (const client of clients) {
    const { sends, echoes, errorCode, wrongEcho } = clientStory(timeline, client);
    if (wrongEcho) return wrongEcho;
    if (errorCode) return `client ${client}'s connection failed with ${errorCode} after ${echoes.length} of its ${sends.length} echoes`;
    if (sends.length === 0 || echoes.length < sends.length) return `client ${client} got ${echoes.length} of the ${sends.length} echoes of what it sent`;
  }
  return undefined;
}
