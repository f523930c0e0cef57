/** `echolab serve <model>`: one server model as a standalone program, like the article's scripts. */
import { assertModelName, modelProgram, threadsAhead, type ThreadedModelName } from '../servers/models';
import { main as runAsync } from '../servers/models/async';
import type { ServeOptions } from '../servers/protocol';
import { runProgram } from '../servers/runtime/threads';
import { EcholabError, usageError } from '../support/errors';
import { integerOption, parseCommandLine, portOption } from './args';
import type { CommandIO } from './io';

export const SERVE_USAGE = 'echolab serve <model> [--port N] [--workers N] [--backlog N] [--events]';

interface Output {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  events: boolean;
}

export async function serve({ argv, stdout, stderr }: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    port: { type: 'string' },
    workers: { type: 'string' },
    backlog: { type: 'string' },
    events: { type: 'boolean' },
  }, 'serve');
  if (positionals.length !== 1) throw usageError(`usage: ${SERVE_USAGE}`);
  const model = assertModelName(positionals[0]);
  if (values.workers !== undefined && model !== 'thread-pool') throw usageError('--workers applies only to thread-pool');
  const options: ServeOptions = {
    host: '127.0.0.1',
    port: portOption(values.port, 12345),
    workers: integerOption(values.workers, 'workers', { min: 1, max: 1000 }, 2),
    backlog: integerOption(values.backlog, 'backlog', { min: 1, max: 65535 }, 128),
  };
  const output: Output = { stdout, stderr, events: values.events ?? false };

  try {
    // the async model is Node's own event loop; every other one is a program on OS threads
    await (model === 'async' ? runAsync(options, output) : runThreaded(model, options, output));
    return 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new EcholabError('ECHOLAB_PORT_IN_USE', `port ${options.port} is already in use`);
    throw new EcholabError('ECHOLAB_SERVER_CRASHED', `the ${model} server stopped: ${(error as Error).message}`);
  }
}

/** Runs the model's program on OS threads; settles when its first thread ends. */
function runThreaded(model: ThreadedModelName, options: ServeOptions, { stderr, events }: Output): Promise<void> {
  return runProgram(modelProgram(model), 'main', [options], {
    ahead: threadsAhead(model, options),
    events,
    onThreadError: (thread, error) => stderr.write(`thread ${thread} ended with an error: ${error.message}\n`),
  });
}
