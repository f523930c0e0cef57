/**
 * Every model's specs against one server: a row of the discrimination table, as
 * `echolab check --model all` prints it, and the table itself for echolab's own models. A row
 * is a server, a column the specs it was checked against.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { Writable } from 'node:stream';
import { MODEL_NAMES, type ModelName } from '../../core/models';
import type { Cell, CheckedRow } from '../from-outside';
import { startTracked } from '../processes';
import { hasStopped, isRunningServer, type ServerUnderCheck, type Session } from '../session';
import type { RunResults } from '../report/results';
import type { ScenarioReport } from '../report/scenarios';
import { runSpecs } from './run';

/**
 * Left out of echolab's own table: echo integrity and many clients, as they tell no two models
 * apart (integrity is the same duty for every model, and thirty clients at once are served at
 * once exactly where three are; every model is held to both on its own); and what this machine
 * sees of a server's threads, as the table is of what clients can tell.
 */
const LEFT_OUT = ['@integrity', '@many-clients', '@same-machine'];

/** The pool size echolab's thread-pool server runs with by default, and the one its specs are checked for. */
const WORKERS = 2;

/** One server against one model's specs: passes, fails (and the first reason why), or could not be judged. */
export interface ModelVerdict {
  specs: ModelName;
  cell: Cell | 'not run';
  why?: string;
  /** what each scenario run came to (none if the specs were not run) */
  scenarios: ScenarioReport[];
}

export interface EveryModelOptions {
  tickMs: number;
  /** the pool size the server has, for the thread-pool specs */
  workers: number;
  env: NodeJS.ProcessEnv;
  /** tags whose scenarios to leave out */
  leaveOut?: string[];
  /** a file to append every run's cucumber messages to, if any */
  messagesFile?: string;
  /** told of each model's verdict as soon as it is known */
  onVerdict?: (verdict: ModelVerdict) => void;
}

/**
 * The server checked against each model's specs, in the order of MODEL_NAMES; each check stops
 * at its first failing scenario, which is enough to say that it fails. A running server that
 * stops leaves the models after it not run.
 */
export async function checkEveryModel(server: ServerUnderCheck, options: EveryModelOptions): Promise<ModelVerdict[]> {
  const { tickMs, workers, env, leaveOut = [], messagesFile, onVerdict = () => {} } = options;
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const verdicts: ModelVerdict[] = [];
  for (const specs of MODEL_NAMES) {
    let verdict: ModelVerdict;
    if (isRunningServer(server) && hasStopped(server)) {
      verdict = { specs, cell: 'not run', why: `the server at ${server.host}:${server.port} had stopped accepting connections`, scenarios: [] };
    } else {
      const target = { ...server, model: specs, workers };
      const { verdict: conforms, scenarios } = await runSpecs({ target, tickMs, stdout: discard, env, failFast: true, leaveOut, messagesFile });
      verdict = { specs, cell: conforms === 'conforms' ? 'passes' : 'fails', why: whyItFailed(scenarios), scenarios };
    }
    verdicts.push(verdict);
    onVerdict(verdict);
  }
  return verdicts;
}

/** E.g. "fails sequential, passes thread-per-client, fails thread-pool, fails multiplexing and passes async" (or "async not run"). */
export function rowSentence(verdicts: readonly Omit<ModelVerdict, 'scenarios'>[]): string {
  const cells = verdicts.map(({ specs, cell }) => (cell === 'not run' ? `${specs} not run` : `${cell} ${specs}`));
  return cells.length < 2 ? cells.join('') : `${cells.slice(0, -1).join(', ')} and ${cells.at(-1)}`;
}

