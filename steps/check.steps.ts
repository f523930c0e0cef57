/** `echolab check` and `echolab classify` run as a user runs them, against small servers written in Python and Node. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { MODEL_NAMES, type ModelName } from '../core/models';
import { PACKAGE_DIR } from '../core/paths';
import { checkAgainstEveryModel, type CheckedRow } from '../support/check/matrix';
import { runEcholab, stillRunning, type CommandRun } from '../support/command-run';
import type { EcholabWorld } from '../support/cucumber/world';
import { expectedCell, type Cell } from '../support/from-outside';
import { acceptsWithin } from '../support/server-process';
import { SENT_AND_ECHOED, SYMBOL } from '../support/timeline/render-text';

const FIXTURES = path.join(PACKAGE_DIR, 'test', 'fixtures');

/** The last command each scenario ran, and the row of the table it measured. */
const runs = new WeakMap<EcholabWorld, CommandRun>();
const rows = new WeakMap<EcholabWorld, CheckedRow & { server: ModelName }>();
/** How a timeline chart marks an echo, and a send, in a client's lane, and how its legend (which shows the marks too) begins. */
const ECHO_MARKS = [SYMBOL.echo, SENT_AND_ECHOED];
const SEND_MARKS = [SYMBOL.send, SENT_AND_ECHOED];
const LEGEND = `${SYMBOL.connected} connected`;
/** The JUnit report a scenario asked check for. */
const junitReports = new WeakMap<EcholabWorld, string>();
/** The scenario a step last found failing in what check printed. */
const failed = new WeakMap<EcholabWorld, string>();

/** "thread_pool.py --workers 3", "pipe_echo.js": the fixture (Python or Node), its arguments, and the port echolab picks. */
const fixtureCommand = (server: string) => {
  const [file, ...args] = server.split(' ');
  const program = file.endsWith('.js') ? [process.execPath, path.join(FIXTURES, 'node', file)] : ['python3', path.join(FIXTURES, 'python', file)];
  return [...program, ...args, '--port', '{port}'];
};

/** What check printed for each scenario, in order: its name, whether it passed, and the lines under it. */
function scenarioReports(stdout: string): { name: string; passed: boolean; notRun: boolean; lines: string[] }[] {
  const reports: { name: string; passed: boolean; notRun: boolean; lines: string[] }[] = [];
  for (const line of stdout.split('\n')) {
    const heading = /^([✓✗-]) (.+?)  \S+:\d+$/.exec(line);
    if (heading) reports.push({ name: heading[2], passed: heading[1] === '✓', notRun: heading[1] === '-', lines: [] });
    else reports.at(-1)?.lines.push(line.trim());
  }
  return reports;
}


const lastRun = (world: EcholabWorld): CommandRun => {
  const run = runs.get(world);
  if (!run) throw new Error('no echolab command was run in this scenario');
  return run;
};

async function runAndKeep(world: EcholabWorld, argv: string[], onStdout?: (stdout: string) => void): Promise<void> {
  runs.set(world, await runEcholab(argv, { onStdout }));
}

/** `--host H --port P` of the server a scenario started itself, as someone else would have. */
function whereItListens(world: EcholabWorld): string[] {
  const address = world.session.serverAddress;
  if (!address) throw new Error('no server was started in this scenario');
  return ['--host', address.host, '--port', String(address.port)];
}

When('{string} is checked against the {model} specs', function (this: EcholabWorld, server: string, model: ModelName) {
  return runAndKeep(this, ['check', '--model', model, '--', ...fixtureCommand(server)]);
});

When('{string} is checked against the {model} specs at the host {string}', function (this: EcholabWorld, server: string, model: ModelName, host: string) {
  return runAndKeep(this, ['check', '--model', model, '--host', host, '--', ...fixtureCommand(server)]);
});

When('{string} is checked against the thread-pool specs for {int} workers', function (this: EcholabWorld, server: string, workers: number) {
  return runAndKeep(this, ['check', '--model', 'thread-pool', '--workers', String(workers), '--', ...fixtureCommand(server)]);
});

