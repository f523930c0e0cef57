/**
 * The remedies for slow clients, as `echolab serve` options, on every model: real servers,
 * real clients over TCP. Each bound is a lower one (no cut before its time) or a generous
 * upper one, and every wait is for an event, never a sleep: the machine may be busy.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import readline from 'node:readline';
import { afterEach, describe, it } from 'node:test';
import { MODEL_NAMES, serveCommandLine, type ModelName, type ServeSettings } from '../core/models';

const NEVER_HANG = { timeout: 60_000 };
const WAIT_MS = 10_000;
/** how late a cut may come, on a loaded machine */
const LATE_MS = 5000;

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

/** `echolab serve` running; its output lines, and a wait for the first one matching. */
async function serve(model: ModelName, settings: ServeSettings) {
  const [node, ...args] = serveCommandLine(model, { spareThreads: 2, ...settings });
  const child = spawn(node, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  running.push(child);
  const lines: string[] = [];
  const waiting = new Set<() => void>();
  readline.createInterface({ input: child.stdout! }).on('line', (l) => {
    lines.push(l);
    for (const look of waiting) look();
  });
  const line = (pattern: RegExp) => new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(look);
      reject(new Error(`no line matching ${pattern} within ${WAIT_MS} ms; output:\n${lines.join('\n')}`));
    }, WAIT_MS);
    const look = () => {
      const found = lines.find((l) => pattern.test(l));
      if (found === undefined) return;
      clearTimeout(timer);
      waiting.delete(look);
      resolve(found);
    };
    waiting.add(look);
    look();
  });
  const port = Number((await line(/^listening on /)).split(':').at(-1));
  return { lines, line, port };
}

/** A client, connected (from `localAddress`, if given); `start` is when it began to connect, before the server could accept it. */
async function client(port: number, localAddress?: string) {
  const start = performance.now();
  const socket = net.connect({ port, host: '127.0.0.1', localAddress });
  socket.on('error', () => {}); // a reset closes it too: see `closed`
  const received: { at: number; text: string }[] = [];
  socket.on('data', (chunk: Buffer) => received.push({ at: performance.now(), text: chunk.toString() }));
  /** when the server closed the connection, and how: end of file, or a reset (a byte that came as it closed) */
  const closed = new Promise<{ at: number; eof: boolean }>((resolve) => {
    let eof = false;
    socket.on('end', () => (eof = true));
    socket.on('close', () => resolve({ at: performance.now(), eof }));
  });
  await once(socket, 'connect');
  const peer = `${localAddress ?? '127.0.0.1'}:${socket.localPort}`;
  const echoed = (text: string) => new Promise<void>((resolve) => {
    const look = () => received.map((r) => r.text).join('').includes(text) && resolve();
    socket.on('data', look);
    look();
  });
  return { socket, start, received, closed, peer, echoed };
}

const cutOff = (peer: string, limit: string) => new RegExp(`^Cut off {11}----- ${peer.replaceAll('.', '\\.')} at [\\d:.]+ \\(${limit}\\)$`);
const disconnected = (peer: string) => new RegExp(`^Disconnected from ----- ${peer.replaceAll('.', '\\.')} at `);

/** What `promise` resolves to, if it does within `ms`. */
function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Calls `act` every `ms` until `until` settles. */
function every(ms: number, act: () => void, until: Promise<unknown>) {
  const timer = setInterval(act, ms);
  void until.finally(() => clearInterval(timer));
}

for (const model of MODEL_NAMES) {
  describe(`serve ${model} with limits`, NEVER_HANG, () => {
    it('--idle-timeout cuts off a silent client, --max-lifetime a busy one, --min-rate a trickling one, after their time; a quick client is served', async () => {
      const server = await serve(model, { idleTimeoutMs: 500, maxLifetimeMs: 1200, minRate: 100, minRateGraceMs: 600 });
      // one after another in this order, for a sequential server
      const silent = await client(server.port);
      const quick = await client(server.port);
      const trickling = await client(server.port);
      const busy = await client(server.port);

      quick.socket.write('hello');
      void quick.echoed('hello').then(() => quick.socket.end());
      every(100, () => trickling.socket.write('.'), trickling.closed); // 10 bytes/s, a tenth of the floor
      // 20 bytes every 50 ms: never idle, far above the floor
      every(50, () => busy.socket.write('01234567890123456789'), busy.closed);

      const silentClosed = await within(500 + LATE_MS, silent.closed, 'the silent client was not cut off');
      assert.ok(silentClosed.eof, 'the silent client saw a reset, not end of file');
      assert.ok(silentClosed.at - silent.start >= 500, `the silent client was cut off after ${silentClosed.at - silent.start} ms`);
      await server.line(cutOff(silent.peer, 'idle 500 ms'));

      const quickClosed = await within(WAIT_MS, quick.closed, 'the quick client was not served');
      assert.ok(quickClosed.eof);
      assert.equal(quick.received.map((r) => r.text).join(''), 'hello');
      await server.line(disconnected(quick.peer));

      const trickled = await within(1000 + LATE_MS, trickling.closed, 'the trickling client was not cut off');
      assert.ok(trickled.at - trickling.start >= 600, `the trickling client was cut off within its grace, after ${trickled.at - trickling.start} ms`);
      await server.line(cutOff(trickling.peer, 'min rate 100 bytes/s after 600 ms'));

      const busyClosed = await within(1200 + 2 * LATE_MS, busy.closed, 'the busy client was not cut off');
      assert.ok(busyClosed.at - busy.start >= 1200, `the busy client was cut off after ${busyClosed.at - busy.start} ms`);
      // served well past the idle timeout and the grace, until its lifetime was up
      assert.ok(busy.received.at(-1)!.at - busy.received[0].at >= 600, `the busy client was served for ${busy.received.at(-1)!.at - busy.received[0].at} ms`);
      await server.line(cutOff(busy.peer, 'max lifetime 1200 ms'));
      assert.ok(!server.lines.some((l) => /^Disconnected from/.test(l) && !l.includes(quick.peer)), 'a client cut off was also said to have disconnected');
    });
  });
}

describe('serve thread-pool --priority-from', NEVER_HANG, () => {
  it("takes the address's connection from the queue before those waiting longer", async () => {
    const server = await serve('thread-pool', { workers: 1, priorityFrom: '127.0.0.2' });
    const holder = await client(server.port);
    holder.socket.write('h');
    await holder.echoed('h'); // the only worker is busy with it
    const queued = [await client(server.port), await client(server.port)];
    const first = await client(server.port, '127.0.0.2');
    for (const c of [...queued, first]) {
      await server.line(new RegExp(`^Connection from   ----- ${c.peer.replaceAll('.', '\\.')} `));
      c.socket.write(c === first ? 'first' : 'queued');
    }
    holder.socket.end();
    const served = await Promise.race([first, ...queued].map((c) => c.echoed(c === first ? 'first' : 'queued').then(() => c)));
    assert.equal(served, first, 'a connection that waited longer was served first');
    for (const c of [first, ...queued]) {
      await c.echoed(c === first ? 'first' : 'queued');
      c.socket.end();
      await c.closed;
    }
    const order = server.lines.filter((l) => l.startsWith('Disconnected from')).map((l) => l.split(' ')[3]);
    assert.deepEqual(order, [holder.peer, first.peer, ...queued.map((c) => c.peer)]);
  });
});
