import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { junitCounts, junitReport } from '../support/check/junit';
import type { ScenarioReport } from '../support/report/scenarios';

const scenario = (name: string, outcome: ScenarioReport['outcome'], reason?: string): ScenarioReport => ({
  uri: 'features/01-sequential.feature',
  name,
  line: 25,
  durationMs: 1234.6,
  tags: ['@sequential'],
  outcome,
  reason,
  steps: [],
  warnings: [],
});

describe('junitReport', () => {
  it('has a testsuite per model checked and a testcase per scenario, counted by outcome', () => {
    const report = junitReport([
      { name: 'echolab check --model sequential', scenarios: [scenario('A', 'passed'), scenario('B', 'failed', 'client B waited'), scenario('C', 'skipped')] },
      { name: 'echolab check --model async', scenarios: [scenario('D', 'passed')] },
    ]);
    assert.equal(report.match(/<\?xml/g)?.length, 1);
    assert.match(report, /<testsuite name="echolab check --model sequential" tests="3" failures="1" skipped="1" errors="0">/);
    assert.match(report, /<testsuite name="echolab check --model async" tests="1" failures="0" skipped="0" errors="0">/);
    assert.equal(report.match(/<testcase /g)?.length, 4);
    assert.match(report, /<testcase classname="features\/01-sequential.feature:25" name="B" time="1.235">\n {4}<failure message="client B waited">client B waited<\/failure>/);
    assert.match(report, /name="C" time="1.235">\n {4}<skipped message="skipped"\/>/);
  });

  it('escapes what XML reserves, and drops what it cannot hold', () => {
    const report = junitReport([{ name: 'x', scenarios: [scenario('<"A" & \'B\'>', 'failed', 'sent <binary 32 MiB>\u0001')] }]);
    assert.match(report, /name="&lt;&quot;A&quot; &amp; &apos;B&apos;&gt;"/);
    assert.match(report, /<failure message="sent &lt;binary 32 MiB&gt;">/);
  });

  it('is a valid, empty report when no model was checked', () => {
    assert.equal(junitReport([]), '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="echolab check">\n</testsuites>\n');
  });
});

describe('junitCounts', () => {
  it('counts the test cases of a report and their failures', () => {
    const report = junitReport([{ name: 'x', scenarios: [scenario('A', 'passed'), scenario('B', 'failed', 'why'), scenario('C', 'skipped')] }]);
    assert.deepEqual(junitCounts(report), { testcases: 3, failures: 1 });
    assert.deepEqual(junitCounts('<testsuites/>'), { testcases: 0, failures: 0 });
  });
});
