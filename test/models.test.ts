import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { EcholabError } from '../core/errors';
import { assertModelName, MODEL_NAMES, serveCommandLine } from '../core/models';
import { eventLog } from '../servers/event-log';

const clock = () => Number(process.hrtime.bigint()) / 1e6;

/** The lines written to a stream so far. */
function linesOf(out: PassThrough): string[] {
  return String(out.read() ?? '').split('\n').filter(Boolean);
}

describe('the models', () => {
  it("are the article's five, in its order", () => {
    assert.deepEqual(MODEL_NAMES, ['sequential', 'thread-per-client', 'thread-pool', 'multiplexing', 'async']);
  });

  it('are named exactly, and an unknown name lists them all', () => {
    assert.equal(assertModelName('multiplexing'), 'multiplexing');
    assert.throws(() => assertModelName('Async'), (error: unknown) => {
      assert.ok(error instanceof EcholabError);
      assert.equal(error.code, 'ECHOLAB_UNKNOWN_MODEL');
      assert.match(error.message, /sequential, thread-per-client, thread-pool, multiplexing, async$/);
      return true;
    });
  });
});

describe('the serve command line', () => {
  it('carries the limits on connections, and the address a pool takes first', () => {
    const command = serveCommandLine('thread-pool', { idleTimeoutMs: 300, maxLifetimeMs: 1000, minRate: 100, minRateGraceMs: 200, priorityFrom: '127.0.0.2' });
    assert.deepEqual(command.slice(2), [
      'serve', 'thread-pool', '--port', '0',
      '--idle-timeout', '300', '--max-lifetime', '1000', '--min-rate', '100', '--min-rate-grace', '200', '--priority-from', '127.0.0.2',
    ]);
  });
});

describe('the event log', () => {
  it('writes one JSON line per event, stamped with the monotonic clock', () => {
    const out = new PassThrough();
    const log = eventLog((line) => out.write(line), true);
    const before = clock();
    log('accepted', 0, 4, { peer: '127.0.0.1:50000' });
    log('recv', 2, 4, { bytes: 5 });
    log('closed', 2, 4);
    const after = clock();

    const events = linesOf(out).map((line) => JSON.parse(line));
    assert.deepEqual(events.map(({ t: _t, ...rest }) => rest), [
      { kind: 'accepted', thread: 0, conn: 4, peer: '127.0.0.1:50000' },
      { kind: 'recv', thread: 2, conn: 4, bytes: 5 },
      { kind: 'closed', thread: 2, conn: 4 },
    ]);
    for (const { t } of events) assert.ok(t >= before && t <= after, `t=${t} is not between ${before} and ${after}`);
  });

  it('writes nothing when events are off', () => {
    const out = new PassThrough();
    eventLog((line) => out.write(line), false)('send', 0, 4, { bytes: 5 });
    assert.deepEqual(linesOf(out), []);
  });
});
