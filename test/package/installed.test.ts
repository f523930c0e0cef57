/**
 * The package as another project gets it: `npm pack`, `npm install <tarball>` into an empty
 * project, then the echolab commands run from there with `npx`, as that project's CI would.
 * It fetches the dependencies from the npm registry, so it is not part of `npm test`:
 * `.ci/run` runs it with `npm run test:package`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PACKAGE_DIR } from '../../core/paths';
import { runMarked, signalMarked, stillRunning, type CommandRun } from '../../support/command-run';

const FIXTURES = path.join(PACKAGE_DIR, 'test', 'fixtures', 'python');
const READY = /^listening on 127\.0\.0\.1:\d+$/m;

let project: string;
let files: string[];

const npx = (args: string[], onStdout?: (stdout: string, mark: string) => void) => runMarked(['npx', 'echolab', ...args], { cwd: project, onStdout });

async function assertCleanExit(run: CommandRun, code: number | null): Promise<void> {
  assert.equal(run.code, code, `${run.stdout}\n${run.stderr}`);
  assert.deepEqual(await stillRunning(run), []);
}

describe('the package, installed in another project', { timeout: 300_000 }, () => {
  before(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'echolab-user-'));
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', project], { cwd: PACKAGE_DIR, encoding: 'utf8' })) as [
      { filename: string; files: { path: string }[] },
    ];
    files = packed.files.map((file) => file.path);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'my-echo-server', version: '1.0.0', private: true }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', path.join(project, packed.filename)], { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] });
  });

  after(() => fs.rmSync(project, { recursive: true, force: true }));

  it('holds the command, its build, the servers and the chapters it checks by, and nothing of the tests', () => {
    for (const needed of ['bin/echolab.js', 'dist/core/models.js', 'dist/cli/main.js', 'dist/servers/runtime/libc.js', 'dist/steps/clients.steps.js', 'dist/support/check/run.js', 'features/01-sequential.feature', 'features/10-threads-are-expensive.feature', 'features/11-remedies-for-slow-clients.feature', 'README.md']) {
      assert.ok(files.includes(needed), `${needed} is not in the package`);
    }
    const outside = files.filter((file) => !/^(bin\/|dist\/(core|cli|servers|steps|support)\/|features\/(0[1-9]|1[01])-|docs\/|README\.md$|package\.json$)/.test(file));
    assert.deepEqual(outside, []);
    assert.deepEqual(files.filter((file) => /^(test|bench|scripts)\/|\.map$|\.ts$/.test(file)), []);
  });

  it('answers --help', async () => {
    const run = await npx(['--help']);
    await assertCleanExit(run, 0);
    assert.match(run.stdout, /^Usage: echolab /);
  });

  it('serves a model, which says where it listens, until stopped', async () => {
    // npx passes no signal on: stop the server itself, as a service manager would
    const run = await npx(['serve', 'sequential', '--port', '0'], (stdout, mark) => {
      if (READY.test(stdout)) signalMarked(mark, 'SIGTERM');
    });
    assert.match(run.stdout, READY);
    await assertCleanExit(run, null);
  });

  it('checks a server against the model it follows, and one it does not', async () => {
    const server = ['--', 'python3', path.join(FIXTURES, 'thread_per_client.py'), '--port', '{port}'];
    const conforms = await npx(['check', '--model', 'thread-per-client', ...server]);
    await assertCleanExit(conforms, 0);
    assert.match(conforms.stdout, /^It conforms to the thread-per-client model\.$/m);
    // the scenario that counts its threads in /proc comes with the package too
    assert.match(conforms.stdout, /^✓ a thread-per-client server, with 100 idle clients /m);
    const fails = await npx(['check', '--model', 'sequential', ...server]);
    await assertCleanExit(fails, 1);
  });

  it("checks a server's remedy for slow clients by the chapter on remedies, which comes with the package", async () => {
    const timeout = ['--', 'python3', path.join(FIXTURES, 'socketserver_timeout.py'), '--timeout', '0.5', '--port', '{port}'];
    const has = await npx(['check', '--model', 'sequential', '--idle-timeout', '500', ...timeout]);
    await assertCleanExit(has, 0);
    assert.match(has.stdout, /^✓ What it costs: a client that thinks longer than the timeout between two words is cut off /m);
    assert.match(has.stdout, /^It conforms to what it is said to do \(--idle-timeout 500\)\.$/m);
  });
});
