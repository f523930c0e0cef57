/**
 * The timeline as a swimlane chart for a terminal, in the spirit of the article's diagrams:
 * a tick ruler, one lane per client, one lane per server thread when the server kept an event
 * log, and a one-line legend.
 */
import { layoutTimeline, MEANING, niceStep, type ClientLane, type Feature, type Layout, type MarkKind, type Span, type ThreadLane } from './layout';
import type { Timeline } from './types';

export interface TextOptions {
  /** the width to fit in, in columns, lane labels included (default 100) */
  width?: number;
}

const SYMBOL: Record<Feature, string> = {
  connected: '●',
  idle: '·',
  send: '↑',
  waiting: '░',
  echo: '↓',
  closed: '■',
  error: '×',
  serving: '─',
};

/** When marks crowd into one column, which one stays if only one can. */
const IMPORTANCE: Record<MarkKind, number> = { send: 0, connected: 1, echo: 2, closed: 3, error: 4 };

/** How far right a crowded mark may move before it counts as lost: further would misplace it in time. */
const MAX_SHIFT = 2;

/** `columns` columns show `ticks` ticks: one of them is 1, so ticks and columns line up. */
interface Scale {
  columns: number;
  ticks: number;
}

/** A lane's label and its characters. */
type Line = [label: string, chars: string];

/** A swimlane chart of the timeline, as lines of text without trailing spaces. */
export function renderText(timeline: Timeline, { width = 100 }: TextOptions = {}): string {
  const layout = layoutTimeline(timeline);
  const labels = ['tick', ...layout.clients.map((lane) => lane.name), ...layout.threads.map((lane) => lane.name)];
  const labelWidth = Math.max(...labels.map((label) => label.length)) + 2;
  const scale = scaleFor(layout.endTick, Math.max(10, width - labelWidth)); // a silly width still gets a chart
  // a hair of tolerance, so a mark exactly on a tick is not put a column early by float rounding
  const column = (tick: number) => Math.floor((Math.max(0, tick) * scale.columns) / scale.ticks + 1e-9);
  const serverApart: Line[] = layout.threads.length > 0 ? [['', '']] : []; // a blank line before the server's lanes
  const rows: Line[] = [
    ...ruler(layout.endTick, scale, column),
    ...layout.clients.map((lane): Line => [lane.name, clientRow(lane, column)]),
    ...serverApart,
    ...layout.threads.map((lane): Line => [lane.name, threadRow(lane, column)]),
  ];
  const lines = rows.map(([label, row]) => (label.padEnd(labelWidth) + row).trimEnd());
  return [...lines, legend(layout)].join('\n');
}

/** As many whole columns per tick as fit (at most 10), or for a long run a round number of ticks per column. */
function scaleFor(endTick: number, available: number): Scale {
  const fit = (available - 1) / endTick; // the last tick needs a column of its own
  return fit >= 1 ? { columns: Math.min(10, Math.floor(fit)), ticks: 1 } : { columns: 1, ticks: niceStep(1 / fit) };
}

/** Tick numbers, spaced so the widest still leaves a gap, over a rule with a notch under each. */
function ruler(endTick: number, scale: Scale, column: (tick: number) => number): Line[] {
  const step = niceStep(((String(endTick).length + 1) * scale.ticks) / scale.columns);
  const rule = Array<string>(column(endTick) + 1).fill('─');
  let numbers = '';
  for (let tick = 0; tick <= endTick; tick += step) {
    numbers = numbers.padEnd(column(tick)) + tick;
    rule[column(tick)] = '┬';
  }
  return [
    ['tick', numbers],
    ['', rule.join('')],
  ];
}

function clientRow(lane: ClientLane, column: (tick: number) => number): string {
  const row = new Row(column);
  if (lane.connected) row.fill(lane.connected, SYMBOL.idle);
  for (const span of lane.waiting) row.fill(span, SYMBOL.waiting);
  for (const mark of lane.marks) row.mark(mark.at, SYMBOL[mark.kind], IMPORTANCE[mark.kind]);
  return row.toString();
}

/** A thread's lane: a line while it works on a connection, the client's letter at each call it makes. */
function threadRow(lane: ThreadLane, column: (tick: number) => number): string {
  const row = new Row(column);
  for (const span of lane.serving) row.fill(span, SYMBOL.serving);
  for (const call of lane.calls) row.mark(call.at, call.client.charAt(0), 0);
  return row.toString();
}

function legend(layout: Layout): string {
  const letter = layout.threads[0]?.calls[0]?.client.charAt(0) ?? 'A';
  const items = layout.features.map((f) =>
    f === 'serving' ? `${letter}${SYMBOL.serving} ${MEANING.serving} ${letter}` : `${SYMBOL[f]} ${MEANING[f]}`,
  );
  return [...items, `1 tick = ${layout.tickMs} ms`].join('  ');
}

/**
 * One lane's characters: fills first, then marks in time order on top. A mark that finds its
 * column taken moves right, a little, rather than hide the one before it; when there is no room
 * left, the least important mark of the crowd gives way. The same mark twice in a column shows once.
 */
class Row {
  private readonly cells: string[] = [];
  private readonly importance: number[] = [];
  private lastMark = -1;

  constructor(private readonly column: (tick: number) => number) {}

  fill(span: Span, symbol: string): void {
    for (let c = this.column(span.from); c <= this.column(span.to); c++) this.cells[c] = symbol;
  }

  mark(at: number, symbol: string, importance: number): void {
    const natural = this.column(at);
    const last = this.lastMark;
    if (natural <= last && this.cells[last] === symbol) return;
    const free = Math.max(natural, last + 1);
    if (free - natural <= MAX_SHIFT) return this.put(free, symbol, importance);
    // every column from `natural` to `last` holds a mark: drop the weakest, close up, add this one at the end
    const crowd = this.importance.slice(natural, last + 1);
    const weakest = natural + crowd.indexOf(Math.min(...crowd));
    if (importance <= this.importance[weakest]) return;
    this.cells.copyWithin(weakest, weakest + 1, last + 1);
    this.importance.copyWithin(weakest, weakest + 1, last + 1);
    this.put(last, symbol, importance);
  }

  toString(): string {
    return Array.from(this.cells, (cell) => cell ?? ' ').join('');
  }

  private put(c: number, symbol: string, importance: number): void {
    this.cells[c] = symbol;
    this.importance[c] = importance;
    this.lastMark = c;
  }
}
