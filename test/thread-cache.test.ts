/**
 * When the runtime starts threads (servers/runtime/thread-cache.ts), without a thread: the
 * threads are slot numbers whose notes the test sends by hand, the count of spares stands for
 * the one real threads keep in shared memory, and a clock moved by hand runs the timers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ThreadCache, type Clock } from '../servers/runtime/thread-cache';

/** A clock that moves only when told to, running the timers it passes in the order they are due. */
class HandClock implements Clock {
  private time = 0;
  private readonly timers = new Set<{ due: number; run: () => void }>();

  after(ms: number, run: () => void) {
    this.timers.add({ due: this.time + ms, run });
  }

  advance(ms: number) {
    const until = this.time + ms;
    for (;;) {
      const [next] = [...this.timers].filter((timer) => timer.due <= until).sort((a, b) => a.due - b.due);
      if (!next) break;
      this.timers.delete(next);
      this.time = next.due;
      next.run();
    }
    this.time = until;
  }
}

/** A cache keeping `ahead` spares, before `fill`; what it does is logged, and its threads are played by hand. */
function program(ahead: number, maxThreads = 1024) {
  const clock = new HandClock();
  let spares = 0;
  /** slots, in the order their threads started */
  const started: number[] = [];
  const log = { programStarts: 0, ends: [] as (Error | undefined)[], threadsDone: 0, threadErrors: [] as [number, Error][] };
  /** while `refusing`, the operating system refuses every thread; `refused` counts the threads it refused */
  const counts = { waitedFor: 0, refusing: false, refused: 0 };
  const cache = new ThreadCache({
    ahead,
    maxThreads,
    clock,
    spares: () => spares,
    waitedFor: () => counts.waitedFor,
    startThread: () => {
      if (!counts.refusing) return started.push(started.length) - 1;
      counts.refused++;
      return undefined;
    },
    startProgram: () => {
      log.programStarts++;
      spares--; // claims a spare, as startOnSpare does
      counts.waitedFor++; // and counts the first thread in, as not a daemon
    },
    onProgramEnd: (error) => log.ends.push(error),
    onThreadsDone: () => log.threadsDone++,
    onThreadError: (thread, error) => log.threadErrors.push([thread, error]),
  });
  return {
    cache,
    clock,
    started,
    log,
    counts,
    /** the threads in `slots` wait for a job: each counts itself in, then says so */
    spare(...slots: number[]) {
      for (const slot of slots) {
        spares++;
        cache.noted(slot, { note: 'spare' });
      }
    },
    /** the spares in `slots` are handed jobs: the caller counts each out, then the thread says so */
    take(...slots: number[]) {
      for (const slot of slots) {
        spares--;
        cache.noted(slot, { note: 'taken' });
      }
    },
  };
}

/** A program running on slot `ahead`, its spares in slots 0 to `ahead` - 1. */
function running(ahead: number, maxThreads?: number) {
  const p = program(ahead, maxThreads);
  p.cache.fill();
  p.spare(...p.started);
  p.cache.noted(ahead, { note: 'taken' });
  assert.equal(p.log.programStarts, 1);
  return p;
}

const range = (count: number) => [...Array(count).keys()];

