/**
 * `echolab demo` (`npm start`): the article's experiment against every model in turn. Three
 * clients connect at once to each server; the timelines side by side show who waited.
 */
import { MODELS, assertModelName, type ModelName } from '../servers/models';
import { articleScripts, clientNames } from '../support/clients';
import { Session } from '../support/session';
import { tickMs, tickMsFrom } from '../support/settings';
import { renderText } from '../support/timeline/render-text';
import { summarize } from '../support/timeline/summary';
import { parseCommandLine } from './args';
import type { CommandIO } from './io';

export const DEMO_USAGE = 'echolab demo [model…] [--tick-ms MS]';

export async function demo({ argv, stdout, env }: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { 'tick-ms': { type: 'string' } }, 'demo');
  const models = positionals.length > 0 ? positionals.map(assertModelName) : (Object.keys(MODELS) as ModelName[]);
  const tick = tickMs(values['tick-ms'], '--tick-ms', tickMsFrom(env));

  for (const model of models) {
    const session = new Session(tick);
    try {
      await session.startModel(model);
      await session.run(articleScripts(clientNames(3)));
      await session.serverLogSettled();
      const timeline = session.timeline();
      stdout.write(`\n== ${model}: ${MODELS[model]}\n\n${renderText(timeline)}\n${summarize(timeline)}\n`);
    } finally {
      await session.close();
    }
  }
  return 0;
}
