/**
 * `echolab check` and `echolab classify` run as a user runs them, against small servers written
 * in Python and Node. The steps ask what happened of what the commands wrote for programs
 * (check's cucumber messages, classify's verdict as JSON), never of what they printed for people.
 */
import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { MODEL_NAMES, type ModelName } from '../core/models';
import { measureRow, rowLine, rowSentence, verdictOfRun } from '../support/check/matrix';
import { junitCounts } from '../support/check/junit';
import { verdictSentence } from '../support/check/printout';
import { describeModels } from '../support/classify';
import { stillRunning, withPortsAsP } from '../support/command-run';
import type { EcholabWorld } from '../support/cucumber/world';
import { fixtureCommand } from '../support/fixtures';
import { expectedCell, type Cell } from '../support/from-outside';
import { acceptsWithin } from '../support/server-process';
import { anyEcho, connectedAfterOthersSent } from '../support/timeline/query';
import { lateConnectWarning } from '../support/verdicts';

/** `--host H --port P` of the server a scenario started itself, as someone else would have. */
function whereItListens(world: EcholabWorld): string[] {
  const address = world.session.serverAddress;
  if (!address) throw new Error('no server was started in this scenario');
  return ['--host', address.host, '--port', String(address.port)];
}

/** Every scenario check ran, in the order they ran (one run, or one per model). */
const scenariosOf = (world: EcholabWorld) => world.lastRun.runs.flatMap((run) => run.scenarios());

/** What the command printed, for a failure message. */
const printed = ({ stdout, stderr }: { stdout: string; stderr: string }) => `${stdout}\n${stderr}`;

When('{string} is checked against the {model} specs', function (this: EcholabWorld, server: string, model: ModelName) {
  return this.runEcholab(['check', '--model', model, '--', ...fixtureCommand(server)]);
});

When('{string} is checked against the {model} specs with {string}', function (this: EcholabWorld, server: string, model: ModelName, options: string) {
  return this.runEcholab(['check', '--model', model, ...options.split(' '), '--', ...fixtureCommand(server)]);
});

When('{string} is checked against the {model} specs at the host {string}', function (this: EcholabWorld, server: string, model: ModelName, host: string) {
  return this.runEcholab(['check', '--model', model, '--host', host, '--', ...fixtureCommand(server)]);
});

When('{string} is checked against the thread-pool specs for {int} workers', function (this: EcholabWorld, server: string, workers: number) {
  return this.runEcholab(['check', '--model', 'thread-pool', '--workers', String(workers), '--', ...fixtureCommand(server)]);
});

Given('{string} is already running, started by someone else', function (this: EcholabWorld, server: string) {
  return this.session.startCommand({ command: fixtureCommand(server) });
});

When('it is checked where it listens against the {model} specs, with a JUnit report', function (this: EcholabWorld, model: ModelName) {
  return this.runEcholab(['check', '--model', model, ...whereItListens(this)], { junit: true });
});

When('it is checked where it listens against the {model} specs, and stopped once the first scenario has ended', function (this: EcholabWorld, model: ModelName) {
  return this.runEcholab(['check', '--model', model, ...whereItListens(this)], { onFirstScenarioEnded: () => void this.session.close() });
});

When('it is classified where it listens', function (this: EcholabWorld) {
  return this.runEcholab(['classify', ...whereItListens(this)]);
});

When('{string} is checked against every model\'s specs', { timeout: 120_000 }, function (this: EcholabWorld, server: string) {
  return this.runEcholab(['check', '--model', 'all', '--', ...fixtureCommand(server)]);
});

When('{string} is classified', function (this: EcholabWorld, server: string) {
  return this.runEcholab(['classify', '--', ...fixtureCommand(server)]);
});

When('echolab is run with {string}', function (this: EcholabWorld, line: string) {
  return this.runEcholab(line.split(' '), { asWritten: true });
});

Then('it conforms', function (this: EcholabWorld) {
  expect(this.lastRun.code, printed(this.lastRun)).to.equal(0);
});

Then('it does not conform: {string} fails', function (this: EcholabWorld, scenario: string) {
  expect(this.lastRun.code, printed(this.lastRun)).to.equal(1);
  expect(scenariosOf(this).find(({ name }) => name === scenario)?.outcome, `"${scenario}" did not fail:\n${this.lastRun.stdout}`).to.equal('failed');
});

