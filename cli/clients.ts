/**
 * `echolab clients`: the article's client program. Run a server in one terminal and this in
 * another: each client logs what it does as it happens, with the article's pauses (a tick
 * before sending each message, and a tick before reading its echo), and the timeline follows
 * at the end.
 */
import { Command } from 'commander';
import { EcholabError } from '../core/errors';
import { timestamp } from '../core/timestamp';
import { articleProgram, clientNames, MAX_CLIENTS } from '../support/clients';
import { clientLogLine } from '../support/client-log';
import { Session } from '../support/session';
import { tickMs, tickMsFrom } from '../support/settings';
import { renderText } from '../support/timeline/render-text';
import { summarize } from '../support/timeline/summary';
import { numberOption, portOption, tickOption } from './args';
import type { CommandIO, Runner } from './io';

/** By hand, a tick is the article's full second unless told otherwise. */
const LIVE_TICK_MS = 1000;

interface ClientsFlags {
  count: number;
  port: number;
  tickMs?: string;
}

/** Declares the command on `program`, which its settings (output, help, exit) come from. */
export const clientsCommand = (program: Command, runner: Runner) =>
  program.command('clients')
    .summary("the article's client program")
    .description(
      "The article's client program: the clients connect to 127.0.0.1 at once; each sleeps a tick, " +
        'sends "Hello", sleeps a tick and reads its echo, then the same with "World!", and disconnects. ' +
        'Each logs what it does as it happens, and the timeline follows. Start a server first, e.g. echolab serve sequential.',
    )
    .addOption(numberOption('count', 'how many clients', { min: 1, max: MAX_CLIENTS }, 3))
    .addOption(portOption("the server's port", 12345))
    .addOption(tickOption(LIVE_TICK_MS))
    .action((flags: ClientsFlags) => runner.run((io) => clients(flags, io)));

async function clients({ count, port, tickMs: tick }: ClientsFlags, { stdout, env }: CommandIO): Promise<number> {
  const session = new Session(tickMs(tick, '--tick-ms', tickMsFrom(env, LIVE_TICK_MS)));
  session.useRunning('127.0.0.1', port);

  const names = clientNames(count);
  await session.run(articleProgram(names), {
    onEvent: (event) => stdout.write(clientLogLine(event, names.indexOf(event.client), timestamp()) + '\n'),
  });
  const timeline = session.timeline();
  if (timeline.events.every((e) => e.kind !== 'connected')) {
    throw new EcholabError('ECHOLAB_CONNECT', `nothing is listening on 127.0.0.1:${port}; start a server first, e.g. echolab serve sequential --port ${port}`);
  }
  stdout.write(`\n${renderText(timeline)}\n${summarize(timeline)}\n`);
  return 0;
}
