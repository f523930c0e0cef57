/**
 * `echolab check`: run the specs written for one model, or for every model, against anyone's
 * echo server, in any language. Exit status 0: it conforms (to at least one model, for
 * `--model all`); 1: it does not; 2: it could not be run.
 */
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import { Command, Option } from 'commander';
import { usageError } from '../core/errors';
import { assertModelName, type ModelName } from '../core/models';
import type { ModelVerdict } from '../support/check/matrix';
import { isRunningServer, type ServerUnderCheck } from '../support/session';
import { assertLinkFitsTick } from '../support/link';
import { DEFAULT_TICK_MS, tickMs, tickMsFrom } from '../support/settings';
import type { Remedies } from '../support/remedies';
import { outputFile, tickOption, workersOption } from './args';
import { addRemedyOptions, remediesFrom, type RemedyFlags } from './remedy-options';
import { modelList } from './help';
import type { CommandIO, Runner } from './io';
import { addServerOptions, SERVER_COMMAND_USAGE, serverName, serverUnderCheck } from './server-command';

const EXAMPLE = 'echolab check --model sequential -- python3 my_server.py --port {port}';
const EVERY_MODEL = 'all';

interface CheckFlags extends RemedyFlags {
  model: ModelName | typeof EVERY_MODEL;
  workers: number;
  tickMs?: string;
  junit?: string;
  messages?: string;
}

