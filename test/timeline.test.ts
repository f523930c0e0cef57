import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pc from 'picocolors';
import { chartEndTick, layoutTimeline } from '../support/timeline/layout';
import {
  anyEcho,
  arrivalOrder,
  clientStory,
  closedByServer,
  connectedAfterOthersSent,
  distinctServerThreads,
  echoDelays,
  maxServingAtOnce,
  mergeTimeline,
  maxServedAtOnce,
  momentAtTick,
  servedOrder,
  serverConnections,
  serviceInterval,
  threadsServing,
  ticks,
  ticksSinceOrigin,
  waitOf,
} from '../support/timeline/query';
import { renderText } from '../support/timeline/render-text';
import { CHAR_WIDTH, renderSvg } from '../support/timeline/render-svg';
import type { ClientEvent, Timeline } from '../support/timeline/types';
import { allAtOnce, articleClient, at, client, endedByServer, failure, poolOfTwo, resetBesideS, sClosedByServer, selectLoop, sequential, server, timeline } from './hand-built';

describe('mergeTimeline', () => {
  it('sorts client and server events by time, keeping equal times in the order given', () => {
    const merged = timeline(
      client('A', [['send', 2], ['echo', 2]]),
      server(1, 'A', [['recv', 2, 0], ['accepted', 1, 0]]),
      ['A'],
    );
    assert.deepEqual(
      merged.events.map((e) => `${e.source} ${e.kind}`),
      ['server accepted', 'client send', 'client echo', 'server recv'],
    );
  });

  it('gives a lane to a client missing from the list, after the listed ones', () => {
    const merged = timeline([...client('Z', [['connecting', 0]]), ...client('A', [['connecting', 1]])], undefined, ['A']);
    assert.deepEqual(merged.clients, ['A', 'Z']);
  });
});

describe('clientStory', () => {
  it('gathers when a client connected, sent, got echoes and closed', () => {
    assert.deepEqual(clientStory(sequential, 'B'), {
      connectingAt: at(0),
      connectedAt: at(0),
      sends: [
        { t: at(1), message: 'Hello' },
        { t: at(4), message: 'World!' },
      ],
      echoes: [
        { t: at(3), message: 'Hello' },
        { t: at(4), message: 'World!' },
      ],
      firstSend: at(1),
      firstEcho: at(3),
      closedAt: at(5),
      error: undefined,
      errorCode: undefined,
      wrongEcho: undefined,
    });
  });

  it('leaves out what never happened, and records an error', () => {
    const reset = timeline(client('A', [['connecting', 0], ['connected', 0], ['send', 1]]).concat({ source: 'client', client: 'A', kind: 'error', t: at(2), code: 'ECONNRESET' }), undefined, ['A']);
    const story = clientStory(reset, 'A');
    assert.equal(story.firstEcho, undefined);
    assert.equal(story.closedAt, undefined);
    assert.equal(story.error, at(2));
    assert.equal(story.errorCode, 'ECONNRESET');
    assert.deepEqual(clientStory(reset, 'nobody').sends, []);
  });
});

describe('waiting', () => {
  it('waitOf is the time from the first send to the first echo', () => {
    assert.deepEqual(['A', 'B', 'C'].map((c) => ticks(sequential, waitOf(sequential, c)!)), [0, 2, 4]);
  });

  it('waitOf is undefined for a client that never got an echo', () => {
    const unanswered = timeline(client('A', [['connected', 0], ['send', 1], ['closed', 5]]), undefined, ['A']);
    assert.equal(waitOf(unanswered, 'A'), undefined);
  });

  it('echoDelays pairs each echo with its send, in order, and ignores a send still unanswered', () => {
    assert.deepEqual(echoDelays(sequential, 'C').map((ms) => ticks(sequential, ms)), [4, 0]);
    const pending = timeline(client('A', [['send', 1], ['send', 1.5], ['echo', 2], ['send', 3]]), undefined, ['A']);
    assert.deepEqual(echoDelays(pending, 'A'), [100]);
  });
});

