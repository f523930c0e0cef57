/**
 * `echolab classify`: probe an unknown echo server from outside and say which model it behaves
 * like, with the evidence. Exit status 0: it behaves like a model; 1: like none, or it
 * crashed under a probe's clients; 2: it could not be run.
 */
import { behavedWell, classify as decide, evidenceTable, verdictLine } from '../support/classify';
import { observe } from '../support/probes';
import { Session } from '../support/session';
import { tickMsFrom } from '../support/settings';
import { renderText } from '../support/timeline/render-text';
import type { CommandIO } from './io';
import { parseServerCommandLine, SERVER_OPTIONS_USAGE } from './server-command';

export const CLASSIFY_USAGE = `echolab classify ${SERVER_OPTIONS_USAGE}`;

export async function classify({ argv, stdout, env }: CommandIO): Promise<number> {
  const { server } = parseServerCommandLine(argv, 'classify', CLASSIFY_USAGE, {});
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
