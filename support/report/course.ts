/**
 * reports/echolab.html: the run as the course reads, chapter after chapter in order, each with
 * its claim and every scenario open, its timeline in view, its steps, and pass or fail at a
 * glance; a failed scenario says why first. Nothing is folded away, so the page reads as is.
 */
import { costSlopes, memory, type CostStep } from '../cost/verdict';
import { renderSvg } from '../timeline/render-svg';
import { BASE_STYLE, escapeHtml, inline, page, prose } from './html';
import { chapterNumber, inReadingOrder, isCourse, type ChapterReport, type Outcome, type ScenarioReport } from './scenarios';

export interface CourseOptions {
  /** the page to start from, linked at the top */
  lessonHref: string;
}

const MARK: Record<Outcome, string> = { passed: '✓', failed: '✗', skipped: '–', pending: '?', undefined: '?', ambiguous: '?', unknown: '?' };

const STYLE = `${BASE_STYLE}
.start { font-size: 1.15em; background: #eef5fc; border-left: 4px solid #1f5fa0; padding: 0.6rem 1rem; }
.totals.failed { color: #b42318; font-weight: bold; }
nav ol { columns: 2; padding-left: 1.5rem; }
.part { font-size: 0.9em; text-transform: uppercase; letter-spacing: 0.08em; color: #666; margin-top: 3rem; border-bottom: 1px solid #ddd; }
.chapter { margin-top: 2.5rem; }
.claim { color: #333; }
.scenario { border: 1px solid #ddd; border-left: 6px solid #2a9d3a; border-radius: 4px; padding: 0.4rem 1rem 0.6rem; margin: 1.2rem 0; }
.scenario.failed { border-left-color: #d62728; background: #fff8f7; }
.scenario.skipped, .scenario.pending, .scenario.undefined, .scenario.ambiguous, .scenario.unknown { border-left-color: #aaa; }
.scenario h3 { font-size: 1.02em; margin: 0.4rem 0; }
.outcome { font-weight: bold; color: #2a9d3a; margin-right: 0.4em; }
.failed .outcome { color: #d62728; }
.reason { white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 0.9em; color: #8a1c12; background: #fdecea; padding: 0.4rem 0.6rem; border-radius: 3px; }
.warnings { color: #8a5a00; }
.timeline { margin: 0.6rem 0; overflow-x: auto; }
.steps { list-style: none; padding-left: 0; margin: 0.3rem 0; font-size: 0.95em; }
.step::before { content: '✓'; color: #2a9d3a; display: inline-block; width: 1.3em; }
.step.failed::before { content: '✗'; color: #d62728; }
.step.skipped::before, .step.pending::before, .step.undefined::before, .step.ambiguous::before, .step.unknown::before { content: '–'; color: #999; }
.step.skipped { color: #888; }
.keyword { font-weight: bold; }
.cost { border-collapse: collapse; margin: 1rem 0; }
.cost caption { text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
.cost th, .cost td { border: 1px solid #ddd; padding: 0.2rem 0.6rem; }
.cost td:not(:first-child) { text-align: right; }
`;

export function renderCourseReport(chapters: readonly ChapterReport[], { lessonHref }: CourseOptions): string {
  const ordered = inReadingOrder(chapters);
  const scenarios = ordered.flatMap((chapter) => chapter.scenarios);
  const failed = scenarios.filter((s) => s.outcome === 'failed').length;
  const counts = (['passed', 'failed', 'skipped'] as const).map((o) => [o, scenarios.filter((s) => s.outcome === o).length] as const).filter(([, n]) => n > 0);
  const course = ordered.filter(isCourse);
  const tool = ordered.filter((chapter) => !isCourse(chapter));
  const body = [
    '<header>',
    '<h1>echolab: the specs, as run</h1>',
    `<p class="start"><a href="${escapeHtml(lessonHref)}">Start here: the whole lesson on one page</a>: the article's three clients, and slow clients, on every model, from this run.</p>`,
    `<p class="totals${failed > 0 ? ' failed' : ''}">${scenarios.length} scenarios: ${counts.map(([o, n]) => `${n} ${o}`).join(', ')}</p>`,
    `<nav><ol>${ordered.map((chapter) => `<li><a href="#${anchor(chapter)}">${escapeHtml(chapter.name)}</a> ${tally(chapter)}</li>`).join('')}</ol></nav>`,
    '</header>',
    '<main>',
    ...(course.length > 0 ? ['<p class="part">The course</p>', ...course.map(chapterSection)] : []),
    ...(tool.length > 0 ? ['<p class="part">Checking your own server</p>', ...tool.map(chapterSection)] : []),
    '</main>',
  ].join('\n');
  return page('echolab: the specs, as run', STYLE, body);
}

