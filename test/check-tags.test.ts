/** Which scenarios `echolab check` runs, for a model and the remedies a server is said to have. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkTags } from '../support/check/run';

describe('checkTags', () => {
  it("runs the model's scenarios and none of any remedy when the server is said to have none", () => {
    assert.equal(
      checkTags('sequential', {}),
      '@sequential and not @idle-timeout and not @max-lifetime and not @min-rate and not @priority and not @white-box and not @course-only',
    );
  });

  it("runs the claimed remedies' scenarios alone: the model's, and those that fit any model", () => {
    assert.equal(
      checkTags('thread-pool', { idleTimeoutMs: 2000, priorityFrom: '127.0.0.2' }, ['@same-machine']),
      '(@idle-timeout or @priority) and (@thread-pool or not (@sequential or @thread-per-client or @thread-pool or @multiplexing or @async))' +
        ' and not @max-lifetime and not @min-rate and not @white-box and not @course-only and not @same-machine',
    );
  });
});
