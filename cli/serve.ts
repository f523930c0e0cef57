/** `echolab serve <model>`: one server model as a standalone program, like the article's scripts. */
import { Argument, Command, Option } from 'commander';
import { EcholabError, usageError } from '../core/errors';
import { assertModelName, type ModelName } from '../core/models';
import { DEFAULT_SPARE_THREADS, modelProgram, threadsAhead, type ThreadedModelName } from '../servers/models';
import { main as runAsync } from '../servers/models/async';
import type { ServeOptions } from '../servers/protocol';
import { numberOption, portOption, workersOption } from './args';
import type { CommandIO, Runner } from './io';
import { modelList } from './help';

interface Output {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  events: boolean;
}

interface ServeFlags {
  port: number;
  workers: number;
  backlog: number;
  spareThreads: number;
  events?: true;
}

/** Declares the command on `program`, which its settings (output, help, exit) come from. */
export const serveCommand = (program: Command, runner: Runner) =>
  program.command('serve')
    .summary("run one of echolab's server models")
    .description(
      'Runs one server model as a program of its own, on 127.0.0.1. The first line it prints is ' +
        '"listening on 127.0.0.1:<port>"; then it logs each connection and disconnection.',
    )
    .addArgument(new Argument('<model>', 'the model to run (see Models below)').argParser(assertModelName))
    .addOption(portOption('the port to listen on; 0 picks a free one', 12345))
    .addOption(workersOption('for thread-pool: how many worker threads'))
    .addOption(numberOption('backlog', "how many connections may wait to be accepted (listen()'s backlog)", { min: 1, max: 65535 }, 128))
    .addOption(
      numberOption('spare-threads', 'for thread-per-client: threads kept started ahead, so each newcomer gets one at once', { min: 1, max: 1000 }, DEFAULT_SPARE_THREADS),
    )
    .addOption(new Option('--events', 'also write the event log on stdout, as JSON lines (accepted, recv, send, closed)'))
    .addHelpText('after', `\n${modelList()}`)
    .action((model: ModelName, flags: ServeFlags, command: Command) =>
      runner.run((io) => serve(model, flags, (name) => command.getOptionValueSource(name) === 'cli', io)),
    );

async function serve(model: ModelName, flags: ServeFlags, given: (option: string) => boolean, { stdout, stderr }: CommandIO): Promise<number> {
  if (given('workers') && model !== 'thread-pool') throw usageError('--workers applies only to thread-pool');
  if (given('spareThreads') && model !== 'thread-per-client') throw usageError('--spare-threads applies only to thread-per-client');
  const options: ServeOptions = { host: '127.0.0.1', port: flags.port, workers: flags.workers, backlog: flags.backlog };
  const output: Output = { stdout, stderr, events: flags.events ?? false };

  try {
    // the async model is Node's own event loop; every other one is a program on OS threads
    await (model === 'async' ? runAsync(options, output) : runThreaded(model, options, flags.spareThreads, output));
    return 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new EcholabError('ECHOLAB_PORT_IN_USE', `port ${options.port} is already in use`);
    throw new EcholabError('ECHOLAB_SERVER_CRASHED', `the ${model} server stopped: ${(error as Error).message}`);
  }
}

/**
 * Runs the model's program on OS threads; settles when its first thread ends. The runtime, and
 * the C library under it, is loaded here alone: every other command leaves it unloaded.
 */
async function runThreaded(model: ThreadedModelName, options: ServeOptions, spareThreads: number, { stderr, events }: Output): Promise<void> {
  const { runProgram } = await import('../servers/runtime/threads');
  return runProgram(modelProgram(model), 'main', [options], {
    ahead: threadsAhead(model, options, spareThreads),
    events,
    onThreadError: (thread, error) => stderr.write(`thread ${thread} ended with an error: ${error.message}\n`),
  });
}
