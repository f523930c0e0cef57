/**
 * Server process control (support/server-process.ts) with real child processes: small
 * `node -e` programs that play a well-behaved server, a crashing one, one that never
 * listens, one that ignores SIGTERM, one with children of its own. The tests check that
 * nothing is left running: by pid, and with a harness process that must exit by itself.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { EcholabError, type EcholabErrorCode } from '../core/errors';
import { articleScripts, sendAndCollect } from '../support/clients';
import { stopAllProcesses } from '../support/processes';
import { freePort, startServer } from '../support/server-process';
import { Session } from '../support/session';
import { Deadline, pause } from '../support/wait';

/** A suite that hangs fails instead. */
const NEVER_HANG = { timeout: 20_000 };

/** A `node -e` program as a server command; its `args` are process.argv[1] on (`--` keeps node from reading them). */
const nodeProgram = (source: string, ...args: string[]): string[] => [process.execPath, '-e', source, '--', ...args];

/** An echo server on the port in argv[1] that prints the readiness line, an event, log lines and a warning. */
const ECHO_SERVER = `
  const server = require('net').createServer((socket) => socket.pipe(socket));
  server.listen(Number(process.argv[1]), '127.0.0.1', () => {
    console.log('listening on 127.0.0.1:' + server.address().port);
    console.log(JSON.stringify({ t: 1.5, kind: 'accepted', thread: 1, conn: 4, peer: '127.0.0.1:5' }));
    console.log('[1, 2]');
    console.log('a plain log line');
    console.error('a warning');
  });`;

/** Writes its pid where $PIDFILE says, so a test can check that it is gone afterwards. */
const WRITE_PID = `require('fs').writeFileSync(process.env.PIDFILE, String(process.pid));`;

const pidDir = mkdtempSync(path.join(tmpdir(), 'echolab-harness-'));
let pidFiles = 0;
after(() => rmSync(pidDir, { recursive: true, force: true }));
after(() => stopAllProcesses());

/** An env that makes a WRITE_PID program tell us its pid, and how to read it. */
function pidFile(): { env: NodeJS.ProcessEnv; pid: () => number } {
  const file = path.join(pidDir, `${(pidFiles += 1)}.pid`);
  return { env: { PIDFILE: file }, pid: () => Number(readFileSync(file, 'utf8')) };
}

/** True once `pid` has exited (a zombie nobody has reaped yet counts as exited). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].startsWith('Z');
  } catch {
    return true;
  }
}

/** A process another one killed takes a moment to die: check every 10 ms, for up to 2 s. */
async function assertGone(pid: number): Promise<void> {
  const deadline = new Deadline(2000);
  try {
    while (!isGone(pid)) await pause(10, deadline.signal);
  } catch {
    assert.fail(`process ${pid} is still running`);
  } finally {
    deadline.clear();
  }
}

/** Asserts that `promise` rejects with an EcholabError of `code` whose message matches `message`. */
async function assertEcholabError(promise: Promise<unknown>, code: EcholabErrorCode, message: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof EcholabError, String(err));
    assert.equal(err.code, code);
    assert.match(err.message, message);
    assert.ok(!err.message.includes('\n'), 'one line');
    return true;
  });
}

