/** `echolab check` and `echolab classify` run as a user runs them, against servers written in Python. */
import fs from 'node:fs';
import path from 'node:path';
import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { ModelName } from '../servers/models';
import { discriminationMatrix, markdownRows, markdownTable, matrixRows } from '../support/check/matrix';
import { runEcholab, runningChildren, type CommandRun } from '../support/command-run';
import type { EcholabWorld } from '../support/cucumber/world';
import { ECHOLAB_BIN } from '../support/session';

const PACKAGE_DIR = path.dirname(path.dirname(ECHOLAB_BIN));
const FIXTURES = path.join(PACKAGE_DIR, 'test', 'fixtures', 'python');

/** The last command each scenario ran, the tick its commands use, and the matrix it measured. */
const runs = new WeakMap<EcholabWorld, CommandRun>();
const ticks = new WeakMap<EcholabWorld, number>();
const matrices = new WeakMap<EcholabWorld, string[][]>();

/** "thread_pool.py --workers 3": the fixture, its arguments, and the port echolab picks. */
const fixtureCommand = (server: string) => {
  const [file, ...args] = server.split(' ');
  return ['python3', path.join(FIXTURES, file), ...args, '--port', '{port}'];
};

const lastRun = (world: EcholabWorld): CommandRun => {
  const run = runs.get(world);
  if (!run) throw new Error('no echolab command was run in this scenario');
  return run;
};

async function runAndKeep(world: EcholabWorld, argv: string[]): Promise<void> {
  const tickMs = ticks.get(world);
  runs.set(world, await runEcholab(argv, tickMs === undefined ? process.env : { ...process.env, ECHOLAB_TICK_MS: String(tickMs) }));
}

Given('the commands run with a tick of {int} ms', function (this: EcholabWorld, tickMs: number) {
  ticks.set(this, tickMs);
});

When('{string} is checked against the {model} specs', function (this: EcholabWorld, server: string, model: ModelName) {
  return runAndKeep(this, ['check', '--model', model, '--', ...fixtureCommand(server)]);
});

When('{string} is checked against the thread-pool specs for {int} workers', function (this: EcholabWorld, server: string, workers: number) {
  return runAndKeep(this, ['check', '--model', 'thread-pool', '--workers', String(workers), '--', ...fixtureCommand(server)]);
});

When('{string} is classified', function (this: EcholabWorld, server: string) {
  return runAndKeep(this, ['classify', '--', ...fixtureCommand(server)]);
});

When('echolab is run with {string}', function (this: EcholabWorld, line: string) {
  return runAndKeep(this, line.split(' '));
});

Then('it conforms', function (this: EcholabWorld) {
  const { code, stdout, stderr } = lastRun(this);
  expect(code, `${stdout}\n${stderr}`).to.equal(0);
});

Then('it does not conform: {string} fails', function (this: EcholabWorld, scenario: string) {
  const { code, stdout, stderr } = lastRun(this);
  expect(code, `${stdout}\n${stderr}`).to.equal(1);
  expect(stdout).to.include(`✗ ${scenario}`);
});

Then('it says that it behaves like {string}', function (this: EcholabWorld, models: string) {
  const { code, stdout, stderr } = lastRun(this);
  expect(stdout, stderr).to.match(new RegExp(`^It behaves like ${models}[ .(]`, 'm'));
  expect(code).to.equal(0);
});

Then('it says that it behaves like no model, the closest being {string}', function (this: EcholabWorld, closest: string) {
  const { code, stdout, stderr } = lastRun(this);
  expect(stdout, stderr).to.include(`It behaves like no model. Closest: ${closest}, but`);
  expect(code).to.equal(1);
});

Then('it stops with status 2 and the one line {string}', function (this: EcholabWorld, line: string) {
  const { code, stdout, stderr } = lastRun(this);
  expect(code, stdout).to.equal(2);
  expect(stderr.replace(/\b\d{5}\b/g, 'P')).to.equal(`echolab: ${line}\n`);
});

Then('nothing it started is still running', function () {
  expect(runningChildren()).to.deep.equal([]);
});

When('every one of echolab\'s models is checked against every model\'s specs', async function (this: EcholabWorld) {
  matrices.set(this, matrixRows(await discriminationMatrix(this.session.tickMs)));
});

Then('the servers pass and fail these specs', function (this: EcholabWorld, table: DataTable) {
  const measured = matrices.get(this)!;
  expect(measured, `measured:\n${markdownRows(measured)}`).to.deep.equal(table.raw());
});

Then('{string} shows the same table', function (this: EcholabWorld, file: string) {
  const text = fs.readFileSync(path.join(PACKAGE_DIR, file), 'utf8');
  expect(markdownTable(text, 'server'), `the table in ${file}`).to.deep.equal(matrices.get(this));
});
