/**
 * What `echolab check` prints while the specs run against someone's server: each scenario as
 * it ends (passed, failed and why, or skipped) with its warnings and its timeline, then
 * cucumber's summary. A cucumber formatter, so it only reads what the run reports.
 */
import { Formatter, formatterHelpers, Status, type IFormatterOptions } from '@cucumber/cucumber';
import type { Envelope, Timestamp } from '@cucumber/messages';
import { failureReason, LOG_MEDIA_TYPE } from '../report/scenarios';

const MARK: Partial<Record<string, string>> = { [Status.PASSED]: '✓', [Status.FAILED]: '✗', [Status.SKIPPED]: '-' };
const INDENT = '    ';

export default class CheckFormatter extends Formatter {
  static readonly documentation = 'echolab check: each scenario with its timeline, then the summary';
  private runStarted?: Timestamp;

  constructor(options: IFormatterOptions) {
    super(options);
    options.eventBroadcaster.on('envelope', (envelope: Envelope) => {
      if (envelope.testRunStarted) this.runStarted = envelope.testRunStarted.timestamp;
      if (envelope.testCaseFinished) this.logScenario(envelope.testCaseFinished.testCaseStartedId);
      if (envelope.testRunFinished && this.runStarted) this.logSummary(this.runStarted, envelope.testRunFinished.timestamp);
    });
  }

  private logScenario(testCaseStartedId: string): void {
    const testCaseAttempt = this.eventDataCollector.getTestCaseAttempt(testCaseStartedId);
    const { testCase, testSteps } = formatterHelpers.parseTestCaseAttempt({
      testCaseAttempt,
      snippetBuilder: this.snippetBuilder,
      supportCodeLibrary: this.supportCodeLibrary,
    });
    const status = testCase.worstTestStepResult.status;
    const color = this.colorFns.forStatus(status);
    const where = testCase.sourceLocation ? `${testCase.sourceLocation.uri}:${testCase.sourceLocation.line}` : '';
    const lines = [color(`${MARK[status] ?? '?'} ${testCase.name}`) + '  ' + this.colorFns.location(where)];
    const failed = testSteps.find((step) => step.result.status === Status.FAILED);
    if (failed) {
      const reason = failureReason(failed.result);
      lines.push(`${INDENT}${failed.keyword}${failed.text ?? 'a hook'}`, ...reason.split('\n').map((line) => INDENT + this.colorFns.errorMessage(line)));
    }
    const attachments = testSteps.flatMap((step) => step.attachments);
    for (const { body } of attachments.filter((a) => a.mediaType === LOG_MEDIA_TYPE)) lines.push(INDENT + body);
    const timelines = attachments.filter((a) => a.mediaType === 'text/plain');
    for (const { body } of timelines) lines.push('', ...body.split('\n').map((line) => INDENT + line));
    this.log(lines.join('\n') + '\n\n');
  }

  private logSummary(started: Timestamp, finished: Timestamp): void {
    const nanos = (finished.seconds - started.seconds) * 1e9 + (finished.nanos - started.nanos);
    const testRunDuration = { seconds: Math.floor(nanos / 1e9), nanos: nanos % 1e9 };
    this.log(formatterHelpers.formatSummary({ colorFns: this.colorFns, testCaseAttempts: this.eventDataCollector.getTestCaseAttempts(), testRunDuration }));
  }
}