Given('{string} is already running, started by someone else', function (this: EcholabWorld, server: string) {
  return this.session.startCommand({ command: fixtureCommand(server) });
});

When('it is checked where it listens against the {model} specs, with a JUnit report', function (this: EcholabWorld, model: ModelName) {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'echolab-junit-')), 'check.xml');
  junitReports.set(this, report);
  return runAndKeep(this, ['check', '--model', model, ...whereItListens(this), '--junit', report]);
});

When('it is checked where it listens against the {model} specs, and stopped once the first scenario has ended', function (this: EcholabWorld, model: ModelName) {
  let stopping = false;
  return runAndKeep(this, ['check', '--model', model, ...whereItListens(this)], (stdout) => {
    if (stopping || scenarioReports(stdout).length === 0) return;
    stopping = true;
    void this.session.close();
  });
});

When('it is classified where it listens', function (this: EcholabWorld) {
  return runAndKeep(this, ['classify', ...whereItListens(this)]);
});

When('{string} is checked against every model\'s specs', { timeout: 120_000 }, function (this: EcholabWorld, server: string) {
  return runAndKeep(this, ['check', '--model', 'all', '--', ...fixtureCommand(server)]);
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
  expect(stdout.includes(`✗ ${scenario}`), `"${scenario}" did not fail:\n${stdout}`).to.equal(true);
});

Then('it does not conform: a scenario fails because the server stopped accepting connections, and the ones after it are not run', function (this: EcholabWorld) {
  const { code, stdout, stderr } = lastRun(this);
  expect(code, `${stdout}\n${stderr}`).to.equal(1);
  const reports = scenarioReports(stdout);
  const stopped = reports.findIndex(({ passed, notRun, lines }) => !passed && !notRun && lines.some((line) => / stopped accepting connections /.test(line)));
  expect(stopped, `no scenario failed because the server stopped:\n${stdout}`).to.be.at.least(1);
  const after = reports.slice(stopped + 1);
  expect(after, `no scenario came after the one that failed:\n${stdout}`).to.not.be.empty;
  expect(after.filter(({ notRun }) => !notRun).map(({ name }) => name), stdout).to.deep.equal([]);
  expect(stdout).to.match(/scenarios failed, and \d+ after the server stopped (was|were) not run\.$/m);
});

Then('the JUnit report has a test case for every scenario it printed, and no failure', function (this: EcholabWorld) {
  const file = junitReports.get(this)!;
  const report = fs.readFileSync(file, 'utf8');
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  expect(report.match(/<testcase /g) ?? [], report).to.have.length(scenarioReports(lastRun(this).stdout).length);
  expect(report).to.match(/<testsuite [^>]*failures="0"/);
});

Then('the server is still running', async function (this: EcholabWorld) {
  const { host, port } = this.session.serverAddress!;
  expect(await acceptsWithin(host, port, 5_000), `nothing accepts connections on ${host}:${port} any more`).to.equal(true);
});

Then('it prints that it {}', function (this: EcholabWorld, row: string) {
  const { code, stdout, stderr } = lastRun(this);
  expect(new RegExp(`^It ${row}: it conforms to `, 'm').test(stdout), `${stdout}\n${stderr}`).to.equal(true);
  expect(code, stdout).to.equal(row.includes('passes') ? 0 : 1);
});

Then('it does not conform: {string} fails, because {string}', function (this: EcholabWorld, scenario: string, reason: string) {
  const { code, stdout, stderr } = lastRun(this);
  expect(code, `${stdout}\n${stderr}`).to.equal(1);
  const report = scenarioReports(stdout).find(({ name }) => name === scenario);
  expect(report?.passed, `"${scenario}" did not fail:\n${stdout}`).to.equal(false);
  expect(report?.lines, stdout).to.include(reason);
  failed.set(this, scenario);
});

// whether it passes is its own business: that its clients got echoes shows a server was there for them
Then('the scenario after it still ran, against a fresh instance of the server that echoed its clients', function (this: EcholabWorld) {
  const { stdout } = lastRun(this);
  const reports = scenarioReports(stdout);
  const next = reports[reports.findIndex(({ name }) => name === failed.get(this)) + 1];
  const echoed = next?.lines.some((line) => !line.startsWith(LEGEND) && ECHO_MARKS.some((mark) => line.includes(mark)));
  expect(echoed, `no echo in the scenario after "${failed.get(this)}":\n${stdout}`).to.equal(true);
});

