/**
 * echolab's report pages, drawn from hand-built chapters: the course in reading order with
 * every timeline in view, and the lesson on one time axis. No run, no sockets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderCourseReport } from '../support/report/course';
import { prose } from '../support/report/html';
import { lessonRows, renderLessonSvg } from '../support/report/lesson';
import { inReadingOrder, type ChapterReport, type ScenarioReport } from '../support/report/scenarios';
import { heldUpByS, poolOfTwo, sequential } from './hand-built';

const scenario = (name: string, line: number, more: Partial<ScenarioReport> = {}): ScenarioReport => ({
  uri: 'features/01-chapter.feature',
  name,
  line,
  durationMs: 0,
  tags: [],
  outcome: 'passed',
  steps: [{ keyword: 'Given', text: 'a sequential server', outcome: 'passed' }],
  warnings: [],
  ...more,
});

const chapter = (file: string, scenarios: ScenarioReport[], tags: string[] = []): ChapterReport => ({
  uri: `features/${file}.feature`,
  name: `The chapter ${file}`,
  description: `  What ${file} claims.`,
  tags,
  scenarios,
});

const positionOf = (html: string, text: string) => {
  const at = html.indexOf(text);
  assert.ok(at >= 0, `no ${text}`);
  return at;
};

describe('inReadingOrder', () => {
  it('puts chapters in the order of their numbers, 2 before 10, and scenarios in the order they are written', () => {
    const ordered = inReadingOrder([chapter('10-check', []), chapter('2-threads', []), chapter('01-sequential', [scenario('second', 20), scenario('first', 8)])]);
    assert.deepEqual(ordered.map((c) => c.uri), ['features/01-sequential.feature', 'features/2-threads.feature', 'features/10-check.feature']);
    assert.deepEqual(ordered[0].scenarios.map((s) => s.name), ['first', 'second']);
  });
});

describe('prose', () => {
  it('makes paragraphs of a description, a list of its "- " lines, and code of its backquotes', () => {
    const html = prose('  The claim, over\n  two lines.\n\n  - one `listen`\n    that goes on\n  - two <b>\n');
    assert.equal(html, '<p>The claim, over two lines.</p>\n<ul><li>one <code>listen</code> that goes on</li><li>two &lt;b&gt;</li></ul>');
  });
});

describe('renderCourseReport', () => {
  const chapters = [
    chapter('13-telling-models-apart', [scenario('a tool scenario', 3)], ['@tool']),
    chapter('02-thread-per-client', [scenario('all at once', 5, { timeline: poolOfTwo })]),
    chapter('01-sequential', [
      scenario('one at a time', 9, { timeline: sequential }),
      scenario('broken', 20, { outcome: 'failed', reason: 'client B was served before A left', timeline: sequential, warnings: ['warning: 1 of 3 clients connected 1 s late'] }),
    ]),
  ];
  const html = renderCourseReport(chapters, { lessonHref: 'lesson.html' });

  it('starts with a link to the page to start from, then the course chapters in order, then the ones about the tool', () => {
    assert.match(html, /^<!DOCTYPE html>/);
    assert.ok(positionOf(html, 'href="lesson.html"') < positionOf(html, '<main>'));
    const sections = [...html.matchAll(/<section class="chapter"[^>]*data-chapter="([^"]+)" data-course="(true|false)"/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(sections, [['01-sequential', 'true'], ['02-thread-per-client', 'true'], ['13-telling-models-apart', 'false']]);
    assert.ok(positionOf(html, 'The course') < positionOf(html, 'Checking your own server'));
  });

  it('shows every timeline inline and folds nothing away', () => {
    const articles = html.split('<article').slice(1);
    assert.equal(articles.length, 4);
    const withTimeline = articles.filter((a) => a.includes('<figure class="timeline"><svg xmlns="http://www.w3.org/2000/svg"'));
    assert.equal(withTimeline.length, 3);
    assert.ok(!/<details|display:\s*none|hidden/.test(html), 'something is folded or hidden');
  });

  it('says why a scenario failed before its timeline, and shows its warnings', () => {
    const broken = html.split('<article').find((a) => a.includes('broken'))!;
    assert.match(broken, /^ class="scenario failed"/);
    assert.ok(positionOf(broken, 'client B was served before A left') < positionOf(broken, '<figure'));
    assert.ok(broken.includes('1 of 3 clients connected 1 s late'));
    assert.match(html, /4 scenarios: 3 passed, 1 failed/);
  });

  it("draws a chapter's measured costs as one table after its scenarios, and none for a chapter that measures none", () => {
    const sample = (threads: number, mib: number) => ({ processes: 1, threads, pssBytes: mib * 1024 ** 2, rootRssBytes: 0, fds: 0, sockets: 0 });
    const costly = chapter('10-threads-are-expensive', [
      scenario('a thread per client, with 100 idle clients', 5, { cost: [{ connections: 0, sample: sample(9, 100) }, { connections: 100, sample: sample(109, 900) }] }),
      scenario('an async server, with 100 idle clients', 9, { cost: [{ connections: 0, sample: sample(7, 32) }, { connections: 100, sample: sample(7, 32) }] }),
    ]);
    const page = renderCourseReport([costly, ...chapters], { lessonHref: 'lesson.html' });
    const section = page.slice(positionOf(page, 'data-chapter="10-threads-are-expensive"'));
    const rows = [...section.matchAll(/<tr><td>([^<]+)<\/td><td>([^<]+)<\/td><td>([^<]+)<\/td><\/tr>/g)].map((m) => m.slice(1));
    assert.deepEqual(rows, [
      ['a thread per client, with 100 idle clients', '1.00', '8.0 MiB'],
      ['an async server, with 100 idle clients', '0.00', '0.0 KiB'],
    ]);
    assert.ok(positionOf(section, 'with 100 idle clients</h3>') < positionOf(section, '<table class="cost">'));
    assert.equal(page.match(/<table class="cost">/g)?.length, 1);
    assert.equal(page.match(/<table class="cost cost-steps">/g)?.length, 2, 'each scenario shows its own steps');
    assert.ok(section.includes('<tr><td>100</td><td>109</td><td>1</td><td>900.0</td></tr>'));
  });
});

describe('the lesson', () => {
  const lessonChapters = [
    chapter('06-slow-client', [
      scenario('slow client S on a sequential server', 30, { tags: ['@sequential', '@lesson'], timeline: heldUpByS }),
      scenario('not in the lesson', 31, { tags: ['@sequential'], timeline: heldUpByS }),
    ]),
    chapter('03-thread-pool', [scenario('a pool of two', 10, { tags: ['@thread-pool', '@lesson'], timeline: poolOfTwo })]),
    chapter('01-sequential', [
      scenario('three clients, one at a time', 9, { tags: ['@sequential', '@lesson'], timeline: sequential }),
      scenario('no timeline', 12, { tags: ['@sequential', '@lesson'] }),
    ]),
  ];

  it("has a row per model in the article's order, its lesson scenarios in reading order", () => {
    const rows = lessonRows(lessonChapters);
    assert.deepEqual(rows.map((row) => [row.model, row.cells.map((cell) => cell.caption)]), [
      ['sequential', ['three clients, one at a time', 'slow client S on a sequential server']],
      ['thread-pool', ['a pool of two']],
    ]);
  });

  it('draws every chart on one time axis: the longest run sets the end of all of them', () => {
    const svg = renderLessonSvg(lessonRows(lessonChapters));
    const charts = [...svg.matchAll(/<svg x="[\d.]+" y="[\d.]+" xmlns="http:\/\/www.w3.org\/2000\/svg" width="([\d.]+)"/g)];
    assert.equal(charts.length, 3);
    assert.equal(new Set(charts.map((m) => m[1])).size, 1, 'the charts differ in width');
    // each chart's ruler ends at the same tick
    const lastTicks = svg.split('<g class="ticks">').slice(1).map((ruler) => Math.max(...[...ruler.split('</g>')[0].matchAll(/>(\d+)<\/text>/g)].map((m) => Number(m[1]))));
    assert.equal(lastTicks.length, 3);
    assert.equal(new Set(lastTicks).size, 1, `the rulers end at ticks ${lastTicks.join(', ')}`);
    assert.equal(svg.split('<g class="legend">').length - 1, 2, 'one key to the symbols, under the first row');
  });
});
