/** Deciding which model a server behaves like, from observations written by hand. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { behavedWell, classify, describeModels, evidenceTable, firstComeFirstServed, verdictLine, type Observations } from '../support/classify';

/** A server that serves everyone at once and lets nobody hold anybody up, with `changes`. */
const observed = (changes: Partial<Observations>): Observations => ({
  bound: 8,
  servedAtOnce: 8,
  unserved: [],
  waitersInArrivalOrder: true,
  slowClientBlocks: false,
  nonReaderStalls: false,
  largestPayload: '3 MiB',
  echoProblem: undefined,
  ...changes,
});

const SEQUENTIAL = observed({ servedAtOnce: 1, slowClientBlocks: true, nonReaderStalls: true });

describe('classify', () => {
  it('calls one client at a time, held up by an idle client and by one that does not read, sequential', () => {
    assert.deepEqual(classify(SEQUENTIAL), { models: ['sequential'], closest: ['sequential'], workers: undefined, mismatches: [], notes: [], echoProblem: undefined, crash: undefined });
  });

  it('calls N at a time, first come first served, held up by nobody, a thread pool of N', () => {
    const result = classify(observed({ servedAtOnce: 3 }));
    assert.deepEqual([result.models, result.workers], [['thread-pool'], 3]);
  });

  it('cannot tell a thread per client from async or a buffering select loop', () => {
    assert.deepEqual(classify(observed({})).models, ['thread-per-client', 'async']);
  });

  it('calls everyone at once but stalled by a client that does not read a select loop whose send blocks', () => {
    assert.deepEqual(classify(observed({ nonReaderStalls: true })).models, ['multiplexing']);
  });

  it('finds no model for a pool that serves the newest waiting client first, and says why', () => {
    const result = classify(observed({ servedAtOnce: 2, waitersInArrivalOrder: false }));
    assert.deepEqual(result.models, []);
    assert.deepEqual(result.closest, ['thread-pool']);
    assert.deepEqual(result.mismatches, ['clients that wait are not served in the order they connected']);
  });

  it('names the model a server that echoes wrong serves like, and what is wrong with its echo beside it', () => {
    const echoProblem = `client A's echo of "hello from A" came back as "HELLO FROM A": letters changed case`;
    const result = classify(observed({ echoProblem }));
    assert.deepEqual([result.models, result.mismatches, result.echoProblem], [['thread-per-client', 'async'], [], echoProblem]);
    assert.equal(verdictLine(result), `It behaves like thread-per-client or async (from outside these cannot be told apart), but its echo is wrong: ${echoProblem}.`);
    assert.equal(behavedWell(result), false, 'classify exits 1');
  });

  it('judges who is served apart from the echo: one at a time is sequential, whatever came back', () => {
    const result = classify({ ...SEQUENTIAL, echoProblem: 'of the 3 MiB payload, only the first 64 KiB came back within 8000 ms' });
    assert.deepEqual(result.models, ['sequential']);
    assert.equal(verdictLine(result), 'It behaves like sequential, but its echo is wrong: of the 3 MiB payload, only the first 64 KiB came back within 8000 ms.');
  });

  it('says what is wrong with the echo after what no model does, for a server that fits none', () => {
    const result = classify(observed({ servedAtOnce: 2, waitersInArrivalOrder: false, echoProblem: 'client A received "hello from B", which client B sent' }));
    assert.equal(
      verdictLine(result),
      'It behaves like no model. Closest: thread-pool with 2 workers, but clients that wait are not served in the order they connected; its echo is wrong: client A received "hello from B", which client B sent.',
    );
  });

  it('finds no model for one at a time that an idle client does not hold up (it cannot be both)', () => {
    assert.deepEqual(classify({ ...SEQUENTIAL, slowClientBlocks: false }).mismatches, ['an idle client does not hold up the next one']);
  });

  it('names clients that were never served', () => {
    assert.deepEqual(classify({ ...SEQUENTIAL, unserved: ['G', 'H'] }).mismatches, ['clients G, H were never served, even once the others had left']);
    assert.deepEqual(classify({ ...SEQUENTIAL, unserved: ['D'] }).mismatches, ['client D was never served, even once the others had left']);
  });
});