describe('startServer: ready', NEVER_HANG, () => {
  it("reads the port from an echolab server's readiness line, collects its events, and stops it", async () => {
    const server = await startServer({ command: nodeProgram(ECHO_SERVER, '{port}'), readiness: 'line', startupTimeoutMs: 5000 });
    const { received } = await sendAndCollect({ host: server.host, port: server.port, payload: 'hi', record: () => {}, timeoutMs: 2000 });
    assert.equal(received.toString(), 'hi');

    await server.stop();
    assert.deepEqual(await server.exited, { code: null, signal: 'SIGTERM' });
    assert.deepEqual(server.events, [{ t: 1.5, kind: 'accepted', thread: 1, conn: 4, peer: '127.0.0.1:5' }]);
    assert.deepEqual(server.stdoutLines, [`listening on 127.0.0.1:${server.port}`, '[1, 2]', 'a plain log line']);
    assert.equal(server.stderrTail(), 'a warning');
    await server.stop(); // a second stop is harmless
    await assertGone(server.pid);
  });

  it('lets the server pick the port when given port 0, and believes its readiness line', async () => {
    const server = await startServer({ command: nodeProgram(ECHO_SERVER, '{port}'), port: 0, readiness: 'line', startupTimeoutMs: 5000 });
    try {
      assert.notEqual(server.port, 0);
      assert.equal(server.stdoutLines[0], `listening on 127.0.0.1:${server.port}`);
    } finally {
      await server.stop();
    }
  });

  it('gives a command a free port below the range the kernel lends to outgoing connections, which a client could take meanwhile', async () => {
    const lentFrom = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    for (let i = 0; i < 5; i++) {
      const port = await freePort();
      assert.ok(port >= 10_000 && port < lentFrom, `port ${port} is not below ${lentFrom}`);
      const probe = net.createServer();
      await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '127.0.0.1', resolve));
      await new Promise((resolve) => probe.close(resolve));
    }
  });

  it('holds the port it chose for a command until the server listens, so that no other echolab process chooses it meanwhile', async () => {
    const heldFile = (port: number | string) => path.join(tmpdir(), `echolab-ports-${userInfo().uid}`, String(port));
    const reportsHold = `
      const held = require('fs').existsSync(process.argv[2]);
      const server = require('net').createServer((s) => s.pipe(s)).listen(Number(process.argv[1]), '127.0.0.1', () => {
        console.log('held: ' + held);
        console.log('listening on 127.0.0.1:' + server.address().port);
      });`;
    const server = await startServer({ command: nodeProgram(reportsHold, '{port}', heldFile('{port}')), readiness: 'line', startupTimeoutMs: 5000 });
    try {
      assert.equal(server.stdoutLines[0], 'held: true');
      assert.equal(existsSync(heldFile(server.port)), false, 'let go of once the server listens');
    } finally {
      await server.stop();
    }

    // Another process holds the first port drawn: the next one drawn is chosen instead.
    const draws = [0.25];
    const random = Math.random;
    Math.random = () => draws.shift() ?? random();
    const first = await freePort();
    draws.push(0.25, 0.75);
    writeFileSync(heldFile(first), 'another process');
    try {
      const second = await freePort();
      assert.notEqual(second, first);
    } finally {
      Math.random = random;
      rmSync(heldFile(first), { force: true });
    }
  });

  it('waits for the port of a server that prints nothing until it accepts', async () => {
    const quiet = `setTimeout(() => require('net').createServer((s) => s.pipe(s)).listen(Number(process.argv[1]), '127.0.0.1'), 100);`;
    const port = await freePort();
    const server = await startServer({ command: nodeProgram(quiet, '{port}'), port, readiness: 'port', startupTimeoutMs: 5000 });
    try {
      assert.equal(server.port, port);
      const { received } = await sendAndCollect({ host: server.host, port, payload: 'hi', record: () => {}, timeoutMs: 2000 });
      assert.equal(received.toString(), 'hi');
    } finally {
      await server.stop();
    }
  });
});

describe('untilEvents', NEVER_HANG, () => {
  /** Logs an event for each connection it accepts. */
  const LOGGING_SERVER = `
    let conn = 0;
    const server = require('net').createServer((socket) => {
      console.log(JSON.stringify({ kind: 'accepted', conn: (conn += 1) }));
      socket.destroy();
    });
    server.listen(0, '127.0.0.1', () => console.log('listening on 127.0.0.1:' + server.address().port));`;

  it("waits until the server's event log shows what is awaited", async () => {
    const server = await startServer({ command: nodeProgram(LOGGING_SERVER), readiness: 'line', startupTimeoutMs: 5000 });
    try {
      const twoAccepted = (): boolean => server.events.filter((e) => e.kind === 'accepted').length === 2;
      const waiting = server.untilEvents(twoAccepted, AbortSignal.timeout(5000));
      const connectOnce = () => sendAndCollect({ host: server.host, port: server.port, payload: 'x', record: () => {}, timeoutMs: 2000 });
      await connectOnce();
      await connectOnce();
      await waiting;
    } finally {
      await server.stop();
    }
  });

  it('rejects with ECHOLAB_SERVER_CRASHED once the server has gone without logging it', async () => {
    const server = await startServer({ command: nodeProgram(LOGGING_SERVER), readiness: 'line', startupTimeoutMs: 5000 });
    const waiting = server.untilEvents(() => false, AbortSignal.timeout(5000));
    await server.stop();
    await assertEcholabError(waiting, 'ECHOLAB_SERVER_CRASHED', /^server ".+" was killed by SIGTERM before its event log showed what was awaited$/);
  });
});

