/**
 * The timeline as a swimlane chart for a terminal, in the spirit of the article's diagrams:
 * a tick ruler, one lane per client, one lane per server thread when the server kept an event
 * log, and a one-line legend.
 */
import { layoutTimeline, MEANING, niceStep, type ClientLane, type Feature, type Layout, type MarkKind, type Span, type ThreadLane } from './layout';
import type { Timeline } from './types';

/** Wraps text in a colour, as picocolors' `blue` does. */
export type Paint = (text: string) => string;

/** The colour of each kind of symbol, e.g. `{ send: pc.blue, echo: pc.green, waiting: pc.yellow, error: pc.red, closing: pc.magenta, dim: pc.dim }`. */
export interface TextColors {
  send: Paint;
  /** '↓' and '↕' */
  echo: Paint;
  waiting: Paint;
  /** '×' and the server's reset '⊗' */
  error: Paint;
  /** the server's FIN '┤' (default: the error's colour) */
  closing?: Paint;
  /** the idle dots and the ruler */
  dim: Paint;
}

export interface TextOptions {
  /** the width to fit in, in columns, lane labels included (default 100) */
  width?: number;
  /** draw the axis at least this far, to line several charts up (see chartEndTick) */
  endTick?: number;
  /** colours for a terminal; they never change which character goes where */
  colors?: TextColors;
}

const plain: Paint = (text) => text;
const PLAIN: TextColors = { send: plain, echo: plain, waiting: plain, error: plain, dim: plain };

/** What each thing a chart shows looks like in text (the specs read charts that check prints). */
export const SYMBOL: Record<Feature, string> = {
  connected: '●',
  idle: '·',
  send: '↑',
  waiting: '░',
  echo: '↓',
  closed: '■',
  closedByServer: '┤', // the lane runs into the server's wall
  resetByServer: '⊗',
  error: '×',
  serving: '─',
  answered: '✓',
  unanswered: '✗',
};

/**
 * When marks share a column, which one it shows. An echo outranks the disconnect that follows
 * it: the lane's end shows the disconnect anyway, and an exchange hidden would be a lesson lost.
 * The server's ending the connection outranks all of those: the lane's end cannot say who
 * closed it, or how.
 */
const IMPORTANCE: Record<MarkKind, number> = { send: 0, connected: 1, closed: 2, echo: 3, closedByServer: 4, resetByServer: 5, error: 6 };

/** A send and its echo in one column: drawn as one, so neither looks a column late. */
export const SENT_AND_ECHOED = '↕';
/** A thread's calls in one column for several clients it was serving at once. */
const SEVERAL_CLIENTS = '*';

/** The symbols only a shared column draws, each listed after the feature it sums up, and only when it appears. */
const SHARED_COLUMN: { symbol: string; meaning: string; after: Feature }[] = [
  { symbol: SENT_AND_ECHOED, meaning: 'sent and echoed', after: 'echo' },
  { symbol: SEVERAL_CLIENTS, meaning: 'several clients at once', after: 'serving' },
];

/** `columns` columns show `ticks` ticks: one of them is 1, so ticks and columns line up. */
interface Scale {
  columns: number;
  ticks: number;
}

/** The label of the row of newcomers asking whether the service answers. */
const SERVICE = 'service';

/** A lane's label and its characters. */
type Line = [label: string, chars: string];

