/**
 * The client classify's probes steer (support/probe-client.ts), against a node echo server,
 * and against a Python listener that never accepts, whose kernel backlog fills for real.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import readline from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { ProbeClient } from '../support/probe-client';
import type { ClientEvent } from '../support/timeline/types';

const NEVER_HANG = { timeout: 20_000 };
const HOST = '127.0.0.1';

function probeClient(name: string, events: ClientEvent[], readsEchoes = true): ProbeClient {
  return new ProbeClient(name, (event) => events.push(event), AbortSignal.timeout(10_000), readsEchoes);
}

describe('ProbeClient against an echo server', NEVER_HANG, () => {
  let server: net.Server;
  let port: number;
  before(async () => {
    server = net.createServer((socket) => socket.on('error', () => {}).pipe(socket));
    server.listen(0, HOST);
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((done) => server.close(() => done())));

  it('is settled once each message it sent has come back, and served from its first echo on', async () => {
    const events: ClientEvent[] = [];
    const client = probeClient('A', events);
    assert.equal(await client.connect(HOST, port), true);
    assert.equal(client.settled, false, 'nothing sent, nothing to settle');
    client.send('hello');
    await client.untilSettled(AbortSignal.timeout(5000));
    const servedAt = client.servedAt;
    client.send('still there?');
    assert.deepEqual([client.served, client.settled], [true, false]);
    await client.untilSettled(AbortSignal.timeout(5000));
    assert.equal(client.servedAt, servedAt, 'served at its first echo');
    await client.close();
    assert.deepEqual(
      events.map((e) => [e.kind, e.message]),
      [['connecting', undefined], ['connected', undefined], ['send', 'hello'], ['echo', 'hello'], ['send', 'still there?'], ['echo', 'still there?'], ['closed', undefined]],
    );
  });
});

describe('ProbeClient against a server whose echo is wrong', NEVER_HANG, () => {
  let server: net.Server;
  let port: number;
  before(async () => {
    // upper-cases what it gets
    server = net.createServer((socket) => socket.on('error', () => {}).on('data', (chunk) => socket.write(chunk.toString().toUpperCase())));
    server.listen(0, HOST);
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((done) => server.close(() => done())));

  it('is served once bytes come back at all, keeps its connection, and keeps every byte for its echo to be judged', async () => {
    const events: ClientEvent[] = [];
    const client = probeClient('A', events);
    await client.connect(HOST, port);
    client.send('hello');
    await client.untilSettled(AbortSignal.timeout(5000));
    assert.deepEqual([client.served, client.settled, client.failed], [true, true, false]);
    await client.close();
    assert.deepEqual(events.map((e) => e.kind), ['connecting', 'connected', 'send', 'echo', 'closed']);
    const { sent, received, closedByServer } = client.transcript();
    assert.deepEqual([sent.map((m) => m.prose), received.toString(), closedByServer], [['"hello"'], 'HELLO', false]);
  });
});

describe('ProbeClient against a full listen backlog', NEVER_HANG, () => {
  let listener: ChildProcess;
  let port: number;
  before(async () => {
    // listen(0) and never accept: Linux completes one connection into the backlog, then drops SYNs
    const script = 'import socket, time\ns = socket.socket()\ns.bind(("127.0.0.1", 0))\ns.listen(0)\nprint(s.getsockname()[1], flush=True)\ntime.sleep(60)';
    listener = spawn('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(readline.createInterface({ input: listener.stdout! }), 'line')) as [string];
    port = Number(line);
  });
  after(() => void listener.kill());

  it('gives up waiting for a connection that does not complete, without calling it failed', async () => {
    const events: ClientEvent[] = [];
    const inBacklog = probeClient('A', events);
    const dropped = probeClient('B', events);
    assert.equal(await inBacklog.connect(HOST, port, { withinMs: 1000 }), true);
    assert.equal(await dropped.connect(HOST, port, { withinMs: 300 }), false);
    assert.deepEqual([dropped.failed, dropped.settled, dropped.open], [false, false, false]);
    await Promise.all([inBacklog.close(), dropped.close()]);
    assert.deepEqual(
      events.map((e) => [e.client, e.kind]),
      [['A', 'connecting'], ['A', 'connected'], ['B', 'connecting'], ['A', 'closed']],
    );
  });
});
