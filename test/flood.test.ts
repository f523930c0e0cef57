/**
 * A flood of idle clients, judged on hand-built timelines (support/flood-verdicts.ts), and the
 * address space that lets a process have so many threads (support/os-limits.ts). No sockets.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseSoftLimit, parseStatus } from '../support/cost/proc';
import { everyMessageEchoed, neverServed, notServedWhileFloodStays, servedOnceFloodLeaves, servedWhileFloodStays } from '../support/flood-verdicts';
import { addressSpaceFor } from '../support/os-limits';
import { client, timeline } from './hand-built';

const flooders = ['a', 'b'];
// the idle clients connect at tick 1 and leave at tick 5; A is served at 0.5 and again at 4
const flood = [
  ...client('A', [['connecting', 0], ['connected', 0], ['send', 0.4, 'Hello'], ['echo', 0.5, 'Hello'], ['send', 4, 'World!'], ['echo', 4.1, 'World!'], ['closed', 9]]),
  ...flooders.flatMap((name) => client(name, [['connecting', 1], ['connected', 1], ['closed', 5]])),
];
type Step = Parameters<typeof client>[1][number];
const fSends: Step[] = [['connecting', 2], ['connected', 2], ['send', 2, 'Hello']];
const fAt = (echo?: number) => timeline([...flood, ...client('F', [...fSends, ...(echo === undefined ? [] : [['echo', echo, 'Hello'] as Step]), ['closed', 9]])]);

describe('a newcomer during a flood', () => {
  it('served at once, while the idle clients stay', () => {
    assert.equal(servedWhileFloodStays(fAt(2.1), 'F', flooders), undefined);
    assert.equal(notServedWhileFloodStays(fAt(2.1), 'F', flooders), 'F was served at tick 2.10, while the idle clients were still connected (they left at tick 5.00)');
    assert.equal(servedOnceFloodLeaves(fAt(2.1), 'F', flooders), 'F was served at tick 2.10, before the idle clients left (at tick 5.00)');
  });

  it('served only once the idle clients leave, as in a full pool', () => {
    assert.equal(servedOnceFloodLeaves(fAt(5.1), 'F', flooders), undefined);
    assert.equal(notServedWhileFloodStays(fAt(5.1), 'F', flooders), undefined);
    assert.equal(servedWhileFloodStays(fAt(5.1), 'F', flooders), 'F was served only at tick 5.10, once the idle clients had left (at tick 5.00)');
  });

  it('never served, as by a server that ran out of threads', () => {
    assert.equal(neverServed(fAt(), 'F'), undefined);
    assert.equal(notServedWhileFloodStays(fAt(), 'F', flooders), undefined);
    assert.equal(servedOnceFloodLeaves(fAt(), 'F', flooders), 'F was not served even after the idle clients had left (at tick 5.00)');
    assert.equal(servedWhileFloodStays(fAt(), 'F', flooders), 'F was never served');
    assert.equal(neverServed(fAt(5.1), 'F'), 'F was served at tick 5.10');
  });

  it('A, served before the flood, is served again during it, or says how many echoes it missed', () => {
    assert.equal(everyMessageEchoed(fAt(), 'A'), undefined);
    assert.equal(everyMessageEchoed(fAt(), 'F'), 'F sent 1 message(s) and got 0 echo(es) back');
  });
});

describe('the address space for so many threads', () => {
  const PROC = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'proc');
  const read = (file: string) => fs.readFileSync(path.join(PROC, file), 'utf8');

  it('reads what the process maps now and its stack limit', () => {
    assert.equal(parseStatus(read('python-thread-per-client/status')).sizeBytes, 239456 * 1024);
    assert.equal(parseSoftLimit(read('limits'), 'Max stack size'), 8 * 1024 ** 2);
    assert.equal(parseSoftLimit(read('limits'), 'Max file size'), undefined);
  });

  it('gives each thread to come a stack and a little more, and half a stack over: the next stack is what fails', () => {
    const stackBytes = 8 * 1024 ** 2;
    const now = { threadsNow: 1, sizeNow: 15 * 1024 ** 2, stackBytes };
    const eight = addressSpaceFor(8, now);
    assert.ok(eight - now.sizeNow >= 7 * stackBytes + stackBytes / 2, 'seven stacks and a half fit');
    assert.ok(eight - now.sizeNow < 8 * stackBytes, 'an eighth stack does not');
    assert.equal(addressSpaceFor(9, now) - eight, stackBytes + 192 * 1024);
  });
});