Then("it warns that the server's listen backlog was full exactly when some of the thirty clients connected after others had already sent", function (this: EcholabWorld) {
  const { stdout } = lastRun(this);
  const crowd = scenarioReports(stdout).find(({ name }) => name.startsWith('30 clients at once'));
  expect(crowd, `no scenario with thirty clients was run:\n${stdout}`).to.not.equal(undefined);
  const late = connectedAfterOthersSent(crowd!.lines);
  const warned = crowd!.lines.some((line) => /^warning: .* connected .* late(, and .* sent again)?: the server's listen backlog was full$/.test(line));
  expect(warned, `${late ? 'some clients connected late' : 'no client connected late'}:\n${stdout}`).to.equal(late);
});

/**
 * Whether a timeline, as check prints it, shows a client connecting (●) to the right of another
 * client's first message (↑): a connect that took longer than the others' first pause, which
 * only a dropped SYN does.
 */
function connectedAfterOthersSent(lines: string[]): boolean {
  const lanes = lines.filter((line) => line.includes(SYMBOL.connected) && !line.startsWith(LEGEND));
  const connects = lanes.map((lane) => lane.indexOf(SYMBOL.connected));
  const firstSends = lanes.map((lane) => Math.min(...SEND_MARKS.map((mark) => lane.indexOf(mark)).filter((column) => column >= 0))).filter(Number.isFinite);
  return firstSends.length > 0 && Math.max(...connects) > Math.min(...firstSends);
}

Then('it says that it behaves like {string}', function (this: EcholabWorld, models: string) {
  const { code, stdout, stderr } = lastRun(this);
  expect(stdout, stderr).to.match(new RegExp(`^It behaves like ${models}[ .(]`, 'm'));
  expect(code).to.equal(0);
});

Then('it says that it behaves like {string}, but that it crashes when a client hangs up without reading its echoes', function (this: EcholabWorld, models: string) {
  const { code, stdout, stderr } = lastRun(this);
  expect(stdout, stderr).to.match(new RegExp(`^It behaves like ${models}( \\(.*\\))?, but it crashes when a client hangs up without reading its echoes:$`, 'm'));
  expect(code).to.equal(1);
});

Then("it quotes the server's last words: {string}", function (this: EcholabWorld, errorLine: string) {
  const { stdout } = lastRun(this);
  expect(stdout.split('\n').some((line) => line.endsWith(`: ${errorLine}`)), stdout).to.equal(true);
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

Then('nothing it started is still running', async function (this: EcholabWorld) {
  expect(await stillRunning(lastRun(this))).to.deep.equal([]);
});

// five whole checks, each starting a fresh server for every scenario: minutes on a busy machine
When('the {model} server is checked against every model\'s specs', { timeout: 240_000 }, async function (this: EcholabWorld, server: ModelName) {
  rows.set(this, { server, ...(await checkAgainstEveryModel(server, this.session.tickMs)) });
});

Then(
  'it {cell} the sequential specs, {cell} the thread-per-client specs, {cell} the thread-pool specs, {cell} the multiplexing specs and {cell} the async specs',
  // cucumber counts a step function's parameters, so they are spelled out, in the order of the models
  function (this: EcholabWorld, sequential: Cell, threadPerClient: Cell, threadPool: Cell, multiplexing: Cell, async: Cell) {
    const { cells, failures } = rows.get(this)!;
    expect(cells, failures.join('\n')).to.deep.equal([sequential, threadPerClient, threadPool, multiplexing, async]);
  },
);

Then("so says echolab's table of how each model looks from outside", function (this: EcholabWorld) {
  const { server, cells } = rows.get(this)!;
  expect(cells, 'what was measured, against what support/from-outside.ts predicts').to.deep.equal(MODEL_NAMES.map((specs) => expectedCell(server, specs)));
});
