/**
 * What echolab quotes from a server (support/server-output.ts), on the stderr of real node and
 * python programs that died, kept in test/fixtures/stderr/ (its README says what printed each).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { errorLine, exitDescription, plainLine } from '../support/server-output';

// this file runs compiled, from dist/test/
const STDERR = path.join(__dirname, '..', '..', 'test', 'fixtures', 'stderr');
/** The file's lines as echolab keeps a server's output: without terminal control codes. */
const stderrOf = (file: string) => readFileSync(path.join(STDERR, file), 'utf8').split('\n').map(plainLine);

describe('errorLine', () => {
  const cases: [file: string, line: string][] = [
    ['node-unhandled-error-event.txt', 'Error: write ECONNRESET'],
    ['node-unhandled-error-event-coloured.txt', 'Error: write ECONNRESET'],
    ['node-thrown-coloured.txt', 'Error: boom'],
    ['python-connection-reset.txt', 'ConnectionResetError: [Errno 104] Connection reset by peer'],
    ['python-blocking-io.txt', 'BlockingIOError: [Errno 11] Resource temporarily unavailable'],
    ['python-chained.txt', 'RuntimeError: the upstream echo server is down'],
    ['python-exit-message.txt', 'server.py: no room for the buffers'],
  ];
  for (const [file, line] of cases) {
    it(`names the error in ${file}`, () => assert.equal(errorLine(stderrOf(file)), line));
  }

  it('names errors in the forms other runtimes print them', () => {
    assert.equal(errorLine(['Exception in thread "main" java.net.SocketException: Connection reset', '\tat java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:318)']), 'Exception in thread "main" java.net.SocketException: Connection reset');
    assert.equal(errorLine(['panic: write tcp 127.0.0.1:7->127.0.0.1:9: write: broken pipe', '', 'goroutine 6 [running]:', 'main.handle(...)', '\t/src/main.go:21 +0x1d4', 'exit status 2']), 'panic: write tcp 127.0.0.1:7->127.0.0.1:9: write: broken pipe');
    assert.equal(errorLine(['TypeError [ERR_INVALID_ARG_TYPE]: The "data" argument must be of type string', '    at write (node:net:1)']), 'TypeError [ERR_INVALID_ARG_TYPE]: The "data" argument must be of type string');
    assert.equal(errorLine(['socket.gaierror: [Errno -2] Name or service not known']), 'socket.gaierror: [Errno -2] Name or service not known');
  });

  it('says nothing when there is nothing to say', () => {
    assert.equal(errorLine([]), undefined);
    assert.equal(errorLine(['', '    at somewhere', '}', 'Node.js v20.20.2']), undefined);
  });
});

describe('plainLine', () => {
  it('takes out colours, cursor moves, bells and carriage returns, and keeps tabs', () => {
    assert.equal(plainLine('\u001b[90m    at x\u001b[39m'), '    at x');
    assert.equal(plainLine('\u001b[2K\u001b[1Gprogress 50%\rdone\u0007'), 'progress 50%done');
    assert.equal(plainLine('\tat main.go:3'), '\tat main.go:3');
  });
});

describe('exitDescription', () => {
  it('gives the status, or the signal', () => {
    assert.equal(exitDescription({ code: 1, signal: null }), 'exited with status 1');
    assert.equal(exitDescription({ code: null, signal: 'SIGKILL' }), 'was killed by SIGKILL');
  });
});
