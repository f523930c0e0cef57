/**
 * `echolab check`: run the specs written for one model against anyone's echo server, in any
 * language. Exit status 0: it conforms; 1: a scenario failed; 2: it could not be run.
 */
import type { Writable } from 'node:stream';
import { assertModelName } from '../servers/models';
import type { CheckTarget } from '../support/cucumber/world';
import { usageError } from '../support/errors';
import { tickMsFrom } from '../support/settings';
import { integerOption } from './args';
import type { CommandIO } from './io';
import { parseServerCommandLine, SERVER_OPTIONS_USAGE } from './server-command';

export const CHECK_USAGE = `echolab check --model <model> [--workers N] ${SERVER_OPTIONS_USAGE}`;

export async function check({ argv, stdout, env }: CommandIO): Promise<number> {
  const target = checkTarget(argv);
  const tickMs = tickMsFrom(env);
  // cucumber takes a while to load: only a check pays for it, not every echolab command
  const { ensureServerStarts, runSpecs } = await import('../support/check/run');
  await ensureServerStarts(target);
  const workers = target.model === 'thread-pool' ? ` with ${target.workers} workers` : '';
  stdout.write(`Checking "${target.command.join(' ')}" against the ${target.model} specs${workers}\n\n`);
  const { verdict, scenarios } = await runSpecs({ target, tickMs, stdout: stdout as Writable, env });
  const failed = scenarios.filter((scenario) => scenario.status === 'FAILED').length;
  stdout.write(verdict === 'conforms' ? `\nIt conforms to the ${target.model} model.\n` : `\nIt does not conform to the ${target.model} model: ${failed} of ${scenarios.length} scenarios failed.\n`);
  return verdict === 'conforms' ? 0 : 1;
}

/** The server under check, from the command line. */
function checkTarget(argv: string[]): CheckTarget & { startupTimeoutMs: number } {
  const { server, values } = parseServerCommandLine(argv, 'check', CHECK_USAGE, { model: { type: 'string' }, workers: { type: 'string' } });
  if (values.model === undefined) throw usageError(`check: --model is required; usage: ${CHECK_USAGE}`);
  const model = assertModelName(values.model);
  if (values.workers !== undefined && model !== 'thread-pool') throw usageError('check: --workers applies only to --model thread-pool');
  return { ...server, model, workers: integerOption(values.workers, 'workers', { min: 1, max: 1000 }, 2) };
}
