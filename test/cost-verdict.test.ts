/**
 * What a server's cost per idle connection looks like (support/cost/verdict.ts), from steps as a
 * probe measures them, and how `echolab cost` prints it (support/cost/printout.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { costPrintout } from '../support/cost/printout';
import type { TreeSample } from '../support/cost/sampler';
import { costSlopes, costVerdict, memory, NONE_PER_CONNECTION_BELOW, PER_CONNECTION_WITHIN, type CostStep } from '../support/cost/verdict';

const MIB = 1024 ** 2;

/** Steps at 0, 10 and 100 connections, each measure given at each step. */
function steps(measures: { threads: number[]; processes?: number[]; mib?: number[] }): CostStep[] {
  return [0, 10, 100].map((connections, i) => {
    const sample: TreeSample = {
      threads: measures.threads[i],
      processes: measures.processes?.[i] ?? 1,
      pssBytes: (measures.mib?.[i] ?? 10) * MIB,
      rootRssBytes: 12 * MIB,
      fds: 5 + connections,
      sockets: 3 + connections,
    };
    return { connections, sample };
  });
}

const verdictOf = (measures: Parameters<typeof steps>[0]) => costVerdict(costSlopes(steps(measures)));

describe('costSlopes', () => {
  it('fits each measure over every step, per connection', () => {
    const slopes = costSlopes(steps({ threads: [1, 11, 101], mib: [10, 10.5, 15] }));
    assert.equal(slopes.threadsPerConnection, 1);
    assert.equal(slopes.processesPerConnection, 0);
    assert.equal(slopes.fdsPerConnection, 1);
    assert.ok(Math.abs(slopes.memoryBytesPerConnection / 1024 - 51.2) < 0.1, String(slopes.memoryBytesPerConnection / 1024));
    assert.equal(slopes.connectionsAdded, 100);
    assert.equal(slopes.threadsAtStart, 1);
  });
});

describe('costVerdict', () => {
  it('a thread per client: a thread per connection, give or take one started ahead', () => {
    assert.deepEqual(verdictOf({ threads: [1, 11, 101], mib: [10, 10.5, 15] }), {
      looksLike: 'a thread per client',
      threads: '100 idle connections added 100 OS threads',
      sentence: '100 idle connections added 100 OS threads and 5.0 MiB of memory (51 KiB each): it looks like a thread per client',
    });
    assert.equal(verdictOf({ threads: [9, 17, 110] }).looksLike, 'a thread per client'); // 8 spare threads, one not yet replaced at 10
  });

  it('a process per client: a process per connection (each with its thread)', () => {
    assert.deepEqual(verdictOf({ threads: [1, 11, 101], processes: [1, 11, 101], mib: [3, 8, 53] }), {
      looksLike: 'a process per client',
      threads: '100 idle connections added 100 OS threads and 100 processes',
      sentence: '100 idle connections added 100 OS threads, 100 processes and 50.0 MiB of memory (512 KiB each): it looks like a process per client',
    });
  });

  it('one thread for all connections: no thread or process added, and one thread all along', () => {
    assert.deepEqual(verdictOf({ threads: [1, 1, 1], mib: [10, 10, 10.02] }), {
      looksLike: 'one thread for all connections',
      threads: '100 idle connections added no OS threads to the one it holds',
      sentence: '100 idle connections added no OS threads and 21 KiB of memory (0.2 KiB each); it holds 1 OS thread however many connect: it looks like one thread for all connections',
    });
  });

  it('a fixed number of threads: none added to the several it had', () => {
    assert.deepEqual(verdictOf({ threads: [7, 7, 7] }), {
      looksLike: 'a fixed number of threads',
      threads: '100 idle connections added no OS threads to the 7 it holds',
      sentence: '100 idle connections added no OS threads and 0.0 KiB of memory (0.0 KiB each); it holds 7 OS threads however many connect: it looks like a fixed number of threads',
    });
  });

  it('a few per client is per client too: socat forks a process, and runs cat in another, for each', () => {
    assert.equal(verdictOf({ threads: [1, 21, 201], processes: [1, 21, 201] }).looksLike, 'a process per client');
    assert.equal(verdictOf({ threads: [1, 21, 201] }).looksLike, 'a thread per client');
  });

  it('threads that grow, but not one per client', () => {
    assert.equal(verdictOf({ threads: [1, 6, 51] }).looksLike, 'threads that grow, but not one per client');
  });

  it('draws its lines where its constants say', () => {
    const at = (perConnection: number) => verdictOf({ threads: [2, 2 + 10 * perConnection, 2 + 100 * perConnection] }).looksLike;
    assert.equal(at(1 - PER_CONNECTION_WITHIN), 'a thread per client');
    assert.equal(at(1 - PER_CONNECTION_WITHIN - 0.01), 'threads that grow, but not one per client');
    assert.equal(at(NONE_PER_CONNECTION_BELOW - 0.01), 'a fixed number of threads');
    assert.equal(at(NONE_PER_CONNECTION_BELOW), 'threads that grow, but not one per client');
    assert.equal(at(1.5), 'threads that grow, but not one per client');
    assert.equal(at(2 + PER_CONNECTION_WITHIN - 0.01), 'a thread per client');
  });
});

describe('memory', () => {
  it('in KiB, with a decimal below 10, or MiB; a fall with a minus', () => {
    assert.deepEqual([300, 20 * 1024, 1.5 * MIB, -3 * 1024, -10].map(memory), ['0.3 KiB', '20 KiB', '1.5 MiB', '-3.0 KiB', '0.0 KiB']);
  });
});

describe('costPrintout', () => {
  const probe = (measured: CostStep[]) => {
    const slopes = costSlopes(measured);
    return { host: '127.0.0.1', port: 41001, pid: 8383, command: 'python3 thread_per_client.py --port 41001', steps: measured, slopes, verdict: costVerdict(slopes), tookMs: 130 };
  };

  it('prints the steps as a table, the growth per connection and what it looks like', () => {
    assert.equal(
      costPrintout(probe(steps({ threads: [1, 11, 101], mib: [10, 10.5, 15] }))),
      [
        'The server at 127.0.0.1:41001: pid 8383 (python3 thread_per_client.py --port 41001) and the processes under it',
        '',
        '| idle connections | OS threads | processes | memory (MiB, PSS) | fds |',
        '| ---------------- | ---------- | --------- | ----------------- | --- |',
        '| 0                | 1          | 1         | 10.0              | 5   |',
        '| 10               | 11         | 1         | 10.5              | 15  |',
        '| 100              | 101        | 1         | 15.0              | 105 |',
        '',
        'Per connection: 1.00 OS threads, 0.00 processes, 51 KiB of memory, 1.00 fds',
        '100 idle connections added 100 OS threads and 5.0 MiB of memory (51 KiB each): it looks like a thread per client.',
        'Measured in 0.13 s.',
      ].join('\n'),
    );
  });

  it('says why a thread per client may grow by less than one thread per connection', () => {
    // echolab's own, 32 threads started ahead: none started for the first 10 clients
    const printed = costPrintout(probe(steps({ threads: [40, 40, 109] })));
    assert.match(printed, /it looks like threads that grow, but not one per client\.\nA server that keeps threads started ahead .* measure from more connections than it keeps spare\./);
  });
});