describe('ThreadCache', () => {
  it("starts the spares and the program's thread all at once, and the program once all of them are spares", () => {
    const p = program(4);
    p.cache.fill();
    assert.deepEqual(p.started, [0, 1, 2, 3, 4]);
    p.spare(0, 1, 2, 3);
    assert.equal(p.log.programStarts, 0, 'the program started with only as many spares as it keeps');
    p.spare(4);
    assert.equal(p.log.programStarts, 1);
    p.cache.noted(4, { note: 'taken' });
    p.clock.advance(10_000);
    assert.equal(p.started.length, 5, 'a thread was started in place of the one the program took');
  });

  // fewer than half of the spares left: the cache is filled up 25 ms later
  for (const [ahead, taken] of [[4, 3], [8, 5], [1, 1]]) {
    it(`replaces spares 25 ms after ${taken} of ${ahead} are taken`, () => {
      const p = running(ahead);
      p.take(...range(taken));
      p.clock.advance(24);
      assert.equal(p.started.length, ahead + 1, 'a replacement started before 25 ms');
      p.clock.advance(1);
      assert.equal(p.started.length, ahead + 2, 'no replacement started at 25 ms');
    });
  }

  // half of them or more left: none start, however long the threads taken keep their targets
  for (const [ahead, taken] of [[4, 2], [8, 4], [32, 10]]) {
    it(`starts no thread while ${taken} of ${ahead} spares are taken`, () => {
      const p = running(ahead);
      p.take(...range(taken));
      p.clock.advance(60_000);
      assert.equal(p.started.length, ahead + 1);
    });
  }

  it('fills the cache up to as many spares as it keeps, counting those that came back meanwhile', () => {
    const p = running(4);
    p.take(0, 1, 2);
    p.clock.advance(10);
    p.spare(0); // two left now, which alone would start none; the refill is due all the same
    p.clock.advance(15);
    assert.equal(p.started.length, 6);
    p.spare(5);
    assert.equal(p.started.length, 7);
    p.spare(6);
    p.clock.advance(10_000);
    assert.equal(p.started.length, 7, 'more started than the two missing');
  });

  it('starts replacements one at a time once the program runs, each when the one before is a spare', () => {
    const p = running(4);
    p.take(0, 1, 2, 3);
    p.clock.advance(25);
    assert.deepEqual(p.started.slice(5), [5]);
    p.clock.advance(10_000);
    assert.deepEqual(p.started.slice(5), [5], 'a second replacement started while the first was starting');
    for (const slot of [5, 6, 7]) {
      p.spare(slot);
      assert.equal(p.started.length, slot + 2);
    }
    p.spare(8);
    assert.equal(p.started.length, 9, 'more started than the four taken');
  });

  it('starts the next replacement at once when one exits before it is a spare', () => {
    const p = running(4);
    p.take(0, 1, 2, 3);
    p.clock.advance(25);
    p.cache.exited(5);
    assert.deepEqual(p.started.slice(5), [5, 6]);
  });

  it('replaces, once it is filling up, every spare taken until it keeps as many as it should', () => {
    const p = running(4);
    p.take(0, 1, 2);
    p.clock.advance(25);
    p.spare(5); // two spares, one starting, one to start: four to come, as many as it keeps
    p.take(3); // but only three once this one is taken, and it is still filling up: one more is wanted
    p.clock.advance(25);
    for (const slot of [6, 7, 8]) p.spare(slot);
    p.clock.advance(10_000);
    assert.deepEqual(p.started.slice(5), [5, 6, 7, 8]);
    p.take(5); // three left of four: no longer filling, so none starts
    p.clock.advance(10_000);
    assert.equal(p.started.length, 9);
  });

  it('starts none when the threads taken are spares again before the refill is due', () => {
    const p = running(4);
    p.take(0, 1, 2);
    p.clock.advance(20);
    p.spare(0, 1, 2); // their targets returned
    p.clock.advance(10_000);
    assert.equal(p.started.length, 5);
  });

  it('starts a thread at once for a thread waiting for a spare, unless one is coming', () => {
    const p = running(1);
    p.take(0);
    p.cache.noted(1, { note: 'wanted' });
    assert.equal(p.started.length, 3);
    p.cache.noted(1, { note: 'wanted' });
    p.clock.advance(25);
    p.spare(2);
    assert.equal(p.started.length, 3, 'a second thread started for the one waiting');
  });

  it('keeps no more threads alive than the maximum; one asked for beyond it starts when a thread exits', () => {
    const p = running(2, 4);
    p.take(0, 1);
    p.clock.advance(25);
    p.spare(3);
    assert.equal(p.started.length, 4);
    p.cache.noted(0, { note: 'wanted' });
    p.clock.advance(10_000);
    assert.equal(p.started.length, 4, 'a fifth thread started');
    p.cache.exited(0);
    assert.equal(p.started.length, 5);
  });

  it("ends the program when its first thread returns, and another thread's error only reports it", () => {
    const p = running(2);
    p.cache.noted(0, { note: 'ended', thread: 3, error: { name: 'OSError', code: 'EPIPE', message: 'broken pipe' } });
    assert.deepEqual(p.log.ends, []);
    assert.equal(p.log.threadErrors.length, 1);
    const [thread, error] = p.log.threadErrors[0];
    assert.ok(error instanceof Error);
    assert.deepEqual([thread, error.name, (error as Error & { code?: string }).code, error.message], [3, 'OSError', 'EPIPE', 'broken pipe']);
    p.counts.waitedFor--;
    p.cache.noted(2, { note: 'ended', thread: 0 });
    assert.deepEqual(p.log.ends, [undefined]);
    assert.equal(p.log.threadsDone, 1, 'no thread was left to wait for, yet the process was kept');
  });

  it('ends the program with the error its first thread threw', () => {
    const p = running(2);
    p.cache.noted(2, { note: 'ended', thread: 0, error: { name: 'TypeError', message: 'x is not a function', stack: 'TypeError: x is not a function\n    at main' } });
    assert.equal(p.log.ends.length, 1);
    const [error] = p.log.ends;
    assert.ok(error instanceof Error);
    assert.deepEqual([error.name, error.message, error.stack], ['TypeError', 'x is not a function', 'TypeError: x is not a function\n    at main']);
  });

  it('says the program ended at once, but that the process may end only once no thread that is not a daemon runs a target', () => {
    const p = running(2);
    p.counts.waitedFor += 2; // threads 1 and 2, handed clients
    p.counts.waitedFor--; // each thread counts itself out, then says it ended
    p.cache.noted(2, { note: 'ended', thread: 0, error: { name: 'OSError', code: 'EAGAIN', message: "can't start new thread" } });
    assert.equal(p.log.ends.length, 1, 'the first thread ended unsaid');
    assert.equal(p.log.threadsDone, 0, 'the process was let end while threads that are not daemons ran');
    p.counts.waitedFor--;
    p.cache.noted(0, { note: 'ended', thread: 1 });
    assert.equal(p.log.threadsDone, 0);
    p.counts.waitedFor--;
    p.cache.noted(1, { note: 'ended', thread: 2 });
    assert.equal(p.log.threadsDone, 1);
    p.cache.noted(1, { note: 'ended', thread: 4 }); // a daemon, after the end
    assert.equal(p.log.threadsDone, 1, 'said twice');
  });

  it('keeps only as many spares as fit beside the first thread, and starts the program with them', () => {
    const p = program(32, 4);
    assert.equal(p.cache.ahead, 3);
    p.cache.fill();
    assert.deepEqual(p.started, [0, 1, 2, 3]);
    p.spare(0, 1, 2, 3);
    assert.equal(p.log.programStarts, 1);
  });

  it('never has more threads alive than the maximum, spares included, as clients take spares one after another', () => {
    const p = running(1, 4); // the first thread on slot 1, one spare on slot 0
    p.take(0); // client A
    p.clock.advance(25);
    p.spare(2);
    p.take(2); // client B
    p.clock.advance(25);
    p.spare(3);
    assert.deepEqual(p.started, [0, 1, 2, 3]);
    p.take(3); // client C: four threads, none spare
    p.cache.noted(1, { note: 'wanted' }); // client D's thread is asked for
    p.clock.advance(10_000);
    assert.deepEqual(p.started, [0, 1, 2, 3], 'a fifth thread started');
    p.cache.exited(0); // A's thread, gone
    assert.deepEqual(p.started, [0, 1, 2, 3, 4], 'no thread started in place of the one that exited');
  });

  it('stops asking for threads when the operating system refuses one, and tries again when a thread is wanted', () => {
    const p = running(2);
    p.counts.refusing = true;
    p.take(0, 1);
    p.clock.advance(25);
    assert.deepEqual([p.started.length, p.counts.refused], [3, 1]);
    p.clock.advance(10_000);
    assert.equal(p.counts.refused, 1, 'it went on asking by itself');
    p.counts.refusing = false;
    p.cache.noted(2, { note: 'wanted' });
    assert.equal(p.started.length, 4);
  });
});
