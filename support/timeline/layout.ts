/**
 * What a timeline chart shows, in ticks since the origin. The text and SVG renderers both draw
 * this, so they always tell the same story; each only decides how to put it on its medium.
 */
import { closingOf, clientStory, serverConnections, ticksSinceOrigin, type ServerClosingHow } from './query';
import type { ClientEvent, ClientEventKind, ServerEventKind, Timeline } from './types';

/**
 * A moment worth a mark on a client's lane ('connecting' is not: on a local machine it is the
 * same moment as 'connected'). An 'error' with which the server ended the connection is told
 * apart by how: 'closedByServer' (its FIN) or 'resetByServer'; any other stays an 'error'.
 */
export type MarkKind = Exclude<ClientEventKind, 'connecting'> | 'closedByServer' | 'resetByServer';

const CLOSING_MARK: Record<ServerClosingHow, MarkKind> = { FIN: 'closedByServer', reset: 'resetByServer' };

/** A client's event that gets a mark. */
type MarkedEvent = ClientEvent & { kind: Exclude<ClientEventKind, 'connecting'> };

/** Everything a chart can show, in the order the legend lists it. */
export type Feature = MarkKind | 'idle' | 'waiting' | 'serving' | 'answered' | 'unanswered';
const FEATURES: readonly Feature[] = [
  'connected',
  'idle',
  'send',
  'waiting',
  'echo',
  'closed',
  'closedByServer',
  'resetByServer',
  'error',
  'serving',
  'answered',
  'unanswered',
];

/** The legend's words for each feature. */
export const MEANING: Record<Feature, string> = {
  connected: 'connected',
  idle: 'idle',
  send: 'sent',
  waiting: 'waiting for echo',
  echo: 'echo',
  closed: 'disconnected',
  closedByServer: 'disconnected by the server (FIN)',
  resetByServer: 'reset by the server',
  error: 'error',
  serving: 'serving',
  answered: 'a newcomer answered within a tick',
  unanswered: 'a newcomer not answered',
};

/** From one tick to another. */
export interface Span {
  from: number;
  to: number;
}

export interface Mark {
  kind: MarkKind;
  at: number;
  /** a sentence for a tooltip, e.g. `B sent "Hello" at tick 1.00` */
  note: string;
}

export interface ClientLane {
  name: string;
  /** from connected until closed, failed, or the end of the run */
  connected: Span | undefined;
  /** from each send until its echo (or the end of the connection): drawn over `connected` */
  waiting: Span[];
  /** in time order */
  marks: Mark[];
}

/** A server thread's work on one connection: from its first call on it to its last. */
export interface Serving extends Span {
  /** the client's name, or '?' when the server's log could not match the connection to a client */
  client: string;
}

/** One call a server thread made, labelled with the client it was for. */
export interface Call {
  at: number;
  client: string;
  kind: ServerEventKind;
}

export interface ThreadLane {
  thread: number;
  name: string;
  serving: Serving[];
  /** in time order */
  calls: Call[];
}

export interface Layout {
  tickMs: number;
  /** the chart's last tick: chartEndTick, or the `endTick` asked for if later */
  endTick: number;
  clients: ClientLane[];
  /** empty unless the timeline has server events; ascending thread ids */
  threads: ThreadLane[];
  /** the newcomers that asked every tick whether the service answers (empty where nobody asked) */
  service: { at: number; answered: boolean }[];
  /** what the chart shows, in legend order, so a legend lists nothing absent */
  features: Feature[];
}

export interface LayoutOptions {
  /** draw the axis at least this far, so that several timelines can share one (see chartEndTick) */
  endTick?: number;
}

/** The chart of a timeline, ready to draw. */
export function layoutTimeline(timeline: Timeline, { endTick = 0 }: LayoutOptions = {}): Layout {
  const lastT = lastMoment(timeline);
  const clients = timeline.clients.map((name) => clientLane(timeline, name, lastT));
  const threads = threadLanes(timeline);
  const shown = new Set<Feature>(clients.flatMap((lane) => lane.marks.map((m) => m.kind)));
  if (clients.some((lane) => lane.connected)) shown.add('idle');
  if (clients.some((lane) => lane.waiting.length > 0)) shown.add('waiting');
  if (threads.length > 0) shown.add('serving');
  const service = (timeline.service ?? []).map(({ t, answered }) => ({ at: ticksSinceOrigin(timeline, t), answered }));
  for (const { answered } of service) shown.add(answered ? 'answered' : 'unanswered');
  return {
    tickMs: timeline.tickMs,
    endTick: Math.max(chartEndTick(timeline), Math.ceil(endTick)), // a whole tick, as the rulers expect
    clients,
    threads,
    service,
    features: FEATURES.filter((f) => shown.has(f)),
  };
}

