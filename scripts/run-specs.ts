/**
 * How `npm test` runs the specs: cucumber-js with the arguments given (the project's
 * cucumber.js unless told otherwise; with no feature named, every chapter, in GATE_ORDER), writing cucumber's reports/cucumber.html and
 * reports/junit.xml, and echolab's reports/echolab.html and the page to start from,
 * reports/lesson.html, into a folder of their own first, and moving them into place, one
 * rename each, only once the run has finished, passed or failed. A run that is interrupted (Ctrl+C, a signal) leaves
 * the previous reports whole.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ArgvParser from '@cucumber/cucumber/lib/configuration/argv_parser';
import { COURSE_PAGE, LESSON_PAGE } from '../support/report/pages';
import { CUCUMBER, formatArgument, formatter } from './cucumber';

const REPORTS_DIR = 'reports';
const REPORTS = [
  { format: 'html', file: 'cucumber.html' },
  { format: 'junit', file: 'junit.xml' },
  { format: formatter('course-formatter'), file: COURSE_PAGE },
  { format: formatter('lesson-formatter'), file: LESSON_PAGE },
];
const INTERRUPTIONS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Every chapter, the longest first: cucumber hands scenarios to its workers in this order, and
 * the tool chapters' long scenarios, started last, would leave three workers idle at the end.
 */
const GATE_ORDER = ['features/13-*.feature', 'features/10-*.feature', 'features/12-*.feature', 'features/11-*.feature', 'features/0[1-9]-*.feature'];

/** The arguments as given, with every chapter added where they name no feature file, folder or line. */
export function withChapters(args: string[]): string[] {
  const { configuration } = ArgvParser.parse([process.execPath, CUCUMBER, ...args]);
  return (configuration.paths ?? []).length > 0 ? args : [...args, ...GATE_ORDER];
}

function runSpecs(args: string[]): void {
  fs.mkdirSync(REPORTS_DIR, { recursive: true });
  // in the reports' own folder, so that moving them is a rename on one file system
  const unfinished = fs.mkdtempSync(path.join(REPORTS_DIR, '.unfinished-'));
  const formats = REPORTS.flatMap(({ format, file }) => formatArgument(format, path.join(unfinished, file)));
  // source maps, so that the reports name steps/*.ts and support/*.ts, not their builds in dist/
  const cucumber = spawn(process.execPath, ['--enable-source-maps', CUCUMBER, ...args, ...formats], { stdio: 'inherit' });

  let interruption: NodeJS.Signals | undefined;
  const interrupt = (signal: NodeJS.Signals) => {
    interruption = signal;
    cucumber.kill(signal); // in a terminal it has had the signal too; sent to this process alone, it has not
  };
  for (const signal of INTERRUPTIONS) process.on(signal, interrupt);

  cucumber.once('exit', (code, signal) => {
    for (const name of INTERRUPTIONS) process.off(name, interrupt);
    const finished = interruption === undefined && signal === null && (code === 0 || code === 1);
    if (finished) {
      for (const { file } of REPORTS) publish(path.join(unfinished, file), path.join(REPORTS_DIR, file));
    } else {
      process.stderr.write(`the run did not finish: the reports in ${REPORTS_DIR}/ are the previous run's\n`);
    }
    fs.rmSync(unfinished, { recursive: true, force: true });
    // end as cucumber did, so that npm and the shell see an interruption as one
    if (interruption ?? signal) process.kill(process.pid, interruption ?? signal!);
    else process.exitCode = code ?? 1;
  });
}

/** A report cucumber did not write (it could not start) leaves the previous one in place. */
function publish(written: string, final: string): void {
  if (fs.existsSync(written)) fs.renameSync(written, final);
}

if (require.main === module) runSpecs(withChapters(process.argv.slice(2)));
