/** Deciding which model a server behaves like, from observations written by hand. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { behavedWell, classify, describeModels, evidenceTable, firstComeFirstServed, verdictLine, wantsCost, type CostSeen, type Observations } from '../support/classify';
import { costSlopes, costVerdict } from '../support/cost/verdict';

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
    assert.deepEqual(classify(SEQUENTIAL), { models: ['sequential'], closest: ['sequential'], workers: undefined, mismatches: [], notes: [], echoProblem: undefined, crash: undefined, inside: undefined });
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

/** What the cost probe would see at 0, 5, 10, 15 and 20 idle connections, with these threads (and processes) at each. */
function costOf(threads: number[], processes = threads.map(() => 1)): CostSeen {
  const steps = [0, 5, 10, 15, 20].map((connections, i) => ({
    connections,
    sample: { threads: threads[i], processes: processes[i], pssBytes: 10 * 1024 ** 2, rootRssBytes: 10 * 1024 ** 2, fds: 5 + connections, sockets: 3 + connections },
  }));
  const slopes = costSlopes(steps);
  return { seen: true, probe: { verdict: costVerdict(slopes), slopes } };
}

const EVERYONE_AT_ONCE = observed({});

describe('classify, where the machine sees what clients cannot', () => {
  it('wants the cost only where clients leave models whose threads differ: a thread per client and async', () => {
    assert.equal(wantsCost(EVERYONE_AT_ONCE), true);
    assert.equal(wantsCost(observed({ echoProblem: 'client A received "hello from B", which client B sent' })), true, 'whatever came back');
    for (const told of [SEQUENTIAL, observed({ servedAtOnce: 3 }), observed({ nonReaderStalls: true })]) assert.equal(wantsCost(told), false);
  });

  it('calls a thread per connection thread-per-client, and says what it saw', () => {
    const result = classify({ ...EVERYONE_AT_ONCE, cost: costOf([1, 6, 11, 16, 21]) });
    assert.deepEqual([result.models, result.inside], [['thread-per-client'], { seen: 'a thread per client', figures: '20 idle connections added 20 OS threads', toldApart: true }]);
    assert.equal(verdictLine(result), 'It behaves like thread-per-client (a thread per client), as 20 idle connections added 20 OS threads.');
    assert.equal(behavedWell(result), true);
  });

  it("counts a thread cache's slower growth as a thread per connection: echolab's own, 32 threads started ahead, replaced once half are used", () => {
    const result = classify({ ...EVERYONE_AT_ONCE, cost: costOf([40, 40, 40, 40, 60]) });
    assert.deepEqual([result.models, result.inside], [['thread-per-client'], { seen: 'a thread per client', figures: '20 idle connections added 16 OS threads', toldApart: true }]);
  });

  it('calls a process per connection a process per client, like thread-per-client from outside', () => {
    const socat = [1, 11, 21, 31, 41]; // socat forks, and its fork runs cat in another process
    const result = classify({ ...EVERYONE_AT_ONCE, cost: costOf(socat, socat) });
    assert.deepEqual([result.models, result.inside && 'seen' in result.inside && result.inside.seen], [['thread-per-client'], 'a process per client']);
    assert.equal(verdictLine(result), 'It behaves like a process per client (like thread-per-client from outside), as 20 idle connections added 40 OS threads and 40 processes.');
  });

  it('calls threads that do not grow async, one thread for all connections, however many there are', () => {
    const asyncio = classify({ ...EVERYONE_AT_ONCE, cost: costOf([1, 1, 1, 1, 1]) });
    const node = classify({ ...EVERYONE_AT_ONCE, cost: costOf([7, 7, 7, 7, 7]) }); // Node's own helper threads
    assert.deepEqual([asyncio.models, node.models], [['async'], ['async']]);
    assert.deepEqual(node.inside, { seen: 'one thread for all connections', figures: '20 idle connections added no OS threads to the 7 it holds', toldApart: true });
    assert.equal(
      verdictLine(asyncio),
      'It behaves like async (one thread for all connections: an event loop, or a select loop that never blocks), as 20 idle connections added no OS threads to the one it holds.',
    );
  });

  it('keeps both where threads grow by too little to say, and says so in a line of its own', () => {
    const result = classify({ ...EVERYONE_AT_ONCE, cost: costOf([1, 2, 3, 4, 5]) });
    assert.deepEqual([result.models, result.inside], [['thread-per-client', 'async'], { seen: 'threads that grow, but not one per client', figures: '20 idle connections added 4 OS threads', toldApart: false }]);
    assert.equal(
      verdictLine(result),
      'It behaves like thread-per-client or async (from outside these cannot be told apart).\n' +
        'Threads per connection would tell them apart, but on this machine 20 idle connections added 4 OS threads: threads that grow, but not one per client.',
    );
  });

  it("keeps today's answer where the cost cannot be seen, with a line that says why", () => {
    const why = 'the cost cannot be seen from here: 192.0.2.1 is another machine';
    const result = classify({ ...EVERYONE_AT_ONCE, cost: { seen: false, why } });
    assert.deepEqual([result.models, result.inside], [['thread-per-client', 'async'], { unseen: why }]);
    assert.equal(verdictLine(result), `It behaves like thread-per-client or async (from outside these cannot be told apart).\nThreads per connection would tell them apart, but ${why}.`);
    assert.equal(behavedWell(result), true, 'exits 0 as before');
  });

  it('names the model it told apart before what is wrong with the echo, and before a crash', () => {
    const crash = { probe: 'client that does not read' as const, how: 'server "x" exited with status 1: Error: write ECONNRESET' };
    const result = classify({ ...EVERYONE_AT_ONCE, echoProblem: 'the server closed client A\'s connection after the first echo, before A had closed it', crash, cost: costOf([7, 7, 7, 7, 7]) });
    assert.match(verdictLine(result), /^It behaves like async \(one thread .*\), as 20 idle connections added no OS threads to the 7 it holds, but its echo is wrong: .*; it crashes when .*:\nserver "x" exited/);
    assert.equal(behavedWell(result), false);
  });

  it('shows what the machine saw as a row of the evidence, beside what the closest model has; and no row where it did not look', () => {
    const row = (observations: Observations) => evidenceTable(observations, classify(observations)).split('\n').find((line) => line.includes('/proc'));
    const cells = (line?: string) => line?.split('|').slice(2, 4).map((cell) => cell.trim());
    assert.deepEqual(cells(row({ ...EVERYONE_AT_ONCE, cost: costOf([1, 6, 11, 16, 21]) })), ['a thread per client: 20 idle connections added 20 OS threads', 'a thread or a process per client']);
    assert.deepEqual(cells(row({ ...EVERYONE_AT_ONCE, cost: costOf([7, 7, 7, 7, 7]) })), ['one thread for all connections: 20 idle connections added no OS threads to the 7 it holds', 'one thread for all connections']);
    assert.deepEqual(cells(row({ ...EVERYONE_AT_ONCE, cost: { seen: false, why: 'the cost cannot be seen from here: 192.0.2.1 is another machine' } })), [
      'the cost cannot be seen from here: 192.0.2.1 is another machine',
      'a thread or a process per client, or one thread for all connections',
    ]);
    assert.equal(row(EVERYONE_AT_ONCE), undefined);
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
