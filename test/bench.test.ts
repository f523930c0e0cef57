import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generatorLines, measurement, ratiosTable, resultsTable, roundRatio, summarize, type Measurement, type ReportInput } from '../bench/report';
import { cpuTicksFromStat, formatLatency, formatRate, median, percentOfOneCore, percentile, ratio, threadsFromStatus } from '../bench/stats';

describe('percentile', () => {
  const hundred = Float64Array.from({ length: 100 }, (_, i) => i + 1); // 1..100

  it('is the nearest rank: the smallest value with at least that share of the values at or below it', () => {
    assert.equal(percentile(hundred, 0.5), 50);
    assert.equal(percentile(hundred, 0.99), 99);
    assert.equal(percentile(Float64Array.of(10, 20, 30), 0.5), 20);
    assert.equal(percentile(Float64Array.of(10, 20, 30, 40), 0.5), 20);
  });

  it('is the largest value at the top and the smallest at the bottom, and NaN for no values', () => {
    assert.equal(percentile(hundred, 1), 100);
    assert.equal(percentile(hundred, 0), 1);
    assert.equal(percentile(Float64Array.of(7), 0.99), 7);
    assert.ok(Number.isNaN(percentile(new Float64Array(0), 0.5)));
  });
});

describe('median', () => {
  it('is the middle value of an odd count and the mean of the two middle ones of an even count, in any order', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([40, 10, 30, 20]), 25);
    assert.equal(median([5]), 5);
    assert.ok(Number.isNaN(median([])));
  });
});

describe('ratio', () => {
  it('divides, and is NaN when there is nothing to divide by', () => {
    assert.equal(ratio(3, 2), 1.5);
    assert.ok(Number.isNaN(ratio(3, 0)));
  });
});

describe('cpuTicksFromStat', () => {
  it('adds utime and stime (fields 14 and 15), even when the command name holds spaces and parentheses', () => {
    const fields = 'S 1 2 3 0 -1 4194560 500 0 0 0 1234 567 8 9 20 0 3 0 100 1000 200';
    assert.equal(cpuTicksFromStat(`4242 (node) ${fields}`), 1234 + 567);
    assert.equal(cpuTicksFromStat(`4242 (a (b) c) ${fields}`), 1234 + 567);
  });

  it('refuses a line that is not a stat line', () => {
    assert.throws(() => cpuTicksFromStat('hello'), /not a \/proc/);
  });
});

describe('threadsFromStatus', () => {
  it('reads the Threads line of /proc/<pid>/status', () => {
    assert.equal(threadsFromStatus('Name:\tnode\nTgid:\t4242\nThreads:\t110\nSigQ:\t0/95000\n'), 110);
    assert.throws(() => threadsFromStatus('Name:\tnode\n'), /no "Threads:" line/);
  });
});

describe('percentOfOneCore', () => {
  it('is CPU seconds over wall seconds, in %: two busy cores make 200', () => {
    assert.equal(percentOfOneCore(1.5, 3), 50);
    assert.equal(percentOfOneCore(4, 2), 200);
  });
});

describe('the figures as printed', () => {
  it('gives rates in thousands and latencies in µs below a millisecond, in ms above', () => {
    assert.equal(formatRate(48_213), '48.2 k');
    assert.equal(formatRate(123_456), '123 k');
    assert.equal(formatLatency(850.4), '850 µs');
    assert.equal(formatLatency(1234), '1.2 ms');
    assert.equal(formatLatency(Number.NaN), '–');
  });
});

/** A measurement with only the figures a test cares about. */
const m = (server: string, connections: number, round: number, rate: number, rest: Partial<Measurement> = {}): Measurement => ({
  server, connections, round, rate, p50Us: 100, p99Us: 900, serverCpu: 50, generatorCpu: 40, served: connections, ...rest,
});

describe('measurement', () => {
  it('turns a window of load into a rate and percentiles', () => {
    const latenciesUs = Float64Array.from({ length: 1000 }, (_, i) => i + 1);
    const result = { seconds: 2, roundTrips: 1000, served: 4, latenciesUs, generatorCpu: 30, serverCpu: 60 };
    assert.deepEqual(measurement('thread-pool', 10, 1, result), {
      server: 'thread-pool', connections: 10, round: 1, rate: 500, p50Us: 500, p99Us: 990, serverCpu: 60, generatorCpu: 30, served: 4,
    });
  });
});

describe('summarize', () => {
  it('takes the median of each figure over the rounds of one server at one connection count', () => {
    const runs = [m('a', 10, 1, 100, { p99Us: 5 }), m('a', 10, 2, 300, { p99Us: 1 }), m('a', 10, 3, 200, { p99Us: 3 }), m('a', 100, 1, 9), m('b', 10, 1, 7)];
    const summary = summarize(runs, 'a', 10);
    assert.equal(summary?.rounds, 3);
    assert.equal(summary?.rate, 200);
    assert.equal(summary?.p99Us, 3);
    assert.equal(summarize(runs, 'c', 10), undefined);
  });
});

