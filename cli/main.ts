/**
 * The `echolab` command: commander parses the command line and writes the help; this layer
 * picks the subcommand, and turns an `EcholabError` or a command-line mistake into one line on
 * stderr and exit status 2. Anything else is a bug and keeps its stack.
 */
import { Command, CommanderError } from 'commander';
import { commandLineMessage, EcholabError, usageError } from '../core/errors';
import { VERSION } from '../core/paths';
import type { CommandIO, Runner } from './io';
import { checkCommand } from './check';
import { classifyCommand } from './classify';
import { clientsCommand } from './clients';
import { costCommand } from './cost';
import { demoCommand } from './demo';
import { modelList } from './help';
import { serveCommand } from './serve';

export async function main(io: CommandIO): Promise<number> {
  const dashes = io.argv.indexOf('--');
  const commandLine = dashes < 0 ? io.argv : io.argv.slice(0, dashes);
  const afterDashes = dashes < 0 ? undefined : io.argv.slice(dashes + 1);
  let status = 0;
  const runner: Runner = {
    async run(command) {
      if (afterDashes !== undefined) throw usageError(`${commandLine[0]}: nothing goes after --; see echolab ${commandLine[0]} --help`);
      status = await command(io);
    },
    async runWithServer(command) {
      status = await command(io, afterDashes ?? []);
    },
  };
  const program = echolabProgram(io, runner);

  if (commandLine.length === 0) {
    program.outputHelp({ error: true });
    return 2;
  }
  try {
    await program.parseAsync(commandLine, { from: 'user' });
    return status;
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return 0; // it wrote the help or the version asked for
    if (error instanceof CommanderError && error.code === 'commander.help') return 2; // it wrote the help on stderr instead
    const problem = error instanceof CommanderError ? commandLineError(error, program, commandLine[0]) : error;
    if (!(problem instanceof EcholabError)) throw problem;
    io.stderr.write(`echolab: ${problem.message}\n`);
    return 2;
  }
}

function echolabProgram(io: CommandIO, runner: Runner): Command {
  const program = new Command('echolab')
    .description('Executable specifications for the ways to write a TCP echo server, and a judge of your own server.')
    .usage('<command> [options]')
    .version(VERSION, '-V, --version', "echolab's version")
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: () => {}, // main writes the one line
      getOutHelpWidth: () => columns(io.stdout),
      getErrHelpWidth: () => columns(io.stderr),
    })
    .configureHelp({ subcommandTerm: (command) => `${command.name()} ${command.usage()}` })
    .exitOverride()
    .addHelpText('after', `\n${modelList()}\n\nRun "echolab <command> --help" for what a command does and its options.`);
  for (const declare of [serveCommand, clientsCommand, demoCommand, checkCommand, classifyCommand, costCommand]) declare(program, runner);
  return program;
}

/** Commander's message as one line, naming the command and where its help is. */
function commandLineError(error: CommanderError, program: Command, name: string): EcholabError {
  const subcommand = program.commands.find((command) => command.name() === name);
  if (error.code === 'commander.unknownCommand') {
    return usageError(`unknown command "${name}"; the commands are: ${program.commands.map((command) => command.name()).join(', ')}`);
  }
  const message = commandLineMessage(error.message);
  return usageError(subcommand ? `${name}: ${message}; see echolab ${name} --help` : `${message}; see echolab --help`);
}

/** The terminal's width for the help, or commander's default when not writing to a terminal. */
const columns = (stream: NodeJS.WritableStream) => (stream as { columns?: number }).columns ?? 80;