Then('it does not conform: a scenario fails because the server stopped accepting connections, and the ones after it are not run', function (this: EcholabWorld) {
  const run = this.lastRun;
  const { host, port } = this.session.serverAddress!;
  expect(run.code, printed(run)).to.equal(1);
  const scenarios = scenariosOf(this);
  const stopped = scenarios.findIndex(({ outcome, reason }) => outcome === 'failed' && reason?.includes(`${host}:${port} stopped accepting connections`));
  expect(stopped, `no scenario failed because the server stopped:\n${run.stdout}`).to.be.at.least(1);
  const after = scenarios.slice(stopped + 1);
  expect(after, `no scenario came after the one that failed:\n${run.stdout}`).to.not.be.empty;
  expect(after.filter(({ outcome }) => outcome !== 'skipped').map(({ name }) => name), run.stdout).to.deep.equal([]);
  const [{ specs }] = run.runs.map(verdictOfRun);
  expect(run.stdout, 'what check said of it last').to.include(verdictSentence(`the ${specs} model`, { verdict: 'does not conform', scenarios, serverStopped: true }));
});

Then('the JUnit report has a test case for every scenario it printed, and no failure', function (this: EcholabWorld) {
  const { junit } = this.lastRun;
  expect(junit, 'no JUnit report was written').to.not.equal(undefined);
  expect(junitCounts(junit!), junit).to.deep.equal({ testcases: scenariosOf(this).length, failures: 0 });
});

Then('the server is still running', async function (this: EcholabWorld) {
  const { host, port } = this.session.serverAddress!;
  expect(await acceptsWithin(host, port, 5_000), `nothing accepts connections on ${host}:${port} any more`).to.equal(true);
});

Then('it prints that it {}', function (this: EcholabWorld, row: string) {
  const run = this.lastRun;
  const verdicts = run.runs.map(verdictOfRun);
  expect(rowSentence(verdicts), printed(run)).to.equal(row);
  expect(run.stdout).to.include(rowLine(verdicts));
  expect(run.code, run.stdout).to.equal(row.includes('passes') ? 0 : 1);
});

Then('it does not conform: {string} fails, because {string}', function (this: EcholabWorld, scenario: string, reason: string) {
  expect(this.lastRun.code, printed(this.lastRun)).to.equal(1);
  const report = scenariosOf(this).find(({ name }) => name === scenario);
  expect(report?.outcome, `"${scenario}" did not fail:\n${this.lastRun.stdout}`).to.equal('failed');
  // a reason may go on with what this run measured: the words given must begin one of its lines
  expect(report?.reason?.split('\n').some((line) => line.startsWith(reason)), `no line of its reason begins "${reason}":\n${this.lastRun.stdout}`).to.equal(true);
  this.scenarioNamed = scenario;
});

// whether it passes is its own business: that its clients got echoes shows a server was there for them
Then('the scenario after it still ran, against a fresh instance of the server that echoed its clients', function (this: EcholabWorld) {
  const scenarios = scenariosOf(this);
  const next = scenarios[scenarios.findIndex(({ name }) => name === this.scenarioNamed) + 1];
  expect(next?.timeline && anyEcho(next.timeline), `no echo in the scenario after "${this.scenarioNamed}":\n${this.lastRun.stdout}`).to.equal(true);
});

Then("it warns that the server's listen backlog was full exactly when some of the thirty clients connected after others had already sent", function (this: EcholabWorld) {
  const crowd = scenariosOf(this).find(({ timeline }) => timeline?.clients.length === 30);
  expect(crowd?.timeline, `no scenario with thirty clients was run:\n${this.lastRun.stdout}`).to.not.equal(undefined);
  const late = connectedAfterOthersSent(crowd!.timeline!);
  const warning = lateConnectWarning(crowd!.timeline!);
  expect(warning !== undefined, `${late ? 'some clients connected late' : 'no client connected late'}:\n${this.lastRun.stdout}`).to.equal(late);
  expect(crowd!.warnings).to.deep.equal(warning === undefined ? [] : [warning]);
});

