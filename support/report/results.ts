/**
 * The one reader of a run's results: cucumber's messages in, as a run reports them or as
 * `echolab check --messages` wrote them, and plain ScenarioReports out. Everything echolab
 * makes of a run reads them here: check's printout, its verdict, `--model all`'s row, its JUnit
 * report, the HTML pages, and the specs of echolab itself. So a scenario has one outcome and
 * one reason why it failed, wherever it is shown. Built on cucumber's own @cucumber/query.
 */
import type { Duration, Envelope, TestCaseStarted, TestStepResult } from '@cucumber/messages';
import { Query } from '@cucumber/query';
import type { CostStep } from '../cost/verdict';
import type { Timeline } from '../timeline/types';
import { COST_MEDIA_TYPE, LOG_MEDIA_TYPE, TIMELINE_MEDIA_TYPE, type ChapterReport, type Outcome, type ScenarioReport } from './scenarios';

export class RunResults {
  private readonly query = new Query();

  update(envelope: Envelope): void {
    this.query.update(envelope);
  }

  /** Every scenario that has finished, in the order they started; a retried one by its last attempt. */
  scenarios(): ScenarioReport[] {
    return this.lastAttempts().map((started) => this.report(started));
  }

  /** The scenario that one finished test case played, for a printout as the run goes. */
  scenarioOf(testCaseStartedId: string): ScenarioReport {
    const started = this.query.findAllTestCaseStarted().find(({ id }) => id === testCaseStartedId);
    if (!started) throw new Error(`no test case started as ${testCaseStartedId}`);
    return this.report(started);
  }

  /** The scenarios by chapter (feature file), in the order the chapters were first met. */
  chapters(): ChapterReport[] {
    const chapters = new Map<string, ChapterReport>();
    for (const started of this.lastAttempts()) {
      const pickle = this.query.findPickleBy(started)!;
      const feature = this.query.findLineageBy(pickle)?.feature;
      let chapter = chapters.get(pickle.uri);
      if (!chapter) {
        chapter = { uri: pickle.uri, name: feature?.name ?? pickle.uri, description: feature?.description ?? '', tags: feature?.tags.map((t) => t.name) ?? [], scenarios: [] };
        chapters.set(pickle.uri, chapter);
      }
      chapter.scenarios.push(this.report(started));
    }
    return [...chapters.values()];
  }

  /** The body of the first attachment of this media type, in any scenario. */
  firstAttachment(mediaType: string): string | undefined {
    for (const started of this.query.findAllTestCaseStarted()) {
      for (const [finished] of this.query.findTestStepFinishedAndTestStepBy(started)) {
        const found = this.query.findAttachmentsBy(finished).find((a) => a.mediaType === mediaType);
        if (found) return found.body;
      }
    }
    return undefined;
  }

  /** How long the run took, in ms, once it has finished. */
  durationMs(): number | undefined {
    const duration = this.query.findTestRunDuration();
    return duration && millis(duration);
  }

  /** The test cases that have finished, each scenario's last attempt only. */
  private lastAttempts(): TestCaseStarted[] {
    return this.query.findAllTestCaseStarted().filter((started) => {
      const finished = this.query.findTestCaseFinishedBy(started);
      return finished !== undefined && !finished.willBeRetried;
    });
  }

  private report(started: TestCaseStarted): ScenarioReport {
    const pickle = this.query.findPickleBy(started)!;
    const steps = this.query.findTestStepFinishedAndTestStepBy(started);
    const attachments = steps.flatMap(([finished]) => this.query.findAttachmentsBy(finished));
    const timeline = attachments.find((a) => a.mediaType === TIMELINE_MEDIA_TYPE);
    const cost = attachments.find((a) => a.mediaType === COST_MEDIA_TYPE);
    const failed = steps.find(([finished]) => finished.testStepResult.status === 'FAILED');
    const worst = this.query.findMostSevereTestStepResultBy(started);
    const stepReports = steps.flatMap(([finished, step]) => {
      const pickleStep = this.query.findPickleStepBy(step);
      if (!pickleStep) return []; // a hook
      const keyword = this.query.findStepBy(pickleStep)?.keyword.trim() ?? '';
      return [{ keyword, text: pickleStep.text, outcome: outcomeOf(finished.testStepResult.status) }];
    });
    return {
      uri: pickle.uri,
      name: pickle.name,
      line: this.query.findLocationOf(pickle)?.line ?? 0,
      durationMs: millis(this.query.findTestCaseDurationBy(started)),
      tags: pickle.tags.map((tag) => tag.name),
      outcome: outcomeOf(worst?.status ?? 'UNKNOWN'),
      reason: failed && failureReason(failed[0].testStepResult),
      steps: stepReports,
      warnings: attachments.filter((a) => a.mediaType === LOG_MEDIA_TYPE).map((a) => a.body),
      timeline: timeline && (JSON.parse(timeline.body) as Timeline),
      ...(cost && { cost: JSON.parse(cost.body) as CostStep[] }),
    };
  }
}

/**
 * The runs in a file of messages, in order: `check --model all` writes one run per model into
 * one file, each starting with its own `meta`.
 */
export function readRuns(ndjson: string): RunResults[] {
  const runs: RunResults[] = [];
  for (const line of ndjson.split('\n')) {
    if (line.trim() === '') continue;
    const envelope = JSON.parse(line) as Envelope;
    if (envelope.meta || runs.length === 0) runs.push(new RunResults());
    runs.at(-1)!.update(envelope);
  }
  return runs;
}

const millis = (duration: Duration | undefined) => (duration ? duration.seconds * 1000 + duration.nanos / 1e6 : 0);

/** Why a step failed: a verdict's message is a sentence, then the timeline it was read from, and the sentence says why. */
export const failureReason = (result: Pick<TestStepResult, 'message' | 'exception'>) =>
  (result.exception?.message ?? result.message ?? 'failed').split('\n\n')[0];

function outcomeOf(status: string): Outcome {
  const outcome = status.toLowerCase();
  return (['passed', 'failed', 'skipped', 'pending', 'undefined', 'ambiguous'] as const).find((known) => known === outcome) ?? 'unknown';
}