describe('startServer: does not start', NEVER_HANG, () => {
  it('a server that exits with an error: ECHOLAB_SERVER_START with its status and last error line', async () => {
    const { env, pid } = pidFile();
    const crash = `${WRITE_PID}
      console.error('Traceback (most recent call last):');
      console.error('  File "server.py", line 3, in <module>');
      console.error("NameError: name 'HOST' is not defined");
      process.exit(1);`;
    await assertEcholabError(
      startServer({ command: nodeProgram(crash, '--port', '{port}'), env, readiness: 'port', startupTimeoutMs: 5000 }),
      'ECHOLAB_SERVER_START',
      /^server ".+ --port \d+" exited with status 1 before listening on 127\.0\.0\.1:\d+: NameError: name 'HOST' is not defined$/,
    );
    await assertGone(pid());
  });

  it("names a node program's error, not its stack or version footer", async () => {
    await assertEcholabError(
      startServer({ command: nodeProgram(`throw new Error('boom')`), readiness: 'line', startupTimeoutMs: 5000 }),
      'ECHOLAB_SERVER_START',
      /exited with status 1 before listening on 127\.0\.0\.1: Error: boom$/,
    );
  });

  // FORCE_COLOR is what `node --test` sets for its children in a terminal: node then colours stack frames and values
  it('quotes a server without its terminal colours', async () => {
    const env = { FORCE_COLOR: '1' };
    await assertEcholabError(
      startServer({ command: nodeProgram(`throw new Error('boom')`), env, readiness: 'line', startupTimeoutMs: 5000 }),
      'ECHOLAB_SERVER_START',
      /exited with status 1 before listening on 127\.0\.0\.1: Error: boom$/,
    );
    await assertEcholabError(
      startServer({ command: nodeProgram(`console.error('cannot listen on port', 80); process.exit(1);`), env, readiness: 'line', startupTimeoutMs: 5000 }),
      'ECHOLAB_SERVER_START',
      /exited with status 1 before listening on 127\.0\.0\.1: cannot listen on port 80$/,
    );
  });

  it('a server that never listens: ECHOLAB_SERVER_START after the startup timeout, and it is killed', async () => {
    const { env, pid } = pidFile();
    // time enough for Node to start and write its pid on a loaded machine (once, under the unit
    // tests and the specs beside stress-ng, 300 ms was not), so that there is a pid to look for
    await assertEcholabError(
      startServer({ command: nodeProgram(`${WRITE_PID} setInterval(() => {}, 1000);`, '{port}'), env, readiness: 'port', startupTimeoutMs: 3000 }),
      'ECHOLAB_SERVER_START',
      /^server ".+" did not start listening on 127\.0\.0\.1:\d+ within 3000 ms$/,
    );
    await assertGone(pid());
  });

  it('a server that never prints its readiness line: ECHOLAB_SERVER_START naming the line', async () => {
    await assertEcholabError(
      startServer({ command: nodeProgram(`console.log('starting'); setInterval(() => {}, 1000);`, '{port}'), readiness: 'line', startupTimeoutMs: 300 }),
      'ECHOLAB_SERVER_START',
      /did not print "listening on 127\.0\.0\.1:\d+" within 300 ms$/,
    );
  });

  it('a command that does not exist: command not found', async () => {
    await assertEcholabError(
      startServer({ command: ['echolab-no-such-server', '--port', '{port}'], readiness: 'port', startupTimeoutMs: 1000 }),
      'ECHOLAB_SERVER_START',
      /^command not found: echolab-no-such-server$/,
    );
  });

  it('a port that is taken: ECHOLAB_PORT_IN_USE, before anything is started', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as net.AddressInfo;
    try {
      await assertEcholabError(
        startServer({ command: nodeProgram(ECHO_SERVER, '{port}'), port, readiness: 'port', startupTimeoutMs: 1000 }),
        'ECHOLAB_PORT_IN_USE',
        new RegExp(`^port ${port} on 127\\.0\\.0\\.1 is already in use$`),
      );
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('no {port} and no port with readiness "port": ECHOLAB_USAGE, as its port is unknowable', async () => {
    await assertEcholabError(
      startServer({ command: ['python3', 'server.py'], readiness: 'port', startupTimeoutMs: 1000 }),
      'ECHOLAB_USAGE',
      /^cannot tell which port "python3 server\.py" will listen on/,
    );
  });
});

describe('a server that dies of what a client did', NEVER_HANG, () => {
  it('is caught even when no other client is there to see it: ECHOLAB_SERVER_CRASHED, saying what the client did', async () => {
    const diesWhenAClientLeaves = `
      require('net').createServer((socket) => {
        socket.pipe(socket);
        socket.once('data', () => socket.on('end', () => { throw new Error('the client left'); }));
      }).listen(Number(process.argv[1]), '127.0.0.1');`;
    const session = new Session(5);
    try {
      await session.startCommand({ command: nodeProgram(diesWhenAClientLeaves, '{port}') });
      await assertEcholabError(session.run(articleScripts(['A'], ['hi'])), 'ECHOLAB_SERVER_CRASHED', /^the server exited with status 1 when client A hung up: Error: the client left$/);
    } finally {
      await session.close();
    }
  });
});

describe("the harness's own lateness", NEVER_HANG, () => {
  it('is on the timeline: how late its timers fired at worst while its clients talked', async () => {
    const session = new Session(20);
    try {
      await session.startCommand({ command: nodeProgram(ECHO_SERVER, '{port}') });
      // the harness busy for 80 ms while its client waits out its pause: its timers fire late
      setTimeout(() => {
        const until = performance.now() + 80;
        while (performance.now() < until);
      }, 5);
      await session.run(articleScripts(['A'], ['hi']));
      assert.ok(session.timeline().harnessLateMs! >= 60, `lateness ${session.timeline().harnessLateMs} ms`);
    } finally {
      await session.close();
    }
  });
});

describe('stopping servers', NEVER_HANG, () => {
  it("kills the server's own children with it", async () => {
    const parent = `
      const child = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' });
      console.log('child ' + child.pid);
      ${ECHO_SERVER}`;
    const server = await startServer({ command: nodeProgram(parent, '{port}'), readiness: 'line', startupTimeoutMs: 5000 });
    const childPid = Number(server.stdoutLines[0].split(' ')[1]);
    await server.stop();
    await assertGone(childPid);
  });

  it('sends SIGKILL when SIGTERM is ignored past the grace period', async () => {
    const stubborn = `process.on('SIGTERM', () => {}); ${ECHO_SERVER}`;
    const server = await startServer({ command: nodeProgram(stubborn, '{port}'), readiness: 'line', startupTimeoutMs: 5000, stopGraceMs: 200 });
    await server.stop();
    assert.equal((await server.exited).signal, 'SIGKILL');
  });

  it('stopAllProcesses stops every server still running', async () => {
    const servers = await Promise.all(
      [1, 2].map(() => startServer({ command: nodeProgram(ECHO_SERVER, '{port}'), readiness: 'line', startupTimeoutMs: 5000 })),
    );
    await stopAllProcesses();
    for (const server of servers) await assertGone(server.pid);
  });
});

describe('when the harness itself goes away', NEVER_HANG, () => {
  const serverProcessModule = path.join(__dirname, '..', 'support', 'server-process.js');
  const echoServer = JSON.stringify(nodeProgram(ECHO_SERVER, '{port}'));

  /**
   * Runs `body` in a separate node process, a harness, with `startServer` and `echoServer` (a
   * command) in scope; `onOutput` is called each time it prints. Resolves with how it ended.
   */
  function harness(
    body: string,
    onOutput: (harnessProcess: ChildProcess) => void = () => {},
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
    const source = `
      const { startServer } = require(${JSON.stringify(serverProcessModule)});
      const echoServer = ${echoServer};
      (async () => { ${body} })();`;
    const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onOutput(child);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  }

  const startAndPrintPid = `
    const server = await startServer({ command: echoServer, readiness: 'line', startupTimeoutMs: 5000 });
    console.log(server.pid);`;

  it('a harness that stopped its servers, started or not, exits by itself', { timeout: 10_000 }, async () => {
    const { code, stdout, stderr } = await harness(`
      const server = await startServer({ command: echoServer, readiness: 'line', startupTimeoutMs: 5000 });
      await server.stop();
      await startServer({ command: ['echolab-no-such-server'], readiness: 'line', startupTimeoutMs: 1000 }).catch(() => {});
      await startServer({ command: [process.execPath, '-e', 'setInterval(() => {}, 1000)'], readiness: 'line', startupTimeoutMs: 200 }).catch(() => {});
      console.log('done');`);
    assert.deepEqual([code, stdout], [0, 'done\n'], stderr);
  });

  it('a harness crash still kills its servers', async () => {
    const { code, stdout, stderr } = await harness(`${startAndPrintPid} throw new Error('harness crashed');`);
    assert.equal(code, 1);
    assert.match(stderr, /harness crashed/);
    await assertGone(Number(stdout));
  });

  it('a harness interrupted by a signal kills its servers, then dies of that signal', async () => {
    const { signal, stdout, stderr } = await harness(`${startAndPrintPid} setInterval(() => {}, 1000);`, (h) => h.kill('SIGTERM'));
    assert.equal(signal, 'SIGTERM', stderr);
    await assertGone(Number(stdout));
  });
});
