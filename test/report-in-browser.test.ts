/**
 * reports/echolab.html as a reader sees it: opened in a real headless Chromium (Debian's
 * chromium package, driven by puppeteer-core), the chapters in reading order, every course
 * scenario's timeline in view without a click, the lesson linked at the top, and a failed
 * scenario's reason before its picture. `npm test` writes the report before these tests run.
 *
 * ECHOLAB_REPORT names another report to check (a copy edited to break on purpose, say);
 * its screenshot is saved beside it rather than over reports/echolab.png.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const REPORT = path.resolve(process.env.ECHOLAB_REPORT ?? path.join(__dirname, '..', '..', 'reports', 'echolab.html'));
const SCREENSHOT = REPORT.replace(/\.html$/, '') + '.png';
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const VIEWPORT = { width: 1280, height: 900 };
/** The report is about 2 MB of inline SVG; a slow or loaded machine takes a while over it. */
const PAGE_TIMEOUT = 60_000;

/**
 * The little of the DOM that the checks below use inside the page: the project compiles
 * without lib "dom", which would type the browser's globals into every file of it.
 */
interface PageElement {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  closest(selector: string): PageElement | null;
  checkVisibility(options: { checkOpacity: boolean; checkVisibilityCSS: boolean }): boolean;
  getBoundingClientRect(): { top: number; width: number; height: number };
  compareDocumentPosition(other: PageElement): number;
}
/** Only ever read inside page.evaluate, where it is the page's document. */
declare const document: PageElement;

function chromiumPath(): string {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : CHROMIUM_CANDIDATES;
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  assert.ok(found, `no Chromium to open the report in (looked for ${candidates.join(', ')}): install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`);
  return found;
}

const leadingNumber = (chapter: string) => Number(/^\d+/.exec(chapter)?.[0]);

it('reports/echolab.html, opened in headless Chromium, reads as the course', { timeout: 4 * PAGE_TIMEOUT }, async (t) => {
  const executablePath = chromiumPath();
  assert.ok(fs.existsSync(REPORT), `no report at ${REPORT}: \`npm test\` writes it, running the specs before the unit tests`);
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    // Chromium's sandbox will not start as root, as CI runs; the page is our own file.
    // Containers often give /dev/shm only 64 MB, too little for Chromium.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    defaultViewport: VIEWPORT,
    timeout: PAGE_TIMEOUT,
    protocolTimeout: PAGE_TIMEOUT,
  });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(REPORT).href, { waitUntil: 'load', timeout: PAGE_TIMEOUT });
    // before the checks, so that a failing one leaves a picture to look at
    await page.screenshot({ path: SCREENSHOT });

    await t.test('the chapters come in reading order, the course before the others', async () => {
      const chapters = await page.evaluate(() =>
        Array.from(document.querySelectorAll('section.chapter'), (section) => ({ name: section.getAttribute('data-chapter') ?? '', course: section.getAttribute('data-course') === 'true' })),
      );
      const order = chapters.map(({ name, course }) => `${name}${course ? ' (course)' : ''}`).join(', ');
      assert.ok(chapters.some(({ course }) => course), `no course chapter in the report: ${order}`);
      for (const { name } of chapters) assert.ok(Number.isInteger(leadingNumber(name)), `chapter "${name}" does not start with its number`);
      const numbers = chapters.map(({ name }) => leadingNumber(name));
      assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b), `chapters out of order: ${order}`);
      const courseFlags = chapters.map(({ course }) => course);
      assert.deepEqual(courseFlags, [...courseFlags].sort((a, b) => Number(b) - Number(a)), `a course chapter after one that is not: ${order}`);
    });

    await t.test("every course scenario's timeline is in view, without a click, or for a scenario that measures what a server costs, its table", async () => {
      const scenarios = await page.evaluate(() =>
        Array.from(document.querySelectorAll('section.chapter[data-course="true"] article.scenario'), (article) => {
          const name = article.querySelector('h3')?.textContent?.trim() ?? '(no h3)';
          const svg = article.querySelector('figure.timeline svg') ?? article.querySelector('table.cost-steps');
          if (svg === null) return { name, problem: 'no figure.timeline svg, nor table.cost-steps' };
          if (svg.closest('details:not([open])') !== null) return { name, problem: 'inside a closed <details>' };
          if (!svg.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return { name, problem: 'not visible' };
          const { width, height } = svg.getBoundingClientRect();
          if (width <= 100 || height <= 50) return { name, problem: `only ${width}x${height} px` };
          return { name, problem: undefined };
        }),
      );
      assert.ok(scenarios.length > 0, 'no scenario in the course chapters');
      const hidden = scenarios.filter(({ problem }) => problem !== undefined);
      assert.equal(hidden.length, 0, `${hidden.length} of ${scenarios.length} course scenarios without a timeline in view:\n${hidden.map(({ name, problem }) => `  ${name}: ${problem}`).join('\n')}`);
    });

    await t.test('the lesson is linked at the top, on the first screen', async () => {
      const link = await page.evaluate(() => {
        const a = document.querySelector('header a[href="lesson.html"]');
        return a && { top: a.getBoundingClientRect().top, visible: a.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) };
      });
      assert.ok(link, 'no a[href="lesson.html"] in the header');
      assert.ok(link.visible && link.top >= 0 && link.top < VIEWPORT.height, `the link to lesson.html is not on the first screen: ${JSON.stringify(link)}`);
    });

    await t.test('a failed scenario says why before its timeline', async () => {
      const unexplained = await page.evaluate(() => {
        const FOLLOWING = 4; // Node.DOCUMENT_POSITION_FOLLOWING
        return Array.from(document.querySelectorAll('article.scenario.failed'), (article) => {
          const name = article.querySelector('h3')?.textContent?.trim() ?? '(no h3)';
          const reason = article.querySelector('p.reason');
          const figure = article.querySelector('figure.timeline');
          if (reason === null) return `${name}: no p.reason`;
          if (figure !== null && (reason.compareDocumentPosition(figure) & FOLLOWING) === 0) return `${name}: its reason comes after its figure`;
          return undefined;
        }).filter((problem) => problem !== undefined);
      });
      assert.deepEqual(unexplained, []);
    });
  } finally {
    await browser.close();
  }
});