describe('classify, of a server that a probe killed', () => {
  const crash = { probe: 'client that does not read' as const, how: 'server "x.py" exited with status 1: ConnectionResetError: [Errno 104] Connection reset by peer' };

  it('still names the model the other probes point to, and says when and how it crashes', () => {
    const result = classify({ ...SEQUENTIAL, crash });
    assert.deepEqual(result.models, ['sequential']);
    assert.equal(
      verdictLine(result),
      `It behaves like sequential, but it crashes when a client hangs up without reading its echoes:\n${crash.how}`,
    );
    assert.equal(behavedWell(result), false);
    assert.equal(behavedWell(classify(SEQUENTIAL)), true);
  });

  it('names the probe it died under in words of what its clients did', () => {
    assert.equal(classify({ ...SEQUENTIAL, crash: { ...crash, probe: 'idle client' } }).crash?.when, 'when a client that sat idle leaves');
  });

  it('adds the crash to what else went wrong', () => {
    const result = classify(observed({ echoProblem: 'of the 3 MiB payload, only the first byte came back within 8000 ms', crash }));
    assert.match(verdictLine(result), /^It behaves like thread-per-client or async \(from outside these cannot be told apart\), but its echo is wrong: of the 3 MiB .*; it crashes when a client hangs up without reading its echoes:\n/);
    const none = classify(observed({ servedAtOnce: 2, waitersInArrivalOrder: false, crash }));
    assert.match(verdictLine(none), /^It behaves like no model\. Closest: thread-pool with 2 workers, but clients that wait .*; it crashes when a client hangs up without reading its echoes:\n.*Connection reset by peer$/);
  });

  it('shows the crash as a row of the evidence', () => {
    const table = evidenceTable({ ...SEQUENTIAL, crash }, classify({ ...SEQUENTIAL, crash }));
    assert.match(table, /\| the server lives through every probe +\| no: it crashes when a client hangs up without reading its echoes \| yes +\|/);
  });
});

describe('classify, of a server with a small listen backlog', () => {
  it('judges it by what the clients that got in saw, and notes the full backlog in words of listen()', () => {
    const result = classify({ ...SEQUENTIAL, backlogFull: { client: 'C', waiting: 1 } });
    assert.deepEqual(result.models, ['sequential']);
    assert.deepEqual(result.notes, [
      "the listen backlog had room for only 1 waiting client: client C's connection did not complete, so fewer clients waited (a larger backlog in listen() makes more room)",
    ]);
    assert.match(evidenceTable(SEQUENTIAL, result), /\nNote: the listen backlog had room for only 1 waiting client: .*\.$/);
  });
});

describe('firstComeFirstServed', () => {
  const arrival = ['A', 'B', 'C', 'D', 'E'];

  it('lets the first wave be served in any order, the rest in the order they came', () => {
    assert.equal(firstComeFirstServed(arrival, ['B', 'A', 'C', 'D', 'E'], 2), true);
  });

  it('is false when a later client overtakes an earlier one', () => {
    assert.equal(firstComeFirstServed(arrival, ['A', 'B', 'E', 'D', 'C'], 2), false);
  });

  it('is false when the first wave is not the first to arrive', () => {
    assert.equal(firstComeFirstServed(arrival, ['A', 'C', 'B', 'D', 'E'], 2), false);
  });

  it('leaves out clients never served', () => {
    assert.equal(firstComeFirstServed(arrival, ['A', 'B', 'D'], 1), true);
  });
});

describe('the evidence', () => {
  it('is a table of what was observed beside what the closest model would do', () => {
    const observations = observed({ servedAtOnce: 2, waitersInArrivalOrder: false });
    const table = evidenceTable(observations, classify(observations)).split('\n');
    assert.match(table[0], /^\| probe +\| observed \| thread-pool with 2 workers \|$/);
    assert.match(table[2], /^\| clients served at the same time \(as many as 8 are tried\) +\| 2 +\| 2 +\|$/);
    assert.match(table[3], /^\| clients that wait are served in the order they connected +\| no +\| yes +\|$/);
    assert.deepEqual(
      table.slice(4).map((row) => row.split('|')[1].trim()),
      ['an idle client holds up the next one', 'every client gets back the bytes it sent, random payloads up to 3 MiB too', 'a client that does not read holds up another one', 'the server lives through every probe'],
    );
  });

  it('says "at least" the bound for a server that served every client at once', () => {
    const table = evidenceTable(observed({}), classify(observed({})));
    assert.match(table, /\| clients served at the same time \(as many as 8 are tried\) +\| at least 8 \| at least 8 +\|/);
  });

  it('names models the way a reader says them', () => {
    assert.equal(describeModels(['sequential']), 'sequential');
    assert.equal(describeModels(['thread-pool'], 2), 'thread-pool with 2 workers');
    assert.equal(describeModels(['thread-per-client', 'multiplexing', 'async']), 'thread-per-client, multiplexing or async');
  });
});
