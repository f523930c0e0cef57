/**
 * `echolab classify`: probe an unknown echo server from outside and say which model it behaves
 * like, with the evidence, and what is wrong with its echo if anything is; where its clients
 * cannot tell two models apart, and it runs on this machine, by its threads. Exit status 0: it
 * behaves like a model and echoes right; 1: like none, its echo is wrong, or it crashed under a
 * probe's clients; 2: it could not be run.
 */
import fs from 'node:fs';
import { Command, Option } from 'commander';
import { behavedWell, classify as decide, evidenceTable, verdictLine, wantsCost } from '../support/classify';
import { observe, observeCost } from '../support/probes';
import { untilAccepting } from '../support/server-process';
import { isRunningServer, Session, type ServerUnderCheck } from '../support/session';
import { assertLinkFitsTick } from '../support/link';
import { DEFAULT_TICK_MS, tickMs, tickMsFrom } from '../support/settings';
import { renderText } from '../support/timeline/render-text';
import { outputFile, tickOption } from './args';
import { modelList } from './help';
import type { CommandIO, Runner } from './io';
import { addServerOptions, SERVER_COMMAND_USAGE, serverName, serverUnderCheck } from './server-command';

const EXAMPLE = 'echolab classify -- python3 my_server.py --port {port}';

/** Declares the command on `program`, which its settings (output, help, exit) come from. */
export const classifyCommand = (program: Command, runner: Runner) =>
  addServerOptions(
    program.command('classify')
      .summary('say which model your server follows')
      .description(
        'Starts your server (or uses one already running), probes it with clients of its own (how many it serves at once, in what ' +
          'order the others get in, whether an idle client or one that does not read holds up the ' +
          'rest, whether what comes back is what was sent, large payloads too); where clients cannot tell ' +
          'two models apart (a thread per client and async) and the server runs on this machine, it reads ' +
          'from /proc whether idle connections add threads or processes to it. It prints the evidence, a ' +
          'timeline and the model it behaves like, with what is wrong with its echo if anything is. Exit ' +
          'status: 0 it behaves like a model and echoes right, 1 like none, a wrong echo or it crashed ' +
          'under a probe, 2 it could not be run.',
      )
      .usage(SERVER_COMMAND_USAGE)
      .addOption(new Option('--json <file>', 'also write the verdict and the evidence as JSON, for a program to read'))
      .addOption(tickOption(DEFAULT_TICK_MS)),
  )
    .addHelpText('after', `\n${modelList()}`)
    .action((_flags: unknown, parsed: Command) => runner.runWithServer((io, serverCommand) => classify(parsed, serverCommand, io)));

async function classify(parsed: Command, serverCommand: string[], { stdout, env, cwd }: CommandIO): Promise<number> {
  const server = await serverUnderCheck(parsed, EXAMPLE, serverCommand);
  const flags = parsed.opts<{ json?: string; tickMs?: string }>();
  const json = outputFile('--json', flags.json, cwd);
  const writeJson = (content: object) => json !== undefined && fs.writeFileSync(json, `${JSON.stringify(content, null, 2)}\n`);
  const session = new Session(tickMs(flags.tickMs, '--tick-ms', tickMsFrom(env)));
  try {
    const start = startingAnew(session, server);
    await start();
    stdout.write(`Probing ${serverName(server)}\n\n`);
    const fromOutside = await observe(session, start);
    const observations = wantsCost(fromOutside) ? { ...fromOutside, cost: await observeCost(session, server, fromOutside) } : fromOutside;
    const result = decide(observations);
    stdout.write(`${evidenceTable(observations, result)}\n\n${renderText(session.timeline())}\n\n${verdictLine(result)}\n`);
    writeJson({ classification: result, observations });
    return behavedWell(result) ? 0 : 1;
  } catch (error) {
    if (!(error instanceof RunningServerStopped)) throw error;
    stdout.write(`${renderText(session.timeline())}\n\n${error.message}\n`);
    writeJson({ stopped: error.message });
    return 1;
  } finally {
    await session.close();
  }
}

/** A running server that a probe stopped: nothing can start it again for the probes after it. */
class RunningServerStopped extends Error {}

/**
 * How to have a fresh server, first and after a probe's clients crash it: start the command
 * again, or, for a server already running, wait for it the first time and give up after.
 */
function startingAnew(session: Session, server: ServerUnderCheck & { startupTimeoutMs: number }): (why?: string) => Promise<void> {
  if (!isRunningServer(server)) return () => session.startCommand(server);
  let started = false;
  return async (why) => {
    if (started) throw new RunningServerStopped(`It crashed: ${why}. It was running before echolab came, so nothing can start it again: the probes after it were not run, and there is no verdict.`);
    await untilAccepting(server.host, server.port, server.startupTimeoutMs);
    // a server on another host: is the link quick enough for the tick?
    await assertLinkFitsTick(server.host, server.port, session.tickMs, server.startupTimeoutMs);
    session.useRunning(server.host, server.port, { judged: true });
    started = true;
  };
}
