/** The least-squares slope the cost probe reads growth per connection by (support/cost/fit.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leastSquaresSlope } from '../support/cost/fit';

const points = (...pairs: [number, number][]) => pairs.map(([x, y]) => ({ x, y }));

describe('leastSquaresSlope', () => {
  it('is the slope of a line through points on it', () => {
    assert.equal(leastSquaresSlope(points([0, 1], [10, 11], [100, 101])), 1);
    assert.equal(leastSquaresSlope(points([0, 7], [10, 7], [100, 7])), 0);
    assert.equal(leastSquaresSlope(points([5, 30], [15, 10])), -2);
  });

  it('weighs every step, so that one step caught mid-change moves it a little, where a difference of two would move it all', () => {
    // a thread per client whose 10th thread had not started when the step at 10 was read
    const slope = leastSquaresSlope(points([0, 1], [10, 10], [100, 101]));
    assert.ok(slope > 0.99 && slope < 1.01, String(slope));
    assert.equal((10 - 1) / 10, 0.9); // what the first two steps alone would say
  });

  it('needs two different x at least', () => {
    assert.throws(() => leastSquaresSlope(points([10, 1])), RangeError);
    assert.throws(() => leastSquaresSlope(points([10, 1], [10, 2])), RangeError);
    assert.throws(() => leastSquaresSlope([]), RangeError);
  });
});
