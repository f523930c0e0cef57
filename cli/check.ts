/**
 * `echolab check`: run the specs written for one model against anyone's echo server, in any
 * language. Exit status 0: it conforms; 1: a scenario failed; 2: it could not be run.
 */
import type { Writable } from 'node:stream';
import { Command, Option } from 'commander';
import { assertModelName, type ModelName } from '../servers/models';
import { usageError } from '../support/errors';
import { tickMsFrom } from '../support/settings';
import { workersOption } from './args';
import { modelList } from './help';
import type { CommandIO, Runner } from './io';
import { addServerOptions, SERVER_COMMAND_USAGE, serverToRun } from './server-command';

const EXAMPLE = 'echolab check --model sequential -- python3 my_server.py --port {port}';

interface CheckFlags {
  model: ModelName;
  workers: number;
}

/** Declares the command on `program`, which its settings (output, help, exit) come from. */
export const checkCommand = (program: Command, runner: Runner) =>
  addServerOptions(
    program.command('check')
      .summary("run a model's specs on your server")
      .description(
        "Starts your server and runs every scenario of the model's specs that a client can observe " +
          'against it, each against a fresh instance; prints each scenario with its timeline. ' +
          'Exit status: 0 it conforms, 1 a scenario failed, 2 it could not be run.',
      )
      .usage(SERVER_COMMAND_USAGE)
      .addOption(new Option('--model <model>', 'whose specs to run, required (see Models below)').argParser(assertModelName).makeOptionMandatory())
      .addOption(workersOption("for thread-pool: the pool size your server has; scenarios written for another size are skipped")),
  )
    .addHelpText('after', `\n${modelList()}`)
    .action((_flags: CheckFlags, parsed: Command) => runner.runWithServer((io, serverCommand) => check(parsed, serverCommand, io)));

async function check(parsed: Command, serverCommand: string[], { stdout, env }: CommandIO): Promise<number> {
  const { model, workers } = parsed.opts<CheckFlags>();
  if (parsed.getOptionValueSource('workers') === 'cli' && model !== 'thread-pool') throw usageError('check: --workers applies only to --model thread-pool');
  const target = { ...(await serverToRun(parsed, EXAMPLE, serverCommand)), model, workers };
  const tickMs = tickMsFrom(env);
  // cucumber takes a while to load: only a check pays for it, not every echolab command
  const { ensureServerStarts, runSpecs } = await import('../support/check/run');
  await ensureServerStarts(target);
  const pool = model === 'thread-pool' ? ` with ${workers} workers` : '';
  stdout.write(`Checking "${target.command.join(' ')}" against the ${model} specs${pool}\n\n`);
  const { verdict, scenarios } = await runSpecs({ target, tickMs, stdout: stdout as Writable, env });
  const failed = scenarios.filter((scenario) => scenario.status === 'FAILED').length;
  stdout.write(verdict === 'conforms' ? `\nIt conforms to the ${target.model} model.\n` : `\nIt does not conform to the ${target.model} model: ${failed} of ${scenarios.length} scenarios failed.\n`);
  return verdict === 'conforms' ? 0 : 1;
}
