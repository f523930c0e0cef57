/**
 * `echolab cost`: what a server's processes cost this machine as idle connections are added,
 * read from /proc. Exit status 0: measured; 2: it could not be (bad input, a server that
 * would not start or serve, one on another machine or whose process cannot be seen).
 */
import fs from 'node:fs';
import { Command, Option } from 'commander';
import { usageError } from '../core/errors';
import { costPrintout } from '../support/cost/printout';
import { checkSteps, DEFAULT_STEPS, measureCost, STEPS_RULE } from '../support/cost/probe';
import { outputFile } from './args';
import { paragraph } from './help';
import type { CommandIO, Runner } from './io';
import { addServerOptions, SERVER_COMMAND_USAGE, serverUnderCheck } from './server-command';

const EXAMPLE = 'echolab cost -- python3 my_server.py --port {port}';

/** Declares the command on `program`, which its settings (output, help, exit) come from. */
export const costCommand = (program: Command, runner: Runner) =>
  addServerOptions(
    program.command('cost')
      .summary("measure what your server's processes cost per idle connection")
      .description(
        'Starts your server (or finds the one running at --host and --port by its listening socket), opens idle ' +
          'connections to it in steps, and after each step, once it has gone quiet, reads from /proc what its process and ' +
          'the processes under it hold: OS threads, processes, memory (the PSS of stacks and heaps) and open files. Prints the steps, ' +
          'the growth per connection and what it looks like (a thread per client, a process per client, one thread ' +
          'for all connections). Linux, and a server on this machine, only. Exit status: 0 measured, 2 it could not be.',
      )
      .usage(SERVER_COMMAND_USAGE)
      .addOption(new Option('--connections <list>', `the steps: how many idle connections to measure at, ${STEPS_RULE}`).default([...DEFAULT_STEPS], DEFAULT_STEPS.join(',')).argParser(steps))
      .addOption(new Option('--json <file>', 'also write the steps, the growth per connection and the verdict as JSON, for a program to read')),
  )
    .addHelpText('after', `\n${paragraph('The connections are idle: they connect and send nothing. A step is measured once the server has done with them whatever it does (accepted them, started threads or processes for them, or nothing) and gone quiet, so a server that serves fewer clients at once (sequential, a pool) is measured as well. A server whose listen backlog will not take a step\'s connections within 10 s cannot be held with that many, and the command says so.')}`)
    .action((_flags: unknown, parsed: Command) => runner.runWithServer((io, serverCommand) => cost(parsed, serverCommand, io)));

/** `--connections 0,10,100` as numbers; anything else is a usage error. */
function steps(value: string): number[] {
  const counts = value.split(',').map((count) => (/^\d+$/.test(count.trim()) ? Number(count) : NaN));
  try {
    checkSteps(counts);
  } catch {
    throw usageError(`--connections must be ${STEPS_RULE}, not "${value}"`);
  }
  return counts;
}

async function cost(parsed: Command, serverCommand: string[], { stdout, stderr, cwd }: CommandIO): Promise<number> {
  const server = await serverUnderCheck(parsed, EXAMPLE, serverCommand);
  const { connections, json } = parsed.opts<{ connections: number[]; json?: string }>();
  const file = outputFile('--json', json, cwd);
  const outcome = await measureCost(server, connections);
  if (file !== undefined) fs.writeFileSync(file, `${JSON.stringify(outcome, null, 2)}\n`);
  if (!outcome.seen) {
    // not a mistake of the user's, but the same one line and status as a server that could not be run
    stderr.write(`echolab: ${outcome.why}\n`);
    return 2;
  }
  stdout.write(`${costPrintout(outcome.probe)}\n`);
  return 0;
}
