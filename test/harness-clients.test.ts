/**
 * Scripted clients (support/clients.ts) against small echo servers made here with node's
 * `net`, on 127.0.0.1 port 0. Each server keeps track of its connections, so a test can wait
 * until the server has seen every client go and then check that no socket is left open.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { EcholabError } from '../core/errors';
import { runClients, sendAndCollect, type ClientScript } from '../support/clients';
import type { ClientEvent, ClientEventKind } from '../support/timeline/types';
import { Condition } from '../support/wait';

const TICK_MS = 5;
const TIMEOUT_MS = 3000;
/** A suite that hangs fails instead. */
const NEVER_HANG = { timeout: 20_000 };

interface TestServer {
  port: number;
  /** the first bytes each connection sent, in the order the server accepted them */
  firstData: string[];
  /** resolves when every connection the server accepted has closed */
  allClosed(): Promise<void>;
  close(): Promise<void>;
}

/** A server on 127.0.0.1 port 0 that runs `serve` on each connection it accepts. */
function startTestServer(serve: (socket: net.Socket) => void): Promise<TestServer> {
  const open = new Set<net.Socket>();
  const firstData: string[] = [];
  const changed = new Condition();
  const server = net.createServer((socket) => {
    open.add(socket);
    const index = firstData.push('') - 1;
    socket.once('data', (chunk) => (firstData[index] = chunk.toString()));
    socket.on('error', () => {}); // resets are what some tests are about
    socket.on('close', () => {
      open.delete(socket);
      changed.notify();
    });
    serve(socket);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        firstData,
        allClosed: () => changed.waitFor(() => open.size === 0, AbortSignal.timeout(TIMEOUT_MS)),
        close: () => new Promise((done) => server.close(() => done())),
      }),
    ),
  );
}

const echo = (socket: net.Socket): void => void socket.pipe(socket);

