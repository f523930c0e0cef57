/** The part of the command line that says how to run someone's server: `[--port P] [--host H] [--startup-timeout S] -- <command> [args…]`. */
import type { ServerCommand } from '../support/session';
import { usageError } from '../support/errors';
import { integerOption, parseCommandLine } from './args';

export const SERVER_OPTIONS_USAGE = '[--port P] [--host H] [--startup-timeout S] -- <command> [args…]';

const SERVER_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'startup-timeout': { type: 'string' },
} as const;

/** The server command and the command's own options, from everything after the command's name. */
export function parseServerCommandLine(argv: string[], name: string, usage: string, options: Record<string, { type: 'string' }>) {
  const dashes = argv.indexOf('--');
  const command = dashes < 0 ? [] : argv.slice(dashes + 1);
  if (command.length === 0) throw usageError(`${name}: no server command; put it after --, as in: ${usage}`);
  const parsed = parseCommandLine(argv.slice(0, dashes), { ...SERVER_OPTIONS, ...options }, name);
  const values = parsed.values as Record<string, string | undefined>;
  const positionals = parsed.positionals;
  if (positionals.length > 0) throw usageError(`${name}: unexpected "${positionals[0]}" before --; usage: ${usage}`);
  const server: ServerCommand & { startupTimeoutMs: number } = {
    command,
    port: values.port === undefined ? undefined : integerOption(values.port, 'port', { min: 1, max: 65535 }, 0),
    host: values.host,
    startupTimeoutMs: integerOption(values['startup-timeout'], 'startup-timeout', { min: 1, max: 600 }, 10) * 1000,
  };
  return { server, values };
}
