/**
 * What the chapters' prose says about their bounds is what the code runs with. Every figure
 * written in digits in a chapter's text (under `Feature:` and `Rule:`, not in its steps) is
 * listed here: a bound the harness holds clients or servers to, tied to the constant in code;
 * a figure of the chapter's own scenarios, which must then appear in their steps (the step
 * definitions read it from there); or a fact that is not a bound at all. Change a constant,
 * a step or a sentence alone and this fails until the others say the same.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AstBuilder, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { IdGenerator, type Feature } from '@cucumber/messages';
import { PACKAGE_DIR } from '../core/paths';
import { REFUSED_AFTER_TICKS } from '../support/clients';
import { ECHO_GRACE_MS, ECHO_MS_PER_MIB } from '../support/integrity';
import { CUT_LATE_TICKS } from '../support/remedy-verdicts';
import { DEFAULT_TICK_MS } from '../support/settings';
import { NON_READER_OUTSTAYS_TICKS, SLOW_MESSAGE, SLOW_MESSAGES, SLOW_PAUSE_TICKS } from '../support/slow-clients';

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const inWords = (n: number) => WORDS[n] ?? String(n);

type Figure =
  /** a bound the code holds to: `says` is the sentence's words, built from the constant */
  | { chapter: string; says: string; bound: true }
  /** a figure of the chapter's scenarios: `says` in the prose, `steps` in the steps or examples */
  | { chapter: string; says: string; steps: string }
  /** not a bound: a chapter's number, a fact about another program, an exit status */
  | { chapter: string; says: string; fact: string };

const FIGURES: Figure[] = [
  { chapter: '01', says: `lasts ${DEFAULT_TICK_MS} ms here`, bound: true },
  { chapter: '02', says: 'each pauses 3 ticks before each word', steps: 'pausing 3 ticks before each' },
  { chapter: '02', says: 'each 6 ticks long', fact: 'two pauses of 3 ticks' },
  { chapter: '04', says: 'As in chapter 2', fact: 'a chapter' },
  { chapter: '04', says: 'pause 3 ticks before each word', steps: 'pausing 3 ticks before each' },
  { chapter: '05', says: 'As in chapter 2', fact: 'a chapter' },
  { chapter: '05', says: 'pause 3 ticks before each word', steps: 'pausing 3 ticks before each' },
  { chapter: '05', says: 'chapter 12 checks', fact: 'a chapter' },
  { chapter: '06', says: `then ${inWords(SLOW_MESSAGES)} times waits ${SLOW_PAUSE_TICKS} ticks, sends "${SLOW_MESSAGE}"`, bound: true },
  { chapter: '06', says: `it stays about ${SLOW_MESSAGES * SLOW_PAUSE_TICKS} ticks`, bound: true },
  { chapter: '06', says: 'they pause 3 ticks before each word', steps: 'pausing 3 ticks before each' },
  { chapter: '07', says: 'chapter 10 measures', fact: 'a chapter' },
  { chapter: '07', says: 'pauses 5 ticks before each word', steps: 'pausing 5 ticks before each' },
  { chapter: '08', says: "Chapter 4's select loop", fact: 'a chapter' },
  { chapter: '08', says: 'at once sends 32 MiB', steps: 'sends 32 MiB' },
  { chapter: '08', says: `none of Z's bytes for ${inWords(REFUSED_AFTER_TICKS)} ticks`, bound: true },
  { chapter: '08', says: `Z leaves ${NON_READER_OUTSTAYS_TICKS} ticks`, bound: true },
  { chapter: '08', says: 'they pause 3 ticks before each word', steps: 'pausing 3 ticks before each' },
  { chapter: '09', says: '"1, 7" sends 1 byte, 7 bytes, 1 byte', steps: '| 1, 7, 4096' },
  { chapter: '09', says: `An echo has ${ECHO_GRACE_MS / 1000} seconds, plus ${ECHO_MS_PER_MIB / 1000} seconds per MiB`, bound: true },
  { chapter: '10', says: 'is allowed 8 threads', steps: 'only 8 threads' },
  { chapter: '11', says: 'Chapter 6 stopped', fact: 'a chapter' },
  { chapter: '11', says: 'clients of chapter 6', fact: 'a chapter' },
  { chapter: '11', says: `a little after the limit, up to ${CUT_LATE_TICKS} ticks`, bound: true },
  { chapter: '11', says: 'from one address (127.0.0.2,', steps: 'from 127.0.0.2' },
  { chapter: '12', says: 'exits with 0 when the server\n  conforms, 1 when a scenario fails, and 2 when', fact: "check's exit statuses" },
  { chapter: '12', says: 'It exits with 0 when the server conforms to at least one model', fact: "check's exit status" },
  { chapter: '12', says: "written as chapter 4's loop is", fact: 'a chapter' },
  { chapter: '12', says: "Python's `socketserver` listens with a backlog of 5", fact: "Python's" },
  { chapter: '12', says: 'with a remedy for slow clients (chapter 11)', fact: 'a chapter' },
  { chapter: '12', says: '`echolab check --model sequential --idle-timeout 2000 -- <command>`', fact: 'a command line' },
  { chapter: '12', says: 'scenarios of chapter 11', fact: 'a chapter' },
  { chapter: '12', says: "with the server's 2000 ms in place", fact: 'the command line before it' },
  { chapter: '13', says: 'the same machine (chapter 12)', fact: 'a chapter' },
];

