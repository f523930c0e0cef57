/**
 * `echolab check`: run the specs written for one model, or for every model, against anyone's
 * echo server, in any language. Exit status 0: it conforms (to at least one model, for
 * `--model all`); 1: it does not; 2: it could not be run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { Command, Option } from 'commander';
import { usageError } from '../core/errors';
import { assertModelName, type ModelName } from '../core/models';
import type { ModelVerdict } from '../support/check/matrix';
import { isRunningServer, type ServerUnderCheck } from '../support/session';
import { tickMsFrom } from '../support/settings';
import { workersOption } from './args';
import { modelList } from './help';
import type { CommandIO, Runner } from './io';
import { addServerOptions, SERVER_COMMAND_USAGE, serverName, serverUnderCheck } from './server-command';

const EXAMPLE = 'echolab check --model sequential -- python3 my_server.py --port {port}';
const EVERY_MODEL = 'all';

interface CheckFlags {
  model: ModelName | typeof EVERY_MODEL;
  workers: number;
  junit?: string;
}

interface Check {
  server: ServerUnderCheck;
  workers: number;
  tickMs: number;
  junitFile?: string;
  stdout: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** Declares the command on `program`, which its settings (output, help, exit) come from. */
export const checkCommand = (program: Command, runner: Runner) =>
  addServerOptions(
    program.command('check')
      .summary("run a model's specs on your server")
      .description(
        "Runs every scenario of the model's specs that a client can observe against your server, " +
          'each against a fresh instance of it (or, for a server already running, against that one, ' +
          'one after another); prints each scenario with its timeline. With --model all, checks it ' +
          "against every model's specs and prints which it passes. Exit status: 0 it conforms (to at " +
          'least one model), 1 it does not, 2 it could not be run.',
      )
      .usage(SERVER_COMMAND_USAGE)
      .addOption(
        new Option('--model <model>', `whose specs to run, required (see Models below), or "${EVERY_MODEL}"`)
          .argParser((name: string) => (name === EVERY_MODEL ? name : assertModelName(name)))
          .makeOptionMandatory(),
      )
      .addOption(workersOption("for thread-pool: the pool size your server has; scenarios written for another size are skipped"))
      .addOption(new Option('--junit <file>', "also write the results as a JUnit XML report, for a CI pipeline to show")),
  )
    .addHelpText('after', `\n${modelList()}`)
    .action((_flags: CheckFlags, parsed: Command) => runner.runWithServer((io, serverCommand) => check(parsed, serverCommand, io)));

async function check(parsed: Command, serverCommand: string[], { stdout, env, cwd }: CommandIO): Promise<number> {
  const { model, workers, junit } = parsed.opts<CheckFlags>();
  if (parsed.getOptionValueSource('workers') === 'cli' && model !== 'thread-pool' && model !== EVERY_MODEL) {
    throw usageError('check: --workers applies only to --model thread-pool or all');
  }
  const server = await serverUnderCheck(parsed, EXAMPLE, serverCommand);
  // cucumber takes a while to load: only a check pays for it, not every echolab command
  const { ensureServerAnswers } = await import('../support/check/run');
  await ensureServerAnswers(server);
  const run = { server, workers, tickMs: tickMsFrom(env), junitFile: junit === undefined ? undefined : path.resolve(cwd, junit), stdout, env };
  return model === EVERY_MODEL ? checkEveryModel(run) : checkOneModel(run, model);
}

async function checkOneModel({ server, workers, tickMs, junitFile, stdout, env }: Check, model: ModelName): Promise<number> {
  const { runSpecs } = await import('../support/check/run');
  const pool = model === 'thread-pool' ? ` with ${workers} workers` : '';
  stdout.write(`Checking ${serverName(server)} against the ${model} specs${pool}\n\n${runningNote(server)}`);
  const { verdict, scenarios, serverStopped } = await runSpecs({ target: { ...server, model, workers }, tickMs, stdout: stdout as Writable, env, junitFile });
  if (verdict === 'conforms') {
    stdout.write(`\nIt conforms to the ${model} model.\n`);
    return 0;
  }
  const failed = scenarios.filter((scenario) => scenario.status === 'FAILED').length;
  const notRun = serverStopped ? scenarios.filter((scenario) => scenario.status === 'SKIPPED').length : 0;
  const notRunText = notRun > 0 ? `, and ${notRun} after the server stopped ${notRun === 1 ? 'was' : 'were'} not run` : '';
  stdout.write(`\nIt does not conform to the ${model} model: ${failed} of ${scenarios.length} scenarios failed${notRunText}.\n`);
  return 1;
}

async function checkEveryModel({ server, workers, tickMs, junitFile, stdout, env }: Check): Promise<number> {
  const { checkEveryModel: check, rowSentence } = await import('../support/check/matrix');
  const { combineJunitReports } = await import('../support/check/junit');
  stdout.write(`Checking ${serverName(server)} against the specs of every model, each until a scenario fails (thread-pool: ${workers} workers)\n\n${runningNote(server)}`);
  const reports = junitFile ? fs.mkdtempSync(path.join(os.tmpdir(), 'echolab-junit-')) : undefined;
  const reportOf = reports === undefined ? undefined : (specs: ModelName) => path.join(reports, `${specs}.xml`);
  try {
    const verdicts = await check(server, {
      tickMs,
      workers,
      env,
      junitFile: reportOf,
      onVerdict: (verdict) => stdout.write(`${verdictLine(verdict)}\n`),
    });
    if (reportOf && junitFile) {
      const written = verdicts.map(({ specs }) => reportOf(specs)).filter((file) => fs.existsSync(file));
      fs.writeFileSync(junitFile, combineJunitReports(written.map((file) => fs.readFileSync(file, 'utf8'))));
    }
    const passes = verdicts.filter(({ cell }) => cell === 'passes').map(({ specs }) => specs);
    const conforms = passes.length === 0 ? 'it conforms to no model' : `it conforms to ${passes.join(' and ')}`;
    stdout.write(`\nIt ${rowSentence(verdicts)}: ${conforms}.\n`);
    return passes.length > 0 ? 0 : 1;
  } finally {
    if (reports) fs.rmSync(reports, { recursive: true, force: true });
  }
}

/** What judging a server that is already running changes. */
const runningNote = (server: ServerUnderCheck) =>
  isRunningServer(server)
    ? 'It is already running, so every scenario talks to it, one after another: a scenario may begin while ' +
      'connections of the one before are still closing, and if the server stops, the scenarios after it cannot run.\n\n'
    : '';

const verdictLine = ({ specs, cell, why }: ModelVerdict) => `  ${specs.padEnd(18)} ${cell}${why ? `: ${why}` : ''}`;
