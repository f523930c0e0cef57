/**
 * `echolab classify`: probe an unknown echo server from outside and say which model it behaves
 * like, with the evidence. Exit status 0: it behaves like a model; 1: like none, or it
 * crashed under a probe's clients; 2: it could not be run.
 */
import { Command } from 'commander';
import { behavedWell, classify as decide, evidenceTable, verdictLine } from '../support/classify';
import { observe } from '../support/probes';
import { Session } from '../support/session';
import { tickMsFrom } from '../support/settings';
import { renderText } from '../support/timeline/render-text';
import { modelList } from './help';
import type { CommandIO, Runner } from './io';
import { addServerOptions, SERVER_COMMAND_USAGE, serverToRun } from './server-command';

const EXAMPLE = 'echolab classify -- python3 my_server.py --port {port}';

/** Declares the command on `program`, which its settings (output, help, exit) come from. */
export const classifyCommand = (program: Command, runner: Runner) =>
  addServerOptions(
    program.command('classify')
      .summary('say which model your server follows')
      .description(
        'Starts your server, probes it with clients of its own (how many it serves at once, in what ' +
          'order the others get in, whether an idle client or one that does not read holds up the ' +
          'rest, whether a large payload comes back whole), and prints the evidence, a timeline and ' +
          'the model it behaves like. Exit status: 0 it behaves like a model, 1 like none or it crashed ' +
          'under a probe, 2 it could not be run.',
      )
      .usage(SERVER_COMMAND_USAGE),
  )
    .addHelpText('after', `\n${modelList()}`)
    .action((_flags: unknown, parsed: Command) => runner.runWithServer((io, serverCommand) => classify(parsed, serverCommand, io)));

async function classify(parsed: Command, serverCommand: string[], { stdout, env }: CommandIO): Promise<number> {
  const server = await serverToRun(parsed, EXAMPLE, serverCommand);
  const session = new Session(tickMsFrom(env));
  try {
    await session.startCommand(server);
    stdout.write(`Probing "${server.command.join(' ')}"\n\n`);
    const observations = await observe(session, () => session.startCommand(server));
    const result = decide(observations);
    stdout.write(`${evidenceTable(observations, result)}\n\n${renderText(session.timeline())}\n\n${verdictLine(result)}\n`);
    return behavedWell(result) ? 0 : 1;
  } finally {
    await session.close();
  }
}