/** classify's verdict, as it wrote it for programs. */
function classification(world: EcholabWorld) {
  const { classification: result } = world.lastRun;
  expect(result, printed(world.lastRun)).to.not.equal(undefined);
  return result!;
}

/** classify's verdict, of a server that behaved like `models`, echoed right and lived through every probe. */
function behavesLike(world: EcholabWorld, models: string) {
  const result = classification(world);
  expect(describeModels(result.models, result.workers), world.lastRun.stdout).to.equal(models);
  expect(result.echoProblem, world.lastRun.stdout).to.equal(undefined);
  expect(result.crash, world.lastRun.stdout).to.equal(undefined);
  expect(world.lastRun.code).to.equal(0);
  return result;
}

Then('it says that it behaves like {string}', function (this: EcholabWorld, models: string) {
  behavesLike(this, models);
});

Then('it says that it behaves like {string}, as this machine sees {}', function (this: EcholabWorld, models: string, seen: string) {
  const { inside } = behavesLike(this, models);
  expect(inside, this.lastRun.stdout).to.deep.include({ seen, toldApart: true });
});

// `problem` is what it says is wrong, or the part of it that does not depend on how fast the machine was
Then('it says that it behaves like {string}, but that its echo is wrong: {}', function (this: EcholabWorld, models: string, problem: string) {
  const result = classification(this);
  expect(describeModels(result.models, result.workers), this.lastRun.stdout).to.equal(models);
  expect(result.echoProblem ?? '', this.lastRun.stdout).to.include(problem);
  expect(this.lastRun.stdout).to.include(`its echo is wrong: ${result.echoProblem}`);
  expect(this.lastRun.code).to.equal(1);
});

Then('it says that it behaves like {string}, but that it crashes when a client hangs up without reading its echoes', function (this: EcholabWorld, models: string) {
  const result = classification(this);
  expect(describeModels(result.models, result.workers), this.lastRun.stdout).to.equal(models);
  expect(result.crash?.when, this.lastRun.stdout).to.equal('when a client hangs up without reading its echoes');
  expect(this.lastRun.code).to.equal(1);
});

Then("it quotes the server's last words: {string}", function (this: EcholabWorld, errorLine: string) {
  const how = classification(this).crash?.how ?? '';
  expect(how.endsWith(`: ${errorLine}`), this.lastRun.stdout).to.equal(true);
  expect(this.lastRun.stdout).to.include(how);
});

Then('it says that it behaves like no model, the closest being {string}', function (this: EcholabWorld, closest: string) {
  const result = classification(this);
  expect(result.models, this.lastRun.stdout).to.deep.equal([]);
  expect(describeModels(result.closest, result.workers), this.lastRun.stdout).to.equal(closest);
  expect(this.lastRun.code).to.equal(1);
});

Then('it stops with status 2 and the one line {string}', function (this: EcholabWorld, line: string) {
  const { code, stdout, stderr } = this.lastRun;
  expect(code, stdout).to.equal(2);
  expect(withPortsAsP(stderr)).to.equal(`echolab: ${line}\n`);
});

Then('nothing it started is still running', async function (this: EcholabWorld) {
  expect(await stillRunning(this.lastRun)).to.deep.equal([]);
});

// five whole checks one after another: a minute on a busy machine
When('the {model} server is checked against every model\'s specs', { timeout: 240_000 }, async function (this: EcholabWorld, server: ModelName) {
  this.row = { server, ...(await measureRow(this.session, server)) };
});

Then(
  'it {cell} the sequential specs, {cell} the thread-per-client specs, {cell} the thread-pool specs, {cell} the multiplexing specs and {cell} the async specs',
  // cucumber counts a step function's parameters, so they are spelled out, in the order of the models
  function (this: EcholabWorld, sequential: Cell, threadPerClient: Cell, threadPool: Cell, multiplexing: Cell, async: Cell) {
    const { cells, failures } = this.row!;
    expect(cells, failures.join('\n')).to.deep.equal([sequential, threadPerClient, threadPool, multiplexing, async]);
  },
);

Then("so says echolab's table of how each model looks from outside", function (this: EcholabWorld) {
  const { server, cells } = this.row!;
  expect(cells, 'what was measured, against what support/from-outside.ts predicts').to.deep.equal(MODEL_NAMES.map((specs) => expectedCell(server, specs)));
});
