/** How `check` and `classify` are told to run someone's server: `[--port P] [--host H] [--startup-timeout S] -- <command> [args…]`. */
import dns from 'node:dns/promises';
import { Command, Option } from 'commander';
import { usageError } from '../support/errors';
import type { ServerCommand } from '../support/session';
import { numberOption } from './args';
import { paragraph } from './help';

export const SERVER_COMMAND_USAGE = '[options] -- <command> [args…]';

interface ServerFlags {
  port?: number;
  host: string;
  startupTimeout: number;
}

/** The options, and the words before `--` let through, so that a stray one gets a message of its own. */
export const addServerOptions = (command: Command) =>
  command
    .allowExcessArguments()
    .addOption(numberOption('port', 'the port the server listens on, for one that has a port of its own (default: a free port, put in place of {port})', { min: 1, max: 65535 }))
    .addOption(new Option('--host <host>', 'where the server listens; a name is looked up once, IPv4 first').default('127.0.0.1'))
    .addOption(numberOption('startup-timeout', 'seconds to wait for the server to open its port', { min: 1, max: 600 }, 30))
    .addHelpText(
      'after',
      `\n${paragraph('The server command comes after --. Every {port} in it is replaced by a free port; the server is started anew for each run and stopped after it, with its children.')}`,
    );

/**
 * The server to start, from the parsed command line and what came after `--`; a host name is
 * resolved here, once. `example` shows the command with a server command, for the message.
 */
export async function serverToRun(parsed: Command, example: string, serverCommand: string[]): Promise<ServerCommand & { startupTimeoutMs: number }> {
  const name = parsed.name();
  if (parsed.args.length > 0) throw usageError(`${name}: unexpected "${parsed.args[0]}" before --; the server command goes after it, as in: ${example}`);
  if (serverCommand.length === 0) throw usageError(`${name}: no server command; put it after --, as in: ${example}`);
  const { port, host, startupTimeout } = parsed.opts<ServerFlags>();
  return { command: serverCommand, port, host: await resolveHost(host), startupTimeoutMs: startupTimeout * 1000 };
}

/**
 * The address of `host`, an IPv4 one if it has any. Looked up once, so that every client
 * connects to the same address in the order it was started: had each client looked the name
 * up itself, the answers would come back in any order, and so would the connections.
 */
export async function resolveHost(host: string): Promise<string> {
  let addresses: { address: string; family: number }[];
  try {
    addresses = await dns.lookup(host, { all: true });
  } catch (error) {
    throw usageError(`--host ${host}: cannot look up that name (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return (addresses.find(({ family }) => family === 4) ?? addresses[0]).address;
}
