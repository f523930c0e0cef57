/**
 * Running what one names, and nothing else: `npm test -- <cucumber arguments>` and
 * `npx cucumber-js <paths>` run the chapter, scenario or tag given, as cucumber users expect;
 * with no feature named, the gate runs every chapter. The arguments are read by cucumber's own
 * parser; the runs are cucumber's dry runs, which load every step and run none.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { PACKAGE_DIR } from '../core/paths';
import { withChapters } from '../scripts/run-specs';
import { CUCUMBER } from '../scripts/cucumber';

const run = promisify(execFile);

describe('the chapters a run of the specs is given', () => {
  it('are the ones named, by file, line or folder, whatever else is given', () => {
    for (const args of [['features/01-sequential.feature'], ['features/03-thread-pool.feature:11', '--tags', '@lesson'], ['-p', 'ts', 'features']]) {
      assert.deepEqual(withChapters(args), args);
    }
  });

  it('are every chapter where none is named, with the options given', () => {
    const every = withChapters([]);
    assert.ok(every.length > 0 && every.every((glob) => glob.startsWith('features/')));
    assert.deepEqual(withChapters(['--tags', '@lesson']), ['--tags', '@lesson', ...every]);
    assert.deepEqual(withChapters(['--name', 'slow client', '--parallel', '1']), ['--name', 'slow client', '--parallel', '1', ...every]);
  });
});

/** The scenarios cucumber-js would run for `args`, from the project's folder and its cucumber.js. */
async function scenariosRun(...args: string[]): Promise<number> {
  // one worker: a dry run has nothing to share out, and each worker would load every step file anew
  const { stdout } = await run(process.execPath, [CUCUMBER, '--dry-run', '--parallel', '1', '--format', 'summary', ...args], { cwd: PACKAGE_DIR });
  const count = /^(\d+) scenarios? \(/m.exec(stdout);
  assert.ok(count, stdout);
  return Number(count[1]);
}

describe('npx cucumber-js, with the compiled steps and with -p ts from TypeScript', { timeout: 120_000 }, () => {
  it('runs one chapter, one scenario by its line, or one tag, and nothing else', async () => {
    const chapter = await scenariosRun('features/01-sequential.feature');
    assert.ok(chapter >= 3 && chapter < 10, `chapter 1 has ${chapter} scenarios`);
    assert.equal(await scenariosRun('features/03-thread-pool.feature:11'), 1);
    const lessons = await scenariosRun('--tags', '@lesson and @sequential');
    assert.ok(lessons >= 2 && lessons < chapter + 5, `${lessons} lesson scenarios on sequential`);
  });

  it('loads every step from TypeScript with -p ts, and runs only the scenario named', async () => {
    assert.equal(await scenariosRun('-p', 'ts', 'features/03-thread-pool.feature:11'), 1);
  });
});
