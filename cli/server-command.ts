/**
 * How `check` and `classify` are told which server to judge: one to start,
 * `[--port P] [--host H] [--startup-timeout S] -- <command> [args…]`, or one already running,
 * `--host H --port P` with no command.
 */
import dns from 'node:dns/promises';
import { Command, Option } from 'commander';
import { usageError } from '../core/errors';
import { isRunningServer, type ServerUnderCheck } from '../support/session';
import { numberOption } from './args';
import { paragraph } from './help';

export const SERVER_COMMAND_USAGE = '[options] -- <command> [args…]  |  [options] --port <n> [--host <host>]';

interface ServerFlags {
  port?: number;
  host: string;
  startupTimeout: number;
}

/** The options, and the words before `--` let through, so that a stray one gets a message of its own. */
export const addServerOptions = (command: Command) =>
  command
    .allowExcessArguments()
    .addOption(numberOption('port', 'the port the server listens on: a running server\'s, or one the command always listens on (default: a free port, put in place of {port})', { min: 1, max: 65535 }))
    .addOption(new Option('--host <host>', 'where the server listens; a name is looked up once, IPv4 first').default('127.0.0.1'))
    .addOption(numberOption('startup-timeout', 'seconds to wait for the server to open its port', { min: 1, max: 600 }, 30))
    .addHelpText(
      'after',
      `\n${paragraph('The server command comes after --. Every {port} in it is replaced by a free port; the server is started anew for each run and stopped after it, with its children.')}` +
        `\n\n${paragraph('With no command, --port (and --host) name a server that is already running: echolab waits until it accepts connections, talks to it one run after another, and never starts or stops it.')}`,
    );

/**
 * The server to judge, from the parsed command line and what came after `--`: a command to
 * start, or with none, the one running at --host and --port. A host name is resolved here,
 * once. `example` shows the command with a server command, for the message.
 */
export async function serverUnderCheck(parsed: Command, example: string, serverCommand: string[]): Promise<ServerUnderCheck & { startupTimeoutMs: number }> {
  const name = parsed.name();
  if (parsed.args.length > 0) throw usageError(`${name}: unexpected "${parsed.args[0]}" before --; the server command goes after it, as in: ${example}`);
  const { port, host, startupTimeout } = parsed.opts<ServerFlags>();
  const startupTimeoutMs = startupTimeout * 1000;
  if (serverCommand.length > 0) return { command: serverCommand, port, host: await resolveHost(host), startupTimeoutMs };
  if (port === undefined) throw usageError(`${name}: no server; put its command after --, as in: ${example}, or give the --port of one that is running`);
  return { host: await resolveHost(host), port, startupTimeoutMs };
}

/** How a message names the server: its command, or where it listens. */
export const serverName = (server: ServerUnderCheck) =>
  isRunningServer(server) ? `the server at ${server.host}:${server.port}` : `"${server.command.join(' ')}"`;

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