/** A swimlane chart of the timeline, as lines of text without trailing spaces. */
export function renderText(timeline: Timeline, { width = 100, endTick, colors = PLAIN }: TextOptions = {}): string {
  const layout = layoutTimeline(timeline, { endTick });
  const serviceLabel = layout.service.length > 0 ? [SERVICE] : [];
  const labels = ['tick', ...layout.clients.map((lane) => lane.name), ...serviceLabel, ...layout.threads.map((lane) => lane.name)];
  const labelWidth = Math.max(...labels.map((label) => label.length)) + 2;
  const scale = scaleFor(layout.endTick, Math.max(10, width - labelWidth)); // a silly width still gets a chart
  // a hair of tolerance, so a mark exactly on a tick is not put a column early by float rounding
  const column = (tick: number) => Math.floor((Math.max(0, tick) * scale.columns) / scale.ticks + 1e-9);
  const clientRows = layout.clients.map((lane) => clientRow(lane, column));
  const threadRows = layout.threads.map((lane) => threadRow(lane, column));
  const serviceRows = layout.service.length > 0 ? [serviceRow(layout.service, column)] : [];
  const paint = painter(colors);
  const serverApart: Line[] = layout.threads.length > 0 ? [['', '']] : []; // a blank line before the server's lanes
  const rows: Line[] = [
    ...ruler(layout.endTick, scale, column).map(([label, chars]): Line => [label, colors.dim(chars)]),
    ...layout.clients.map((lane, i): Line => [lane.name, paint(clientRows[i])]),
    ...serviceRows.map((row): Line => [SERVICE, paint(row)]),
    ...serverApart,
    ...layout.threads.map((lane, i): Line => [lane.name, threadRows[i]]),
  ];
  const lines = rows.map(([label, row]) => (label.padEnd(labelWidth) + row).trimEnd());
  return [...lines, legend(layout, [...clientRows, ...serviceRows, ...threadRows], paint)].join('\n');
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

/** A client's lane: a column with a send and its echo and nothing graver than the echo shows ↕, any other its gravest mark. */
function clientRow(lane: ClientLane, column: (tick: number) => number): string {
  const row = new Row<MarkKind>(column);
  if (lane.connected) row.fill(lane.connected, SYMBOL.idle);
  for (const span of lane.waiting) row.fill(span, SYMBOL.waiting);
  for (const mark of lane.marks) row.mark(mark.at, mark.kind);
  return row.draw((kinds) => {
    const gravest = kinds.reduce((a, b) => (IMPORTANCE[b] > IMPORTANCE[a] ? b : a));
    if (kinds.includes('send') && gravest === 'echo') return SENT_AND_ECHOED;
    return SYMBOL[gravest];
  });
}

/** The service's row: for each newcomer, whether it was answered; a column with both shows that some were not. */
function serviceRow(service: Layout['service'], column: (tick: number) => number): string {
  const row = new Row<boolean>(column);
  for (const { at, answered } of service) row.mark(at, answered);
  return row.draw((answers) => (answers.every(Boolean) ? SYMBOL.answered : SYMBOL.unanswered));
}

/**
 * A thread's lane: a line while it works on a connection, the client's letter at each call it
 * makes. Where one column holds calls for several clients, it shows * only if the thread was
 * serving them at once (a select loop); one that finished with a client and took the next
 * within the column (a sequential server) shows the letter of the one it went on to.
 */
function threadRow(lane: ThreadLane, column: (tick: number) => number): string {
  const row = new Row<string>(column);
  for (const span of lane.serving) row.fill(span, SYMBOL.serving);
  for (const call of lane.calls) row.mark(call.at, call.client);
  const spans = (client: string) => lane.serving.filter((span) => span.client === client);
  const atOnce = (a: string, b: string) => spans(a).some((x) => spans(b).some((y) => x.from < y.to && y.from < x.to));
  return row.draw((clients) => {
    const named = [...new Set(clients)];
    const together = named.some((a, i) => named.slice(i + 1).some((b) => atOnce(a, b)));
    return together ? SEVERAL_CLIENTS : clients[clients.length - 1].charAt(0);
  });
}

/** The legend of what the chart shows, given the characters of its lanes. */
function legend(layout: Layout, rows: string[], paint: Paint): string {
  const letter = layout.threads[0]?.calls[0]?.client.charAt(0) ?? 'A';
  const item = (symbol: string, meaning: string) => `${paint(symbol)} ${meaning}`;
  const shown = (symbol: string) => rows.some((row) => row.includes(symbol));
  // a mark that another in its column outranked everywhere is not on the chart, so not in the legend
  const drawn = (f: Feature) => f === 'idle' || f === 'waiting' || f === 'serving' || shown(SYMBOL[f]);
  const items = layout.features.flatMap((f) => [
    ...(f === 'serving' ? [`${letter}${SYMBOL.serving} ${MEANING.serving} ${letter}`] : drawn(f) ? [item(SYMBOL[f], MEANING[f])] : []),
    ...SHARED_COLUMN.filter(({ symbol, after }) => after === f && shown(symbol)).map(({ symbol, meaning }) => item(symbol, meaning)),
  ]);
  return [...items, `1 tick = ${layout.tickMs} ms`].join('  ');
}

/** Colours a client lane's characters, each run of one symbol at once: a long idle stretch gets one escape sequence, not one per column. */
function painter(colors: TextColors): Paint {
  const paintOf = new Map<string, Paint>([
    [SYMBOL.idle, colors.dim],
    [SYMBOL.send, colors.send],
    [SYMBOL.waiting, colors.waiting],
    [SYMBOL.echo, colors.echo],
    [SENT_AND_ECHOED, colors.echo],
    [SYMBOL.closedByServer, colors.closing ?? colors.error],
    [SYMBOL.resetByServer, colors.error],
    [SYMBOL.error, colors.error],
    [SYMBOL.answered, colors.echo],
    [SYMBOL.unanswered, colors.error],
  ]);
  return (chars) => chars.replace(/(.)\1*/gu, (run, symbol: string) => paintOf.get(symbol)?.(run) ?? run);
}

/**
 * One lane's characters: fills first, then marks on top, each in its own true column: a mark
 * moved aside would tell the wrong time. The marks that share a column show as one symbol.
 */
class Row<M> {
  private readonly cells: string[] = [];
  private readonly marksAt: M[][] = [];

  constructor(private readonly column: (tick: number) => number) {}

  fill(span: Span, symbol: string): void {
    for (let c = this.column(span.from); c <= this.column(span.to); c++) this.cells[c] = symbol;
  }

  mark(at: number, mark: M): void {
    (this.marksAt[this.column(at)] ??= []).push(mark);
  }

  /** The characters, with the symbol `symbolFor` picks for each column's marks. */
  draw(symbolFor: (marks: M[]) => string): string {
    this.marksAt.forEach((marks, c) => (this.cells[c] = symbolFor(marks)));
    return Array.from(this.cells, (cell) => cell ?? ' ').join('');
  }
}
