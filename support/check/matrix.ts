/**
 * The discrimination table: every one of echolab's own models checked, black-box, against
 * every model's specs. A row is a server, a column the specs it was checked against.
 */
import path from 'node:path';
import { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { ModelName } from '../../servers/models';
import { MODEL_NAMES, type Cell } from '../from-outside';
import { ECHOLAB_BIN, SPARE_THREADS_FOR_A_FEW_CLIENTS } from '../session';
import { runSpecs } from './run';

export interface CheckedRow {
  /** in the order of MODEL_NAMES */
  cells: Cell[];
  /** which scenario failed each check that failed, to tell a surprise from what was expected */
  failures: string[];
}

/**
 * Left out of the table, as they tell no two models apart: echo integrity is the same duty for
 * every model, and thirty clients at once are served at once exactly where three are (every
 * model is held to both on its own).
 */
const LEFT_OUT = ['@integrity', '@many-clients'];

/** The pool size echolab's thread-pool server runs with, and the one its specs are checked for. */
const WORKERS = 2;

/**
 * One row of the table, checked on a thread of its own: cucumber loads a run's steps with
 * `require`, and in a process that is itself running the specs (as `npm test` does) they are
 * loaded already, so a check there would find no steps at all.
 */
export function checkAgainstEveryModel(server: ModelName, tickMs: number): Promise<CheckedRow> {
  return new Promise((resolve, reject) => {
    const thread = new Worker(path.join(__dirname, 'matrix-thread.js'), { workerData: { server, tickMs } });
    thread.once('message', resolve);
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`the check of the ${server} server ended with status ${code} before it answered`)));
  });
}

/**
 * The server of one model checked against each model's specs, in the order of MODEL_NAMES; a
 * check stops at its first failing scenario.
 */
export async function checkRow(server: ModelName, tickMs: number): Promise<CheckedRow> {
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const command = [process.execPath, ECHOLAB_BIN, 'serve', server, '--port', '{port}'];
  // no crowd comes (many clients are left out), so a thread per client needs few threads ahead
  if (server === 'thread-per-client') command.push('--spare-threads', String(SPARE_THREADS_FOR_A_FEW_CLIENTS));
  const row: CheckedRow = { cells: [], failures: [] };
  for (const specs of MODEL_NAMES) {
    const target = { command, model: specs, workers: WORKERS };
    const { verdict, scenarios } = await runSpecs({ target, tickMs, stdout: discard, env: process.env, failFast: true, leaveOut: LEFT_OUT });
    row.cells.push(verdict === 'conforms' ? 'passes' : 'fails');
    row.failures.push(...scenarios.filter(({ status }) => status === 'FAILED').map(({ name, why }) => `${specs} specs: "${name}" failed: ${why}`));
  }
  return row;
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
