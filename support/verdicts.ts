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
  distinctServerThreads,
  echoDelays,
  maxServingAtOnce,
  maxServedAtOnce,
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

/** Every client got through first, or a sentence about the first that did not. */
function everyoneEchoed(timeline: Timeline, clients = timeline.clients): Verdict {
  for (const client of clients) {
    const story = clientStory(timeline, client);
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

/** Exactly `expected` clients were served at one moment, and never more. */
export function servedAtOnce(timeline: Timeline, expected: number): Verdict {
  const problem = everyoneEchoed(timeline);
  if (problem) return problem;
  const most = maxServedAtOnce(timeline);
  return most === expected ? undefined : `${most} client(s) were served at the same time, not ${expected}`;
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
 * First come, first served: no client is served a good while (more than the slack) before a
 * client that connected earlier. Clients served side by side may get their echoes in any order.
 */
export function servedInArrivalOrder(timeline: Timeline): Verdict {
  const problem = everyoneEchoed(timeline);
  if (problem) return problem;
  const arrivals = arrivalOrder(timeline);
  const firstEcho = (client: string) => clientStory(timeline, client).firstEcho!;
  for (const [i, earlier] of arrivals.entries()) {
    for (const later of arrivals.slice(i + 1)) {
      if (firstEcho(later) < firstEcho(earlier) - SLACK_TICKS * timeline.tickMs) {
        return `client ${later} was served at ${at(timeline, firstEcho(later))}, before client ${earlier} (at ${at(timeline, firstEcho(earlier))}), which connected before it`;
      }
    }
  }
  return undefined;
}

/**
 * `client` waited for its first echo at least as long as `others` were served one after the
 * other, each from its first echo until it disconnected.
 */
export function waitsForOthersService(timeline: Timeline, client: string, others: string[]): Verdict {
  const problem = everyoneEchoed(timeline, [client, ...others]);
  if (problem) return problem;
  const story = clientStory(timeline, client);
  const waited = story.firstEcho! - story.firstSend!;
  const served = others.reduce((total, other) => {
    const { firstEcho, closedAt } = clientStory(timeline, other);
    return total + (closedAt ?? Infinity) - firstEcho!;
  }, 0);
  if (waited >= served - SLACK_TICKS * timeline.tickMs) return undefined;
  return `client ${client} waited ${span(timeline, waited)} for its first echo, less than the ${span(timeline, served)} that ${joinNames(others)} were served together`;
}

/** Nobody waits for anybody: every client's first echo comes before any other client disconnects. */
export function noClientWaitsForAnother(timeline: Timeline): Verdict {
  const problem = everyoneEchoed(timeline);
  if (problem) return problem;
  for (const client of timeline.clients) {
    const others = timeline.clients.filter((other) => other !== client);
    const firstEcho = clientStory(timeline, client).firstEcho!;
    const leaver = others.find((other) => (clientStory(timeline, other).closedAt ?? Infinity) < firstEcho);
    if (leaver) {
      return `client ${client} got its first echo at ${at(timeline, firstEcho)}, only after client ${leaver} had disconnected at ${at(timeline, clientStory(timeline, leaver).closedAt!)}`;
    }
  }
  return undefined;
}

/** Every echo arrives within `limitTicks` of its message (give or take the slack). */
export function echoesWithin(timeline: Timeline, limitTicks: number): Verdict {
  const problem = everyoneEchoed(timeline);
  if (problem) return problem;
  for (const client of timeline.clients) {
    const { sends } = clientStory(timeline, client);
    const delays = echoDelays(timeline, client);
    if (delays.length < sends.length) return `client ${client} got ${delays.length} of its ${sends.length} echoes`;
    const slow = delays.findIndex((delay) => delay > (limitTicks + SLACK_TICKS) * timeline.tickMs);
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

/**
 * A client whose handshake packet the kernel dropped (the listen backlog was full) sends it
 * again after a second, Linux's first retransmission timeout: its connect takes that long
 * at least, however idle or busy the machine. A connect on loopback otherwise takes well
 * under a millisecond; anything under half the retransmission time was let in at once.
 */
export const SYN_RETRY_MS = 1000;

const connectMs = (timeline: Timeline, client: string) => {
  const { connectingAt, connectedAt } = clientStory(timeline, client);
  return connectingAt === undefined || connectedAt === undefined ? undefined : connectedAt - connectingAt;
};

/** Each of `clients` completed its connection at once: the backlog had room for it. */
export function connectedAtOnce(timeline: Timeline, clients: string[]): Verdict {
  for (const client of clients) {
    const ms = connectMs(timeline, client);
    if (ms === undefined) return `client ${client} never connected`;
    if (ms >= SYN_RETRY_MS / 2) return `client ${client} took ${(ms / 1000).toFixed(2)} s to connect, as if the backlog had been full`;
  }
  return undefined;
}

/** Each of `clients` connected only after its handshake was retried, a second or more: the backlog was full. */
export function connectedOnlyOnRetry(timeline: Timeline, clients: string[]): Verdict {
  for (const client of clients) {
    const ms = connectMs(timeline, client);
    if (ms === undefined) return `client ${client} never connected`;
    // a tenth off the retransmission time: its first packet left just after the 'connecting' mark
    if (ms < SYN_RETRY_MS * 0.9) return `client ${client} connected after ${(ms / 1000).toFixed(2)} s, so the backlog had room for it`;
  }
  return undefined;
}
