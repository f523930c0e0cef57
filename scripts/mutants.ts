/**
 * The parts of the servers that `npm run test:mutation` breaks on purpose, with the scenarios
 * that should notice; and what StrykerJS's JSON report says of a part: the mutants the
 * scenarios caught, and the ones they did not.
 */
import path from 'node:path';

/** Each part of the servers, and the scenarios (a cucumber tag expression) that should catch it broken. */
export const PARTS: readonly { file: string; tags: string }[] = [
  { file: 'servers/models/sequential.ts', tags: '@sequential' },
  { file: 'servers/models/thread-per-client.ts', tags: '@thread-per-client' },
  { file: 'servers/models/thread-pool.ts', tags: '@thread-pool' },
  { file: 'servers/models/handle-client.ts', tags: '@sequential or @thread-per-client or @thread-pool' },
  { file: 'servers/models/multiplexing.ts', tags: '@multiplexing' },
  { file: 'servers/models/async.ts', tags: '@async' },
  { file: 'servers/limits.ts', tags: '@idle-timeout or @min-rate or @max-lifetime' },
];

/** A part's name: its file's, as in reports/mutation/<name>.html and `npm run test:mutation -- <name>`. */
export const partName = (file: string) => path.basename(file, '.ts');

/** The little of the mutation-testing report schema that is read here. */
export interface MutationReport {
  files: Record<string, { mutants: { mutatorName: string; replacement?: string; status: string; location: { start: { line: number } } }[] }>;
}

export interface MutantTally {
  /** mutants the scenarios ran against: caught or not (not those that did not compile, or that nothing ran) */
  judged: number;
  /** made a scenario fail, or hang */
  caught: number;
  /** where each survivor is and what it changed, as `line 12: ConditionalExpression (false)` */
  survivors: string[];
  /** caught, in per cent of judged */
  score: number;
}

const CAUGHT = new Set(['Killed', 'Timeout']);
const MISSED = new Set(['Survived', 'NoCoverage']);

export function tallyMutants(report: MutationReport): MutantTally {
  const mutants = Object.values(report.files).flatMap(({ mutants }) => mutants);
  const caught = mutants.filter(({ status }) => CAUGHT.has(status)).length;
  const missed = mutants.filter(({ status }) => MISSED.has(status));
  const judged = caught + missed.length;
  return {
    judged,
    caught,
    survivors: missed.map(({ location, mutatorName, replacement }) => `line ${location.start.line}: ${mutatorName}${replacement === undefined ? '' : ` (${replacement})`}`),
    score: judged === 0 ? 100 : (100 * caught) / judged,
  };
}
