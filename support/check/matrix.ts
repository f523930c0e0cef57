/**
 * Every model's specs against one server: a row of the discrimination table, as
 * `echolab check --model all` prints it, and the table itself for echolab's own models. A row
 * is a server, a column the specs it was checked against.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { MODEL_NAMES, serveCommandLine, type ModelName } from '../../core/models';
import type { Cell } from '../from-outside';
import { hasStopped, isRunningServer, SPARE_THREADS_FOR_A_FEW_CLIENTS, type ServerUnderCheck } from '../session';
import { runSpecs } from './run';

export interface CheckedRow {
  /** in the order of MODEL_NAMES */
  cells: Cell[];
  /** which scenario failed each check that failed, to tell a surprise from what was expected */
  failures: string[];
}

/**
 * Left out of echolab's own table, as they tell no two models apart: echo integrity is the
 * same duty for every model, and thirty clients at once are served at once exactly where
 * three are (every model is held to both on its own).
 */
const LEFT_OUT = ['@integrity', '@many-clients'];

/** The pool size echolab's thread-pool server runs with, and the one its specs are checked for. */
const WORKERS = 2;

/** One server against one model's specs: passes, fails (and the first reason why), or could not be judged. */
export interface ModelVerdict {
  specs: ModelName;
  cell: Cell | 'not run';
  why?: string;
}

export interface EveryModelOptions {
  tickMs: number;
  /** the pool size the server has, for the thread-pool specs */
  workers: number;
  env: NodeJS.ProcessEnv;
  /** tags whose scenarios to leave out */
  leaveOut?: string[];
  /** where to write a JUnit report of each model's run, if anywhere */
  junitFile?: (specs: ModelName) => string;
  /** told of each model's verdict as soon as it is known */
  onVerdict?: (verdict: ModelVerdict) => void;
}

/**
 * The server checked against each model's specs, in the order of MODEL_NAMES; each check stops
 * at its first failing scenario, which is enough to say that it fails. A running server that
 * stops leaves the models after it not run.
 */
export async function checkEveryModel(server: ServerUnderCheck, options: EveryModelOptions): Promise<ModelVerdict[]> {
  const { tickMs, workers, env, leaveOut = [], junitFile, onVerdict = () => {} } = options;
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const verdicts: ModelVerdict[] = [];
  for (const specs of MODEL_NAMES) {
    let verdict: ModelVerdict;
    if (isRunningServer(server) && hasStopped(server)) {
      verdict = { specs, cell: 'not run', why: `the server at ${server.host}:${server.port} had stopped accepting connections` };
    } else {
      const target = { ...server, model: specs, workers };
      const result = await runSpecs({ target, tickMs, stdout: discard, env, failFast: true, leaveOut, junitFile: junitFile?.(specs) });
      const failure = result.scenarios.find(({ status }) => status === 'FAILED');
      verdict = { specs, cell: result.verdict === 'conforms' ? 'passes' : 'fails', why: failure && `"${failure.name}" failed: ${failure.why}` };
    }
    verdicts.push(verdict);
    onVerdict(verdict);
  }
  return verdicts;
}

/** E.g. "fails sequential, passes thread-per-client, fails thread-pool, fails multiplexing and passes async" (or "async not run"). */
export function rowSentence(verdicts: ModelVerdict[]): string {
  const cells = verdicts.map(({ specs, cell }) => (cell === 'not run' ? `${specs} not run` : `${cell} ${specs}`));
  return cells.length < 2 ? cells.join('') : `${cells.slice(0, -1).join(', ')} and ${cells.at(-1)}`;
}

/**
 * One row of the table, checked in a process of its own: cucumber loads a run's steps with
 * `require`, and in a process that is itself running the specs (as `npm test` does) they are
 * loaded already, so a check there would find no steps at all. A process, not a thread, so
 * that the servers it starts are stopped however it ends.
 */
export function checkAgainstEveryModel(server: ModelName, tickMs: number): Promise<CheckedRow> {
  return new Promise((resolve, reject) => {
    const row = fork(path.join(__dirname, 'matrix-row.js'), [server, String(tickMs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    row.once('message', (answer) => resolve(answer as CheckedRow));
    row.once('error', reject);
    row.once('exit', (code, signal) => reject(new Error(`the check of the ${server} server ended (${signal ?? `status ${code}`}) before it answered`)));
  });
}

/** The row of echolab's own server of one model. */
export async function checkRow(server: ModelName, tickMs: number): Promise<CheckedRow> {
  // no crowd comes (many clients are left out), so a thread per client needs few threads ahead
  const command = serveCommandLine(server, { port: '{port}', spareThreads: SPARE_THREADS_FOR_A_FEW_CLIENTS });
  const verdicts = await checkEveryModel({ command }, { tickMs, workers: WORKERS, env: process.env, leaveOut: LEFT_OUT });
  return {
    cells: verdicts.map(({ cell }) => (cell === 'passes' ? 'passes' : 'fails')),
    failures: verdicts.flatMap(({ specs, why }) => (why ? [`${specs} specs: ${why}`] : [])),
  };
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
