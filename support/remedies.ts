/**
 * The remedies for slow clients (features/11-remedies-for-slow-clients.feature): how a
 * scenario words one, what a server is told for it, and the clients that show a remedy at work
 * and what it costs. The feature describes these clients in words: keep the two in step.
 *
 * A scenario words its limits in ticks; `echolab serve` and `echolab check` take them in
 * milliseconds and bytes a second. Under check the server's own claims replace the scenario's
 * numbers, so every client here is timed from the limits it is given, never from fixed ticks:
 * a client that is to be silent "for longer than that" is silent longer than whatever the limit is.
 */
import { articleScripts, type ClientScript } from './clients';
import { slowClientsFirst, tricklersFirst } from './slow-clients';
import { usageError } from '../core/errors';
import type { ServeSettings } from '../core/models';

/** What a server does about slow clients, in the units its options take (`serve` and `check` alike). */
export type Remedies = Pick<ServeSettings, 'idleTimeoutMs' | 'maxLifetimeMs' | 'minRate' | 'minRateGraceMs' | 'priorityFrom'>;

export const REMEDY_KINDS = ['idle-timeout', 'max-lifetime', 'min-rate', 'priority'] as const;
export type RemedyKind = (typeof REMEDY_KINDS)[number];

/** Which remedies a server claims, by the names of their options. */
export function remedyKinds(remedies: Remedies): RemedyKind[] {
  const claimed: [RemedyKind, unknown][] = [
    ['idle-timeout', remedies.idleTimeoutMs],
    ['max-lifetime', remedies.maxLifetimeMs],
    ['min-rate', remedies.minRate],
    ['priority', remedies.priorityFrom],
  ];
  return claimed.filter(([, value]) => value !== undefined).map(([kind]) => kind);
}

/** A remedy as a scenario words it (the {remedy} parameter). */
export interface RemedyWords {
  kind: RemedyKind;
  /** the remedy in a server's units, for a tick of `tickMs` */
  settings: (tickMs: number) => Remedies;
}

const WORDINGS: { pattern: RegExp; words: (match: RegExpMatchArray) => RemedyWords }[] = [
  {
    pattern: /^closes connections idle for (\d+) ticks?$/,
    words: ([, ticks]) => ({ kind: 'idle-timeout', settings: (tickMs) => ({ idleTimeoutMs: Number(ticks) * tickMs }) }),
  },
  {
    pattern: /^closes every connection (\d+) ticks? after it began$/,
    words: ([, ticks]) => ({ kind: 'max-lifetime', settings: (tickMs) => ({ maxLifetimeMs: Number(ticks) * tickMs }) }),
  },
  {
    pattern: /^closes connections sending less than (\d+) bytes a tick, after a grace of (\d+) ticks?$/,
    words: ([, bytes, grace]) => ({
      kind: 'min-rate',
      settings: (tickMs) => ({ minRate: (Number(bytes) * 1000) / tickMs, minRateGraceMs: Number(grace) * tickMs }),
    }),
  },
  {
    pattern: /^serves clients from (\d+\.\d+\.\d+\.\d+) first$/,
    words: ([, from]) => ({ kind: 'priority', settings: () => ({ priorityFrom: from }) }),
  },
];

