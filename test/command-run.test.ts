/**
 * `echolab` run as a user runs it, in a process of its own (support/command-run.ts): what it
 * printed and its status come back, a run still going when a scenario ends is stopped with
 * everything it started, and whatever a run left running is found.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { runEcholab, stillRunning, withPortsAsP } from '../support/command-run';
import { stopAllProcesses } from '../support/processes';

const FIXTURES = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'python');
const folder = fs.mkdtempSync(path.join(tmpdir(), 'echolab-command-run-'));
after(() => fs.rmSync(folder, { recursive: true, force: true }));
/** A suite that hangs fails instead. */
const NEVER_HANG = { timeout: 30_000 };

/** Resolves once `file` exists, told by the folder's change events. */
function created(file: string): Promise<void> {
  return new Promise((resolve) => {
    const watcher = fs.watch(path.dirname(file), () => {
      if (fs.existsSync(file)) {
        watcher.close();
        resolve();
      }
    });
    if (fs.existsSync(file)) {
      watcher.close();
      resolve();
    }
  });
}

describe('runEcholab', NEVER_HANG, () => {
  it('runs bin/echolab.js and keeps its status and output', async () => {
    const { code, stdout, stderr } = await runEcholab(['serve', '--backlog', '0', 'sequential']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, 'echolab: --backlog must be a whole number from 1 to 65535, not "0"\n');
  });

  it('stops a run still going, and the servers it started', async () => {
    const started = path.join(folder, 'started');
    // a correct server that says when it starts: the check is under way
    const server = ['sh', '-c', `touch ${started}; exec python3 ${path.join(FIXTURES, 'sequential.py')} --port {port}`];
    const running = runEcholab(['check', '--model', 'sequential', '--', ...server]);
    await created(started);
    await stopAllProcesses();
    const run = await running;
    assert.equal(run.code, null, `it was not stopped but ended by itself:\n${run.stdout}${run.stderr}`);
    assert.deepEqual(await stillRunning(run), []);
  });

  it('finds what a run left running, wherever it went', async () => {
    // a server that leaves a process of its own behind, out of its process group, and exits
    // once that process has said through a FIFO that it is out
    const fifo = path.join(folder, 'out-of-the-group');
    const leaveOne = `mkfifo ${fifo}; setsid sh -c 'echo out > ${fifo}; exec sleep 30' </dev/null >/dev/null 2>&1 & read line < ${fifo}; exit 3`;
    const run = await runEcholab(['check', '--model', 'sequential', '--', 'sh', '-c', leaveOne, '{port}']);
    const left = await stillRunning(run);
    try {
      assert.equal(run.code, 2);
      assert.equal(left.length, 1, left.join('\n'));
      assert.match(left[0], /^\d+ sleep 30$/);
    } finally {
      for (const line of left) process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    }
  });
});

describe('withPortsAsP', () => {
  it('writes every five-digit number as P, and leaves other numbers alone', () => {
    assert.equal(withPortsAsP('server "python3 x.py 40123" exited with status 3 before listening on 127.0.0.1:40123'), 'server "python3 x.py P" exited with status 3 before listening on 127.0.0.1:P');
    assert.equal(withPortsAsP('port 9 within 1 s, 123456'), 'port 9 within 1 s, 123456');
  });
});
