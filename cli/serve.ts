/** `echolab serve <model>`: one server model as a standalone program, like the article's scripts. */
import { Kernel } from '../servers/kernel';
import { assertModelName, modelProgram, type KernelModelName } from '../servers/models';
import { main as runAsync } from '../servers/models/async';
import type { ServeOptions } from '../servers/protocol';
import { EcholabError, usageError } from '../support/errors';
import { integerOption, parseCommandLine, portOption } from './args';
import type { CommandIO } from './io';

export const SERVE_USAGE = 'echolab serve <model> [--port N] [--workers N] [--events]';

interface Output {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  events: boolean;
}

export async function serve({ argv, stdout, stderr }: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    port: { type: 'string' },
    workers: { type: 'string' },
    events: { type: 'boolean' },
  }, 'serve');
  if (positionals.length !== 1) throw usageError(`usage: ${SERVE_USAGE}`);
  const model = assertModelName(positionals[0]);
  if (values.workers !== undefined && model !== 'thread-pool') throw usageError('--workers applies only to thread-pool');
  const options: ServeOptions = {
    host: '127.0.0.1',
    port: portOption(values.port, 12345),
    workers: integerOption(values.workers, 'workers', { min: 1, max: 1000 }, 2),
  };
  const output: Output = { stdout, stderr, events: values.events ?? false };

  try {
    // the async model is Node's own event loop; every other one is a program on the kernel's threads
    await (model === 'async' ? runAsync(options, output) : runOnKernel(model, options, output));
    return 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new EcholabError('ECHOLAB_PORT_IN_USE', `port ${options.port} is already in use`);
    throw new EcholabError('ECHOLAB_SERVER_CRASHED', `the ${model} server stopped: ${(error as Error).message}`);
  }
}

/** Runs the model's program on kernel threads; settles when its first thread ends. */
function runOnKernel(model: KernelModelName, options: ServeOptions, output: Output): Promise<void> {
  return new Promise((resolve, reject) => {
    const kernel = new Kernel({
      ...output,
      onExit: (error) => {
        void kernel.shutdown();
        if (error) reject(error);
        else resolve();
      },
    });
    kernel.startThread(modelProgram(model), 'main', [options]);
  });
}