describe('being served', () => {
  it('serviceInterval runs from the first echo to the close', () => {
    assert.deepEqual(serviceInterval(sequential, 'B'), { start: at(3), end: at(5) });
  });

  it('serviceInterval ends at an error, never if the client never left, and is undefined without an echo', () => {
    const open = timeline(
      [...client('A', [['send', 1], ['echo', 1]]), ...client('B', [['send', 1], ['echo', 2], ['error', 3]]), ...client('C', [['send', 1]])],
    );
    assert.deepEqual(serviceInterval(open, 'A'), { start: at(1), end: Infinity });
    assert.deepEqual(serviceInterval(open, 'B'), { start: at(2), end: at(3) });
    assert.equal(serviceInterval(open, 'C'), undefined);
    assert.equal(maxServedAtOnce(open), 2);
  });

  it('maxServedAtOnce counts clients served at the same moment: 1 sequentially, 2 in a pool of two, 3 all at once', () => {
    assert.equal(maxServedAtOnce(sequential), 1, 'an interval starting as another ends does not overlap it');
    assert.equal(maxServedAtOnce(poolOfTwo), 2);
    assert.equal(maxServedAtOnce(allAtOnce), 3);
  });

  it('maxServedAtOnce counts clients served from the very same moment, and is 0 when nobody was served', () => {
    const sameMoment = timeline([...client('A', [['echo', 1], ['closed', 2]]), ...client('B', [['echo', 1], ['closed', 1.5]])]);
    assert.equal(maxServedAtOnce(sameMoment), 2);
    assert.equal(maxServedAtOnce(timeline(client('A', [['send', 1]]))), 0);
  });

  it('servedOrder sorts by first echo and leaves out clients never served', () => {
    assert.deepEqual(servedOrder(poolOfTwo), ['A', 'B', 'C']);
    const cutOff = timeline([...client('A', [['echo', 3]]), ...client('B', [['send', 1]]), ...client('C', [['echo', 2]])]);
    assert.deepEqual(servedOrder(cutOff), ['C', 'A']);
  });

  it('arrivalOrder sorts by connecting time; equal times keep the lane order', () => {
    assert.deepEqual(arrivalOrder(sequential), ['A', 'B', 'C']);
    const staggered = timeline([...client('A', [['connecting', 2]]), ...client('B', [['connecting', 1]]), ...client('C', [['connecting', 1]])]);
    assert.deepEqual(arrivalOrder(staggered), ['B', 'C', 'A']);
  });
});

describe('ticks', () => {
  it('converts durations and moments between ms and ticks since the origin', () => {
    assert.equal(ticks(sequential, 250), 2.5);
    assert.equal(ticksSinceOrigin(sequential, at(2.5)), 2.5);
    assert.equal(momentAtTick(sequential, 2.5), at(2.5));
  });
});

describe('white-box queries', () => {
  it('threadsServing maps each client to the threads that called recv or send for it', () => {
    assert.deepEqual(threadsServing(sequential), new Map([['A', new Set([0])], ['B', new Set([0])], ['C', new Set([0])]]));
    assert.deepEqual(threadsServing(poolOfTwo), new Map([['A', new Set([1])], ['B', new Set([2])], ['C', new Set([1])]]));
    assert.deepEqual(threadsServing(allAtOnce), new Map([['A', new Set()], ['B', new Set()], ['C', new Set()]]), 'no server log');
  });

  it('threadsServing uses a client name given by any event of the connection', () => {
    const lateMatch = timeline([], [...server(3, undefined, [['accepted', 0, 0], ['recv', 1, 1]]), ...server(3, 'A', [['send', 1, 1]])], ['A']);
    assert.deepEqual(threadsServing(lateMatch).get('A'), new Set([1]));
  });

  it('distinctServerThreads lists the threads that served, not a thread that only accepts', () => {
    assert.deepEqual(distinctServerThreads(sequential), [0]);
    assert.deepEqual(distinctServerThreads(poolOfTwo), [1, 2]);
  });

  it('maxServingAtOnce counts connections from their first bytes received to their last sent: the pool accepts three but serves two', () => {
    assert.equal(maxServingAtOnce(sequential), 1);
    assert.equal(maxServingAtOnce(poolOfTwo), 2);
  });

  it('serverConnections starts a new connection when a number is reused', () => {
    const reused = timeline(
      [],
      [
        ...server(4, 'A', [['accepted', 0, 0], ['closed', 1, 0]]),
        ...server(5, 'B', [['accepted', 0.5, 0], ['closed', 2.5, 0]]),
        ...server(4, 'C', [['accepted', 2, 0], ['closed', 3, 0]]),
      ],
    );
    assert.deepEqual(serverConnections(reused).map((c) => `${c.conn}${c.client}`), ['4A', '5B', '4C']);
  });
});

