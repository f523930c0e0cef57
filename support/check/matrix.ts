/**
 * The discrimination table: every one of echolab's own models checked, black-box, against
 * every model's specs. A row is a server, a column the specs it was checked against.
 */
import { Writable } from 'node:stream';
import type { ModelName } from '../../servers/models';
import { MODEL_NAMES, type Cell } from '../from-outside';
import { ECHOLAB_BIN } from '../session';
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
 * One row of the table: the server of one model checked against each model's specs, in the
 * order of MODEL_NAMES; a check stops at its first failing scenario.
 */
export async function checkAgainstEveryModel(server: ModelName, tickMs: number): Promise<CheckedRow> {
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const command = [process.execPath, ECHOLAB_BIN, 'serve', server, '--port', '{port}'];
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
