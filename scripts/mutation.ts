/**
 * `npm run test:mutation [part…]`: how many servers broken on purpose the course's scenarios
 * catch. StrykerJS breaks one thing at a time in a server model (a condition turned round, a
 * call left out, a number changed) and runs the scenarios about that model against it; each
 * part of the servers is run on its own, with the scenarios that should notice. It takes a
 * while (half an hour for every part on two cores), so it is not part of `npm test`.
 * Reports: reports/mutation/<part>.html, each broken copy with its fate.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { renderMarkdownTable } from '../support/markdown-table';
import { PARTS, partName, tallyMutants, type MutationReport } from './mutants';

const STRYKER = path.join('node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');

const NAMES = PARTS.map(({ file }) => partName(file)).join(', ');
const USAGE = `usage: npm run test:mutation [-- part…]   (parts: ${NAMES}; default: all)\n`;

function main(names: string[]): number {
  if (names.includes('--help') || names.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const unknown = names.filter((name) => !PARTS.some(({ file }) => partName(file) === name));
  if (unknown.length > 0) {
    process.stderr.write(`echolab: no part of the servers is called ${unknown.join(', ')}: choose from ${NAMES}\n`);
    return 2;
  }
  const chosen = names.length === 0 ? PARTS : PARTS.filter(({ file }) => names.includes(partName(file)));
  const rows: string[][] = [];
  const survivors: string[] = [];
  const unfinished: string[] = [];
  for (const { file, tags } of chosen) {
    const report = path.join('reports', 'mutation', `${partName(file)}.json`);
    fs.rmSync(report, { force: true });
    const run = spawnSync(process.execPath, [STRYKER, 'run', 'stryker.config.mjs'], {
      stdio: 'inherit',
      env: { ...process.env, ECHOLAB_MUTATE: file, ECHOLAB_MUTATION_PART: partName(file), ECHOLAB_MUTATION_TAGS: tags },
    });
    // a part that cannot be run does not cost the others theirs: each takes minutes
    if (run.status !== 0 || !fs.existsSync(report)) {
      unfinished.push(`echolab: StrykerJS did not finish ${file} (status ${run.status ?? run.signal})\n`);
      continue;
    }
    const tally = tallyMutants(JSON.parse(fs.readFileSync(report, 'utf8')) as MutationReport);
    rows.push([file, tags, String(tally.judged), String(tally.caught), `${tally.score.toFixed(0)} %`]);
    survivors.push(...tally.survivors.map((where) => `- ${file}, ${where}`));
  }
  const table = renderMarkdownTable(['part', 'scenarios run', 'mutants', 'caught', 'score'], rows);
  if (rows.length > 0) process.stdout.write(`\n${table}\n\n${survivors.length > 0 ? `Survived:\n${survivors.join('\n')}` : 'Every mutant was caught.'}\n`);
  process.stderr.write(unfinished.join(''));
  return unfinished.length > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