interface Chapter {
  /** the first two characters of its file name, e.g. "06" */
  number: string;
  /** the text under Feature: and under each Rule: */
  prose: string;
  /** every step, and every row of its steps' tables and of its examples */
  steps: string;
}

function chapters(): Chapter[] {
  const dir = path.join(PACKAGE_DIR, 'features');
  return fs.readdirSync(dir).filter((file) => file.endsWith('.feature')).map((file) => {
    const feature = new Parser(new AstBuilder(IdGenerator.uuid()), new GherkinClassicTokenMatcher()).parse(fs.readFileSync(path.join(dir, file), 'utf8')).feature as Feature;
    const rules = feature.children.flatMap((child) => (child.rule ? [child.rule] : []));
    const scenarios = [...feature.children, ...rules.flatMap((rule) => rule.children)].flatMap((child) => (child.scenario ? [child.scenario] : []));
    const row = (cells: readonly { value: string }[]) => `| ${cells.map((cell) => cell.value).join(' | ')}`;
    const steps = scenarios.flatMap((scenario) => [
      ...scenario.steps.flatMap((step) => [step.text, ...(step.dataTable?.rows ?? []).map((tableRow) => row(tableRow.cells))]),
      ...scenario.examples.flatMap((examples) => (examples.tableBody ?? []).map((tableRow) => row(tableRow.cells))),
    ]);
    return { number: file.slice(0, 2), prose: [feature.description, ...rules.map((rule) => rule.description)].join('\n'), steps: steps.join('\n') };
  });
}

describe("the figures in the chapters' prose", () => {
  const all = chapters();

  it('are each where the list says, and bounds say what the code holds to', () => {
    for (const figure of FIGURES) {
      const chapter = all.find(({ number }) => number === figure.chapter);
      assert.ok(chapter?.prose.includes(figure.says), `chapter ${figure.chapter} no longer says: ${figure.says}`);
      if ('steps' in figure) assert.ok(chapter?.steps.includes(figure.steps), `chapter ${figure.chapter} says "${figure.says}", but no step or example has "${figure.steps}"`);
    }
  });

  it('are all on the list', () => {
    for (const { number, prose } of all) {
      const rest = FIGURES.filter(({ chapter }) => chapter === number).reduce((text, { says }) => text.replace(says, ''), prose);
      const unlisted = rest.split('\n').filter((line) => /\d/.test(line));
      assert.deepEqual(unlisted, [], `chapter ${number} states a figure that is not tied to anything`);
    }
  });
});
