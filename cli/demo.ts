/**
 * `echolab demo` (`npm start`): the article's experiment against every model in turn. Three
 * clients connect at once to each server; the timelines side by side show who waited.
 */
import { Argument, Command } from 'commander';
import { MODELS, assertModelName, type ModelName } from '../servers/models';
import { articleScripts, clientNames } from '../support/clients';
import { Session } from '../support/session';
import { tickMs, tickMsFrom } from '../support/settings';
import { renderText } from '../support/timeline/render-text';
import { summarize } from '../support/timeline/summary';
import { tickOption } from './args';
import { modelList } from './help';
import type { CommandIO, Runner } from './io';

/** The specs' tick: short, so that the demo is quick. */
const DEMO_TICK_MS = 100;

/** Declares the command on `program`, which its settings (output, help, exit) come from. */
export const demoCommand = (program: Command, runner: Runner) =>
  program.command('demo')
    .summary('three clients against every model')
    .description(
      "The article's experiment: for each model, start its server, let three clients connect at " +
        'once and send "Hello" then "World!", and print the timeline of who waited for whom.',
    )
    .addArgument(new Argument('[model...]', 'the models to show (default: every one)').argParser(collectModel))
    .addOption(tickOption(DEMO_TICK_MS))
    .addHelpText('after', `\n${modelList()}`)
    .action((models: ModelName[], flags: { tickMs?: string }) => runner.run((io) => demo(models, flags, io)));

/** Commander hands a variadic argument's parser each value with the ones before it. */
const collectModel = (name: string, earlier: ModelName[] | undefined) => [...(earlier ?? []), assertModelName(name)];

async function demo(chosen: ModelName[], flags: { tickMs?: string }, { stdout, env }: CommandIO): Promise<number> {
  const models = chosen.length > 0 ? chosen : (Object.keys(MODELS) as ModelName[]);
  const tick = tickMs(flags.tickMs, '--tick-ms', tickMsFrom(env, DEMO_TICK_MS));

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
