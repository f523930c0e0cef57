/** The remedies' verdicts on timelines written by hand (one tick is 100 ms). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  alwaysAnswered,
  cutOffAtLimit,
  echoedUntilCutOff,
  neverCutOff,
  neverEchoed,
  rateDeadline,
  servedAfterAll,
  servedBefore,
  servedOnceCutOff,
} from '../support/remedy-verdicts';
import type { ClientEvent } from '../support/timeline/types';
import { articleClient, at, client, timeline } from './hand-built';

/** The server closed on `name` at `tick`: a FIN (EOF) unless told it was a reset. */
const cut = (name: string, tick: number, code = 'EOF'): ClientEvent => ({ source: 'client', client: name, kind: 'error', t: at(tick), code });

/** A slow client that connects at 0 and sends "x" at each of `sends` ticks. */
const slow = (name: string, sends: number[]): ClientEvent[] => [
  ...client(name, [['connecting', 0], ['connected', 0]]),
  ...sends.flatMap((tick) => [
    { source: 'client', client: name, kind: 'send', t: at(tick), message: 'x', bytes: 1 } as ClientEvent,
    { source: 'client', client: name, kind: 'echo', t: at(tick + 0.01), message: 'x', bytes: 1 } as ClientEvent,
  ]),
];

const silence = { kind: 'silence', ms: 200 } as const;

describe('cutOffAtLimit', () => {
  it('holds for a cut-off at the limit after the last word, by a FIN or a reset', () => {
    assert.equal(cutOffAtLimit(timeline([...slow('S', [1]), cut('S', 3.05)], undefined, ['S']), 'S', silence), undefined);
    assert.equal(cutOffAtLimit(timeline([...slow('S', [1]), cut('S', 3.05, 'ECONNRESET')], undefined, ['S']), 'S', silence), undefined);
  });

  it('counts a silent client from its connect', () => {
    assert.equal(cutOffAtLimit(timeline([...slow('S', []), cut('S', 2.1)], undefined, ['S']), 'S', silence), undefined);
  });

  it('fails a cut-off before the limit, naming how and when', () => {
    assert.match(cutOffAtLimit(timeline([...slow('S', [1]), cut('S', 2.5)], undefined, ['S']), 'S', silence)!, /sooner than the 2.00 ticks it allows: 1.50 ticks after its last word, at tick 2.50 \(a FIN\)/);
  });

  it('fails a cut-off more than 3 ticks late', () => {
    assert.match(cutOffAtLimit(timeline([...slow('S', [1]), cut('S', 6.5)], undefined, ['S']), 'S', silence)!, /more than 3 ticks later/);
  });

  it('fails a client that left when it chose, or whose connection failed otherwise', () => {
    const left = timeline([...slow('S', [1]), ...client('S', [['closed', 9]])], undefined, ['S']);
    assert.match(cutOffAtLimit(left, 'S', silence)!, /never cut S off: S left when it chose, at tick 9.00/);
    const mismatch = timeline([...slow('S', [1]), cut('S', 3, 'EECHO_MISMATCH')], undefined, ['S']);
    assert.match(cutOffAtLimit(mismatch, 'S', silence)!, /ended with EECHO_MISMATCH/);
  });

  it('counts a lifetime from the connect, however busy the client was', () => {
    const busy = timeline([...slow('A', [1, 2, 3]), cut('A', 3.5)], undefined, ['A']);
    assert.equal(cutOffAtLimit(busy, 'A', { kind: 'lifetime', ms: 300 }), undefined);
    assert.match(cutOffAtLimit(busy, 'A', { kind: 'lifetime', ms: 400 })!, /sooner/);
  });

  it('gives a rate floor its grace, and more time for every byte sent', () => {
    // 1 byte a tick against 5 bytes a tick (50 B/s) after 3 ticks: each byte sent by then buys 0.2 ticks
    const trickle = (cutAt: number) => timeline([...slow('S', [1, 2, 3, 4, 5]), cut('S', cutAt)], undefined, ['S']);
    const floor = { kind: 'rate', bytesPerSecond: 50, graceMs: 300 } as const;
    assert.equal(cutOffAtLimit(trickle(3.7), 'S', floor), undefined);
    assert.match(cutOffAtLimit(trickle(2.9), 'S', floor)!, /sooner than the 3.40 ticks it allows: 2.90 ticks after it connected/);
  });
});

describe('rateDeadline', () => {
  it('stops counting bytes sent after the deadline passed', () => {
    assert.equal(rateDeadline(0, [{ t: 100, bytes: 10 }, { t: 500, bytes: 1000 }], { bytesPerSecond: 100, graceMs: 300 }), 400);
  });
});

