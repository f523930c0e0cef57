/**
 * The reports of `npm test` (scripts/run-specs.ts): a run that finishes, passed or failed,
 * replaces them; one that is interrupted leaves the previous ones whole. Real runs of
 * cucumber on the tiny scenarios of test/fixtures/reports/, each in a folder of its own.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PACKAGE_DIR } from '../core/paths';

const RUN_SPECS = path.join(PACKAGE_DIR, 'dist', 'scripts', 'run-specs.js');
const CONFIG = path.join(PACKAGE_DIR, 'test', 'fixtures', 'reports', 'cucumber.js');
const PREVIOUS = {
  'cucumber.html': '<html>the previous run</html>\n',
  'echolab.html': '<html>the previous run, as the course reads</html>\n',
  'junit.xml': '<testsuite name="the previous run"/>\n',
  'lesson.html': '<html>the previous run, on one page</html>\n',
};
const REPORT_FILES = Object.keys(PREVIOUS);
/** A run that hangs fails instead. */
/**
 * A run of cucumber each, three to a suite: about 10 s each beside the specs and stress-ng, and
 * once past 30 s for the suite on a machine busier still.
 */
const NEVER_HANG = { timeout: 120_000 };

/** A folder whose reports/ holds the previous run's reports. */
function folderWithPreviousReports(): string {
  const folder = fs.mkdtempSync(path.join(tmpdir(), 'echolab-reports-'));
  fs.mkdirSync(path.join(folder, 'reports'));
  for (const [file, text] of Object.entries(PREVIOUS)) fs.writeFileSync(path.join(folder, 'reports', file), text);
  return folder;
}

/** The specs of one tag, run in `folder` as `npm test` runs them. */
function runSpecs(folder: string, tag: string): ChildProcess {
  // cucumber reads --config relative to the folder it runs in
  return spawn(process.execPath, [RUN_SPECS, '--config', path.relative(folder, CONFIG), '--tags', tag], { cwd: folder, stdio: ['ignore', 'ignore', 'pipe'] });
}

function ended(run: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => run.once('exit', (code, signal) => resolve({ code, signal })));
}

function stderrLine(run: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = '';
    run.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      if (text.split('\n').includes(line)) resolve();
    });
    run.once('exit', () => reject(new Error(`the run ended without writing "${line}" on stderr:\n${text}`)));
  });
}

const report = (folder: string, file: string) => fs.readFileSync(path.join(folder, 'reports', file), 'utf8');
const reportsFolder = (folder: string) => fs.readdirSync(path.join(folder, 'reports')).sort();

describe('the reports of a run of the specs', NEVER_HANG, () => {
  it('an interrupted run leaves the previous reports whole, and nothing of its own', async () => {
    const folder = folderWithPreviousReports();
    const run = runSpecs(folder, '@waits');
    try {
      await stderrLine(run, 'waiting to be interrupted'); // the run is under way, its reports half written
      const end = ended(run);
      run.kill('SIGINT');
      assert.deepEqual(await end, { code: null, signal: 'SIGINT' });
      for (const [file, text] of Object.entries(PREVIOUS)) assert.equal(report(folder, file), text, file);
      assert.deepEqual(reportsFolder(folder), REPORT_FILES);
    } finally {
      run.kill('SIGKILL');
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  for (const [tag, code, outcome] of [['@passes', 0, 'passed'], ['@fails', 1, 'failed']] as const) {
    it(`a run that ${outcome} replaces them with its own`, async () => {
      const folder = folderWithPreviousReports();
      try {
        assert.deepEqual(await ended(runSpecs(folder, tag)), { code, signal: null });
        assert.match(report(folder, 'junit.xml'), new RegExp(`<testsuite [^>]*tests="1"[^>]*failures="${code}"`));
        for (const page of ['cucumber.html', 'echolab.html', 'lesson.html']) assert.match(report(folder, page), /^<!DOCTYPE html>/, page);
        assert.match(report(folder, 'echolab.html'), new RegExp(`<article class="scenario ${outcome}"`));
        assert.deepEqual(reportsFolder(folder), REPORT_FILES);
      } finally {
        fs.rmSync(folder, { recursive: true, force: true });
      }
    });
  }
});
