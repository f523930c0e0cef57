/**
 * The runtime the blocking models run on (servers/runtime/), against real sockets: each test
 * runs a small program of test/runtime/programs.ts in its own process, on real program
 * threads, and watches both what it prints and, through /proc, which system call each of its
 * threads is blocked in. A thread the test says is "blocked in recvfrom" is asleep in the
 * kernel's recvfrom, not in a JavaScript imitation of it.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { afterEach, describe, it } from 'node:test';
import { serveCommandLine } from '../core/models';
import { ECHOLAB_BIN } from '../core/paths';

/** The whole suite: a dozen processes, each started on a machine that may be busy. */
const NEVER_HANG = { timeout: 120_000 };
const WAIT_MS = 10_000;

/** Linux system call numbers, by architecture: what /proc/<pid>/task/<tid>/syscall names. */
const SYSCALLS: Record<string, Record<string, number>> = {
  x64: { read: 0, poll: 7, sendto: 44, recvfrom: 45, accept4: 288, epoll_wait: 232 },
  arm64: { read: 63, ppoll: 73, sendto: 206, recvfrom: 207, accept4: 242, epoll_pwait: 22 },
};

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

/** A program of programs.ts, running; its output lines, as they come. */
const run = (program: string) => runNode([path.join(__dirname, 'runtime', 'host.js'), program]);

