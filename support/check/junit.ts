/**
 * `echolab check --junit`: the results as a JUnit XML report, the form most CI systems show as
 * test results. One `<testsuite>` per model checked (`--model all` checks several), one
 * `<testcase>` per scenario, its failure the same reason check prints. Pure: the runs' scenario
 * reports in, the report's text out.
 */
import type { ScenarioReport } from '../report/scenarios';

export interface JunitSuite {
  /** e.g. "echolab check --model sequential" */
  name: string;
  scenarios: readonly ScenarioReport[];
}

/** The suite of one model's specs. */
export const checkSuiteName = (model: string) => `echolab check --model ${model}`;

export function junitReport(suites: readonly JunitSuite[]): string {
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites name="echolab check">', ...suites.map(suite), '</testsuites>', ''].join('\n');
}

function suite({ name, scenarios }: JunitSuite): string {
  const count = (outcome: string) => scenarios.filter((s) => s.outcome === outcome).length;
  const head = `<testsuite name="${xml(name)}" tests="${scenarios.length}" failures="${count('failed')}" skipped="${count('skipped')}" errors="0">`;
  return [head, ...scenarios.map(testcase), '</testsuite>'].join('\n');
}

function testcase({ uri, line, name, outcome, reason, durationMs }: ScenarioReport): string {
  const open = `  <testcase classname="${xml(`${uri}:${line}`)}" name="${xml(name)}" time="${(durationMs / 1000).toFixed(3)}"`;
  if (outcome === 'passed') return `${open}/>`;
  const inner = outcome === 'failed' ? `<failure message="${xml(reason ?? 'failed')}">${xml(reason ?? 'failed')}</failure>` : `<skipped message="${outcome}"/>`;
  return `${open}>\n    ${inner}\n  </testcase>`;
}

/** How many test cases a JUnit report holds, and how many of them failed, as a CI system counts them. */
export function junitCounts(report: string): { testcases: number; failures: number } {
  return { testcases: report.match(/<testcase\b/g)?.length ?? 0, failures: report.match(/<failure\b/g)?.length ?? 0 };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// characters XML 1.0 does not allow at all, even escaped, are dropped
const xml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
