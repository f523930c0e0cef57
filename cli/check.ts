/**
 * `echolab check`: run the specs written for one model against anyone's echo server, in any
 * language. Exit status 0: it conforms; 1: a scenario failed; 2: it could not be run.
 */
import type { Writable } from 'node:stream';
import { assertModelName } from '../servers/models';
import type { CheckTarget } from '../support/cucumber/world';
import { usageError } from '../support/errors';
import { tickMsFrom } from '../support/settings';
import { integerOption, parseCommandLine } from './args';
import type { CommandIO } from './io';

export const CHECK_USAGE = 'echolab check --model <model> [--workers N] [--port P] [--host H] [--startup-timeout S] -- <command> [args…]';

export async function check({ argv, stdout, env }: CommandIO): Promise<number> {
  const target = checkTarget(argv);
  // cucumber takes a while to load: only a check pays for it, not every echolab command
  const { ensureServerStarts, runSpecs } = await import('../support/check/run');
  await ensureServerStarts(target);
  const workers = target.model === 'thread-pool' ? ` with ${target.workers} workers` : '';
  stdout.write(`Checking "${target.command.join(' ')}" against the ${target.model} specs${workers}\n\n`);
  const { verdict, scenarios } = await runSpecs({ target, tickMs: tickMsFrom(env), stdout: stdout as Writable, env });
  const failed = scenarios.filter((scenario) => scenario.status === 'FAILED').length;
  stdout.write(verdict === 'conforms' ? `\nIt conforms to the ${target.model} model.\n` : `\nIt does not conform to the ${target.model} model: ${failed} of ${scenarios.length} scenarios failed.\n`);
  return verdict === 'conforms' ? 0 : 1;
}

/** The server under check, from the command line: options before `--`, the server's command after. */
export function checkTarget(argv: string[]): CheckTarget & { startupTimeoutMs: number } {
  const { options, command } = splitAtDashes(argv, 'check', CHECK_USAGE);
  const { values, positionals } = parseCommandLine(options, {
    model: { type: 'string' },
    workers: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'startup-timeout': { type: 'string' },
  }, 'check');
  if (positionals.length > 0) throw usageError(`check: unexpected "${positionals[0]}" before --; usage: ${CHECK_USAGE}`);
  if (values.model === undefined) throw usageError(`check: --model is required; usage: ${CHECK_USAGE}`);
  const model = assertModelName(values.model);
  if (values.workers !== undefined && model !== 'thread-pool') throw usageError('check: --workers applies only to --model thread-pool');
  return {
    command,
    model,
    workers: integerOption(values.workers, 'workers', { min: 1, max: 1000 }, 2),
    port: values.port === undefined ? undefined : integerOption(values.port, 'port', { min: 1, max: 65535 }, 0),
    host: values.host,
    startupTimeoutMs: integerOption(values['startup-timeout'], 'startup-timeout', { min: 1, max: 600 }, 10) * 1000,
  };
}

/** `[options…] -- command [args…]`: a server command is required. */
export function splitAtDashes(argv: string[], name: string, usage: string): { options: string[]; command: string[] } {
  const dashes = argv.indexOf('--');
  const command = dashes < 0 ? [] : argv.slice(dashes + 1);
  if (command.length === 0) throw usageError(`${name}: no server command; put it after --, as in: ${usage}`);
  return { options: argv.slice(0, dashes), command };
}
