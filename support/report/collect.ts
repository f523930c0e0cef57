/**
 * Gathers a run's chapters from what cucumber reported to a formatter: each scenario's last
 * attempt, its steps (hooks left out), the warnings it logged and the timeline it attached.
 */
import { formatterHelpers, Status, type IFormatterOptions } from '@cucumber/cucumber';
import { failureReason, LOG_MEDIA_TYPE, TIMELINE_MEDIA_TYPE, type ChapterReport, type Outcome, type ScenarioReport } from './scenarios';
import type { Timeline } from '../timeline/types';

type Collector = IFormatterOptions['eventDataCollector'];
type Attempt = ReturnType<Collector['getTestCaseAttempts']>[number];

export function collectChapters(collector: Collector, options: Pick<IFormatterOptions, 'snippetBuilder' | 'supportCodeLibrary'>): ChapterReport[] {
  const chapters = new Map<string, ChapterReport>();
  for (const attempt of collector.getTestCaseAttempts()) {
    if (attempt.willBeRetried) continue;
    const { gherkinDocument } = attempt;
    const uri = gherkinDocument.uri ?? attempt.pickle.uri;
    const feature = gherkinDocument.feature;
    let chapter = chapters.get(uri);
    if (!chapter) {
      chapter = { uri, name: feature?.name ?? uri, description: feature?.description ?? '', tags: feature?.tags.map((t) => t.name) ?? [], scenarios: [] };
      chapters.set(uri, chapter);
    }
    chapter.scenarios.push(scenarioOf(attempt, options));
  }
  return [...chapters.values()];
}

function scenarioOf(attempt: Attempt, options: Pick<IFormatterOptions, 'snippetBuilder' | 'supportCodeLibrary'>): ScenarioReport {
  const { testCase, testSteps } = formatterHelpers.parseTestCaseAttempt({ testCaseAttempt: attempt, ...options });
  const failed = testSteps.find((step) => step.result.status === Status.FAILED);
  const attachments = testSteps.flatMap((step) => step.attachments);
  const timeline = attachments.find((a) => a.mediaType === TIMELINE_MEDIA_TYPE);
  return {
    name: testCase.name,
    line: testCase.sourceLocation?.line ?? 0,
    tags: attempt.pickle.tags.map((tag) => tag.name),
    outcome: outcomeOf(testCase.worstTestStepResult.status),
    reason: failed && failureReason(failed.result),
    steps: testSteps.filter((step) => step.text !== undefined).map((step) => ({ keyword: step.keyword.trim(), text: step.text!, outcome: outcomeOf(step.result.status) })),
    warnings: attachments.filter((a) => a.mediaType === LOG_MEDIA_TYPE).map((a) => a.body),
    timeline: timeline && (JSON.parse(timeline.body) as Timeline),
  };
}

function outcomeOf(status: string): Outcome {
  const outcome = status.toLowerCase();
  return (['passed', 'failed', 'skipped', 'pending', 'undefined', 'ambiguous'] as const).find((known) => known === outcome) ?? 'unknown';
}