/** `node <args>`, running (in the control group `cgroup`, if given); its output lines and its error lines, as they come. */
function runNode(args: string[], cgroup?: string) {
  const command = cgroup === undefined ? [process.execPath, ...args] : ['sh', '-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', cgroup, process.execPath, ...args];
  const child = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  running.push(child);
  const output = linesOf(child.stdout!);
  const errors = linesOf(child.stderr!);
  const seen = () => `output:\n${output.lines.join('\n')}\nerrors:\n${errors.lines.join('\n')}`;

  /** Resolves with the first line (from the start) that matches, waiting for it if need be. */
  const waitFor = (of: typeof output, pattern: RegExp) => new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      of.waiting.delete(look);
      reject(new Error(`no line matching ${pattern} within ${WAIT_MS} ms; ${seen()}`));
    }, WAIT_MS);
    const look = () => {
      const found = of.lines.find((l) => pattern.test(l));
      if (found === undefined) return;
      clearTimeout(timer);
      of.waiting.delete(look);
      resolve(found);
    };
    of.waiting.add(look);
    look();
  });
  const { lines } = output;
  const line = (pattern: RegExp) => waitFor(output, pattern);
  const errorLine = (pattern: RegExp) => waitFor(errors, pattern);

  const port = async () => Number((await line(/^listening on /)).split(':').at(-1));

  /** Resolves once at least `count` of the program's threads are blocked in `syscall`. */
  const blockedIn = async (syscall: string, count = 1) => {
    const number = SYSCALLS[process.arch]?.[syscall];
    assert.ok(number !== undefined, `no system call number for ${syscall} on ${process.arch}`);
    const inCall = () => readdirSync(`/proc/${child.pid}/task`).filter((tid) => {
      try {
        return Number(readFileSync(`/proc/${child.pid}/task/${tid}/syscall`, 'utf8').split(' ')[0]) === number;
      } catch {
        return false; // the thread ended while we looked
      }
    }).length;
    const deadline = Date.now() + WAIT_MS;
    // nothing announces that a thread went to sleep in the kernel: look again until it has
    while (inCall() < count) {
      if (Date.now() > deadline) throw new Error(`${count} thread(s) never blocked in ${syscall}; ${seen()}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  const goAhead = () => child.stdin!.write('\n');
  return { child, lines, line, errorLine, port, blockedIn, goAhead };
}

/** The lines a stream has brought so far, and who waits for the next. */
function linesOf(stream: NodeJS.ReadableStream) {
  const lines: string[] = [];
  const waiting = new Set<() => void>();
  readline.createInterface({ input: stream }).on('line', (line) => {
    lines.push(line);
    for (const look of waiting) look();
  });
  return { lines, waiting };
}

async function connect(port: number): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  return socket;
}

/** Reads until the peer closes; the bytes. */
async function readAll(socket: net.Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of socket) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Sends `text` and waits for it to come back. */
async function echoes(socket: net.Socket, text: string) {
  socket.write(text);
  const [data] = (await once(socket, 'data')) as [Buffer];
  assert.equal(data.toString(), text);
}

/** Everything the peer sends until the connection closes, however it closes. */
function everythingReceived(socket: net.Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => {}); // a reset closes it too
  return new Promise((resolve) => socket.on('close', () => resolve(Buffer.concat(chunks))));
}

/**
 * Where control groups of the pids controller are made (cgroup v1), in which the kernel limits
 * how many threads their processes have, as it limits a user's (RLIMIT_NPROC, which root
 * escapes). Making one takes root and that mount.
 */
const PIDS_CGROUPS = '/sys/fs/cgroup/pids';

function canMakePidsCgroups(): boolean {
  try {
    accessSync(PIDS_CGROUPS, constants.W_OK);
    return existsSync(`${PIDS_CGROUPS}/cgroup.procs`);
  } catch {
    return false;
  }
}

describe('the runtime on real sockets', NEVER_HANG, () => {
  it('a thread-pool server that cannot listen says so in one line and exits 2, its workers blocked in get notwithstanding', async () => {
    const taken = net.createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as net.AddressInfo;
    const server = spawn(process.execPath, [ECHOLAB_BIN, 'serve', 'thread-pool', '--port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    running.push(server);
    let stderr = '';
    server.stderr!.on('data', (chunk) => (stderr += chunk));
    const [code] = await once(server, 'exit');
    taken.close();
    assert.equal(code, 2);
    assert.equal(stderr, `echolab: port ${port} is already in use\n`);
  });

  it("past --max-threads, a thread per client's start fails with EAGAIN and its accept loop ends: the clients it has are served until they leave, newcomers never, then it exits 2", async () => {
    const server = runNode(serveCommandLine('thread-per-client', { spareThreads: 1, maxThreads: 4 }).slice(1));
    const ended = once(server.child, 'close');
    const port = await server.port();
    // the first thread accepts; three more serve a client each: the four the process may have
    const served: net.Socket[] = [];
    for (const text of ['a', 'b', 'c']) {
      served.push(await connect(port));
      await echoes(served.at(-1)!, text);
    }
    const beyond = await connect(port);
    const beyondGot = everythingReceived(beyond);
    beyond.write('d');
    assert.equal(
      await server.errorLine(/^echolab: /),
      "echolab: the thread-per-client server stopped: can't start new thread: EAGAIN (all 4 threads the process may have are running)",
    );
    // the listening socket stays open, with nobody to accept: a newcomer connects into the backlog
    const newcomer = await connect(port);
    const newcomerGot = everythingReceived(newcomer);
    newcomer.write('e');
    for (const client of served) await echoes(client, 'still served');
    assert.equal(server.child.exitCode, null, 'the process ended while its clients were being served');
    for (const client of served) client.end();
    assert.deepEqual(await ended, [2, null]);
    assert.deepEqual([(await beyondGot).byteLength, (await newcomerGot).byteLength], [0, 0], 'the client beyond the limit, or the newcomer, was served');
    assert.equal(server.lines.filter((line) => line.startsWith('Connection from')).length, 4, 'the newcomer was accepted, or the client beyond the limit was not');
    assert.equal(server.lines.filter((line) => line.startsWith('Disconnected from')).length, 3);
  });

  it('when the kernel refuses a thread (a pids cgroup at its limit), startThread fails with EAGAIN just the same', { skip: !canMakePidsCgroups() && `no pids cgroup can be made in ${PIDS_CGROUPS}` }, async () => {
    const cgroup = `${PIDS_CGROUPS}/echolab-test-${process.pid}`;
    mkdirSync(cgroup);
    const server = runNode(serveCommandLine('thread-per-client', { spareThreads: 1 }).slice(1), cgroup);
    const ended = once(server.child, 'close');
    try {
      const port = await server.port();
      // room for two threads more than Node's own, the first thread and the spare: three clients
      // take the spare and the two started in its place; the third's replacement is refused
      const threads = Number(readFileSync(`${cgroup}/pids.current`, 'utf8'));
      writeFileSync(`${cgroup}/pids.max`, String(threads + 2));
      const served: net.Socket[] = [];
      for (const text of ['a', 'b', 'c']) {
        served.push(await connect(port));
        await echoes(served.at(-1)!, text);
      }
      const beyond = await connect(port);
      beyond.on('error', () => {}); // reset when the process ends
      assert.equal(
        await server.errorLine(/^echolab: /),
        "echolab: the thread-per-client server stopped: can't start new thread: EAGAIN (the operating system refused to start one)",
      );
      for (const client of served) await echoes(client, 'still served');
      for (const client of served) client.end();
      assert.deepEqual(await ended, [2, null]);
    } finally {
      server.child.kill('SIGKILL');
      await ended;
      rmdirSync(cgroup);
    }
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`a server whose threads are blocked in system calls stops at once on ${signal}, and frees its port`, async () => {
      // two spare threads are enough for one client, where the default 32 would cost seconds of CPU to start
      const server = runNode([ECHOLAB_BIN, 'serve', 'thread-per-client', '--port', '0', '--spare-threads', '2']);
      const port = await server.port();
      const client = await connect(port);
      await server.blockedIn('recvfrom');
      server.child.kill(signal);
      const [code, how] = await once(server.child, 'exit');
      assert.deepEqual([code, how], [null, signal]);
      const again = net.createServer().listen(port, '127.0.0.1');
      await once(again, 'listening');
      again.close();
      client.destroy();
    });
  }

  it('recv blocks in the kernel until data arrives', async () => {
    const program = run('recvOnce');
    const client = await connect(await program.port());
    await program.line(/^receiving$/);
    await program.blockedIn('recvfrom');
    assert.ok(!program.lines.some((l) => l.startsWith('received ')), 'recv returned before anything was sent');
    client.write('hello');
    assert.equal(await program.line(/^received /), 'received hello');
    client.destroy();
  });

  it('recv with a timeout raises ETIMEDOUT once it passes with nothing received, and returns what comes in time', async () => {
    const program = run('recvWithTimeout');
    const client = await connect(await program.port());
    assert.equal(await program.line(/^recv|^received/), 'recv failed: ETIMEDOUT');
    const [, waited] = /^gave up after (\d+) ms$/.exec(await program.line(/^gave up/))!;
    assert.ok(Number(waited) >= 200, `recv gave up after ${waited} ms, before its 200 ms timeout`);
    await program.line(/^receiving$/);
    await program.blockedIn(process.arch === 'arm64' ? 'ppoll' : 'poll');
    assert.ok(!program.lines.some((l) => l.startsWith('received ')), 'recv returned before anything was sent');
    client.write('hello');
    assert.equal(await program.line(/^received /), 'received hello');
    client.destroy();
  });

  it('each recv hands back bytes of its own: a later recv does not overwrite what an earlier one returned', async () => {
    const program = run('recvTwice');
    const client = await connect(await program.port());
    client.write('hello');
    await program.line(/^first$/);
    client.write('world');
    assert.equal(await program.line(/^kept /), 'kept hello world');
    client.destroy();
  });

  it('sendall to a client that does not read blocks, then completes once the client reads', async () => {
    const program = run('sendallBig');
    const client = await connect(await program.port());
    client.pause();
    await program.line(/^sending$/);
    await program.blockedIn('sendto');
    assert.ok(!program.lines.includes('sent'), 'sendall of 8 MiB returned while the client read nothing');
    const received = await readAll(client);
    await program.line(/^sent$/);
    assert.equal(received.byteLength, 8 << 20);
    assert.ok(received.every((byte) => byte === 7));
  });

  it('select returns when its timeout passes with nothing ready, and when a socket becomes ready', async () => {
    const program = run('selectWithTimeout');
    const port = await program.port();
    const [, ready, waited] = /^timed out with (\d+) ready after (\d+) ms$/.exec(await program.line(/^timed out/))!;
    assert.equal(ready, '0');
    assert.ok(Number(waited) >= 150, `select returned after ${waited} ms, before its 150 ms timeout`);
    await program.line(/^selecting$/);
    await program.blockedIn(process.arch === 'arm64' ? 'ppoll' : 'poll');
    assert.ok(!program.lines.some((l) => l.startsWith('readable')));
    const client = await connect(port);
    assert.equal(await program.line(/^readable/), 'readable true');
    client.destroy();
  });

  it("the selector blocks in epoll until a watched socket is ready, and reports only the ready ones it watches", async () => {
    const program = run('selectorReadiness');
    const port = await program.port();
    assert.equal(await program.line(/^timed out/), 'timed out with none ready');
    await program.line(/^selecting$/);
    await program.blockedIn(process.arch === 'arm64' ? 'epoll_pwait' : 'epoll_wait');
    const a = await connect(port);
    assert.equal(await program.line(/^ready/), 'ready listener');
    const b = await connect(port);
    await program.line(/^watching a and b$/);
    b.write('x');
    assert.equal(await program.line(/^ready [ab]/), 'ready b');
    await program.line(/^watching a$/);
    a.write('z'); // b is still unread, but no longer watched: only a may be reported
    assert.equal(await program.line(/^ready .*a/), 'ready a');
    assert.equal(program.lines.filter((l) => l === 'ready b').length, 1);
    a.destroy();
    b.destroy();
  });

  it('select on a closed descriptor fails with EBADF, as POSIX says', async () => {
    const program = run('selectClosed');
    assert.equal(await program.line(/^select/), 'select failed: EBADF');
  });

  it('two threads sending on one connection both block, and both finish once the client reads', async () => {
    const program = run('twoSenders');
    const client = await connect(await program.port());
    client.pause();
    await program.blockedIn('sendto', 2);
    const chunks: Buffer[] = [];
    client.on('data', (chunk) => chunks.push(chunk));
    client.resume();
    await Promise.all([program.line(/^sent a$/), program.line(/^sent b$/)]);
    const received = await new Promise<Buffer>((resolve) => {
      const check = () => Buffer.concat(chunks).byteLength >= 16 << 20 && resolve(Buffer.concat(chunks));
      client.on('data', check);
      check();
    });
    const count = (letter: string) => received.filter((byte) => byte === letter.charCodeAt(0)).byteLength;
    assert.deepEqual([count('a'), count('b')], [8 << 20, 8 << 20]);
    client.destroy();
  });

  it('closing a socket wakes the threads blocked in its accept and its recv', async () => {
    const program = run('closeWakesBlocked');
    const client = await connect(await program.port());
    await program.blockedIn('accept4');
    await program.blockedIn('recvfrom');
    program.goAhead();
    assert.equal(await program.line(/^accept/), 'accept failed: EINVAL');
    assert.equal(await program.line(/^recv/), 'recv returned 0 bytes');
    client.destroy();
  });

  it('a queue hands items out first in, first out across threads, and closing it wakes every getter', async () => {
    const program = run('queueAcrossThreads');
    await program.line(/^got 99 /);
    await program.blockedIn('read', 4); // three getters and the program waiting for its go-ahead
    program.goAhead();
    for (const consumer of [0, 1, 2]) assert.equal(await program.line(new RegExp(`^get by ${consumer}`)), `get by ${consumer} failed: EPIPE`);

    const byConsumer = new Map<string, number[]>();
    const all: number[] = [];
    for (const l of program.lines) {
      const match = /^got (\d+) by (\d)$/.exec(l);
      if (!match) continue;
      all.push(Number(match[1]));
      byConsumer.set(match[2], [...(byConsumer.get(match[2]) ?? []), Number(match[1])]);
    }
    assert.deepEqual([...all].sort((a, b) => a - b), [...Array(100).keys()], 'every item came out exactly once');
    for (const [consumer, items] of byConsumer) {
      assert.deepEqual(items, [...items].sort((a, b) => a - b), `consumer ${consumer} got items out of order`);
    }
  });

  it('a priority queue hands out priority 0 first while it has some, first in, first out within each priority, across threads', async () => {
    const program = run('priorityQueueAcrossThreads');
    await Promise.all([program.line(/^got p357 /), program.line(/^got n359 /)]); // the last of each priority
    await program.blockedIn('read', 4); // three getters waiting for a ticket, and the program for its go-ahead
    program.goAhead();
    for (const consumer of [0, 1, 2]) assert.equal(await program.line(new RegExp(`^get by ${consumer}`)), `get by ${consumer} failed: EPIPE`);

    const byConsumer = new Map<string, string[]>();
    for (const l of program.lines) {
      const match = /^got ([pn]\d+) by (\d)$/.exec(l);
      if (match) byConsumer.set(match[2], [...(byConsumer.get(match[2]) ?? []), match[1]]);
    }
    const number = (item: string) => Number(item.slice(1));
    const all = [...byConsumer.values()].flat().map(number);
    assert.deepEqual(all.sort((a, b) => a - b), [...Array(360).keys()], 'every item came out exactly once');
    for (const [consumer, items] of byConsumer) {
      for (const priority of ['p', 'n']) {
        const numbers = items.filter((item) => item[0] === priority).map(number);
        assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b), `consumer ${consumer} got items of priority ${priority} out of order`);
      }
      // the 60 put before anyone took: a getter takes priority 1 only when priority 0 is empty
      const early = items.filter((item) => number(item) < 60);
      const firstNormal = early.findIndex((item) => item[0] === 'n');
      assert.ok(firstNormal === -1 || early.slice(firstNormal).every((item) => item[0] === 'n'), `consumer ${consumer} took ${early.join(' ')}`);
    }
  });

  it("the listen backlog is the kernel's: past it, a client's connection is not completed", async () => {
    const program = run('neverAccept');
    const port = await program.port();
    // with a backlog of 1, Linux completes two connections that nobody accepts, and no third
    const inBacklog = [await connect(port), await connect(port)];
    const third = net.connect(port, '127.0.0.1');
    const connectedSoon = await Promise.race([
      once(third, 'connect').then(() => true),
      // the kernel dropped the handshake's first packet; the client's retry comes after a second
      new Promise((resolve) => setTimeout(resolve, 500, false)),
    ]);
    assert.equal(connectedSoon, false, 'a third connection completed although the backlog was full');
    for (const socket of [...inBacklog, third]) socket.destroy();
  });
});

describe('the spare threads', () => {
  it('run every target handed to them, even when a spare is claimed the moment it becomes one', NEVER_HANG, async () => {
    await run('startsInBursts').line(/^all ran$/);
  });
});