describe('servedOnceCutOff', () => {
  const served = (firstEcho: number) => timeline([...slow('S', []), cut('S', 2), ...articleClient('A', firstEcho)], undefined, ['S', 'A']);

  it('holds when the others are served in full after the first cut-off, or with it', () => {
    assert.equal(servedOnceCutOff(served(2.1), ['A'], ['S']), undefined);
    assert.equal(servedOnceCutOff(served(1.9), ['A'], ['S']), undefined);
  });

  it('fails a client served before anyone was cut off', () => {
    assert.match(servedOnceCutOff(served(1.4), ['A'], ['S'])!, /A got its first echo at tick 1.40, before anyone was cut off \(tick 2.00\)/);
  });

  it('fails when nobody was cut off, or a client was not served in full', () => {
    const nobody = timeline([...slow('S', []), ...client('S', [['closed', 9]]), ...articleClient('A', 9.1)], undefined, ['S', 'A']);
    assert.match(servedOnceCutOff(nobody, ['A'], ['S'])!, /never cut S off/);
    const half = timeline([...slow('S', []), cut('S', 2), ...client('A', [['connecting', 0], ['connected', 0], ['send', 1, 'Hello'], ['echo', 2.1, 'Hello'], ['send', 3.1, 'World!'], ['closed', 4]])], undefined, ['S', 'A']);
    assert.match(servedOnceCutOff(half, ['A'], ['S'])!, /A got 1 of its 2 echoes/);
  });
});

describe('neverCutOff, neverEchoed and echoedUntilCutOff', () => {
  it('tell a client that left from one cut off', () => {
    assert.equal(neverCutOff(timeline(articleClient('A', 1), undefined, ['A']), 'A'), undefined);
    assert.match(neverCutOff(timeline([...slow('A', [1]), cut('A', 4)], undefined, ['A']), 'A')!, /cut A off \(a FIN\) at tick 4.00/);
  });

  it('find an echo that came back', () => {
    assert.equal(neverEchoed(timeline(articleClient('A', 1), undefined, ['A']), 'A', 'Bye'), undefined);
    assert.match(neverEchoed(timeline(articleClient('A', 1), undefined, ['A']), 'A', 'World!')!, /A got "World!" back at tick 2.10/);
  });

  it('call a client busy only if its messages came back until the cut-off', () => {
    assert.equal(echoedUntilCutOff(timeline([...slow('A', [1, 2, 3]), cut('A', 3.5)], undefined, ['A']), 'A'), undefined);
    assert.match(echoedUntilCutOff(timeline([...slow('A', [1]), cut('A', 3.5)], undefined, ['A']), 'A')!, /not busy/);
  });
});

describe('servedBefore and servedAfterAll', () => {
  const favoured = timeline([...articleClient('P', 3), ...articleClient('A', 4)], undefined, ['A', 'P']);

  it('order clients by their first echo', () => {
    assert.equal(servedBefore(favoured, 'P', ['A']), undefined);
    assert.match(servedBefore(favoured, 'A', ['P'])!, /P was served at tick 3.00, before A \(tick 4.00\)/);
  });

  it('want the one served last to have come before most of the others', () => {
    const stream = timeline(
      [...client('A', [['connecting', 1], ['connected', 1], ['send', 2, 'Hello'], ['echo', 9, 'Hello'], ['closed', 9]]), ...articleClient('P', 3), ...client('Q', [['connecting', 2], ['connected', 2], ['send', 3, 'Hello'], ['echo', 5, 'Hello'], ['closed', 6]])],
      undefined,
      ['A', 'P', 'Q'],
    );
    assert.equal(servedAfterAll(stream, 'A', ['Q']), undefined);
    assert.match(servedAfterAll(stream, 'A', ['P'])!, /A came after most of P \(0 of them came later\)/);
  });
});

describe('alwaysAnswered', () => {
  it('lists the newcomers that were not answered in time', () => {
    const asked = (answers: boolean[]) => ({ ...timeline([], undefined, []), service: answers.map((answered, i) => ({ t: at(i), answered })) });
    assert.equal(alwaysAnswered(asked([true, true])), undefined);
    assert.equal(alwaysAnswered(asked([true, false, false])), '2 of 3 newcomers were not answered in time: those who asked at tick 1.00, tick 2.00');
    assert.equal(alwaysAnswered(asked([])), 'no newcomer asked for an echo');
  });
});