/**
 * One row of the table: echolab's own server of one model, started once in `session` and
 * checked against every model's specs where it listens, as a server someone else runs is
 * checked. It is echolab's own and never dies of a client, so a fresh instance for every
 * scenario would only add a start to each.
 *
 * A thread-per-client server that serves scenario after scenario keeps more threads spare than
 * one that serves a single scenario: the few clients of a scenario then never take half of
 * them, so no replacement starts, and their threads are spares again once they leave.
 * Replacements started at once would take the CPU from the next scenario's clients.
 *
 * The check runs in a process of its own, because cucumber loads a run's steps with `require`,
 * and in a process that is itself running the specs (as `npm test` does) they are loaded
 * already, so a check there would find no steps at all.
 */
export async function measureRow(session: Session, model: ModelName): Promise<CheckedRow> {
  await session.startModel(model, { spareThreads: SPARE_THREADS_FOR_MANY_SCENARIOS });
  const { host, port } = session.serverAddress!;
  return new Promise((resolve, reject) => {
    // killed when the scenario ends; and if this process goes first, its channel closes and it ends too
    const row = startTracked(() => fork(path.join(__dirname, 'matrix-row.js'), [host, String(port), String(session.tickMs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }), {
      kill: (child) => child.kill('SIGKILL'),
      stop: async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGKILL');
        await once(child, 'close');
      },
    });
    row.once('message', (answer) => resolve(answer as CheckedRow));
    row.once('error', reject);
    row.once('exit', (code, signal) => reject(new Error(`the check of the ${model} server ended (${signal ?? `status ${code}`}) before it answered`)));
  });
}

/** Twice the threads that one scenario's clients can take at once (five), as measureRow needs. */
const SPARE_THREADS_FOR_MANY_SCENARIOS = 16;

/** The row of the server at `address`, as measureRow asks for it. */
export async function checkRow(address: { host: string; port: number }, tickMs: number): Promise<CheckedRow> {
  const verdicts = await checkEveryModel(address, { tickMs, workers: WORKERS, env: process.env, leaveOut: LEFT_OUT });
  return {
    cells: verdicts.map(({ cell }) => (cell === 'passes' ? 'passes' : 'fails')),
    failures: verdicts.flatMap(({ specs, why }) => (why ? [`${specs} specs: ${why}`] : [])),
  };
}

/** How `check --model all` ends: the server's row, and the models it conforms to. */
export function rowLine(verdicts: readonly Omit<ModelVerdict, 'scenarios'>[]): string {
  const passes = verdicts.filter(({ cell }) => cell === 'passes').map(({ specs }) => specs);
  return `It ${rowSentence(verdicts)}: ${passes.length === 0 ? 'it conforms to no model' : `it conforms to ${passes.join(' and ')}`}.`;
}

/**
 * A model's verdict as a run's messages tell it: the run's scenarios carry its model's tag, and
 * it passes when none of them failed.
 */
export function verdictOfRun(run: RunResults): Omit<ModelVerdict, 'scenarios'> {
  const scenarios = run.scenarios();
  const specs = MODEL_NAMES.find((model) => scenarios.some(({ tags }) => tags.includes(`@${model}`)));
  if (!specs) throw new Error('a run of the specs with no scenario of any model');
  const why = whyItFailed(scenarios);
  return { specs, cell: why ? 'fails' : 'passes', why };
}

/** The first failed scenario and its reason, as a row names them. */
function whyItFailed(scenarios: readonly ScenarioReport[]): string | undefined {
  const failure = scenarios.find(({ outcome }) => outcome === 'failed');
  return failure && `"${failure.name}" failed: ${failure.reason}`;
}

/** The rows of the first Markdown table in `text` whose header starts with `firstHeader`, separator line left out. */
export function markdownTable(text: string, firstHeader: string): string[][] | undefined {
  const lines = text.split('\n');
  const cells = (line: string) => line.trim().replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
  const start = lines.findIndex((line) => line.trim().startsWith('|') && cells(line)[0] === firstHeader);
  if (start < 0) return undefined;
  const end = lines.findIndex((line, i) => i > start && !line.trim().startsWith('|'));
  return lines.slice(start, end < 0 ? undefined : end).filter((line) => !/^\|[\s:|-]+\|$/.test(line.trim())).map(cells);
}
