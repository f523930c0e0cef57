/** The deadlines the limits of `echolab serve` put on a connection (servers/limits.ts): arithmetic alone, no sockets. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anyLimit, earliest, nextDeadline, noteReceived, servedFrom } from '../servers/limits';

describe('the limits on a connection', () => {
  it('without limits, there is no deadline', () => {
    assert.equal(nextDeadline({}, servedFrom(1000)), undefined);
    assert.equal(anyLimit({}), false);
    assert.equal(anyLimit({ minRateGraceMs: 200 }), false); // a grace alone limits nothing
  });

  it('any one limit is a limit', () => {
    for (const limits of [{ idleTimeoutMs: 300 }, { maxLifetimeMs: 1000 }, { minRate: 10 }]) assert.equal(anyLimit(limits), true, JSON.stringify(limits));
  });

  it('--idle-timeout counts from when the connection is served, then from the last bytes received', () => {
    const progress = servedFrom(1000);
    assert.deepEqual(nextDeadline({ idleTimeoutMs: 300 }, progress), { at: 1300, limit: 'idle 300 ms' });
    noteReceived(progress, 5, 1250);
    assert.deepEqual(nextDeadline({ idleTimeoutMs: 300 }, progress), { at: 1550, limit: 'idle 300 ms' });
  });

  it('--max-lifetime stays where it is, however busy the connection', () => {
    const progress = servedFrom(1000);
    noteReceived(progress, 4096, 1900);
    assert.deepEqual(nextDeadline({ maxLifetimeMs: 1000 }, progress), { at: 2000, limit: 'max lifetime 1000 ms' });
  });

  it('--min-rate: the grace, then 1/rate s more for every byte received over the whole connection', () => {
    const progress = servedFrom(1000);
    const limits = { minRate: 100, minRateGraceMs: 200 };
    const limit = 'min rate 100 bytes/s after 200 ms';
    assert.deepEqual(nextDeadline(limits, progress), { at: 1200, limit });
    noteReceived(progress, 1, 1100);
    noteReceived(progress, 1, 1190);
    assert.deepEqual(nextDeadline(limits, progress), { at: 1220, limit }); // 2 bytes: 20 ms more
    noteReceived(progress, 50, 1210);
    assert.deepEqual(nextDeadline(limits, progress), { at: 1720, limit });
  });

  it('--min-rate without a grace gets 5000 ms', () => {
    assert.deepEqual(nextDeadline({ minRate: 10 }, servedFrom(0)), { at: 5000, limit: 'min rate 10 bytes/s after 5000 ms' });
  });

  it('given several, the earliest deadline wins, and says which limit it is', () => {
    const limits = { idleTimeoutMs: 300, maxLifetimeMs: 1000, minRate: 100, minRateGraceMs: 500 };
    const progress = servedFrom(0);
    assert.equal(nextDeadline(limits, progress)?.limit, 'idle 300 ms');
    noteReceived(progress, 100, 250); // min rate now at 1500, idle at 550
    noteReceived(progress, 1, 800); // idle at 1100, min rate at 1510: the lifetime comes first
    assert.deepEqual(nextDeadline(limits, progress), { at: 1000, limit: 'max lifetime 1000 ms' });
    const trickle = servedFrom(0);
    noteReceived(trickle, 1, 100);
    assert.deepEqual(nextDeadline(limits, trickle), { at: 400, limit: 'idle 300 ms' });
    noteReceived(trickle, 1, 200);
    assert.deepEqual(nextDeadline(limits, trickle), { at: 500, limit: 'idle 300 ms' });
    noteReceived(trickle, 1, 300); // idle at 600, min rate at 530
    assert.deepEqual(nextDeadline(limits, trickle), { at: 530, limit: 'min rate 100 bytes/s after 500 ms' });
  });

  it('finds the earliest of several connections\' deadlines, and none among none', () => {
    const deadlines = new Map([[5, { at: 1300, limit: 'idle 300 ms' }], [6, { at: 1250, limit: 'max lifetime 250 ms' }], [7, { at: 1400, limit: 'idle 400 ms' }]]);
    assert.deepEqual(earliest(deadlines.values()), { at: 1250, limit: 'max lifetime 250 ms' });
    assert.equal(earliest([]), undefined);
  });
});
