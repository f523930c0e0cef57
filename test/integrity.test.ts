/** How features write payload sizes and pieces, and how long an echo may take. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { echoDeadlineMs, parsePieces, parseSize } from '../support/integrity';

describe('parseSize', () => {
  it('reads bytes, KiB and MiB, and sums terms joined by +', () => {
    assert.equal(parseSize('0 B'), 0);
    assert.equal(parseSize('1000 B'), 1000);
    assert.equal(parseSize('64 KiB + 1 B'), 65537);
    assert.equal(parseSize('3 MiB'), 3 * 1024 * 1024);
  });

  it('refuses anything else', () => {
    assert.throws(() => parseSize('3 MB'), /not a size/);
    assert.throws(() => parseSize(''), /not a size/);
  });
});

describe('parsePieces', () => {
  it('reads "whole" as one piece and a list as sizes used in turn', () => {
    assert.equal(parsePieces('whole'), undefined);
    assert.deepEqual(parsePieces('1, 7, 4096'), [1, 7, 4096]);
  });

  it('refuses pieces of no bytes, or not whole numbers', () => {
    assert.throws(() => parsePieces('0'), /not "whole"/);
    assert.throws(() => parsePieces('1.5'), /not "whole"/);
  });
});

describe('echoDeadlineMs', () => {
  it('allows two seconds, and two more per MiB', () => {
    assert.equal(echoDeadlineMs(0), 2000);
    assert.equal(echoDeadlineMs(3 * 1024 * 1024), 8000);
  });
});
