/** `echolab serve <model>`: one server model as a standalone program, like the article's scripts. */
import { Kernel } from '../servers/kernel';
import { assertModelName, modelProgram } from '../servers/models';
import type { ServeOptions } from '../servers/protocol';
import { EcholabError, usageError } from '../support/errors';
import { integerOption, parseCommandLine, portOption } from './args';
import type { CommandIO } from './io';

export const SERVE_USAGE = 'echolab serve <model> [--port N] [--workers N] [--events]';

export function serve({ argv, stdout, stderr }: CommandIO): Promise<number> {
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

  return new Promise((resolve, reject) => {
    const kernel = new Kernel({
      events: values.events ?? false,
      stdout,
      stderr,
      onExit: (error) => {
        void kernel.shutdown();
        const code = (error as NodeJS.ErrnoException | undefined)?.code;
        if (code === 'EADDRINUSE') reject(new EcholabError('ECHOLAB_PORT_IN_USE', `port ${options.port} is already in use`));
        else if (error) reject(new EcholabError('ECHOLAB_SERVER_CRASHED', `the ${model} server stopped: ${error.message}`));
        else resolve(0);
      },
    });
    kernel.startThread(modelProgram(model), 'main', [options]);
  });
}
