/**
 * The remedies' claims as checks on a timeline (features/11-remedies-for-slow-clients.feature):
 * who the server cut off, how and when, and who was served once it had. Each returns undefined
 * when the timeline bears the claim out, or one sentence saying what happened instead. Pure: no
 * clock, no sockets.
 *
 * When a cut-off came is judged from what the client saw: the server cannot have counted from
 * earlier than the client's last word (it had that word after the client sent it) or than its
 * connect, so a cut-off is never allowed to come before its limit; it may come CUT_LATE_TICKS
 * after it, as a busy machine wakes a waiting server late.
 */
import { clientStory, closedByServer, ticks, ticksSinceOrigin } from './timeline/query';
import type { ClientEvent, Timeline } from './timeline/types';
import { SLACK_TICKS, type Verdict } from './verdicts';

/** How much later than its limit a cut-off may come, in ticks. */
export const CUT_LATE_TICKS = 3;

/** The limit a server is said to cut a client off at. */
export type Limit =
  | { kind: 'silence'; ms: number }
  | { kind: 'lifetime'; ms: number }
  | { kind: 'rate'; bytesPerSecond: number; graceMs: number };

/** Clock stamps are floats: a cut-off this close to its limit is at the limit. */
const STAMP_MS = 1;

const at = (timeline: Timeline, t: number) => `tick ${ticksSinceOrigin(timeline, t).toFixed(2)}`;
const span = (timeline: Timeline, ms: number) => `${ticks(timeline, ms).toFixed(2)} ticks`;
const joinNames = (names: string[]) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);

/** The server closed on `client`, neither before its limit nor more than CUT_LATE_TICKS after it. */
export function cutOffAtLimit(timeline: Timeline, client: string, limit: Limit): Verdict {
  const cut = closedByServer(timeline, client);
  if (!cut) return notCutOff(timeline, client);
  const story = clientStory(timeline, client);
  if (story.connectingAt === undefined) return `client ${client} never connected`;
  const { from, allowedMs, what } = reckoning(timeline, client, story.connectingAt, cut.t, limit);
  const after = cut.t - from;
  const when = `${span(timeline, after)} after ${what}, at ${at(timeline, cut.t)} (${cut.how === 'FIN' ? 'a FIN' : 'a reset'})`;
  const allowed = `the ${span(timeline, allowedMs)} it allows`;
  if (after < allowedMs - STAMP_MS) return `the server closed ${client}'s connection sooner than ${allowed}: ${when}`;
  const lateMs = CUT_LATE_TICKS * timeline.tickMs + (timeline.harnessLateMs ?? 0);
  if (after > allowedMs + lateMs) return `the server closed ${client}'s connection more than ${CUT_LATE_TICKS} ticks later than ${allowed}: ${when}`;
  return undefined;
}

/** What a limit counts from, how long it allows from then, and how to say so. */
function reckoning(timeline: Timeline, client: string, connectingAt: number, cutAt: number, limit: Limit): { from: number; allowedMs: number; what: string } {
  if (limit.kind === 'lifetime') return { from: connectingAt, allowedMs: limit.ms, what: 'it connected' };
  const sends = ownSends(timeline, client).filter((send) => send.t < cutAt);
  if (limit.kind === 'silence') {
    const last = sends.at(-1);
    return last ? { from: last.t, allowedMs: limit.ms, what: 'its last word' } : { from: connectingAt, allowedMs: limit.ms, what: 'it connected, silent since' };
  }
  return { from: connectingAt, allowedMs: rateDeadline(connectingAt, sends, limit) - connectingAt, what: 'it connected' };
}

/**
 * The latest a rate floor lets a client stay, in ms on the clock: its grace, and for every byte
 * it had sent by then, 1/rate of a second more (Apache's MinRate). A floor that averages
 * differently cuts sooner, never later, so this is the bound to judge by.
 */
export function rateDeadline(connectingAt: number, sends: { t: number; bytes?: number }[], { bytesPerSecond, graceMs }: { bytesPerSecond: number; graceMs: number }): number {
  let deadline = connectingAt + graceMs;
  for (const send of sends) {
    if (send.t > deadline) break;
    deadline += ((send.bytes ?? 0) * 1000) / bytesPerSecond;
  }
  return deadline;
}

const ownSends = (timeline: Timeline, client: string) =>
  timeline.events.filter((e): e is ClientEvent => e.source === 'client' && e.client === client && e.kind === 'send');

/** How a client that the server did not cut off ended. */
function notCutOff(timeline: Timeline, client: string): string {
  const story = clientStory(timeline, client);
  if (story.closedAt !== undefined && (story.error === undefined || story.closedAt < story.error)) {
    return `the server never cut ${client} off: ${client} left when it chose, at ${at(timeline, story.closedAt)}`;
  }
  if (story.errorCode !== undefined) return `the server never cut ${client} off: its connection ended with ${story.errorCode}`;
  return `the server never cut ${client} off`;
}

