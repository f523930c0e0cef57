/**
 * The timeline as a standalone SVG swimlane chart (for the HTML report): the same picture as the
 * text chart, drawn from the same layout, with a tooltip on every mark. No external resources.
 */
import { layoutTimeline, MEANING, niceStep, type ClientLane, type Feature, type Layout, type MarkKind, type ThreadLane } from './layout';
import type { Timeline } from './types';

const CHART_WIDTH = 800;
const LANE_HEIGHT = 30;
const RULER_HEIGHT = 30;
const LEGEND_HEIGHT = 36;
/** between the legend's lines, when its items do not fit the chart's width on one */
const LEGEND_LINE = 22;
export const CHAR_WIDTH = 7.2; // of the 12px monospace font, to size labels and the legend

const INK = '#333';
const COLOUR = { send: '#1f6fb4', echo: '#2a9d3a', waiting: '#f4a340', idle: '#aaa', error: '#d62728', closing: '#a63603', grid: '#e6e6e6' };
/** One colour per client, shared by its lane label and the thread bars serving it (no orange: that is waiting). */
const CLIENT_COLOURS = ['#4e79a7', '#59a14f', '#b07aa1', '#76b7b2', '#9c755f', '#e15759', '#edc948', '#bab0ac'];

export interface SvgOptions {
  /** draw the axis at least this far, to line several charts up (see chartEndTick) */
  endTick?: number;
  /** the key to the symbols under the lanes (default true): charts drawn together need it once */
  legend?: boolean;
}

