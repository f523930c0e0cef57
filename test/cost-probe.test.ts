/**
 * The cost probe on real servers (support/cost/probe.ts, sampler.ts): a Python thread per
 * client costs a thread per connection, a Python select loop none; the process measured is
 * the one that listens, found from /proc; and `echolab cost` prints and writes what it found.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { runEcholab } from '../support/command-run';
import { measureCost, serverProcess, type CostOutcome, type CostProbe } from '../support/cost/probe';
import { pidListeningOn, processTree, sampleTree } from '../support/cost/sampler';
import { freePort } from '../support/server-process';

const FIXTURES = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'python');
const fixture = (file: string) => ['python3', path.join(FIXTURES, file), '--port', '{port}'];
const STEPS = [0, 5, 10];
/** A suite that hangs fails instead; its tests, each with servers of its own, run side by side. */
const SUITE = { timeout: 20_000, concurrency: true };

function measured(outcome: CostOutcome): CostProbe {
  assert.ok(outcome.seen, outcome.seen ? '' : outcome.why);
  return outcome.probe;
}

const near = (actual: number, expected: number, within: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= within, `${what}: ${actual}, not ${expected} ± ${within}`);

describe('measureCost', SUITE, () => {
  it('a Python thread per client: a thread and a file descriptor per connection, and no process', async () => {
    const probe = measured(await measureCost({ command: fixture('thread_per_client.py'), startupTimeoutMs: 10_000 }, STEPS));
    assert.deepEqual(probe.steps.map((step) => step.connections), STEPS);
    near(probe.slopes.threadsPerConnection, 1, 0.1, 'threads per connection');
    near(probe.slopes.fdsPerConnection, 1, 0.1, 'fds per connection');
    assert.equal(probe.slopes.processesPerConnection, 0);
    assert.equal(probe.verdict.looksLike, 'a thread per client');
  });

  it('a Python select loop: no thread and no process per connection, one thread all along; and under a shell, the loop is measured', async () => {
    // `; true` keeps the shell there, waiting for python, rather than replaced by it
    const command = ['sh', '-c', `${fixture('select_loop.py').join(' ')}; true`];
    const probe = measured(await measureCost({ command, startupTimeoutMs: 10_000 }, STEPS));
    assert.match(probe.command, /select_loop\.py --port \d+$/);
    near(probe.slopes.threadsPerConnection, 0, 0.01, 'threads per connection');
    near(probe.slopes.fdsPerConnection, 1, 0.1, 'fds per connection');
    assert.ok(probe.steps.every(({ sample }) => sample.processes === 1 && sample.threads === 1));
    assert.equal(probe.verdict.looksLike, 'one thread for all connections');
  });

  it("finds a server's process by its listening socket, or says why it cannot be seen from here", () => {
    assert.equal(serverProcess({ host: '192.0.2.1', port: 7000 }), 'the cost cannot be seen from here: 192.0.2.1 is another machine');
    assert.match(String(serverProcess({ host: '127.0.0.1', port: 1 })), /^the cost cannot be seen from here: no process on this machine .* port 1$/);
    assert.equal(serverProcess({ host: '127.0.0.1', port: 1 }, process.pid), process.pid, 'a server echolab started is that process, whatever holds the port');
  });

  it('says without a connection that the cost of a server on another machine cannot be seen from here', async () => {
    assert.deepEqual(await measureCost({ host: '192.0.2.1', port: 7000, startupTimeoutMs: 1_000 }), {
      seen: false,
      why: 'the cost cannot be seen from here: 192.0.2.1 is another machine',
    });
  });
});

describe('the sampler', SUITE, () => {
  it('finds the process that holds a listening socket, and measures a server running already through it', async () => {
    const port = await freePort();
    const server = spawn('python3', [path.join(FIXTURES, 'thread_per_client.py'), '--port', String(port)], { stdio: 'ignore' });
    try {
      const probe = measured(await measureCost({ host: '127.0.0.1', port, startupTimeoutMs: 10_000 }, [0, 2]));
      assert.equal(probe.pid, server.pid);
      assert.equal(pidListeningOn(port), server.pid);
      assert.ok(processTree(process.pid).includes(server.pid!));
      assert.deepEqual(probe.steps.map(({ sample }) => sample.threads), [1, 3]);
      assert.equal(sampleTree(server.pid!)?.processes, 1);
    } finally {
      server.kill();
      await once(server, 'close');
    }
  });

  it('finds nothing of a process that is not running, without throwing', async () => {
    const gone = spawn('true');
    await once(gone, 'close');
    assert.deepEqual(processTree(gone.pid!), []);
    assert.equal(sampleTree(gone.pid!), undefined);
    assert.equal(pidListeningOn(await freePort()), undefined);
  });
});

describe('echolab cost', SUITE, () => {
  const folder = fs.mkdtempSync(path.join(tmpdir(), 'echolab-cost-'));
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('prints the steps, the growth per connection and what it looks like, and writes them as JSON', async () => {
    const json = path.join(folder, 'cost.json');
    const { code, stdout, stderr } = await runEcholab(['cost', '--connections', '0,5', '--json', json, '--', ...fixture('thread_per_client.py')]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^\| idle connections \| OS threads \| processes \| memory \(MiB, PSS\) \| fds \|$/m);
    assert.match(stdout, /^\| 5 +\| 6 +\| 1 +\| [\d.]+ +\| \d+ +\|$/m);
    assert.match(stdout, /^5 idle connections added 5 OS threads and .*: it looks like a thread per client\.$/m);
    const written = JSON.parse(fs.readFileSync(json, 'utf8')) as CostOutcome;
    assert.equal(written.seen && written.probe.verdict.looksLike, 'a thread per client');
  });

  it('says in one line, status 2, that a server on another machine cannot be measured', async () => {
    const { code, stdout, stderr } = await runEcholab(['cost', '--host', '192.0.2.1', '--port', '7000']);
    assert.deepEqual({ code, stdout, stderr }, { code: 2, stdout: '', stderr: 'echolab: the cost cannot be seen from here: 192.0.2.1 is another machine\n' });
  });
});
