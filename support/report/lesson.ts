/**
 * The page to start from: the article's experiments on every model, one row per model, all on
 * one time axis, so the whole lesson is one picture. Its cells are the scenarios tagged
 * `@lesson` (three clients at once, and slow clients first), as a real run drew them.
 */
import { MODEL_NAMES, MODELS, type ModelName } from '../../core/models';
import { chartEndTick } from '../timeline/layout';
import { renderSvg } from '../timeline/render-svg';
import type { Timeline } from '../timeline/types';
import { BASE_STYLE, escapeHtml, page } from './html';
import { inReadingOrder, type ChapterReport, type Outcome } from './scenarios';

export const LESSON_TAG = '@lesson';

export interface LessonCell {
  caption: string;
  outcome: Outcome;
  timeline: Timeline;
}

export interface LessonRow {
  model: ModelName;
  cells: LessonCell[];
}

/** One row per model that has lesson scenarios, in the article's order; its cells in reading order. */
export function lessonRows(chapters: readonly ChapterReport[]): LessonRow[] {
  const scenarios = inReadingOrder(chapters).flatMap((chapter) => chapter.scenarios);
  return MODEL_NAMES.map((model) => ({
    model,
    cells: scenarios
      .filter((s) => s.tags.includes(LESSON_TAG) && s.tags.includes(`@${model}`))
      .flatMap((s) => (s.timeline ? [{ caption: s.name, outcome: s.outcome, timeline: s.timeline }] : [])),
  })).filter((row) => row.cells.length > 0);
}

const LABEL_WIDTH = 190;
const CAPTION_HEIGHT = 22;
const HEADER_HEIGHT = 34;
const GAP = 24;

/** Every row's charts side by side, every chart on the same axis: the run's longest sets its end. */
export function renderLessonSvg(rows: readonly LessonRow[]): string {
  const endTick = Math.max(1, ...rows.flatMap((row) => row.cells.map((cell) => chartEndTick(cell.timeline))));
  // one key to the symbols, under the first row (the sequential server waits, so it shows every symbol), is enough
  const charts = rows.map((row, r) => row.cells.map((cell) => sized(renderSvg(cell.timeline, { endTick, legend: r === 0 }))));
  const columnWidth = Math.max(0, ...charts.flat().map((chart) => chart.width));
  const columns = Math.max(0, ...rows.map((row) => row.cells.length));
  const width = LABEL_WIDTH + columns * (columnWidth + GAP);
  const parts: string[] = [];
  let y = HEADER_HEIGHT;
  rows.forEach((row, r) => {
    const rowHeight = CAPTION_HEIGHT + Math.max(...charts[r].map((chart) => chart.height));
    parts.push(
      `<text x="10" y="${y + CAPTION_HEIGHT + 24}" font-size="16" font-weight="bold" fill="#222">${escapeHtml(row.model)}</text>`,
      ...wrap(MODELS[row.model], 26).map((line, i) => `<text x="10" y="${y + CAPTION_HEIGHT + 44 + 16 * i}" font-size="12" fill="#555">${escapeHtml(line)}</text>`),
    );
    row.cells.forEach((cell, c) => {
      const x = LABEL_WIDTH + c * (columnWidth + GAP);
      const failed = cell.outcome === 'failed';
      const caption = `${failed ? '✗ failed: ' : ''}${cell.caption}`;
      parts.push(
        `<text x="${x}" y="${y + CAPTION_HEIGHT - 6}" font-size="13" fill="${failed ? '#d62728' : '#333'}">${escapeHtml(caption)}</text>`,
        charts[r][c].svg.replace(/^<svg /, `<svg x="${x}" y="${y + CAPTION_HEIGHT}" `),
      );
    });
    y += rowHeight + GAP;
  });
  const tickMs = rows[0]?.cells[0]?.timeline.tickMs;
  const title = `The article's experiments on every model, on one time axis${tickMs === undefined ? '' : ` (1 tick = ${tickMs} ms)`}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="system-ui, sans-serif">`,
    `<rect width="${width}" height="${y}" fill="#fff"/>`,
    `<text x="10" y="22" font-size="18" font-weight="bold" fill="#222">${escapeHtml(title)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

/** The page around the picture: what to look at, and the way on to every chapter. */
export function renderLessonPage(rows: readonly LessonRow[], { courseHref }: { courseHref: string }): string {
  const body = rows.length === 0
    ? `<h1>The lesson on one page</h1>\n<p>This run had none of the lesson's scenarios (tagged <code>${LESSON_TAG}</code>). <a href="${escapeHtml(courseHref)}">Every chapter, as run</a>.</p>`
    : [
        '<h1>The lesson on one page</h1>',
        "<p>Each row is one way to write the echo server; each chart, one experiment from the specs, as this run measured it. On the left, the article's three clients A, B and C connect at once and each sends two messages; on the right, slow clients connect first and stay, saying a word now and then, while A, B and C come to be served. Time runs left to right on the same axis everywhere. Orange is a client <strong>waiting</strong> for an echo the server has not sent: that is what the models differ in.</p>",
        `<figure class="lesson">${renderLessonSvg(rows)}</figure>`,
        `<p><a href="${escapeHtml(courseHref)}">Every chapter, scenario by scenario</a>, with its claim and what each scenario checks.</p>`,
      ].join('\n');
  return page('echolab: the lesson on one page', `${BASE_STYLE}\nbody { max-width: none; }`, body);
}

function sized(svg: string): { svg: string; width: number; height: number } {
  const size = (name: string) => Number(new RegExp(`^<svg [^>]*?\\b${name}="([\\d.]+)"`).exec(svg)?.[1] ?? 0);
  return { svg, width: size('width'), height: size('height') };
}

/** Words in lines of at most `columns` characters (a longer word keeps a line of its own). */
function wrap(text: string, columns: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= columns) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}
