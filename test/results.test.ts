/**
 * The one reader of results (support/report/results.ts) and what is made of it, on the
 * messages of a real run captured in test/fixtures/messages/: `echolab check --model
 * thread-pool --messages` against lifo_pool.py, a pool that serves its queue last in, first out
 * (its pictures' SVG bodies emptied, and only the chapters it ran kept, to keep the file small).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { junitReport } from '../support/check/junit';
import { rowLine, verdictOfRun } from '../support/check/matrix';
import { scenarioPrintout, summaryLine, verdictSentence } from '../support/check/printout';
import { readRuns } from '../support/report/results';

const CAPTURED = fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'messages', 'check-lifo-pool.ndjson'), 'utf8');
const [run] = readRuns(CAPTURED);
const scenarios = run.scenarios();
const named = (prefix: string) => scenarios.find(({ name }) => name.startsWith(prefix))!;

describe('the reader of results', () => {
  it('reads each scenario that ran, in the order it ran, with its outcome', () => {
    assert.deepEqual(
      scenarios.map(({ outcome, line }) => `${outcome} ${line}`),
      ['failed 11', 'skipped 25', 'failed 26', 'skipped 27', 'passed 36', 'passed 41', 'passed 39'],
    );
    assert.equal(named('A pool of 2').uri, 'features/03-thread-pool.feature');
  });

  it("gives a failed scenario one reason: the first paragraph of its failed step's message", () => {
    assert.equal(named('A pool of 2').reason, 'client D was served at tick 2.16, before client C (at tick 3.06), which connected before it');
    assert.equal(named('slow client S').reason, undefined);
  });

  it('reads its steps by keyword and text, its warnings and its timeline', () => {
    const failed = named('A pool of 2').steps.find(({ outcome }) => outcome === 'failed');
    assert.deepEqual(failed, { keyword: 'And', text: 'the clients are served in the order they connected', outcome: 'failed' });
    assert.deepEqual(named('Binary payloads').warnings, ["warning: 1 client had its first message sent again: the server's listen backlog was full"]);
    assert.deepEqual(named('A pool of 2').timeline?.clients, ['A', 'B', 'C', 'D', 'E']);
    assert.equal(named('A pool of 1').timeline, undefined);
  });

  it('gathers the scenarios by chapter, each with its name, claim and tags', () => {
    const chapters = run.chapters();
    assert.deepEqual(chapters.map(({ uri, scenarios: s }) => `${uri} ${s.length}`), ['features/03-thread-pool.feature 4', 'features/06-slow-client.feature 2', 'features/09-echo-integrity.feature 1']);
    assert.equal(chapters[0].name, 'A pool of threads serves as many clients at once as it has threads');
    assert.match(chapters[0].description, /\S/);
  });

  it('splits a file of several runs, as check --model all writes, at the start of each', () => {
    assert.equal(readRuns(CAPTURED + CAPTURED).length, 2);
    assert.deepEqual(readRuns(''), []);
  });

  it('finds an attachment of a media type in any scenario', () => {
    assert.equal(run.firstAttachment('application/x.echolab-could-not-run+json'), undefined);
    assert.match(run.firstAttachment('text/x.cucumber.log+plain') ?? '', /^warning: /);
  });
});

describe('what check makes of a run', () => {
  it('prints a failed scenario with its mark, where it is written, the step that failed, why, and its timeline', () => {
    const [heading, step, reason, blank, ruler] = scenarioPrintout(named('A pool of 2')).split('\n');
    assert.equal(heading, '✗ A pool of 2 serves 2 at a time, the rest first come, first served  features/03-thread-pool.feature:26');
    assert.equal(step, '    And the clients are served in the order they connected');
    assert.equal(reason, '    client D was served at tick 2.16, before client C (at tick 3.06), which connected before it');
    assert.equal(blank, '');
    assert.match(ruler, /^ {4}tick +0 +1/);
  });

  it('prints a skipped scenario on one line, and sums the run up', () => {
    assert.equal(scenarioPrintout(named('A pool of 1')), '- A pool of 1 serves 1 at a time, the rest first come, first served  features/03-thread-pool.feature:25\n\n');
    assert.equal(summaryLine(scenarios, 63_390.4), '7 scenarios (2 failed, 3 passed, 2 skipped)\n1m03.390s\n');
    assert.equal(verdictSentence('the thread-pool model', { verdict: 'does not conform', scenarios, serverStopped: false }), 'It does not conform to the thread-pool model: 2 of 7 scenarios failed.');
    assert.equal(verdictSentence('the thread-pool model', { verdict: 'does not conform', scenarios, serverStopped: true }), 'It does not conform to the thread-pool model: 2 of 7 scenarios failed, and 2 after the server stopped were not run.');
  });

  it("reads the model's verdict from the run, as --model all's row and JUnit report show it", () => {
    const verdict = verdictOfRun(run);
    assert.deepEqual(verdict, {
      specs: 'thread-pool',
      cell: 'fails',
      why: '"With a pool of two, the third client waits for one of the first two to leave" failed: client C got its first echo at tick 1.07, before A and B disconnected (first at tick 2.10)',
    });
    assert.equal(rowLine([verdict]), 'It fails thread-pool: it conforms to no model.');
    assert.equal(junitReport([{ name: 'x', scenarios }]).match(/<failure /g)?.length, 2);
  });
});