describe('layoutTimeline', () => {
  it('ends the axis at chartEndTick, the first whole tick at or after the last event, or at the endTick asked for if later', () => {
    assert.equal(chartEndTick(sequential), 7);
    assert.equal(chartEndTick(poolOfTwo), 6, 'C leaves at 5.3');
    assert.equal(layoutTimeline(poolOfTwo).endTick, 6);
    assert.equal(layoutTimeline(poolOfTwo, { endTick: 7 }).endTick, 7);
    assert.equal(layoutTimeline(sequential, { endTick: 2 }).endTick, 7, 'never shorter than its own');
  });
});

describe('renderText', () => {
  it('draws a ruler, a lane with waiting shaded, and a legend of what is shown', () => {
    const one = timeline(
      client('A', [['connecting', 0], ['connected', 0], ['send', 1, 'Hello'], ['echo', 1.5, 'Hello'], ['send', 2, 'World!'], ['echo', 2, 'World!'], ['closed', 3]]),
      undefined,
      ['A'],
    );
    assert.equal(
      renderText(one),
      [
        'tick  0         1         2         3',
        '      ┬─────────┬─────────┬─────────┬',
        'A     ●·········↑░░░░↓····↕·········■',
        '● connected  · idle  ↑ sent  ░ waiting for echo  ↓ echo  ↕ sent and echoed  ■ disconnected  1 tick = 100 ms',
      ].join('\n'),
    );
  });

  it('adds a lane per server thread with the letter of the client it served at each call, 9 columns a tick to fit 40', () => {
    const small = timeline(
      [...client('A', [['connected', 0], ['send', 1], ['echo', 1], ['closed', 2]]), ...client('B', [['connected', 0], ['send', 1], ['echo', 2], ['closed', 3]])],
      [...server(4, 'A', [['accepted', 0, 0], ['recv', 1, 1], ['send', 1, 1], ['closed', 2, 1]]), ...server(5, 'B', [['accepted', 0, 0], ['recv', 2, 1], ['send', 2, 1], ['closed', 3, 1]])],
      ['A', 'B'],
    );
    assert.equal(
      renderText(small, { width: 40 }),
      [
        'tick      0        1        2        3',
        '          ┬────────┬────────┬────────┬',
        'A         ●········↕········■',
        'B         ●········↑░░░░░░░░↓········■',
        '',
        'thread 0  B',
        'thread 1           A────────B────────B',
        '● connected  · idle  ↑ sent  ░ waiting for echo  ↓ echo  ↕ sent and echoed  ■ disconnected  A─ serving A  1 tick = 100 ms',
      ].join('\n'),
    );
  });

  it('draws a whole exchange that falls in one column as ↕, where the lane ends: the disconnect shows as the end of the lane', () => {
    const crowded = timeline(
      [...client('A', [['connected', 0], ['send', 0.001], ['echo', 0.002], ['closed', 0.003]]), ...client('B', [['connected', 0], ['closed', 100]])],
      undefined,
      ['A', 'B'],
    );
    const laneA = renderText(crowded).split('\n')[2];
    assert.equal(laneA, 'A     ↕');
  });

  it('keeps every mark in its true column: a send and its echo in one column show as one ↕, in line with the other lanes', () => {
    const sameColumn = timeline(
      [...client('A', [['connected', 0], ['send', 1], ['echo', 1.05], ['closed', 2]]), ...client('B', [['connected', 0], ['send', 0.5], ['echo', 1], ['closed', 2]])],
      undefined,
      ['A', 'B'],
    );
    assert.deepEqual(renderText(sameColumn).split('\n').slice(2, 4), ['A     ●·········↕·········■', 'B     ●····↑░░░░↓·········■']);
  });

  it("draws an error or the server's reset over anything in its column, and otherwise ↕ over a disconnect or a connect", () => {
    const crowded = timeline(
      [
        ...client('A', [['connected', 0], ['send', 1], ['echo', 1.01], ['closed', 1.02]]),
        ...client('B', [['connected', 0], ['send', 1], ['echo', 1.01]]),
        failure('B', 1.02, 'ECONNRESET'),
        ...client('C', [['connected', 0], ['send', 0.01], ['echo', 1], ['closed', 2]]),
        ...client('D', [['connected', 0], ['send', 0.01], ['echo', 0.02], ['closed', 2]]),
        ...client('E', [['connected', 0], ['send', 1], ['echo', 1.01]]),
        failure('E', 1.02, 'EECHO_MISMATCH'),
      ],
      undefined,
      ['A', 'B', 'C', 'D', 'E'],
    );
    assert.deepEqual(renderText(crowded).split('\n').slice(2, 7), [
      'A     ●·········↕',
      'B     ●·········⊗',
      'C     ●░░░░░░░░░↓·········■',
      'D     ↕···················■',
      'E     ●·········×',
    ]);
  });

  it("shows a thread's calls in one column as one symbol: * for several clients it was serving at once, else the letter of the one it went on to", () => {
    const threadLane = (t: Timeline) => renderText(t).split('\n').find((line) => line.startsWith('thread 0'));
    // one client after another, never two at once, even where one leaves and the next comes in one column
    assert.equal(threadLane(sequential), 'thread 0  A─────────A─────────A─────────B─────────B─────────C─────────C─────────C');
    assert.equal(threadLane(selectLoop), 'thread 0  *─────────*─────────*─────────*');
    const sameInitial = timeline([], [...server(4, 'Ann', [['recv', 1, 0], ['send', 2, 0]]), ...server(5, 'Alf', [['recv', 1, 0], ['send', 2, 0]])], ['Ann', 'Alf']);
    assert.equal(threadLane(sameInitial), `thread 0  ${' '.repeat(10)}*─────────*`);
  });

  it('lists in the legend only the symbols the chart draws: ↕ and * when they appear, ↑ and ↓ unless ↕ stands for them all', () => {
    const legendOf = (t: Timeline) => renderText(t).split('\n').at(-1);
    const apart = timeline(client('A', [['connected', 0], ['send', 1], ['echo', 1.5], ['closed', 2]]), server(4, 'A', [['recv', 1, 0], ['send', 1.5, 0]]), ['A']);
    assert.equal(legendOf(apart), '● connected  · idle  ↑ sent  ░ waiting for echo  ↓ echo  ■ disconnected  A─ serving A  1 tick = 100 ms');
    assert.equal(
      legendOf(selectLoop),
      '● connected  · idle  ░ waiting for echo  ↕ sent and echoed  ■ disconnected  A─ serving A  * several clients at once  1 tick = 100 ms',
    );
  });

  it('draws the axis to endTick when asked, so that the charts of several timelines line up', () => {
    const endTick = Math.max(chartEndTick(sequential), chartEndTick(poolOfTwo));
    const [pool, seq] = [poolOfTwo, sequential].map((t) => renderText(t, { endTick }).split('\n'));
    assert.deepEqual(pool.slice(0, 2), seq.slice(0, 2), 'one ruler');
    assert.deepEqual(pool.slice(2), renderText(poolOfTwo).split('\n').slice(2), 'the lanes as before');
  });

  it('colours symbols without moving them: stripped of its escape sequences, the coloured chart is the plain one', () => {
    const c = pc.createColors(true);
    const colors = { send: c.blue, echo: c.green, waiting: c.yellow, error: c.red, dim: c.dim };
    for (const t of [sequential, poolOfTwo, resetBesideS, selectLoop]) {
      assert.equal(renderText(t, { width: 60, colors }).replace(/\x1b\[[0-9;]*m/g, ''), renderText(t, { width: 60 }));
    }
    assert.match(renderText(poolOfTwo, { colors }), /\x1b\[[0-9;]*m↑\x1b\[[0-9;]*m/);
    assert.ok(renderText(selectLoop, { colors }).includes(c.green('↕')), '↕ is an echo');
  });

  it('fits a long run into the width, lane labels included', () => {
    const long = timeline([...articleClient('A', 1.1), ...client('B', [['connected', 0], ['send', 1], ['echo', 450], ['closed', 451]])], undefined, ['A', 'B']);
    const lines = renderText(long, { width: 80 }).split('\n');
    for (const line of lines.slice(0, -1)) assert.ok([...line].length <= 80, `too wide: ${line}`);
    assert.deepEqual(lines[0].split(/ +/), ['tick', '0', '50', '100', '150', '200', '250', '300', '350', '400', '450']);
  });

  it('still draws a chart when asked for a width too small to fit', () => {
    assert.equal(renderText(sequential, { width: 3 }).split('\n')[2], 'A         ●↕↕■');
  });

  it('draws an empty timeline as a bare ruler', () => {
    assert.equal(renderText(timeline([], undefined, [])).split('\n')[0], 'tick  0         1');
  });
});

describe('renderSvg', () => {
  it('is a well-formed SVG document with a lane per client and per server thread', () => {
    const svg = renderSvg(poolOfTwo);
    assertWellFormed(svg);
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    for (const lane of ['A', 'B', 'C', 'thread 0', 'thread 1', 'thread 2']) assert.ok(svg.includes(`>${lane}</text>`), `lane ${lane}`);
    assert.ok(svg.includes('>waiting for echo</text>'));
    assert.ok(!/href|url\(/.test(svg), 'no external resources');
  });

  it('writes the names on a thread serving several clients at once one after another, never on top of each other', () => {
    const lane = renderSvg(selectLoop).split('\n').find((line) => line.startsWith('<g class="lane thread">')) ?? '';
    const names = [...lane.matchAll(/<text x="([\d.]+)"[^>]*>([^<]*)<\/text>/g)]
      .slice(1) // after the lane's label
      .map(([, x, name]) => ({ name, from: Number(x), to: Number(x) + name.length * CHAR_WIDTH }));
    assert.ok(names.length > 0, 'a name is written');
    for (const a of names) {
      for (const b of names) if (a !== b) assert.ok(a.to <= b.from || b.to <= a.from, `${a.name} and ${b.name} overlap`);
    }
  });

  it('draws the axis to endTick when asked, so that the charts of several timelines line up', () => {
    const ticksOf = (svg: string) => [...svg.matchAll(/<text x="([\d.]+)" y="20" text-anchor="middle"[^>]*>(\d+)<\/text>/g)].map(([, x, tick]) => `${tick} at ${x}`);
    const endTick = Math.max(chartEndTick(sequential), chartEndTick(poolOfTwo));
    assert.notDeepEqual(ticksOf(renderSvg(poolOfTwo)), ticksOf(renderSvg(sequential)));
    assert.deepEqual(ticksOf(renderSvg(poolOfTwo, { endTick })), ticksOf(renderSvg(sequential, { endTick })));
  });

  it('escapes names and messages', () => {
    const nasty = timeline(client('<A&B>', [['connected', 0], ['send', 1, '"hi" \u0001'], ['echo', 1.2, "it's"]]), undefined, ['<A&B>']);
    const svg = renderSvg(nasty);
    assertWellFormed(svg);
    assert.ok(svg.includes('&lt;A&amp;B&gt; sent &quot;\\&quot;hi\\&quot; \\u0001&quot;'));
  });
});

/** Tags balance, attributes are quoted, and text has no stray `<` or bare `&`: enough to catch a broken document. */
function assertWellFormed(xml: string): void {
  const entity = '&(?:lt|gt|amp|quot|apos);';
  const attribute = `\\s+[\\w:.-]+="(?:[^"<&]|${entity})*"`;
  const token = new RegExp(`<(/?)([A-Za-z][\\w:.-]*)((?:${attribute})*)\\s*(/?)>|(?:[^<&]|${entity})+`, 'y');
  const open: string[] = [];
  let roots = 0;
  while (token.lastIndex < xml.length) {
    const at = token.lastIndex;
    const m = token.exec(xml);
    assert.ok(m, `not well-formed at ${at}: ${xml.slice(at, at + 60)}`);
    const [, closing, name, , selfClosing] = m;
    if (name === undefined) continue; // text
    if (open.length === 0) roots++;
    if (closing) assert.equal(open.pop(), name, `</${name}> closes the wrong element`);
    else if (!selfClosing) open.push(name);
  }
  assert.deepEqual(open, [], 'unclosed elements');
  assert.equal(roots, 1, 'one root element');
}

describe('connectedAfterOthersSent and anyEcho', () => {
  it('tell a client that connected only after another had sent, and whether any echo came', () => {
    const timeline = (events: ClientEvent[]) => mergeTimeline({ origin: 0, tickMs: 100, clients: ['A', 'B'], clientEvents: events, serverEvents: [] });
    const event = (client: string, kind: ClientEvent['kind'], t: number): ClientEvent => ({ source: 'client', client, kind, t });
    const onTime = timeline([event('A', 'connected', 1), event('B', 'connected', 2), event('A', 'send', 100), event('B', 'send', 101)]);
    const late = timeline([event('A', 'connected', 1), event('A', 'send', 100), event('A', 'echo', 101), event('B', 'connected', 1000)]);
    assert.equal(connectedAfterOthersSent(onTime), false);
    assert.equal(connectedAfterOthersSent(late), true);
    assert.equal(anyEcho(onTime), false);
    assert.equal(anyEcho(late), true);
  });
});

describe("the service's row: newcomers asking every tick whether it answers", () => {
  const flooded: Timeline = {
    ...timeline([...client('A', [['connecting', 0], ['connected', 0], ['send', 0.1, 'Hello'], ['closed', 4]])], undefined, ['A']),
    service: [
      { t: at(1), answered: true },
      { t: at(2), answered: false },
      { t: at(3), answered: false },
    ],
  };

  it('draws a row of ✓ and ✗ under the clients, at each newcomer’s tick, with its legend', () => {
    const lines = renderText(flooded, { width: 60 }).split('\n');
    const row = lines.find((line) => line.startsWith('service'));
    assert.ok(row, lines.join('\n'));
    const column = (tick: number) => lines[0].indexOf(String(tick));
    assert.equal(row![column(1)], '✓');
    assert.equal(row![column(2)], '✗');
    assert.equal(row![column(3)], '✗');
    assert.ok(lines.indexOf(row!) > lines.findIndex((line) => line.startsWith('A ')), 'under the clients');
    assert.match(lines.at(-1)!, /✓ a newcomer answered within a tick {2}✗ a newcomer not answered/);
  });

  it('draws nothing of the kind where nobody asked, in text or SVG', () => {
    const quiet = { ...flooded, service: undefined };
    assert.ok(!renderText(quiet).includes('service'));
    assert.ok(!renderSvg(quiet).includes('class="lane service"'));
  });

  it('draws a green or red square per newcomer in SVG, each saying what it found', () => {
    const svg = renderSvg(flooded);
    const lane = svg.slice(svg.indexOf('<g class="lane service">'));
    assert.equal((lane.match(/<rect [^>]*fill="#2a9d3a"\/><title>a newcomer at tick 1\.00 was answered within a tick/g) ?? []).length, 1);
    assert.equal((lane.match(/was not answered within a tick/g) ?? []).length, 2);
  });
});

describe('a server closing a connection: who closed it, and how', () => {
  const fin = sClosedByServer('EOF');
  const reset = sClosedByServer('ECONNRESET');
  const wrongEcho = sClosedByServer('EECHO_MISMATCH');
  const laneOf = (t: Timeline, name: string) => renderText(t).split('\n').find((line) => line.startsWith(`${name} `)) ?? '';
  const legendOf = (t: Timeline) => renderText(t).split('\n').at(-1) ?? '';
  /** The character of a lane in the column of `tick`, as the ruler numbers it. */
  const atTick = (t: Timeline, name: string, tick: number) => laneOf(t, name)[renderText(t).split('\n')[0].indexOf(String(tick))];

  it('closedByServer says when and how the server ended a connection: a FIN (EOF), or a reset (ECONNRESET, EPIPE)', () => {
    assert.deepEqual(closedByServer(fin, 'S'), { t: at(3.02), how: 'FIN' });
    assert.deepEqual(closedByServer(reset, 'S'), { t: at(3.02), how: 'reset' });
    assert.deepEqual(closedByServer(sClosedByServer('EPIPE'), 'S'), { t: at(3.02), how: 'reset' });
  });

  it('closedByServer is undefined for a client that closed itself, failed otherwise, never connected, or had gone already', () => {
    assert.equal(closedByServer(fin, 'A'), undefined, 'A closed its own connection');
    assert.equal(closedByServer(wrongEcho, 'S'), undefined, 'a wrong echo is no closing');
    const others = timeline(
      [
        ...client('R', [['connecting', 0]]),
        failure('R', 0.1, 'ECONNREFUSED'),
        ...client('N', [['connecting', 0]]),
        failure('N', 0.1, 'ECONNRESET'),
        ...client('G', [['connecting', 0], ['connected', 0], ['closed', 2]]),
        failure('G', 3, 'EOF'),
      ],
      undefined,
      ['R', 'N', 'G'],
    );
    for (const name of ['R', 'N', 'G', 'nobody']) assert.equal(closedByServer(others, name), undefined, name);
  });

  it("draws the server's FIN as ┤ and its reset as ⊗ at the moment's column, any other error as ×", () => {
    assert.equal(
      renderText(fin),
      [
        'tick  0         1         2         3         4',
        '      ┬─────────┬─────────┬─────────┬─────────┬',
        'S     ●↓····························┤',
        'A     ●·········↑↓·········↕·········■',
        '● connected  · idle  ↑ sent  ░ waiting for echo  ↓ echo  ↕ sent and echoed  ■ disconnected  ┤ disconnected by the server (FIN)  1 tick = 100 ms',
      ].join('\n'),
    );
    assert.equal(atTick(reset, 'S', 3), '⊗');
    assert.equal(atTick(wrongEcho, 'S', 3), '×');
    for (const t of [fin, reset, wrongEcho]) assert.equal(laneOf(t, 'S').length, laneOf(fin, 'S').length, 'the lane ends there');
  });

  it('lists ┤ and ⊗ in the legend only where the chart draws them', () => {
    assert.ok(legendOf(fin).includes('┤ disconnected by the server (FIN)'));
    assert.ok(!legendOf(fin).includes('⊗') && !legendOf(fin).includes('× error'));
    assert.ok(legendOf(reset).includes('■ disconnected  ⊗ reset by the server  1 tick'));
    assert.ok(!legendOf(reset).includes('┤') && !legendOf(reset).includes('× error'));
    assert.ok(legendOf(wrongEcho).includes('× error'));
    assert.ok(!legendOf(wrongEcho).includes('┤') && !legendOf(wrongEcho).includes('⊗'));
    for (const t of [sequential, poolOfTwo, selectLoop]) assert.ok(!/[┤⊗]/.test(renderText(t)), 'nothing of the kind where the server closed nobody');
  });

  it("shows the server's closing over a send, an echo or a connect in its column: the lane's end cannot say who closed it", () => {
    const crowded = timeline(
      [
        ...client('F', [['connected', 0], ['send', 3]]),
        failure('F', 3.02, 'EOF'),
        ...client('R', [['connected', 0], ['send', 3], ['echo', 3.01]]),
        failure('R', 3.02, 'EPIPE'),
        ...client('Q', [['connected', 3]]),
        failure('Q', 3.01, 'EOF'),
      ],
      undefined,
      ['F', 'R', 'Q'],
    );
    assert.deepEqual(['F', 'R', 'Q'].map((name) => atTick(crowded, name, 3)), ['┤', '⊗', '┤']);
    assert.doesNotMatch(legendOf(crowded), /[↑↓↕]/, 'outranked everywhere, so not in the legend');
  });

  it('colours ┤ with the closing colour (the error colour without one) and ⊗ as an error, without moving them', () => {
    const c = pc.createColors(true);
    const colors = { send: c.blue, echo: c.green, waiting: c.yellow, error: c.red, dim: c.dim };
    const strip = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');
    for (const t of [fin, reset, wrongEcho]) {
      assert.equal(strip(renderText(t, { colors: { ...colors, closing: c.magenta } })), renderText(t));
    }
    assert.ok(renderText(fin, { colors: { ...colors, closing: c.magenta } }).includes(c.magenta('┤')));
    assert.ok(renderText(fin, { colors }).includes(c.red('┤')));
    assert.ok(renderText(reset, { colors: { ...colors, closing: c.magenta } }).includes(c.red('⊗')));
  });

  it('marks them apart in the layout, and lists them as features after the client’s own disconnect', () => {
    const all = timeline([...endedByServer('S', 3, 'EOF'), ...endedByServer('R', 2, 'ECONNRESET'), ...endedByServer('E', 2, 'EECHO_MISMATCH'), ...articleClient('A', 1.1, 0)], undefined, ['S', 'R', 'E', 'A']);
    const layout = layoutTimeline(all);
    assert.deepEqual(layout.clients.map((lane) => lane.marks.at(-1)?.kind), ['closedByServer', 'resetByServer', 'error', 'closed']);
    assert.deepEqual(layout.features, ['connected', 'idle', 'send', 'waiting', 'echo', 'closed', 'closedByServer', 'resetByServer', 'error']);
    assert.equal(layout.clients[2].marks.at(-1)?.note, 'E failed (EECHO_MISMATCH) at tick 2.00');
  });

  it('draws a FIN as a bar and a reset as a ringed cross in SVG, each with its tooltip and legend entry', () => {
    const lanes = (svg: string) => svg.slice(0, svg.indexOf('<g class="legend">'));
    const [finSvg, resetSvg, wrongSvg] = [fin, reset, wrongEcho].map((t) => renderSvg(t));
    for (const svg of [finSvg, resetSvg, wrongSvg]) assertWellFormed(svg);
    assert.match(lanes(finSvg), /<g><rect class="fin" [^>]*\/><title>S was disconnected by the server \(FIN\) at tick 3\.02<\/title><\/g>/);
    assert.match(lanes(resetSvg), /<g><g class="reset" [^>]*>.*?<\/g><title>S was reset by the server at tick 3\.02<\/title><\/g>/);
    assert.ok(!lanes(finSvg).includes('class="reset"') && !lanes(resetSvg).includes('class="fin"'));
    assert.ok(!/class="(fin|reset)"/.test(wrongSvg), 'any other error stays a cross');
    assert.ok(wrongSvg.includes('<title>S failed (EECHO_MISMATCH) at tick 3.02</title>'));
    assert.ok(finSvg.includes('>disconnected by the server (FIN)</text>') && !finSvg.includes('>reset by the server</text>'));
    assert.ok(resetSvg.includes('>reset by the server</text>') && !resetSvg.includes('>disconnected by the server (FIN)</text>'));
  });

  it('wraps a long SVG legend onto more lines within the chart’s width, the chart taller for it', () => {
    const all = timeline(
      [...endedByServer('S', 3, 'EOF'), ...endedByServer('R', 2, 'ECONNRESET'), ...endedByServer('E', 2, 'EECHO_MISMATCH'), ...articleClient('A', 1.1, 0)],
      server(4, 'A', [['accepted', 0, 0], ['recv', 1, 1], ['send', 1.1, 1]]),
      ['S', 'R', 'E', 'A'],
    );
    for (const t of [all, sequential, fin]) {
      const svg = renderSvg(t);
      const [width, height] = ['width', 'height'].map((name) => Number(new RegExp(`^<svg [^>]*?\\b${name}="([\\d.]+)"`).exec(svg)?.[1]));
      const key = svg.slice(svg.indexOf('<g class="legend">'));
      const texts = [...key.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)<\/text>/g)].map(([, x, y, text]) => ({ x: Number(x), y: Number(y), text }));
      assert.ok(texts.length > 0);
      for (const { x, y, text } of texts) assert.ok(x + text.length * CHAR_WIDTH <= width && y < height, `${text} at ${x},${y} outside ${width}x${height}`);
    }
    const linesOf = (svg: string) => new Set([...svg.slice(svg.indexOf('<g class="legend">')).matchAll(/<text [^>]*y="([\d.]+)"/g)].map(([, y]) => y)).size;
    assert.equal(linesOf(renderSvg(sequential)), 1, 'a chart of the usual features keeps its legend on one line');
    assert.ok(linesOf(renderSvg(all)) > 1);
  });
});