const fileName = (chapter: ChapterReport) => chapter.uri.split('/').at(-1)!.replace(/\.feature$/, '');
const anchor = (chapter: ChapterReport) => `chapter-${fileName(chapter)}`;

function tally(chapter: ChapterReport): string {
  const failed = chapter.scenarios.filter((s) => s.outcome === 'failed').length;
  return failed > 0 ? `<span class="failed">✗ ${failed} failed</span>` : `<span>✓</span>`;
}

function chapterSection(chapter: ChapterReport): string {
  const number = chapterNumber(chapter);
  return [
    `<section class="chapter" id="${anchor(chapter)}" data-chapter="${escapeHtml(fileName(chapter))}" data-course="${isCourse(chapter)}">`,
    `<h2>${number === undefined ? '' : `${number}. `}${escapeHtml(chapter.name)}</h2>`,
    `<div class="claim">${prose(chapter.description)}</div>`,
    ...chapter.scenarios.map(scenarioArticle),
    costTable(chapter.scenarios),
    '</section>',
  ].join('\n');
}

/** What each server of a chapter cost per idle client, as measured in this run: none for a chapter that measures no cost. */
function costTable(scenarios: readonly ScenarioReport[]): string {
  const measured = scenarios.filter((scenario) => scenario.cost !== undefined);
  if (measured.length === 0) return '';
  const rows = measured.map(({ name, cost }) => {
    const slopes = costSlopes(cost!);
    return `<tr><td>${escapeHtml(name)}</td><td>${slopes.threadsPerConnection.toFixed(2)}</td><td>${escapeHtml(memory(slopes.memoryBytesPerConnection))}</td></tr>`;
  });
  return [
    '<table class="cost"><caption>What each server cost per idle client, in this run</caption>',
    '<thead><tr><th>server</th><th>OS threads per client</th><th>memory per client</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody></table>`,
  ].join('\n');
}

/** What a scenario's server held at each step of its idle clients. */
function costSteps(steps: readonly CostStep[]): string {
  const rows = steps.map(({ connections, sample }) => `<tr><td>${connections}</td><td>${sample.threads}</td><td>${sample.processes}</td><td>${(sample.pssBytes / 1024 ** 2).toFixed(1)}</td></tr>`);
  return [
    '<table class="cost cost-steps"><caption>What the server held, read from /proc</caption>',
    '<thead><tr><th>idle clients</th><th>OS threads</th><th>processes</th><th>memory (MiB)</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody></table>`,
  ].join('\n');
}

function scenarioArticle(scenario: ScenarioReport): string {
  return [
    `<article class="scenario ${scenario.outcome}" data-outcome="${scenario.outcome}">`,
    `<h3><span class="outcome">${MARK[scenario.outcome]} ${scenario.outcome}</span> ${escapeHtml(scenario.name)}</h3>`,
    scenario.reason === undefined ? '' : `<p class="reason">${escapeHtml(scenario.reason)}</p>`,
    scenario.warnings.length === 0 ? '' : `<ul class="warnings">${scenario.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`,
    scenario.timeline ? `<figure class="timeline">${renderSvg(scenario.timeline)}</figure>` : '',
    scenario.cost ? costSteps(scenario.cost) : '',
    `<ol class="steps">${scenario.steps.map((step) => `<li class="step ${step.outcome}"><span class="keyword">${escapeHtml(step.keyword)}</span> ${inline(step.text)}</li>`).join('')}</ol>`,
    '</article>',
  ].filter(Boolean).join('\n');
}
