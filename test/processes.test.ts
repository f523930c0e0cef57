/**
 * The one registry of the processes echolab starts (support/processes.ts), with real child
 * processes: all stopped together, each the way its kind is stopped; forgotten once closed;
 * and killed when the process that started them crashes or is interrupted.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout } from 'node:timers/promises';
import { startTracked, stopAllProcesses } from '../support/processes';

/** A suite that hangs fails instead. */
const NEVER_HANG = { timeout: 20_000 };
/** A process that runs until it is killed. */
const FOREVER = ['-e', 'setInterval(() => {}, 1000)'];
const HOOKED = ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** How long a killed process may take to be gone, on a loaded machine. */
const GONE_WITHIN_MS = 2_000;

const sleeper = () => spawn(process.execPath, FOREVER, { stdio: 'ignore' });
const hooks = () => HOOKED.map((event) => process.listenerCount(event));

describe('the process registry', NEVER_HANG, () => {
  it('stops every process still running, each the way its kind is stopped, and resolves once all have ended', async () => {
    const stopped: string[] = [];
    const stopping = (kind: string, signal: NodeJS.Signals) => ({
      kill: (child: ChildProcess) => child.kill('SIGKILL'),
      stop: async (child: ChildProcess) => {
        stopped.push(kind);
        child.kill(signal);
        await once(child, 'close');
      },
    });
    const server = startTracked(sleeper, stopping('server', 'SIGTERM'));
    const command = startTracked(sleeper, stopping('command', 'SIGINT'));
    await stopAllProcesses();
    assert.deepEqual(stopped.sort(), ['command', 'server']);
    assert.deepEqual([server.signalCode, command.signalCode], ['SIGTERM', 'SIGINT']);
  });

  it('forgets a process once it has closed, and takes its hooks off with the last one', async () => {
    const before = hooks();
    let stops = 0;
    const child = startTracked(sleeper, { kill: () => {}, stop: async () => void (stops += 1) });
    assert.deepEqual(hooks(), before.map((count) => count + 1), 'one hook on exit and on each signal while it runs');
    child.kill('SIGKILL');
    await once(child, 'close');
    assert.deepEqual(hooks(), before);
    await stopAllProcesses();
    assert.equal(stops, 0);
  });
});

describe('when the process that started them goes away', NEVER_HANG, () => {
  const processesModule = path.join(__dirname, '..', 'support', 'processes.js');

  /**
   * Runs `body` in a node process of its own that has started a tracked child, `child` in scope,
   * killed with SIGKILL. The child writes to the same stdout, so that output ends only once it
   * has gone too: `childGone` says whether it did soon after the process that started it.
   */
  async function starter(body: string, onStarted: (starter: ChildProcess) => void = () => {}) {
    const source = `
      const { spawn } = require('node:child_process');
      const { startTracked } = require(${JSON.stringify(processesModule)});
      const child = startTracked(() => spawn(process.execPath, ${JSON.stringify(FOREVER)}, { stdio: ['ignore', 'inherit', 'ignore'] }), {
        kill: (child) => child.kill('SIGKILL'),
        stop: async () => {},
      });
      console.log(child.pid);
      ${body}`;
    const starter = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    starter.stdout.setEncoding('utf8').on('data', (text: string) => {
      if (stdout === '') onStarted(starter);
      stdout += text;
    });
    starter.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const closed = once(starter, 'close');
    const [code, signal] = (await once(starter, 'exit')) as [number | null, NodeJS.Signals | null];
    const childGone = await Promise.race([closed.then(() => true), setTimeout(GONE_WITHIN_MS, false, { ref: false })]);
    if (!childGone) process.kill(Number(stdout.split('\n')[0]), 'SIGKILL');
    return { code, signal, stdout, stderr, childGone };
  }

  it('a crash kills them', async () => {
    const { code, stderr, childGone } = await starter(`throw new Error('crashed');`);
    assert.equal(code, 1);
    assert.match(stderr, /crashed/);
    assert.ok(childGone, 'the child outlived the process that started it');
  });

  it('a signal kills them, then ends that process as it would have without us', async () => {
    const { signal, stderr, childGone } = await starter('', (started) => started.kill('SIGTERM'));
    assert.equal(signal, 'SIGTERM', stderr);
    assert.ok(childGone, 'the child outlived the process that started it');
  });

  it('a signal that process handles itself kills them, and leaves it to go on', async () => {
    const { code, stdout, stderr, childGone } = await starter(
      `process.on('SIGTERM', () => {});
      child.once('exit', (_, signal) => { console.log('child ended by ' + signal); process.exit(0); });
      setTimeout(() => { console.log('child still running'); process.exit(0); }, ${GONE_WITHIN_MS});`,
      (started) => started.kill('SIGTERM'),
    );
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^child ended by SIGKILL$/m);
    assert.ok(childGone);
  });
});