/** A swimlane chart of the timeline as an SVG document. */
export function renderSvg(timeline: Timeline, { endTick, legend: withLegend = true }: SvgOptions = {}): string {
  const layout = layoutTimeline(timeline, { endTick });
  const names = [...layout.clients, ...layout.threads].map((lane) => lane.name);
  const left = Math.max(...names.map((name) => name.length), 4) * CHAR_WIDTH + 20;
  const x = (tick: number) => px(left + (Math.max(0, tick) * CHART_WIDTH) / layout.endTick);
  const colourOf = (client: string) => {
    const i = timeline.clients.indexOf(client);
    return i < 0 ? INK : CLIENT_COLOURS[i % CLIENT_COLOURS.length];
  };
  const laneY = (i: number) => RULER_HEIGHT + LANE_HEIGHT * (i + 0.5);
  const serviceLanes = layout.service.length > 0 ? 1 : 0;
  const threadsTop = layout.clients.length + serviceLanes + (layout.threads.length > 0 ? 0.5 : 0); // half a lane apart
  const lanesBottom = RULER_HEIGHT + LANE_HEIGHT * (threadsTop + layout.threads.length);
  const width = px(left + CHART_WIDTH + 20);
  const key = withLegend ? legend(layout, left, left + CHART_WIDTH, lanesBottom + LEGEND_HEIGHT / 2) : undefined;
  const height = px(lanesBottom + (key ? LEGEND_HEIGHT + (key.lines - 1) * LEGEND_LINE : RULER_HEIGHT / 3));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="12">`,
    '<title>echolab timeline</title>',
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    grid(layout, x, lanesBottom),
    ...layout.clients.map((lane, i) => clientLane(lane, x, laneY(i), colourOf(lane.name))),
    serviceLanes > 0 ? serviceLane(layout.service, x, laneY(layout.clients.length)) : '',
    ...layout.threads.map((lane, i) => threadLane(lane, x, laneY(threadsTop + i), colourOf)),
    key?.svg ?? '',
    '</svg>',
  ].join('\n');
}

/** A vertical line at every tick that has room, a darker one and a number at round ticks. */
function grid(layout: Layout, x: (tick: number) => number, bottom: number): string {
  const pxPerTick = CHART_WIDTH / layout.endTick;
  const minor = niceStep(8 / pxPerTick);
  const labelled = niceStep(40 / pxPerTick);
  const parts: string[] = [];
  for (let tick = 0; tick <= layout.endTick; tick += minor) {
    const round = tick % labelled === 0;
    parts.push(`<line x1="${x(tick)}" y1="${RULER_HEIGHT - 6}" x2="${x(tick)}" y2="${bottom}" stroke="${round ? '#ccc' : COLOUR.grid}"/>`);
    if (round) parts.push(`<text x="${x(tick)}" y="${RULER_HEIGHT - 10}" text-anchor="middle" fill="${INK}">${tick}</text>`);
  }
  return `<g class="ticks">${parts.join('')}</g>`;
}

function clientLane(lane: ClientLane, x: (tick: number) => number, y: number, colour: string): string {
  const parts = [label(lane.name, y, colour)];
  if (lane.connected) parts.push(hLine(x(lane.connected.from), x(lane.connected.to), y));
  for (const span of lane.waiting) parts.push(bar(x(span.from), x(span.to), y, 8, COLOUR.waiting));
  for (const mark of lane.marks) parts.push(`<g>${markShape(mark.kind, x(mark.at), y)}<title>${escapeXml(mark.note)}</title></g>`);
  return `<g class="lane client">${parts.join('')}</g>`;
}

/** A square for each newcomer that asked whether the service answers: green if it was answered within a tick, red if not. */
function serviceLane(service: Layout['service'], x: (tick: number) => number, y: number): string {
  const parts = [label('service', y, INK)];
  for (const { at, answered } of service) {
    const note = `a newcomer at tick ${at.toFixed(2)} was ${answered ? '' : 'not '}answered within a tick`;
    parts.push(`<g>${probeSquare(answered, x(at), y)}<title>${escapeXml(note)}</title></g>`);
  }
  return `<g class="lane service">${parts.join('')}</g>`;
}

function probeSquare(answered: boolean, x: number, y: number): string {
  return `<rect x="${px(x - 4)}" y="${px(y - 4)}" width="8" height="8" fill="${answered ? COLOUR.echo : COLOUR.error}"/>`;
}

/**
 * A bar in the client's colour while the thread works on its connection, a notch at each call,
 * and the client's name in its bar where it fits. A thread serving several at once (a select
 * loop) has bars on top of each other: a name goes after the one before it, or not at all.
 */
function threadLane(lane: ThreadLane, x: (tick: number) => number, y: number, colourOf: (client: string) => string): string {
  const parts = [label(lane.name, y, INK)];
  let lastNameEnd = -Infinity;
  for (const span of lane.serving) {
    const [from, to] = [x(span.from), x(span.to)];
    parts.push(bar(from, to, y, 16, colourOf(span.client), 0.35));
    const nameAt = Math.max(from + 2, lastNameEnd + 2);
    const nameEnd = nameAt + span.client.length * CHAR_WIDTH;
    if (nameEnd + 2 <= to) {
      parts.push(`<text x="${px(nameAt)}" y="${px(y + 4)}" fill="${colourOf(span.client)}" font-weight="bold">${escapeXml(span.client)}</text>`);
      lastNameEnd = nameEnd;
    }
  }
  for (const call of lane.calls) {
    const note = `${lane.name}: ${call.kind} for ${call.client} at tick ${call.at.toFixed(2)}`;
    const notch = `<line x1="${x(call.at)}" y1="${px(y - 8)}" x2="${x(call.at)}" y2="${px(y + 8)}" stroke="${colourOf(call.client)}" stroke-width="1.5"/>`;
    parts.push(`<g>${notch}<title>${escapeXml(note)}</title></g>`);
  }
  return `<g class="lane thread">${parts.join('')}</g>`;
}

/**
 * One sample and its meaning per feature shown, in a row under the lanes from `left`, going on
 * on another line below where the next would pass `right`; and how many lines it took.
 */
function legend(layout: Layout, left: number, right: number, top: number): { svg: string; lines: number } {
  const parts: string[] = [];
  let [at, y, lines] = [left, top, 1];
  const room = (width: number) => {
    if (at > left && at + width > right) [at, y, lines] = [left, y + LEGEND_LINE, lines + 1];
  };
  for (const feature of layout.features) {
    const width = 20 + MEANING[feature].length * CHAR_WIDTH;
    room(width);
    parts.push(sample(feature, at + 8, y), `<text x="${px(at + 20)}" y="${px(y + 4)}" fill="${INK}">${MEANING[feature]}</text>`);
    at += width + 16;
  }
  const scale = `1 tick = ${layout.tickMs} ms`;
  room(scale.length * CHAR_WIDTH);
  parts.push(`<text x="${px(at)}" y="${px(y + 4)}" fill="${INK}">${scale}</text>`);
  return { svg: `<g class="legend">${parts.join('')}</g>`, lines };
}

function sample(feature: Feature, x: number, y: number): string {
  switch (feature) {
    case 'idle':
      return hLine(x - 8, x + 8, y);
    case 'waiting':
      return bar(x - 8, x + 8, y, 8, COLOUR.waiting);
    case 'serving':
      return bar(x - 8, x + 8, y, 16, CLIENT_COLOURS[0], 0.35);
    case 'answered':
    case 'unanswered':
      return probeSquare(feature === 'answered', x, y);
    case 'send': // centred on the legend's line, not above it as on a lane
      return markShape(feature, x, y + 8);
    case 'echo':
      return markShape(feature, x, y - 8);
    default:
      return markShape(feature, x, y);
  }
}

/** Sent above the lane pointing up (the message leaves), echo below pointing down (it comes back): both stay visible when they coincide. */
function markShape(kind: MarkKind, x: number, y: number): string {
  switch (kind) {
    case 'connected':
      return `<circle cx="${x}" cy="${y}" r="4.5" fill="${INK}"/>`;
    case 'send':
      return triangle(x, y - 12, y - 4, COLOUR.send);
    case 'echo':
      return triangle(x, y + 12, y + 4, COLOUR.echo);
    case 'closed':
      return `<rect x="${px(x - 4)}" y="${px(y - 4)}" width="8" height="8" fill="${INK}"/>`;
    case 'closedByServer': // a wall across the lane: the server shut its side
      return `<rect class="fin" x="${px(x - 1.5)}" y="${px(y - 9)}" width="3" height="18" fill="${COLOUR.closing}"/>`;
    case 'resetByServer': // a cross in a ring, as the text chart's ⊗
      return (
        `<g class="reset" stroke="${COLOUR.error}" stroke-width="2" fill="none"><circle cx="${x}" cy="${y}" r="6.5"/>` +
        `<path d="M${px(x - 4)} ${px(y - 4)}L${px(x + 4)} ${px(y + 4)}M${px(x + 4)} ${px(y - 4)}L${px(x - 4)} ${px(y + 4)}"/></g>`
      );
    case 'error':
      return `<path d="M${px(x - 5)} ${px(y - 5)}L${px(x + 5)} ${px(y + 5)}M${px(x + 5)} ${px(y - 5)}L${px(x - 5)} ${px(y + 5)}" stroke="${COLOUR.error}" stroke-width="2.5"/>`;
  }
}

function triangle(x: number, tipY: number, baseY: number, fill: string): string {
  return `<polygon points="${px(x)},${px(tipY)} ${px(x - 4.5)},${px(baseY)} ${px(x + 4.5)},${px(baseY)}" fill="${fill}"/>`;
}

function bar(from: number, to: number, y: number, height: number, fill: string, opacity = 1): string {
  const faded = opacity < 1 ? ` fill-opacity="${opacity}"` : '';
  return `<rect x="${px(from)}" y="${px(y - height / 2)}" width="${px(Math.max(2, to - from))}" height="${height}" fill="${fill}"${faded}/>`;
}

function hLine(from: number, to: number, y: number): string {
  return `<line x1="${px(from)}" y1="${px(y)}" x2="${px(to)}" y2="${px(y)}" stroke="${COLOUR.idle}" stroke-width="2"/>`;
}

function label(name: string, y: number, colour: string): string {
  return `<text x="10" y="${px(y + 4)}" fill="${colour}" font-weight="bold">${escapeXml(name)}</text>`;
}

/** Text safe inside an element or attribute; characters XML forbids become U+FFFD. */
function escapeXml(text: string): string {
  const entity: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd').replace(/[<>&"']/g, (c) => entity[c]);
}

/** Coordinates to a tenth of a pixel keep the document short. */
function px(n: number): number {
  return Math.round(n * 10) / 10;
}