interface Check {
  server: ServerUnderCheck;
  /** what the server is said to do about slow clients: judged instead of the model's plain scenarios */
  remedies: Remedies;
  workers: number;
  tickMs: number;
  junitFile?: string;
  messagesFile?: string;
  stdout: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** Declares the command on `program`, which its settings (output, help, exit) come from. */
export const checkCommand = (program: Command, runner: Runner) =>
  addServerOptions(
    addRemedyOptions(
      program.command('check')
        .summary("run a model's specs on your server")
        .description(
          "Runs every scenario of the model's specs that a client can observe against your server, " +
            'each against a fresh instance of it (or, for a server already running, against that one, ' +
            'one after another); prints each scenario with its timeline. With --model all, checks it ' +
            "against every model's specs and prints which it passes. Exit status: 0 it conforms (to at " +
            'least one model), 1 it does not, 2 it could not be run. Given a remedy for slow clients your server is said ' +
            'to have (--idle-timeout, --max-lifetime, --min-rate, --priority-from), runs the scenarios of that remedy ' +
            "instead of the model's, with your server's limits in place of theirs.",
        )
        .usage(SERVER_COMMAND_USAGE)
        .addOption(
          new Option('--model <model>', `whose specs to run, required (see Models below), or "${EVERY_MODEL}"`)
            .argParser((name: string) => (name === EVERY_MODEL ? name : assertModelName(name)))
            .makeOptionMandatory(),
        )
        .addOption(workersOption("for thread-pool: the pool size your server has; scenarios written for another size are skipped"))
        .addOption(tickOption(DEFAULT_TICK_MS)),
      { closes: 'your server closes a connection', takes: 'your server takes' },
    )
      .addOption(new Option('--junit <file>', "also write the results as a JUnit XML report, for a CI pipeline to show"))
      .addOption(new Option('--messages <file>', "also write the run as cucumber's messages, one JSON object a line, for a program to read")),
  )
    .addHelpText('after', `\n${modelList()}`)
    .action((_flags: CheckFlags, parsed: Command) => runner.runWithServer((io, serverCommand) => check(parsed, serverCommand, io)));

async function check(parsed: Command, serverCommand: string[], { stdout, env, cwd }: CommandIO): Promise<number> {
  const flags = parsed.opts<CheckFlags>();
  const { model, workers, junit, messages } = flags;
  const given = (option: string) => parsed.getOptionValueSource(option) === 'cli';
  if (given('workers') && model !== 'thread-pool' && model !== EVERY_MODEL) {
    throw usageError('check: --workers applies only to --model thread-pool or all');
  }
  const remedies = remediesFrom(flags, given, model);
  if (model === EVERY_MODEL && Object.keys(remedies).length > 0) throw usageError(`check: a remedy is judged on one model's scenarios: give --model, not ${EVERY_MODEL}`);
  const server = await serverUnderCheck(parsed, EXAMPLE, serverCommand);
  // each run's messages are appended to the file as they come
  const files = { junitFile: outputFile('--junit', junit, cwd), messagesFile: outputFile('--messages', messages, cwd) };
  const tick = tickMs(flags.tickMs, '--tick-ms', tickMsFrom(env));
  // cucumber takes a while to load: only a check pays for it, not every echolab command
  const { ensureServerAnswers } = await import('../support/check/run');
  await ensureServerAnswers(server);
  // a server on another host: is the link quick enough for the tick?
  if (isRunningServer(server)) await assertLinkFitsTick(server.host, server.port, tick, server.startupTimeoutMs);
  const run = { server, remedies, workers, tickMs: tick, ...files, stdout, env };
  return model === EVERY_MODEL ? checkEveryModel(run) : checkOneModel(run, model);
}

async function checkOneModel({ server, remedies, workers, tickMs, junitFile, messagesFile, stdout, env }: Check, model: ModelName): Promise<number> {
  const { runSpecs } = await import('../support/check/run');
  const { checkSuiteName, junitReport } = await import('../support/check/junit');
  const { verdictSentence } = await import('../support/check/printout');
  const pool = model === 'thread-pool' ? ` with ${workers} workers` : '';
  const claims = claimsText(remedies);
  const specs = claims === undefined ? `the ${model} specs${pool}` : `the specs of ${claims}, on a ${model} server${pool}`;
  stdout.write(`Checking ${serverName(server)} against ${specs}\n\n${runningNote(server)}`);
  const { verdict, scenarios, serverStopped } = await runSpecs({ target: { ...server, model, workers, remedies }, tickMs, stdout: stdout as Writable, env, messagesFile });
  if (junitFile) fs.writeFileSync(junitFile, junitReport([{ name: checkSuiteName(model), scenarios }]));
  stdout.write(`\n${verdictSentence(claims === undefined ? `the ${model} model` : `what it is said to do (${claims})`, { verdict, scenarios, serverStopped })}\n`);
  return verdict === 'conforms' ? 0 : 1;
}

async function checkEveryModel({ server, workers, tickMs, junitFile, messagesFile, stdout, env }: Check): Promise<number> {
  const { checkEveryModel: check, rowLine } = await import('../support/check/matrix');
  const { checkSuiteName, junitReport } = await import('../support/check/junit');
  stdout.write(`Checking ${serverName(server)} against the specs of every model, each until a scenario fails (thread-pool: ${workers} workers)\n\n${runningNote(server)}`);
  const verdicts = await check(server, { tickMs, workers, env, messagesFile, onVerdict: (verdict) => stdout.write(`${verdictLine(verdict)}\n`) });
  if (junitFile) {
    const ran = verdicts.filter(({ cell }) => cell !== 'not run');
    fs.writeFileSync(junitFile, junitReport(ran.map(({ specs, scenarios }) => ({ name: checkSuiteName(specs), scenarios }))));
  }
  stdout.write(`\n${rowLine(verdicts)}\n`);
  return verdicts.some(({ cell }) => cell === 'passes') ? 0 : 1;
}

/** "--idle-timeout 2000 and --priority-from 127.0.0.2", as the options were given; undefined for none. */
function claimsText(remedies: Remedies): string | undefined {
  const options: [string, unknown][] = [
    ['--idle-timeout', remedies.idleTimeoutMs],
    ['--max-lifetime', remedies.maxLifetimeMs],
    ['--min-rate', remedies.minRate === undefined ? undefined : `${remedies.minRate} --min-rate-grace ${remedies.minRateGraceMs}`],
    ['--priority-from', remedies.priorityFrom],
  ];
  const given = options.filter(([, value]) => value !== undefined).map(([option, value]) => `${option} ${value}`);
  return given.length === 0 ? undefined : given.length === 1 ? given[0] : `${given.slice(0, -1).join(', ')} and ${given.at(-1)}`;
}

/** What judging a server that is already running changes. */
const runningNote = (server: ServerUnderCheck) =>
  isRunningServer(server)
    ? 'It is already running, so every scenario talks to it, one after another: a scenario may begin while ' +
      'connections of the one before are still closing, and if the server stops, the scenarios after it cannot run.\n\n'
    : '';

const verdictLine = ({ specs, cell, why }: ModelVerdict) => `  ${specs.padEnd(18)} ${cell}${why ? `: ${why}` : ''}`;
