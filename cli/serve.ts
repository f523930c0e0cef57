/** `echolab serve <model>`: one server model as a standalone program, like the article's scripts. */
import { Argument, Command, Option } from 'commander';
import { EcholabError, usageError } from '../core/errors';
import { assertModelName, type ModelName } from '../core/models';
import { DEFAULT_SPARE_THREADS, MAX_THREADS, modelProgram, threadsAhead, type ThreadedModelName } from '../servers/models';
import { main as runAsync } from '../servers/models/async';
import type { ServeOptions } from '../servers/protocol';
import { numberOption, portOption, workersOption } from './args';
import { addRemedyOptions, remediesFrom, type RemedyFlags } from './remedy-options';
import type { CommandIO, Runner } from './io';
import { modelList, paragraph } from './help';

interface Output {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  events: boolean;
}

interface ServeFlags extends RemedyFlags {
  port: number;
  workers: number;
  backlog: number;
  spareThreads: number;
  maxThreads: number;
  events?: true;
}

/** Declares the command on `program`, which its settings (output, help, exit) come from. */
export const serveCommand = (program: Command, runner: Runner) =>
  addRemedyOptions(
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
      .addOption(
        numberOption(
          'max-threads',
          'for the models on OS threads: how many threads the process may have at once, its first and the spares included; ' +
            'one more fails with EAGAIN ("can\'t start new thread"), which ends a thread per client\'s accept loop',
          { min: 1, max: MAX_THREADS },
          MAX_THREADS,
        ),
      ),
    { closes: 'close a connection', takes: 'take' },
  )
    .addOption(new Option('--events', 'also write the event log on stdout, as JSON lines (accepted, recv, send, closed)'))
    .addHelpText(
      'after',
      `\n${paragraph(
        'The limits on a connection (--idle-timeout, --max-lifetime, --min-rate) count from when the server begins to serve it: ' +
          'at accept, or in a thread pool when a worker takes it from the queue. Given several, the earliest deadline wins. ' +
          'A connection past its deadline is closed, and logged as "Cut off ----- <peer> at <time> (<limit>)" in place of "Disconnected from".',
      )}\n\n${modelList()}`,
    )
    .action((model: ModelName, flags: ServeFlags, command: Command) =>
      runner.run((io) => serve(model, flags, (name) => command.getOptionValueSource(name) === 'cli', io)),
    );

async function serve(model: ModelName, flags: ServeFlags, given: (option: string) => boolean, { stdout, stderr }: CommandIO): Promise<number> {
  if (given('workers') && model !== 'thread-pool') throw usageError('--workers applies only to thread-pool');
  if (given('spareThreads') && model !== 'thread-per-client') throw usageError('--spare-threads applies only to thread-per-client');
  if (given('maxThreads') && model === 'async') throw usageError('--max-threads applies only to the models on OS threads, not async');
  const options: ServeOptions = { host: '127.0.0.1', port: flags.port, workers: flags.workers, backlog: flags.backlog, ...remediesFrom(flags, given, model) };
  const output: Output = { stdout, stderr, events: flags.events ?? false };

  // the async model is Node's own event loop; every other one is a program on OS threads
  if (model !== 'async') return runThreaded(model, options, flags, output);
  try {
    await runAsync(options, output);
    return 0;
  } catch (error) {
    throw stopped(model, options, error);
  }
}

/** What a server that stopped with `error` is said to have done, in the one line an EcholabError is. */
function stopped(model: ModelName, options: ServeOptions, error: unknown): EcholabError {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') return new EcholabError('ECHOLAB_PORT_IN_USE', `port ${options.port} is already in use`);
  return new EcholabError('ECHOLAB_SERVER_CRASHED', `the ${model} server stopped: ${(error as Error).message}`);
}

/**
 * Runs the model's program on OS threads; returns its exit status once the process may end:
 * when its first thread has ended and so have the threads that are not daemons. The runtime,
 * and the C library under it, is loaded here alone: every other command leaves it unloaded.
 */
async function runThreaded(model: ThreadedModelName, options: ServeOptions, flags: ServeFlags, { stderr, events }: Output): Promise<number> {
  const { runProgram } = await import('../servers/runtime/threads');
  let status = 0;
  try {
    await runProgram(modelProgram(model), 'main', [options], {
      ahead: threadsAhead(model, options, flags.spareThreads),
      maxThreads: flags.maxThreads,
      events,
      // the line main writes for an EcholabError, written at once, as Python prints an uncaught
      // exception at once and then waits for the threads that are not daemons
      onProgramError: (error) => {
        status = 2;
        stderr.write(`echolab: ${stopped(model, options, error).message}\n`);
      },
      onThreadError: (thread, error) => stderr.write(`thread ${thread} ended with an error: ${error.message}\n`),
    });
  } catch (error) {
    throw stopped(model, options, error); // a thread that could not even start
  }
  return status;
}