describe('roundRatio', () => {
  it('divides the two rates round by round and gives the median and the range of those ratios', () => {
    // round 1 is slow for both (the machine was busy): its ratio is as good as the others'
    const runs = [m('x', 100, 1, 30), m('y', 100, 1, 20), m('x', 100, 2, 120), m('y', 100, 2, 100), m('x', 100, 3, 110), m('y', 100, 3, 100)];
    assert.deepEqual(roundRatio(runs, 'x', 'y', 100), { median: 1.2, min: 1.1, max: 1.5 });
  });

  it('leaves out rounds that lack one of the two, and is NaN with none', () => {
    const runs = [m('x', 10, 1, 50), m('y', 10, 1, 25), m('x', 10, 2, 40)];
    assert.deepEqual(roundRatio(runs, 'x', 'y', 10), { median: 2, min: 2, max: 2 });
    assert.ok(Number.isNaN(roundRatio(runs, 'x', 'y', 100).median));
  });
});

/** The cells of a markdown table line, trimmed. */
const cells = (line: string) => line.split('|').map((cell) => cell.trim()).slice(1, -1);

describe('the report tables', () => {
  const input: ReportInput = {
    servers: [{ key: 'fast', label: 'fast one' }, { key: 'slow', label: 'slow one' }, { key: 'echo', label: 'plain echo' }],
    connectionCounts: [10, 100],
    ceiling: 'echo',
    comparisons: [{ numerator: 'fast', denominator: 'slow', target: 1 }],
    measurements: [1, 2, 3].flatMap((round) => [
      m('fast', 10, round, 9000), m('slow', 10, round, 10_000), m('echo', 10, round, 12_000),
      m('fast', 100, round, 8000 + round), m('slow', 100, round, 4000, { served: 4 }), m('echo', 100, round, 10_000),
    ]),
  };

  it('has a row per connection count and server, with its rate over the plain echo\'s', () => {
    const rows = resultsTable(input).split('\n').map(cells);
    assert.deepEqual(rows[0], ['server', 'connections', 'round trips/s', '÷ Node echo', 'p50', 'p99', 'server CPU', 'generator CPU', 'served']);
    assert.deepEqual(rows.slice(2).map((row) => [row[0], row[1], row[2], row[3], row[8]]), [
      ['fast one', '10', '9.0 k', '0.75×', '10 of 10'],
      ['slow one', '10', '10.0 k', '0.83×', '10 of 10'],
      ['plain echo', '10', '12.0 k', '(itself)', '10 of 10'],
      ['fast one', '100', '8.0 k', '0.80×', '100 of 100'],
      ['slow one', '100', '4.0 k', '0.40×', '4 of 100'],
      ['plain echo', '100', '10.0 k', '(itself)', '100 of 100'],
    ]);
  });

  it('says, for each connection count, what the generator drove the plain echo at, the fastest server it drove, and its CPU', () => {
    assert.deepEqual(generatorLines(input, 2), [
      'At 10 connections the load generator drove the plain Node echo at 12.0 k round trips/s, using 40 % of a core (its 2 threads could use 200 %); the fastest server it drove was plain echo, at 12.0 k, using 40 %.',
      'At 100 connections the load generator drove the plain Node echo at 10.0 k round trips/s, using 40 % of a core (its 2 threads could use 200 %); the fastest server it drove was plain echo, at 10.0 k, using 40 %.',
    ]);
    const faster = { ...input, measurements: input.measurements.map((x) => (x.server === 'fast' ? { ...x, rate: 15_000, generatorCpu: 90 } : x)) };
    assert.match(generatorLines(faster, 1)[0], /\(its 1 thread could use 100 %\); the fastest server it drove was fast one, at 15\.0 k, using 90 %\.$/);
  });

  it('gives each comparison at every connection count and says where it misses its target', () => {
    const row = cells(ratiosTable(input).split('\n')[2]);
    assert.deepEqual(row, ['fast one ÷ slow one', '0.90× (0.90×–0.90×)', '2.00× (2.00×–2.00×)', '≥ 1.00×: missed at 10']);
    assert.match(ratiosTable({ ...input, comparisons: [{ numerator: 'fast', denominator: 'slow', target: 0.9 }] }), /≥ 0\.90×: met \|/);
    assert.match(ratiosTable({ ...input, comparisons: [{ numerator: 'fast', denominator: 'slow', target: 2.5 }] }), /≥ 2\.50×: missed at 10 and 100 \|/);
  });
});
