import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BOUND_PATTERN, parseBound, withinBound } from '../support/bounds';

describe('bounds in words', () => {
  it('reads each form, with its ends in or out', () => {
    const between = parseBound('between 0.9 and 1.1');
    assert.equal(withinBound(0.9, between), true);
    assert.equal(withinBound(1.1, between), true);
    assert.equal(withinBound(1.11, between), false);
    assert.equal(withinBound(0.05, parseBound('less than 0.05')), false);
    assert.equal(withinBound(0.049, parseBound('less than 0.05')), true);
    assert.equal(withinBound(4, parseBound('at most 4')), true);
    assert.equal(withinBound(5, parseBound('more than 5')), false);
    assert.equal(withinBound(6, parseBound('at least 6')), true);
  });

  it('takes KiB, MiB and GiB as bytes', () => {
    assert.equal(withinBound(2 * 1024 ** 2, parseBound('more than 1 MiB')), true);
    assert.equal(withinBound(300 * 1024, parseBound('at most 256 KiB')), false);
    assert.deepEqual(parseBound('between 1 KiB and 2 MiB').high, { value: 2 * 1024 ** 2, inclusive: true });
  });

  it('says what a bound looks like when given something else', () => {
    assert.throws(() => parseBound('about 3'), /not a bound: "about 3"/);
  });

  it('has a pattern that matches every form and nothing around it', () => {
    for (const text of ['between 0.9 and 1.1', 'less than 64 KiB', 'at most 4 MiB', 'more than 1 MiB', 'at least 2']) {
      assert.equal(BOUND_PATTERN.exec(`adds ${text} to`)?.[0], text);
    }
  });
});
