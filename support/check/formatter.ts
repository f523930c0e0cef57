/**
 * What `echolab check` prints while the specs run against someone's server: each scenario as
 * it ends (passed, failed and why, or skipped) with its warnings and its timeline, then how
 * many scenarios ended how. A cucumber formatter, so it only reads what the run reports, and
 * through the one reader of results (support/report/results.ts).
 */
import { Formatter, type IFormatterOptions } from '@cucumber/cucumber';
import type { Envelope, TestStepResultStatus } from '@cucumber/messages';
import { RunResults } from '../report/results';
import type { Outcome } from '../report/scenarios';
import { scenarioPrintout, summaryLine } from './printout';

export default class CheckFormatter extends Formatter {
  static readonly documentation = 'echolab check: each scenario with its timeline, then the summary';

  constructor(options: IFormatterOptions) {
    super(options);
    const results = new RunResults();
    const colors = { status: (outcome: Outcome) => this.colorFns.forStatus(outcome.toUpperCase() as TestStepResultStatus), location: this.colorFns.location, error: this.colorFns.errorMessage };
    options.eventBroadcaster.on('envelope', (envelope: Envelope) => {
      results.update(envelope);
      if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) {
        this.log(scenarioPrintout(results.scenarioOf(envelope.testCaseFinished.testCaseStartedId), colors));
      }
      if (envelope.testRunFinished) this.log(summaryLine(results.scenarios(), results.durationMs() ?? 0));
    });
  }
}
