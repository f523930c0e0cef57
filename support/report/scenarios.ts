/**
 * What echolab's own reports know of a run of the specs: every chapter (a feature file) with
 * its claim and its scenarios, each with its outcome, steps, warnings and timeline. Gathered
 * from cucumber's messages by the formatters; everything here is plain data, so the pages
 * drawn from it are tested without a run.
 */
import type { CostStep } from '../cost/verdict';
import type { Timeline } from '../timeline/types';

/** How a scenario's timeline is attached to it, for these reports to draw as they need. */
export const TIMELINE_MEDIA_TYPE = 'application/x.echolab.timeline+json';

/** How what a scenario's server cost is attached to it: the steps of a cost probe, as JSON. */
export const COST_MEDIA_TYPE = 'application/x.echolab.cost+json';

/** What a scenario's `this.log()` attaches: echolab logs only warnings. */
export const LOG_MEDIA_TYPE = 'text/x.cucumber.log+plain';

/** A chapter about echolab itself, not about the article, is tagged so: it comes after the course. */
export const TOOL_TAG = '@tool';

export type Outcome = 'passed' | 'failed' | 'skipped' | 'pending' | 'undefined' | 'ambiguous' | 'unknown';

export interface StepReport {
  keyword: string;
  text: string;
  outcome: Outcome;
}

export interface ScenarioReport {
  /** its chapter's file, e.g. features/01-sequential.feature */
  uri: string;
  name: string;
  /** where it is written in its chapter's file */
  line: number;
  /** how long it ran, from its start to its end */
  durationMs: number;
  /** its own, its Examples' and its chapter's */
  tags: string[];
  outcome: Outcome;
  /** why it failed, in a sentence or two; only for a failed scenario */
  reason?: string;
  steps: StepReport[];
  warnings: string[];
  timeline?: Timeline;
  /** what its server cost as idle clients connected, in a chapter that measures it */
  cost?: CostStep[];
}

export interface ChapterReport {
  /** the feature file, e.g. features/01-sequential.feature */
  uri: string;
  name: string;
  /** the claim: the feature's description, as written */
  description: string;
  tags: string[];
  scenarios: ScenarioReport[];
}

/** Chapters in reading order (their files are numbered), each one's scenarios in the order they are written. */
export function inReadingOrder(chapters: readonly ChapterReport[]): ChapterReport[] {
  return [...chapters]
    .sort((a, b) => a.uri.localeCompare(b.uri, 'en', { numeric: true }))
    .map((chapter) => ({ ...chapter, scenarios: [...chapter.scenarios].sort((a, b) => a.line - b.line) }));
}

export const isCourse = (chapter: ChapterReport) => !chapter.tags.includes(TOOL_TAG);

/** The chapter's number, from its file name (`01-sequential.feature`: 1), if it has one. */
export function chapterNumber(chapter: ChapterReport): number | undefined {
  const match = /(?:^|\/)(\d+)-[^/]*$/.exec(chapter.uri);
  return match ? Number(match[1]) : undefined;
}
