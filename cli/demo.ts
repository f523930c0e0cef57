/**
 * `echolab demo` (`npm start`): the article's experiment against every model in turn. Three
 * clients connect at once to each server; the timelines, one under another on one time axis,
 * show who waited. In colour in a terminal.
 */
import type tty from 'node:tty';
import { Argument, Command } from 'commander';
import pc from 'picocolors';
import { assertModelName, MODEL_NAMES, MODELS, type ModelName } from '../core/models';
import { articleProgram, clientNames } from '../support/clients';
import { Session } from '../support/session';
import { tickMs, tickMsFrom } from '../support/settings';
import { chartEndTick } from '../support/timeline/layout';
import { renderText } from '../support/timeline/render-text';
import { summarize } from '../support/timeline/summary';
import type { Timeline } from '../support/timeline/types';
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
      "The article's experiment: for each model, start its server, let the article's client program " +
        'connect three clients at once, each sending "Hello" then "World!", and print the timeline of who waited for whom.',
    )
    .addArgument(new Argument('[model...]', 'the models to show (default: every one)').argParser(collectModel))
    .addOption(tickOption(DEMO_TICK_MS))
    .addHelpText('after', `\n${modelList()}`)
    .action((models: ModelName[], flags: { tickMs?: string }) => runner.run((io) => demo(models, flags, io)));

/** Commander hands a variadic argument's parser each value with the ones before it. */
const collectModel = (name: string, earlier: ModelName[] | undefined) => [...(earlier ?? []), assertModelName(name)];

async function demo(chosen: ModelName[], flags: { tickMs?: string }, { stdout, stderr, env }: CommandIO): Promise<number> {
  const models = chosen.length > 0 ? chosen : MODEL_NAMES;
  const tick = tickMs(flags.tickMs, '--tick-ms', tickMsFrom(env, DEMO_TICK_MS));

  const runs: { model: ModelName; timeline: Timeline }[] = [];
  for (const model of models) {
    stderr.write(`running the experiment on ${model}…\n`);
    runs.push({ model, timeline: await threeClientsOn(model, tick) });
  }
  // every chart on one axis, so that the models can be compared at a glance
  const endTick = Math.max(...runs.map(({ timeline }) => chartEndTick(timeline)));
  const paint = pc.createColors(wantsColour(stdout, env));
  const colors = { send: paint.blue, echo: paint.green, waiting: paint.yellow, error: paint.red, closing: paint.magenta, dim: paint.dim };
  for (const { model, timeline } of runs) {
    stdout.write(`\n${paint.bold(`== ${model}`)}: ${MODELS[model]}\n\n${renderText(timeline, { endTick, colors })}\n${summarize(timeline)}\n`);
  }
  return 0;
}

async function threeClientsOn(model: ModelName, tick: number): Promise<Timeline> {
  const session = new Session(tick);
  try {
    await session.startModel(model);
    await session.run(articleProgram(clientNames(3)));
    await session.serverLogSettled();
    return session.timeline();
  } finally {
    await session.close();
  }
}

/** Colour for a terminal, unless NO_COLOR says otherwise; FORCE_COLOR asks for it anywhere. */
export function wantsColour(stdout: NodeJS.WritableStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0';
  return (stdout as Partial<tty.WriteStream>).isTTY === true && env.TERM !== 'dumb';
}