/** The server never closed on `client`: it left when it chose. */
export function neverCutOff(timeline: Timeline, client: string): Verdict {
  const cut = closedByServer(timeline, client);
  if (cut) return `the server cut ${client} off (${cut.how === 'FIN' ? 'a FIN' : 'a reset'}) at ${at(timeline, cut.t)}`;
  return leftWhenItChose(timeline, client);
}

/** `client` got an echo of every message it sent, and then closed its connection itself. */
export function leftWhenItChose(timeline: Timeline, client: string): Verdict {
  const story = clientStory(timeline, client);
  if (story.errorCode !== undefined) return story.wrongEcho ?? `client ${client}'s connection ended with ${story.errorCode} at ${at(timeline, story.error!)}`;
  if (story.sends.length === 0) return `client ${client} never sent anything`;
  if (story.echoes.length < story.sends.length) return `client ${client} got ${story.echoes.length} of its ${story.sends.length} echoes`;
  if (story.closedAt === undefined) return `client ${client} never closed its connection`;
  return undefined;
}

/**
 * Every client was served in full and left when it chose, and none got its first echo before
 * the first of `cut` was cut off (by more than SLACK_TICKS: the two reach the clients' process
 * at once, in either order): they had to wait for the remedy.
 */
export function servedOnceCutOff(timeline: Timeline, clients: string[], cut: string[]): Verdict {
  const cuts = cut.flatMap((name) => closedByServer(timeline, name)?.t ?? []);
  if (cuts.length === 0) return `the server never cut ${joinNames(cut)} off`;
  const firstCut = Math.min(...cuts);
  for (const client of clients) {
    const unserved = leftWhenItChose(timeline, client);
    if (unserved) return unserved;
    const { firstEcho } = clientStory(timeline, client);
    // the cut-off and an echo on another connection may reach the clients' process in either order
    if (firstEcho! < firstCut - SLACK_TICKS * timeline.tickMs) return `client ${client} got its first echo at ${at(timeline, firstEcho!)}, before anyone was cut off (${at(timeline, firstCut)})`;
  }
  return undefined;
}

/** `client` was busy until the server cut it off: every message it sent before then came back, but for one on its way. */
export function echoedUntilCutOff(timeline: Timeline, client: string): Verdict {
  const cut = closedByServer(timeline, client);
  if (!cut) return notCutOff(timeline, client);
  const sent = ownSends(timeline, client).filter((send) => send.t < cut.t).length;
  const { echoes } = clientStory(timeline, client);
  if (echoes.length < 2 || echoes.length < sent - 1) return `client ${client} got ${echoes.length} of the ${sent} messages it sent before it was cut off back: it was not busy`;
  return undefined;
}

/** No echo of `message` ever came back to `client`. */
export function neverEchoed(timeline: Timeline, client: string, message: string): Verdict {
  const echo = clientStory(timeline, client).echoes.find((e) => e.message === message);
  return echo && `client ${client} got ${JSON.stringify(message)} back at ${at(timeline, echo.t)}`;
}

/** `first` got its first echo before each of `others` got theirs. */
export function servedBefore(timeline: Timeline, first: string, others: string[]): Verdict {
  const firstEcho = clientStory(timeline, first).firstEcho;
  if (firstEcho === undefined) return `client ${first} never got an echo`;
  for (const other of others) {
    const echo = clientStory(timeline, other).firstEcho;
    if (echo !== undefined && echo < firstEcho) return `client ${other} was served at ${at(timeline, echo)}, before ${first} (${at(timeline, firstEcho)})`;
  }
  return undefined;
}

/**
 * `client` got its first echo only after every one of `favoured` got theirs, though it
 * connected before most of them (else the claim would say nothing).
 */
export function servedAfterAll(timeline: Timeline, client: string, favoured: string[]): Verdict {
  const story = clientStory(timeline, client);
  if (story.firstEcho === undefined || story.connectingAt === undefined) return `client ${client} was never served`;
  const later = favoured.filter((name) => (clientStory(timeline, name).connectingAt ?? -Infinity) > story.connectingAt!);
  if (later.length * 2 < favoured.length) return `client ${client} came after most of ${joinNames(favoured)} (${later.length} of them came later), so it says nothing that they were served first`;
  for (const name of favoured) {
    const echo = clientStory(timeline, name).firstEcho;
    if (echo === undefined) return `client ${name} was never served`;
    if (echo > story.firstEcho) return `client ${client} was served at ${at(timeline, story.firstEcho)}, before ${name} (${at(timeline, echo)})`;
  }
  return undefined;
}

/** Every newcomer that asked was answered in time (the timeline's row of the service). */
export function alwaysAnswered(timeline: Timeline): Verdict {
  const asked = timeline.service ?? [];
  if (asked.length === 0) return 'no newcomer asked for an echo';
  const unanswered = asked.filter(({ answered }) => !answered);
  if (unanswered.length === 0) return undefined;
  return `${unanswered.length} of ${asked.length} newcomers were not answered in time: those who asked at ${unanswered.map(({ t }) => at(timeline, t)).join(', ')}`;
}