/** Runs the clients against `server`, returns what they recorded, and checks nothing is left open. */
async function run(
  server: TestServer,
  clients: ClientScript[],
  options: { startGapMs?: number; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ClientEvent[]> {
  const events: ClientEvent[] = [];
  await runClients({
    host: '127.0.0.1',
    port: server.port,
    tickMs: TICK_MS,
    clients,
    record: (event) => events.push(event),
    timeoutMs: TIMEOUT_MS,
    ...options,
  });
  await assertNothingOpen(server);
  return events;
}

async function assertNothingOpen(server: TestServer): Promise<void> {
  await server.allClosed();
  const sockets = process.getActiveResourcesInfo().filter((resource) => resource === 'TCPSocketWrap');
  assert.deepEqual(sockets, [], 'a socket is still open');
}

const of = (events: ClientEvent[], client: string): ClientEvent[] => events.filter((e) => e.client === client);
const kinds = (events: ClientEvent[]): ClientEventKind[] => events.map((e) => e.kind);
const first = (events: ClientEvent[], kind: ClientEventKind): ClientEvent => {
  const event = events.find((e) => e.kind === kind);
  assert.ok(event, `no '${kind}' event in ${JSON.stringify(events)}`);
  return event;
};

/** Timers may fire up to a millisecond early on node's millisecond clock. */
const CLOCK_SLACK_MS = 1.5;

describe('runClients against an echo server', NEVER_HANG, () => {
  let server: TestServer;
  before(async () => (server = await startTestServer(echo)));
  after(() => server.close());

  it("plays the article's three clients: connect, then pause, send, echo per message, then close", async () => {
    const events = await run(
      server,
      ['A', 'B', 'C'].map((name) => ({ name, messages: ['Hello', 'World!'] })),
    );
    for (const name of ['A', 'B', 'C']) {
      const lane = of(events, name);
      assert.deepEqual(kinds(lane), ['connecting', 'connected', 'send', 'echo', 'send', 'echo', 'closed']);
      assert.deepEqual(
        lane.filter((e) => e.kind === 'send' || e.kind === 'echo').map((e) => [e.message, e.bytes]),
        [['Hello', 5], ['Hello', 5], ['World!', 6], ['World!', 6]],
      );
      assert.ok(lane.every((e, i) => i === 0 || e.t >= lane[i - 1].t), 'times go forward');
      assert.ok(lane[2].t - lane[1].t >= TICK_MS - CLOCK_SLACK_MS, 'a tick passes before the first send');
      assert.ok(Number.isInteger(first(lane, 'connected').localPort), 'connected says its local port');
    }
  });

  it('issues every connect in order before any completes, so the backlog gets them in that order', async () => {
    const firstBefore = server.firstData.length;
    const events = await run(
      server,
      ['A', 'B', 'C'].map((name) => ({ name, messages: [`${name}1`] })),
    );
    const connects = events.filter((e) => e.kind === 'connecting' || e.kind === 'connected');
    assert.deepEqual(
      connects.slice(0, 3).map((e) => [e.kind, e.client]),
      [['connecting', 'A'], ['connecting', 'B'], ['connecting', 'C']],
    );
    assert.deepEqual(server.firstData.slice(firstBefore), ['A1', 'B1', 'C1']);
  });

  it('spaces connects by startGapMs', async () => {
    const gapMs = 20;
    const events = await run(server, [{ name: 'A', messages: ['a'] }, { name: 'B', messages: ['b'] }], { startGapMs: gapMs });
    const gap = first(of(events, 'B'), 'connecting').t - first(of(events, 'A'), 'connecting').t;
    assert.ok(gap >= gapMs - CLOCK_SLACK_MS, `connects ${gap} ms apart`);
  });

  it('stays connected holdTicks after the last echo', async () => {
    const holdTicks = 4;
    const events = await run(server, [{ name: 'A', messages: ['Hello'], holdTicks, pauseTicks: 0 }]);
    const held = first(events, 'closed').t - first(events, 'echo').t;
    assert.ok(held >= holdTicks * TICK_MS - CLOCK_SLACK_MS, `closed ${held} ms after the echo`);
  });

  it('echoes a 5 MiB binary message byte-exactly, described on the timeline', async () => {
    const payload = randomBytes(5 * 1024 * 1024);
    const events = await run(server, [{ name: 'A', messages: [payload], pauseTicks: 0 }]);
    assert.deepEqual(kinds(events), ['connecting', 'connected', 'send', 'echo', 'closed']);
    assert.deepEqual(
      [first(events, 'echo').message, first(events, 'echo').bytes],
      ['<binary 5 MiB>', payload.length],
    );
  });

  it('describes texts that would not read well on a chart', async () => {
    const events = await run(server, [{ name: 'A', messages: ['x'.repeat(100), 'a\nb'], pauseTicks: 0 }]);
    assert.deepEqual(
      events.filter((e) => e.kind === 'echo').map((e) => e.message),
      ['<text 100 bytes>', '<text 3 bytes>'],
    );
  });

  it('lets a client that never reads send, hold and close', async () => {
    const events = await run(server, [{ name: 'A', messages: ['Hello'], readEchoes: false, holdTicks: 2 }]);
    assert.deepEqual(kinds(events), ['connecting', 'connected', 'send', 'closed']);
  });

  it('rejects with ECHOLAB_TIMEOUT and closes every socket when the caller aborts', async () => {
    const controller = new AbortController();
    const events: ClientEvent[] = [];
    await assert.rejects(
      runClients({
        host: '127.0.0.1',
        port: server.port,
        tickMs: TICK_MS,
        clients: [{ name: 'A', messages: ['Hello', 'World!'], pauseTicks: 100 }],
        record: (event) => {
          events.push(event);
          if (event.kind === 'echo') controller.abort(new Error('scenario stopped'));
        },
        timeoutMs: TIMEOUT_MS,
        signal: controller.signal,
      }),
      (err: unknown) =>
        err instanceof EcholabError &&
        err.code === 'ECHOLAB_TIMEOUT' &&
        err.message === 'the client scripts were still running (aborted: scenario stopped)',
    );
    await assertNothingOpen(server);
    assert.deepEqual(kinds(events), ['connecting', 'connected', 'send', 'echo']);
  });
});

describe('runClients records what a misbehaving server does', NEVER_HANG, () => {
  /** Starts `serve`, runs one client "A" sending Hello then World!, and returns A's events. */
  async function against(serve: (socket: net.Socket) => void): Promise<ClientEvent[]> {
    const server = await startTestServer(serve);
    try {
      return await run(server, [{ name: 'A', messages: ['Hello', 'World!'], pauseTicks: 0 }]);
    } finally {
      await server.close();
    }
  }

  it('a wrong echo: EECHO_MISMATCH, saying what was wrong, and the client stops', async () => {
    const events = await against((socket) => socket.on('data', (chunk) => socket.write(chunk.toString().toUpperCase())));
    assert.deepEqual(kinds(events), ['connecting', 'connected', 'send', 'error']);
    assert.deepEqual([first(events, 'error').code, first(events, 'error').wrongEcho], ['EECHO_MISMATCH', `client A's echo of "Hello" came back as "HELLO": letters changed case`]);
  });

  it('more bytes than were sent: EECHO_MISMATCH', async () => {
    const events = await against((socket) => socket.on('data', (chunk) => socket.write(Buffer.concat([chunk, chunk]))));
    assert.deepEqual([first(events, 'error').code, first(events, 'error').wrongEcho], ['EECHO_MISMATCH', `after client A's echo of "Hello", 5 bytes more came back: "Hello"`]);
  });

  it('a reset: ECONNRESET', async () => {
    const events = await against((socket) => socket.once('data', () => socket.resetAndDestroy()));
    assert.deepEqual(kinds(events), ['connecting', 'connected', 'send', 'error']);
    assert.equal(first(events, 'error').code, 'ECONNRESET');
  });

  it('the server closing the connection: EOF', async () => {
    const events = await against((socket) => socket.once('data', () => socket.end()));
    assert.deepEqual(kinds(events), ['connecting', 'connected', 'send', 'error']);
    assert.deepEqual([first(events, 'error').code, first(events, 'error').wrongEcho], ['EOF', `the server closed client A's connection without answering "Hello"`]);
  });

  it('the server closing the connection after the first echo: EOF, saying so', async () => {
    const events = await against((socket) => socket.once('data', (chunk) => socket.end(chunk)));
    assert.equal(first(events, 'echo').message, 'Hello');
    // with no pause, "World!" may have gone before the server's closing came
    assert.match(first(events, 'error').wrongEcho ?? '', /^the server closed client A's connection after the first echo(, before A had closed it|: "World!" got no answer)$/);
  });

  it('a refused connection: ECONNREFUSED', async () => {
    const closed = await startTestServer(echo);
    await closed.close();
    const events = await run(closed, [{ name: 'A', messages: ['Hello'] }]);
    assert.deepEqual(kinds(events), ['connecting', 'error']);
    assert.equal(first(events, 'error').code, 'ECONNREFUSED');
  });
});

describe('runClients with a client that does not read', NEVER_HANG, () => {
  it('is done sending once the server stops taking its bytes, and a client after it connects only then', async () => {
    // the first connection is never read from, as by a server stuck elsewhere, until the
    // second one (echoed) has closed: then the server drops it
    let stuck: net.Socket | undefined;
    const server = await startTestServer((socket) => {
      if (!stuck) {
        stuck = socket.pause();
        return;
      }
      socket.pipe(socket);
      socket.on('close', () => stuck?.destroy());
    });
    try {
      const flood = { name: 'Z', messages: [new Uint8Array(8 * 1024 ** 2)], pauseTicks: 0, readEchoes: false, holdTicks: 2 };
      const events = await run(server, [flood, { name: 'B', messages: ['Hi'], pauseTicks: 0, after: 'Z' }]);
      const floodSent = first(of(events, 'Z'), 'send').t;
      const bConnecting = first(of(events, 'B'), 'connecting').t;
      // refused only after a quiet spell of at least 300 ms with none of its bytes taken
      assert.ok(bConnecting - floodSent >= 300 - CLOCK_SLACK_MS, `B connected ${bConnecting - floodSent} ms after Z began to send`);
      // Z leaves (or is dropped by the server) only after that
      assert.ok(bConnecting < of(events, 'Z').at(-1)!.t, 'Z was still there when B came');
      assert.deepEqual(kinds(of(events, 'B')), ['connecting', 'connected', 'send', 'echo', 'closed']);
    } finally {
      await server.close();
    }
  });
});

describe('runClients deadlines', NEVER_HANG, () => {
  it('an echo that never comes: ECHOLAB_TIMEOUT naming what each client awaited, and no socket left', async () => {
    // Echoes for the first connection only, as a server busy with client A would.
    let accepted = 0;
    const server = await startTestServer((socket) => {
      accepted += 1;
      if (accepted === 1) echo(socket);
    });
    try {
      await assert.rejects(
        runClients({
          host: '127.0.0.1',
          port: server.port,
          tickMs: TICK_MS,
          clients: ['A', 'B', 'C'].map((name) => ({ name, messages: ['Hello', 'World!'], pauseTicks: 0 })),
          record: () => {},
          timeoutMs: 300,
        }),
        (err: unknown) => {
          assert.ok(err instanceof EcholabError);
          assert.equal(err.code, 'ECHOLAB_TIMEOUT');
          assert.match(
            err.message,
            /^client B: no echo of "Hello" after \d+ ms; client C: no echo of "Hello" after \d+ ms \(deadline 300 ms\)$/,
          );
          return true;
        },
      );
      await assertNothingOpen(server);
    } finally {
      await server.close();
    }
  });
});

describe('sendAndCollect', NEVER_HANG, () => {
  let server: TestServer;
  before(async () => (server = await startTestServer(echo)));
  after(() => server.close());

  it('sends a payload in pieces of the given sizes and returns the echo', async () => {
    const payload = randomBytes(1024 * 1024 + 3);
    const events: ClientEvent[] = [];
    const { received } = await sendAndCollect({
      host: '127.0.0.1',
      port: server.port,
      payload,
      pieceSizes: [1, 7, 1000, 65536],
      name: 'big',
      record: (event) => events.push(event),
      timeoutMs: TIMEOUT_MS,
    });
    assert.ok(received.equals(payload), 'byte-exact echo');
    assert.deepEqual(kinds(events), ['connecting', 'connected', 'send', 'echo', 'closed']);
    assert.deepEqual([first(events, 'send').client, first(events, 'send').bytes], ['big', payload.length]);
    await assertNothingOpen(server);
  });

  it('returns what arrived before the server closed, and records why', async () => {
    const partial = await startTestServer((socket) => socket.once('data', (chunk) => socket.end(chunk.subarray(0, 4))));
    const events: ClientEvent[] = [];
    try {
      const { received, closedByServer } = await sendAndCollect({
        host: '127.0.0.1',
        port: partial.port,
        payload: 'Hello, world',
        name: 'A',
        record: (event) => events.push(event),
        timeoutMs: TIMEOUT_MS,
      });
      assert.deepEqual([received.toString(), closedByServer], ['Hell', true]);
      assert.deepEqual(kinds(events), ['connecting', 'connected', 'send', 'error']);
      assert.equal(first(events, 'error').code, 'EOF');
      assert.equal(first(events, 'error').wrongEcho, 'of "Hello, world", only the first 4 bytes came back to client A, then the server closed the connection');
      await assertNothingOpen(partial);
    } finally {
      await partial.close();
    }
  });

  it('refuses piece sizes that are not whole positive numbers', async () => {
    await assert.rejects(
      sendAndCollect({
        host: '127.0.0.1',
        port: server.port,
        payload: 'x',
        pieceSizes: [0],
        record: () => {},
        timeoutMs: TIMEOUT_MS,
      }),
      RangeError,
    );
  });
});