/** The last tick of a timeline's own chart: the first whole tick at or after its last event (at least 1). */
export function chartEndTick(timeline: Timeline): number {
  return Math.max(1, Math.ceil(ticksSinceOrigin(timeline, lastMoment(timeline))));
}

function lastMoment(timeline: Timeline): number {
  return timeline.events.at(-1)?.t ?? timeline.origin;
}

/**
 * The smallest of 1, 2, 5, 10, 20, 50, … that is at least `atLeast` (which must be > 0):
 * round steps for ruler labels and scales.
 */
export function niceStep(atLeast: number): number {
  for (let power = 1; ; power *= 10) {
    for (const m of [1, 2, 5]) if (m * power >= atLeast) return m * power;
  }
}

function clientLane(timeline: Timeline, name: string, lastT: number): ClientLane {
  const tick = (t: number) => ticksSinceOrigin(timeline, t);
  const story = clientStory(timeline, name);
  const end = story.closedAt ?? story.error ?? lastT;
  const span = (from: number, to: number): Span => ({ from: tick(from), to: tick(to) });
  // each closing by its own code: a lane may hold several connections, one after another
  const kindOf = (e: MarkedEvent): MarkKind => {
    const how = story.connectedAt !== undefined && story.connectedAt <= e.t ? closingOf(e) : undefined;
    return how === undefined ? e.kind : CLOSING_MARK[how];
  };
  const marks = timeline.events
    .filter((e): e is MarkedEvent => e.source === 'client' && e.client === name && e.kind !== 'connecting')
    .map((e) => {
      const kind = kindOf(e);
      return { kind, at: tick(e.t), note: `${name} ${describe(kind, e)} at tick ${tick(e.t).toFixed(2)}` };
    });
  return {
    name,
    connected: story.connectedAt === undefined ? undefined : span(story.connectedAt, end),
    waiting: story.sends.map((send, i) => span(send.t, story.echoes[i]?.t ?? end)),
    marks,
  };
}

function describe(kind: MarkKind, e: ClientEvent): string {
  const quoted = e.message === undefined ? '' : ` ${JSON.stringify(e.message)}`;
  switch (kind) {
    case 'connected':
      return 'connected';
    case 'send':
      return `sent${quoted}`;
    case 'echo':
      return `got the echo${quoted}`;
    case 'closed':
      return 'disconnected';
    case 'closedByServer':
      return 'was disconnected by the server (FIN)';
    case 'resetByServer':
      return 'was reset by the server';
    case 'error':
      return `failed${e.code === undefined ? '' : ` (${e.code})`}`;
  }
}

/** One lane per server thread, with the stretch it spent on each connection and every call it made. */
function threadLanes(timeline: Timeline): ThreadLane[] {
  const tick = (t: number) => ticksSinceOrigin(timeline, t);
  const lanes = new Map<number, ThreadLane>();
  const laneOf = (thread: number) => {
    const lane = lanes.get(thread) ?? { thread, name: `thread ${thread}`, serving: [], calls: [] };
    lanes.set(thread, lane);
    return lane;
  };
  for (const { client = '?', events } of serverConnections(timeline)) {
    for (const e of events) laneOf(e.thread).calls.push({ at: tick(e.t), client, kind: e.kind });
    for (const thread of new Set(events.map((e) => e.thread))) {
      const own = events.filter((e) => e.thread === thread);
      laneOf(thread).serving.push({ client, from: tick(own[0].t), to: tick(own[own.length - 1].t) });
    }
  }
  // connections come one after another, so put each thread's work back in time order
  for (const lane of lanes.values()) {
    lane.serving.sort((a, b) => a.from - b.from);
    lane.calls.sort((a, b) => a.at - b.at);
  }
  return [...lanes.values()].sort((a, b) => a.thread - b.thread);
}
