/**
 * `npm run docs`: redraws the README's picture, docs/lesson.svg, from a real run of the
 * lesson's scenarios (those tagged @lesson). The picture is written aside and put in place
 * only if every one of them passed: a failed or interrupted run leaves the last one as it was.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LESSON_TAG } from '../support/report/lesson';
import { CUCUMBER, formatArgument, formatter } from './cucumber';

const PICTURE = path.join('docs', 'lesson.svg');

function redraw(): void {
  const unfinished = `${PICTURE}.unfinished`;
  const args = [CUCUMBER, '--tags', LESSON_TAG, ...formatArgument(formatter('lesson-picture-formatter'), unfinished)];
  const cucumber = spawn(process.execPath, args, { stdio: 'inherit' });
  cucumber.once('exit', (code) => {
    if (code === 0) {
      fs.renameSync(unfinished, PICTURE);
      process.stderr.write(`${PICTURE} is redrawn from this run\n`);
    } else {
      fs.rmSync(unfinished, { force: true });
      process.stderr.write(`not every lesson scenario passed: ${PICTURE} is left as it was\n`);
      process.exitCode = code ?? 1;
    }
  });
}

redraw();
