/**
 * The count of resent segments that the clients record, read from a real socket's TCP_INFO:
 * nothing resent on a connection that went through at once, and the handshake counted once
 * the kernel of a server with a full backlog dropped it and TCP sent it again.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import readline from 'node:readline';
import { describe, it } from 'node:test';
import { resentSegments } from '../support/tcp-info';

/** A listener with a backlog of one connection that accepts nobody until told to (a line on its input). */
const NEVER_ACCEPTING = `
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(0)
print(s.getsockname()[1], flush=True)
sys.stdin.readline()
while True:
    s.accept()
`;

const connect = async (port: number) => {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  return socket;
};

describe('resent segments, as TCP_INFO counts them', { timeout: 30_000 }, () => {
  it('are none on a connection that went through at once, and count the handshake a full backlog made TCP send again', async () => {
    const listener = spawn('python3', ['-c', NEVER_ACCEPTING], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const [line] = await once(readline.createInterface({ input: listener.stdout! }), 'line');
      const port = Number(line);
      const first = await connect(port); // takes the backlog's one place
      assert.equal(resentSegments(first), 0);

      const kept = net.connect(port, '127.0.0.1');
      // TCP sends a dropped handshake again after a second; nothing announces it, so look again until the count says so
      const deadline = Date.now() + 10_000;
      while (!(resentSegments(kept)! >= 1)) {
        assert.ok(Date.now() < deadline, `the handshake was never counted as resent: ${resentSegments(kept)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      listener.stdin!.write('\n');
      await once(kept, 'connect');
      assert.ok(resentSegments(kept)! >= 1);
      for (const socket of [first, kept]) socket.destroy();
    } finally {
      listener.kill('SIGKILL');
    }
  });
});
