/**
 * One JUnit XML report out of several: cucumber writes one `<testsuite>` per run, and
 * `check --model all` makes a run per model. Pure: the reports' text in, one report out.
 */
const PROLOG = /^\s*<\?xml[^>]*\?>\s*/;

export function combineJunitReports(reports: string[]): string {
  const suites = reports.map((report) => report.replace(PROLOG, '').trim());
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites name="echolab check --model all">', ...suites, '</testsuites>', ''].join('\n');
}
