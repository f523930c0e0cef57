/**
 * How `echolab check` prints a scenario once it has ended, and the run once it is over: pure,
 * a ScenarioReport in and text out, so that what a user reads is tested without a run.
 */
import type { Outcome, ScenarioReport } from '../report/scenarios';
import { renderText, type Paint } from '../timeline/render-text';
import type { CheckResult } from './run';

export interface PrintoutColors {
  status: (outcome: Outcome) => Paint;
  location: Paint;
  error: Paint;
}

const plain: Paint = (text) => text;
const PLAIN: PrintoutColors = { status: () => plain, location: plain, error: plain };
const MARK: Partial<Record<Outcome, string>> = { passed: '✓', failed: '✗', skipped: '-' };
const INDENT = '    ';

/** Its mark and name, where it is written; if it failed, the step and why; its warnings; its timeline. */
export function scenarioPrintout(scenario: ScenarioReport, colors: PrintoutColors = PLAIN): string {
  const { outcome, name, uri, line, steps, reason, warnings, timeline } = scenario;
  const lines = [`${colors.status(outcome)(`${MARK[outcome] ?? '?'} ${name}`)}  ${colors.location(`${uri}:${line}`)}`];
  if (outcome === 'failed') {
    const step = steps.find((s) => s.outcome === 'failed');
    lines.push(INDENT + (step ? `${step.keyword} ${step.text}` : 'a hook'), ...(reason ?? '').split('\n').map((text) => INDENT + colors.error(text)));
  }
  for (const warning of warnings) lines.push(INDENT + warning);
  if (timeline) lines.push('', ...renderText(timeline).split('\n').map((text) => INDENT + text));
  return `${lines.join('\n')}\n\n`;
}

/** How check ends a run of one model's specs: it conforms, or how many scenarios failed and, if the server stopped, how many were not run. */
export function verdictSentence(specs: string, { verdict, scenarios, serverStopped }: Pick<CheckResult, 'verdict' | 'scenarios' | 'serverStopped'>): string {
  if (verdict === 'conforms') return `It conforms to ${specs}.`;
  const failed = scenarios.filter(({ outcome }) => outcome === 'failed').length;
  const notRun = serverStopped ? scenarios.filter(({ outcome }) => outcome === 'skipped').length : 0;
  const notRunText = notRun > 0 ? `, and ${notRun} after the server stopped ${notRun === 1 ? 'was' : 'were'} not run` : '';
  return `It does not conform to ${specs}: ${failed} of ${scenarios.length} scenarios failed${notRunText}.`;
}

/** "6 scenarios (1 skipped, 5 passed)", then how long the run took. */
export function summaryLine(scenarios: readonly ScenarioReport[], durationMs: number): string {
  const counts = new Map<Outcome, number>();
  for (const { outcome } of scenarios) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  const parts = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([outcome, count]) => `${count} ${outcome}`);
  const seconds = durationMs / 1000;
  const time = `${Math.floor(seconds / 60)}m${(seconds % 60).toFixed(3).padStart(6, '0')}s`;
  return `${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}\n${time}\n`;
}
