/**
 * The `echolab` command: a thin layer that picks a subcommand and turns an `EcholabError`
 * into one line on stderr and exit status 2. Anything else is a bug and keeps its stack.
 */
import { EcholabError, usageError } from '../support/errors';
import type { CommandIO } from './io';
import { CHECK_USAGE, check } from './check';
import { CLASSIFY_USAGE, classify } from './classify';
import { CLIENTS_USAGE, clients } from './clients';
import { DEMO_USAGE, demo } from './demo';
import { SERVE_USAGE, serve } from './serve';

const COMMANDS: Record<string, { usage: string; run: (io: CommandIO) => Promise<number> }> = {
  serve: { usage: SERVE_USAGE, run: serve },
  clients: { usage: CLIENTS_USAGE, run: clients },
  demo: { usage: DEMO_USAGE, run: demo },
  check: { usage: CHECK_USAGE, run: check },
  classify: { usage: CLASSIFY_USAGE, run: classify },
};

const USAGE = ['usage:', ...Object.values(COMMANDS).map(({ usage }) => `  ${usage}`)].join('\n');

export async function main(io: CommandIO): Promise<number> {
  const [name, ...argv] = io.argv;
  try {
    if (name === undefined || name === '--help' || name === '-h') {
      io.stdout.write(USAGE + '\n');
      return name === undefined ? 2 : 0;
    }
    const command = COMMANDS[name];
    if (!command) throw usageError(`unknown command "${name}"; the commands are: ${Object.keys(COMMANDS).join(', ')}`);
    return await command.run({ ...io, argv });
  } catch (error) {
    if (!(error instanceof EcholabError)) throw error;
    io.stderr.write(`echolab: ${error.message}\n`);
    return 2;
  }
}
