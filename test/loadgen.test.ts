import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import { runLoad, type LoadOptions } from '../bench/loadgen';

/** An echo server in this process that passes every chunk through `reply` on its way back. */
async function echoServer(reply: (chunk: Buffer) => Buffer): Promise<net.Server> {
  const server = net.createServer((socket) => {
    socket.on('data', (chunk) => socket.write(reply(chunk)));
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const load = (server: net.Server): LoadOptions => ({
  host: '127.0.0.1',
  port: (server.address() as AddressInfo).port,
  connections: 5,
  messageBytes: 4096,
  threads: 2,
  warmupMs: 0,
  windowMs: 200,
  clockTicks: 100,
});

describe('runLoad against real sockets', () => {
  let faithful: net.Server;
  let corrupting: net.Server;
  before(async () => {
    faithful = await echoServer((chunk) => chunk);
    corrupting = await echoServer((chunk) => Buffer.from(chunk.map((byte, i) => (i === 9 ? byte ^ 1 : byte))));
  });
  after(() => {
    faithful.close();
    corrupting.close();
  });

  it('counts the round trips of every connection, each with its latency', async () => {
    const result = await runLoad(load(faithful));
    assert.equal(result.served, 5);
    assert.ok(result.roundTrips > 0);
    assert.equal(result.latenciesUs.length, result.roundTrips);
    assert.ok(Number.isNaN(result.serverCpu), 'no server pid, no server CPU');
  });

  it('fails on an echo that differs from what was sent', async () => {
    await assert.rejects(runLoad(load(corrupting)), { code: 'ECHOLAB_WRONG_ECHO' });
  });
});
