/**
 * `echolab clients`: the article's client program. Run a server in one terminal and this in
 * another: each client logs what it does as it happens, and the timeline follows at the end.
 */
import { timestamp } from '../servers/runtime/os';
import { articleScripts, clientNames, MAX_CLIENTS } from '../support/clients';
import { clientLogLine } from '../support/client-log';
import { EcholabError, usageError } from '../support/errors';
import { Session } from '../support/session';
import { tickMs, tickMsFrom } from '../support/settings';
import { renderText } from '../support/timeline/render-text';
import { summarize } from '../support/timeline/summary';
import { integerOption, parseCommandLine, portOption } from './args';
import type { CommandIO } from './io';

export const CLIENTS_USAGE = 'echolab clients [--count N] [--port N] [--tick-ms MS]';

/** By hand, a tick is the article's full second unless told otherwise. */
const LIVE_TICK_MS = 1000;

export async function clients({ argv, stdout, env }: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    count: { type: 'string' },
    port: { type: 'string' },
    'tick-ms': { type: 'string' },
  }, 'clients');
  if (positionals.length > 0) throw usageError(`usage: ${CLIENTS_USAGE}`);
  const count = integerOption(values.count, 'count', { min: 1, max: MAX_CLIENTS }, 3);
  const port = portOption(values.port, 12345);
  const session = new Session(tickMs(values['tick-ms'], '--tick-ms', tickMsFrom(env, LIVE_TICK_MS)));
  session.useRunning('127.0.0.1', port);

  const names = clientNames(count);
  await session.run(articleScripts(names), {
    onEvent: (event) => stdout.write(clientLogLine(event, names.indexOf(event.client), timestamp()) + '\n'),
  });
  const timeline = session.timeline();
  if (timeline.events.every((e) => e.kind !== 'connected')) {
    throw new EcholabError('ECHOLAB_CONNECT', `nothing is listening on 127.0.0.1:${port}; start a server first, e.g. echolab serve sequential --port ${port}`);
  }
  stdout.write(`\n${renderText(timeline)}\n${summarize(timeline)}\n`);
  return 0;
}
