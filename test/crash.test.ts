/** What echolab says of a server that died (support/crash.ts), on timelines written by hand (one tick is 100 ms). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crashReason } from '../support/crash';
import type { ClientEvent } from '../support/timeline/types';
import { at, client, failure, timeline } from './hand-built';

const RESET = 'ConnectionResetError: [Errno 104] Connection reset by peer';
const exited = (tick: number, errorLine?: string) => ({ how: 'exited with status 1', at: at(tick), errorLine });

/** Z connects at 0 and at once sends 32 MiB, which it never reads back. */
const nonReader: ClientEvent[] = [
  { source: 'client', client: 'Z', kind: 'connecting', t: at(0), readsEchoes: false },
  ...client('Z', [['connected', 0], ['send', 0, '<binary 32 MiB>']]),
];
/** A connects at 3 and sends "Hello" at 4, then waits. */
const waiter = client('A', [['connecting', 3], ['connected', 3], ['send', 4, 'Hello']]);

describe('crashReason', () => {
  it('names the client that hung up without reading its echoes, and the error', () => {
    const hungUp = timeline([...nonReader, ...waiter, ...client('Z', [['closed', 8]]), failure('A', 8.01, 'ECONNRESET')], undefined, ['Z', 'A']);
    assert.equal(crashReason(hungUp, exited(8.05, RESET)), `the server exited with status 1 when client Z, which does not read its echoes, hung up: ${RESET}`);
  });

  it('names the client that does not read when it hung up since the last echo, though another hung up after it', () => {
    const reader = client('C', [['connecting', 3], ['connected', 3], ['send', 4, 'Hello'], ['echo', 4.1, 'Hello'], ['send', 7, 'World!'], ['echo', 7.9, 'World!'], ['closed', 8.05]]);
    const race = timeline([...nonReader, ...reader, ...client('Z', [['closed', 8]])], undefined, ['Z', 'C']);
    assert.equal(crashReason(race, exited(8.2, RESET)), `the server exited with status 1 when client Z, which does not read its echoes, hung up: ${RESET}`);
    const aliveAfterZ = timeline([...nonReader, ...client('Z', [['closed', 7.5]]), ...reader], undefined, ['Z', 'C']);
    assert.equal(crashReason(aliveAfterZ, exited(8.2)), 'the server exited with status 1 when client C hung up');
  });

  it('names a client that was still sending without reading', () => {
    const sending = timeline([...nonReader, failure('Z', 0.5, 'ECONNRESET')], undefined, ['Z']);
    assert.equal(
      crashReason(sending, exited(0.6, 'BlockingIOError: [Errno 11] Resource temporarily unavailable')),
      'the server exited with status 1 while client Z, which does not read its echoes, was sending <binary 32 MiB>: BlockingIOError: [Errno 11] Resource temporarily unavailable',
    );
  });

  it('names what a client that reads did last, and leaves out what the clients saw of the crash itself', () => {
    const sent = timeline([...waiter, failure('A', 4.02, 'EOF'), ...client('B', [['connecting', 4.5], ['connected', 4.5]]), failure('B', 4.6, 'ECONNRESET')], undefined, ['A', 'B']);
    assert.equal(crashReason(sent, exited(4.7)), 'the server exited with status 1 when client A sent "Hello"');
    const echoed = timeline([...waiter, ...client('A', [['echo', 4.1, 'Hello']])], undefined, ['A']);
    assert.equal(crashReason(echoed, exited(4.5, 'Error: boom')), 'the server exited with status 1 after client A got the echo of "Hello": Error: boom');
  });

  it('goes by when the server was seen to end, when no client saw it', () => {
    const later = timeline([...waiter, ...client('A', [['echo', 4.1, 'Hello'], ['closed', 5]])], undefined, ['A']);
    assert.equal(crashReason(later, exited(5.01)), 'the server exited with status 1 when client A hung up');
    assert.equal(crashReason(later, exited(4.2)), 'the server exited with status 1 after client A got the echo of "Hello"');
  });

  it('says so when no client had connected', () => {
    assert.equal(crashReason(timeline([], undefined, []), { how: 'was killed by SIGKILL', at: at(1) }), 'the server was killed by SIGKILL before any client had connected');
  });
});