/** Every wording a scenario may use, as one pattern (no groups of its own: cucumber hands the whole match over). */
export const REMEDY_PATTERN = new RegExp(WORDINGS.map(({ pattern }) => pattern.source.slice(1, -1).replace(/\((?!\?)/g, '(?:')).join('|'));

export function parseRemedy(text: string): RemedyWords {
  for (const { pattern, words } of WORDINGS) {
    const match = text.match(pattern);
    if (match) return words(match);
  }
  throw usageError(`"${text}" is not a remedy the scenarios know`);
}

/** A limit in whole ticks, rounded up: a client that is to outlast it waits at least this long. */
const ticksOf = (ms: number, tickMs: number) => Math.ceil(ms / tickMs);

/** Ticks past a limit that a client outlasting it waits: enough that it is plainly past it. */
const PAST_THE_LIMIT_TICKS = 2;

/** The limits a scenario's clients are timed from, in ticks of the run. */
export interface LimitsInTicks {
  idle: number;
  lifetime: number;
  grace: number;
  /** bytes a tick */
  rate: number;
}

export function limitsInTicks(remedies: Remedies, tickMs: number): LimitsInTicks {
  return {
    idle: ticksOf(remedies.idleTimeoutMs ?? 0, tickMs),
    lifetime: ticksOf(remedies.maxLifetimeMs ?? 0, tickMs),
    grace: ticksOf(remedies.minRateGraceMs ?? 0, tickMs),
    rate: ((remedies.minRate ?? 0) * tickMs) / 1000,
  };
}

/** The article's clients after slow clients who are silent longer than the idle timeout before each of their words. */
export const afterSilentClients = (slow: string[], names: string[], { idle }: LimitsInTicks) =>
  slowClientsFirst(slow, names, ['Hello', 'World!'], 1, idle + PAST_THE_LIMIT_TICKS);

/**
 * The article's clients after slow clients who send one byte a tick: for `ticks` ticks, or
 * else for as long as a rate floor of at least 2 bytes a tick takes to cut such a client off
 * after its grace (twice the grace) and a few ticks more.
 */
export const afterTricklers = (slow: string[], names: string[], { grace }: LimitsInTicks, ticks = 2 * grace + 2 * PAST_THE_LIMIT_TICKS) =>
  tricklersFirst(slow, names, ticks);

/**
 * The article's clients after slow clients who say a word every two thirds of the lifetime
 * limit: one word before it is up, none just as it is, and all of them take more than twice as long.
 */
export const afterLongStayers = (slow: string[], names: string[], { lifetime }: LimitsInTicks) =>
  slowClientsFirst(slow, names, ['Hello', 'World!'], 1, Math.ceil((2 * lifetime) / 3));

/** A client who sends one message, then thinks longer than the idle timeout before the next. */
export const thinker = (name: string, [first, second]: string[], { idle }: LimitsInTicks): ClientScript => ({
  name,
  messages: [first, second],
  pauseTicks: [1, idle + PAST_THE_LIMIT_TICKS],
});

/** A client who waits a third of the grace period before each message. */
export const withinGrace = (name: string, messages: string[], { grace }: LimitsInTicks): ClientScript => ({
  name,
  messages,
  pauseTicks: grace / 3,
});

/** A client who thinks past its grace period before its first word. */
export const lateFirstWord = (name: string, message: string, { grace }: LimitsInTicks): ClientScript => ({
  name,
  messages: [message],
  pauseTicks: grace + PAST_THE_LIMIT_TICKS,
});

/** A client who sends the same message every tick for longer than the lifetime limit. */
export const busyTalker = (name: string, message: string, { lifetime }: LimitsInTicks): ClientScript => ({
  name,
  messages: Array<string>(lifetime + PAST_THE_LIMIT_TICKS + 1).fill(message),
  pauseTicks: 1,
});

/**
 * Two slow clients take a pool's two threads, each for a few ticks; two clients queue for a
 * thread; then a client from the favoured address arrives, last. The caller starts them a
 * tenth of a tick apart, in this order.
 */
export function favouredArrivesLast([s, t]: string[], waiting: string[], favoured: string, from: string): ClientScript[] {
  return [
    { name: s, messages: ['Hello'], holdTicks: 2 },
    { name: t, messages: ['Hello'], holdTicks: 3 },
    ...articleScripts(waiting, ['Hello']),
    { name: favoured, messages: ['Hello'], from },
  ];
}

/**
 * A client waits for a thread of a pool of two while favoured clients keep arriving, one a
 * tick, the first two before it: each favoured one holds a thread for longer than two ticks,
 * so one is always waiting whenever a thread comes free. The caller starts them a tick apart,
 * in this order.
 */
export function favouredStream(waiting: string, favoured: string[], from: string): ClientScript[] {
  const favour = (name: string): ClientScript => ({ name, messages: ['Hello', 'World!'], holdTicks: 2, from });
  return [...favoured.slice(0, 2).map(favour), { name: waiting, messages: ['Hello'] }, ...favoured.slice(2).map(favour)];
}
